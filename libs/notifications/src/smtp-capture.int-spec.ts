/** The dev mail catcher over real SMTP: keeps, shows, and still shows after a restart. */
import { mkdtempSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from '@jest/globals';
import { Mailer } from './mailer.js';
import { SmtpCapture } from './smtp-capture.js';

const storeDir = mkdtempSync(join(tmpdir(), 'duban-capture-'));
afterAll(() => rm(storeDir, { recursive: true, force: true }));

it('keeps each message, lists it over HTTP, and reloads it after a restart', async () => {
  const first = new SmtpCapture({ smtpPort: 0, httpPort: 0, storeDir });
  await first.start();
  const mailer = new Mailer(first.smtpUrl, '督办 Duban <duban@test.local>');
  try {
    const sent = await mailer.send({
      to: 'kept@test.duban.local',
      subject: '【督办】保留 / kept',
      text: '正文 <b>不是</b> HTML',
    });
    const listed = (await (await fetch(`${first.httpUrl}/api/messages`)).json()) as {
      messageId: string;
      subject: string;
    }[];
    expect(listed).toEqual([expect.objectContaining({ messageId: sent.messageId, subject: '【督办】保留 / kept' })]);
    const page = await (await fetch(first.httpUrl)).text();
    expect(page).toContain('【督办】保留 / kept');
    expect(page).toContain('正文 &#60;b&#62;不是&#60;/b&#62; HTML'); // shown as text, never as markup
  } finally {
    mailer.close();
    await first.stop();
  }

  const second = new SmtpCapture({ smtpPort: 0, httpPort: 0, storeDir });
  await second.start();
  try {
    expect(second.list().map((m) => [m.subject, m.envelopeTo])).toEqual([
      ['【督办】保留 / kept', ['kept@test.duban.local']],
    ]);
  } finally {
    await second.stop();
  }
});

it('sends nothing to a server without STARTTLS when the URL requires it (?starttls=required)', async () => {
  const capture = new SmtpCapture({
    smtpPort: 0,
    httpPort: 0,
    storeDir: mkdtempSync(join(tmpdir(), 'duban-capture-')),
  });
  await capture.start();
  const url = new URL(capture.smtpUrl);
  url.username = 'duban';
  url.password = 'a relay password';
  url.searchParams.set('starttls', 'required');
  const mailer = new Mailer(url.href, '督办 Duban <duban@test.local>');
  try {
    await expect(mailer.send({ to: 'clear@test.duban.local', subject: 'never', text: 'never' })).rejects.toThrow(
      /STARTTLS/,
    );
    expect(capture.list()).toEqual([]);
  } finally {
    mailer.close();
    await capture.stop();
  }
});
