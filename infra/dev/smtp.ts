/**
 * Provides SMTP: SMTP_URL if set, else the embedded capture server that keeps
 * every message and shows it over HTTP.
 */
import { SmtpCapture } from '#notifications';
import type { DubanConfig } from '#config';
import type { Component, Say } from './component.js';

export interface SmtpComponent extends Component {
  readonly url: string;
  /** Set when we run the capture: where people and tests read the mail. */
  readonly mailboxUrl: string | undefined;
  readonly capture: SmtpCapture | undefined;
}

export async function provideSmtp(
  config: DubanConfig,
  ports: { smtpPort: number; httpPort: number; storeDir?: string },
  say: Say,
): Promise<SmtpComponent> {
  if (config.smtp.url) {
    say(`SMTP: using SMTP_URL (${new URL(config.smtp.url).host})`);
    return {
      name: 'smtp',
      provenance: 'external',
      url: config.smtp.url,
      mailboxUrl: undefined,
      capture: undefined,
      stop: async () => {},
    };
  }
  const capture = new SmtpCapture(ports);
  await capture.start();
  say(`SMTP: capture server on ${capture.smtpUrl}, mailbox ${capture.httpUrl}`);
  return {
    name: 'smtp',
    provenance: 'started',
    url: capture.smtpUrl,
    mailboxUrl: capture.httpUrl,
    capture,
    stop: () => capture.stop(),
  };
}
