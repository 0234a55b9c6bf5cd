/**
 * Sends mail over SMTP with a pooled nodemailer transport. `send` resolves
 * only when the server accepted the message, with its message id and the
 * server's answer; transient and permanent failures are told apart so the
 * caller can retry the one and record the other.
 */
import nodemailer, { type Transporter } from 'nodemailer';

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  html?: string;
  /** Sets the Message-ID header, so a resend can be recognised by the receiver. */
  messageId?: string;
}

export interface SentMail {
  messageId: string;
  response: string;
  accepted: string[];
  rejected: string[];
}

export class MailDeliveryError extends Error {
  /** MAIL_REJECTED: the server refused for good (5xx); MAIL_UNAVAILABLE: try again later. */
  readonly code: 'MAIL_REJECTED' | 'MAIL_UNAVAILABLE';

  constructor(
    message: string,
    readonly permanent: boolean,
    readonly responseCode: number | undefined,
    /**
     * What the refusal was about: the SMTP command refused ('RCPT TO': the recipient; 'DATA', 'AUTH' …), or
     * 'envelope' when the address could not even be written into the envelope (malformed).
     */
    readonly refused?: string,
  ) {
    super(
      permanent
        ? `邮件服务器拒收：${message} / The mail server refused the message: ${message}`
        : `邮件服务器暂不可用：${message} / The mail server is unavailable: ${message}`,
    );
    this.name = 'MailDeliveryError';
    this.code = permanent ? 'MAIL_REJECTED' : 'MAIL_UNAVAILABLE';
  }
}

export class Mailer {
  private readonly transport: Transporter;

  constructor(
    smtpUrl: string,
    private readonly from: string,
  ) {
    const url = new URL(smtpUrl);
    this.transport = nodemailer.createTransport({
      pool: true,
      maxConnections: 5,
      host: url.hostname,
      port: Number(url.port || (url.protocol === 'smtps:' ? 465 : 25)),
      secure: url.protocol === 'smtps:',
      ignoreTLS: url.protocol === 'smtp:' && url.searchParams.get('starttls') !== 'required',
      // ?starttls=required: refuse a relay that does not offer STARTTLS rather than send the password in clear.
      requireTLS: url.protocol === 'smtp:' && url.searchParams.get('starttls') === 'required',
      auth: url.username
        ? { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) }
        : undefined,
      // Together well under the send activity's start-to-close timeout (and the send claim).
      connectionTimeout: 5_000,
      greetingTimeout: 5_000,
      socketTimeout: 15_000,
    });
  }

  /** Resolves when the server greets and (if configured) accepts our login. */
  async verify(): Promise<void> {
    await this.transport.verify();
  }

  async send(mail: OutgoingMail): Promise<SentMail> {
    try {
      const info = await this.transport.sendMail({
        from: this.from,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        messageId: mail.messageId,
      });
      return {
        messageId: info.messageId,
        response: info.response ?? '',
        accepted: (info.accepted ?? []).map(String),
        rejected: (info.rejected ?? []).map(String),
      };
    } catch (error) {
      const code = (error as { responseCode?: number }).responseCode;
      // 5xx, or an envelope nodemailer itself refuses (a malformed address): trying again cannot help.
      const permanent =
        (code !== undefined && code >= 500 && code < 600) || (error as { code?: string }).code === 'EENVELOPE';
      const refused =
        (error as { code?: string }).code === 'EENVELOPE' ? 'envelope' : (error as { command?: string }).command;
      throw new MailDeliveryError((error as Error).message, permanent, code, refused);
    }
  }

  close(): void {
    this.transport.close();
  }
}
