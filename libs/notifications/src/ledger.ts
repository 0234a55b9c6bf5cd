/**
 * The notification ledger: one row per intended email, unique by its
 * idempotency key, holding the subject and body it sends. A send counts as
 * done only once its row says `sent`, so a retried caller never mails the
 * same step twice.
 *
 * Delivery claims the row first (an overlapping retry waits), sends, then
 * records the server's answer. Remaining at-least-once window: a crash after
 * the SMTP server accepted the message and before the row is updated sends it
 * once more when the claim has expired (same Message-ID, so a receiving
 * client can tell). Permanent refusals (5xx) mark the row failed; an admin may
 * resend it as stored. A rehearsal's mail to anyone but a demo address (or
 * one allowed by REHEARSAL_MAIL_TO), and any mail to an address whose people
 * have all been deactivated, is withheld: kept as failed, never sent.
 */
import type { DataSource } from 'typeorm';
import { rehearsalMayMail, rehearsalTagOf, type NotificationKind, type NotificationStatus } from '#contracts';
import { DomainError } from '#domain';
import { NotificationEntity, returnedRows } from '#persistence';
import { MailDeliveryError, type Mailer } from './mailer.js';

/**
 * How long one attempt holds a send: longer than the mailer's worst case (5 s
 * connect + 5 s greeting + 15 s socket, plus a wait for a pooled connection)
 * and than the notify activity's 2-minute timeout, so that a retry never
 * overlaps an attempt that is still sending.
 */
export const SEND_CLAIM_SECONDS = 150;

export interface LedgerEntry {
  /** Unique per (what, step, recipient, sequence). */
  idempotencyKey: string;
  kind: NotificationKind;
  cycleId?: string | null;
  items?: number;
  workingDay?: string | null;
  recipient: string;
  language?: string | null;
  subject: string;
  text: string;
  html?: string | null;
}

export interface Delivery {
  notificationId: string;
  status: NotificationStatus;
  messageId: string | null;
  /** True when the ledger already held this send and no mail went out now. */
  alreadySent: boolean;
}

/** Another attempt holds the send right now; try again shortly. */
export class SendInProgressError extends Error {
  readonly code = 'SEND_IN_PROGRESS';
  constructor() {
    super('另一次尝试正在发送 / another attempt is sending');
  }
}

/**
 * The server refused the recipient's address itself, for good: a 5xx answer to RCPT TO (no such mailbox or
 * domain; not a 5.7.x policy refusal such as relay denied), or an address too malformed for the envelope.
 * A refusal of the sender, the login or the content says nothing of the address. Only such a refusal marks
 * the address as bouncing.
 */
export function refusesAddress(error: MailDeliveryError): boolean {
  if (!error.permanent) return false;
  if (error.refused === 'envelope') return true;
  return error.refused === 'RCPT TO' && !/\b5\.7\.\d/.test(error.message);
}

export class MailLedger {
  constructor(
    private readonly dataSource: DataSource,
    private readonly mailer: Mailer,
    private readonly messageIdDomain: string,
    /** Addresses (or "@domain"s) besides the demo ones that a rehearsal may mail (REHEARSAL_MAIL_TO). */
    private readonly rehearsalAllow: readonly string[] = [],
  ) {}

  private get rows() {
    return this.dataSource.getRepository(NotificationEntity);
  }

  /** The row for this key: written now, or as an earlier attempt wrote it (its body wins). */
  async record(entry: LedgerEntry): Promise<NotificationEntity> {
    await this.rows
      .createQueryBuilder()
      .insert()
      .into(NotificationEntity)
      .values({
        idempotencyKey: entry.idempotencyKey,
        kind: entry.kind,
        cycleId: entry.cycleId ?? null,
        items: entry.items ?? 1,
        workingDay: entry.workingDay ?? null,
        recipient: entry.recipient,
        language: entry.language ?? null,
        subject: entry.subject,
        bodyText: entry.text,
        bodyHtml: entry.html ?? null,
        status: 'pending',
      })
      .orIgnore()
      .execute();
    const row = await this.rows.findOneByOrFail({ idempotencyKey: entry.idempotencyKey });
    if (row.recipient !== entry.recipient) {
      throw new DomainError(
        'IDEMPOTENCY_KEY_CONFLICT',
        `通知幂等键 ${entry.idempotencyKey} 已属于另一收件人`,
        `idempotency key ${entry.idempotencyKey} already belongs to another recipient`,
      );
    }
    if (row.bodyText === null && row.status === 'pending') {
      // Written before bodies were kept: this attempt's body is the one to send.
      await this.rows.update({ id: row.id }, { bodyText: entry.text, bodyHtml: entry.html ?? null });
      return { ...row, bodyText: entry.text, bodyHtml: entry.html ?? null };
    }
    return row;
  }

  /** Records and delivers. */
  async send(entry: LedgerEntry): Promise<Delivery> {
    return this.deliver(await this.record(entry));
  }

  /**
   * Delivers a recorded row unless it is already sent. Throws MailDeliveryError
   * (permanent: the row is now failed; transient: still pending, retry later)
   * or SendInProgressError.
   */
  async deliver(row: NotificationEntity): Promise<Delivery> {
    if (row.status === 'sent') {
      return { notificationId: row.id, status: row.status, messageId: row.messageId, alreadySent: true };
    }
    if (row.status === 'failed') {
      throw new MailDeliveryError(row.smtpResponse ?? 'rejected earlier', true, undefined);
    }
    if (row.cycleId && rehearsalTagOf(row.cycleId) && !rehearsalMayMail(row.recipient, this.rehearsalAllow)) {
      // A rehearsal mails demo addresses (or those allowed) only: a real person's mail is kept, never sent.
      const why =
        '演练邮件不发往真实地址（未在 REHEARSAL_MAIL_TO 中） / withheld: a rehearsal mails only demo addresses or REHEARSAL_MAIL_TO';
      await this.rows.update({ id: row.id }, { status: 'failed', smtpResponse: why, claimedUntil: null });
      throw new MailDeliveryError(why, true, undefined);
    }
    const [gone] = (await this.dataSource.query(
      `SELECT 1 FROM person WHERE lower(email) = lower($1) GROUP BY lower(email) HAVING bool_and(deactivated_at IS NOT NULL)`,
      [row.recipient],
    )) as unknown[];
    if (gone) {
      // Everyone at this address was deactivated since the mail was written: it is kept, never sent.
      const why = '收件人已停用 / withheld: the recipient has been deactivated';
      await this.rows.update({ id: row.id }, { status: 'failed', smtpResponse: why, claimedUntil: null });
      throw new MailDeliveryError(why, true, undefined);
    }
    if (row.bodyText === null) {
      throw new DomainError('NO_BODY', `通知 ${row.id} 没有保存正文`, `notification ${row.id} has no stored body`);
    }
    const result: unknown[] = await this.dataSource.query(
      `UPDATE notification SET attempts = attempts + 1, claimed_until = now() + make_interval(secs => $2)
        WHERE id = $1 AND status = 'pending' AND (claimed_until IS NULL OR claimed_until < now())
        RETURNING id`,
      [row.id, SEND_CLAIM_SECONDS],
    );
    if (returnedRows(result).length === 0) throw new SendInProgressError();
    let sent;
    try {
      sent = await this.mailer.send({
        to: row.recipient,
        subject: row.subject,
        text: row.bodyText,
        html: row.bodyHtml ?? undefined,
        messageId: `<${row.id}@${this.messageIdDomain}>`,
      });
    } catch (error) {
      if (error instanceof MailDeliveryError && error.permanent) {
        await this.rows.update({ id: row.id }, { status: 'failed', smtpResponse: error.message, claimedUntil: null });
      }
      if (error instanceof MailDeliveryError && refusesAddress(error)) {
        // The server refused the address itself: its people are flagged (preflight, the coordinator's dashboard).
        await this.dataSource.query(
          `UPDATE person SET email_bounced_at = COALESCE(email_bounced_at, now()), email_bounce = $2
            WHERE lower(email) = lower($1)`,
          [row.recipient, error.message.slice(0, 500)],
        );
      }
      if (!(error instanceof MailDeliveryError && error.permanent)) {
        // Keep the server's answer: the admin view shows why it is still waiting.
        await this.rows.update({ id: row.id }, { smtpResponse: (error as Error).message, claimedUntil: null });
      }
      throw error;
    }
    await this.rows.update(
      { id: row.id },
      {
        status: 'sent',
        messageId: sent.messageId,
        smtpResponse: sent.response,
        sentAt: new Date(),
        claimedUntil: null,
      },
    );
    // Taken: an address that bounced before works again (after the row is sent: this must not make it resend).
    await this.dataSource
      .query(
        `UPDATE person SET email_bounced_at = NULL, email_bounce = NULL
          WHERE lower(email) = lower($1) AND email_bounced_at IS NOT NULL`,
        [row.recipient],
      )
      .catch(() => undefined);
    return { notificationId: row.id, status: 'sent', messageId: sent.messageId, alreadySent: false };
  }

  /** Pending rows of a cycle (of one kind, if given): a digest run's unfinished sends and notices left waiting; oldest first. */
  async pending(cycleId: string, kind?: NotificationKind): Promise<NotificationEntity[]> {
    return this.rows.find({
      where: { cycleId, status: 'pending', ...(kind ? { kind } : {}) },
      order: { createdAt: 'ASC' },
    });
  }

  /** An admin's resend of a failed message, as stored; answers the new delivery (or throws as deliver does). */
  async resend(id: string): Promise<Delivery> {
    const row = await this.rows.findOneBy({ id });
    if (!row) throw new DomainError('NOT_FOUND', `没有通知 ${id}`, `No notification ${id}`);
    if (row.status !== 'failed') {
      throw new DomainError(
        'WRONG_STATE',
        `只能重发发送失败的通知（此通知状态为 ${row.status}）`,
        `only a failed notification can be resent (this one is ${row.status})`,
      );
    }
    const reopened: unknown[] = await this.dataSource.query(
      `UPDATE notification SET status = 'pending', resends = resends + 1, claimed_until = NULL
        WHERE id = $1 AND status = 'failed' RETURNING id`,
      [id],
    );
    if (returnedRows(reopened).length === 0) {
      throw new DomainError('WRONG_STATE', '此通知正在重发', 'this notification is being resent already');
    }
    try {
      return await this.deliver({ ...row, status: 'pending' });
    } catch (error) {
      // Server unavailable: it stays failed (with the new answer) for the admin to try again later.
      if (!(error instanceof MailDeliveryError && error.permanent)) {
        await this.rows.update(
          { id, status: 'pending' },
          { status: 'failed', smtpResponse: (error as Error).message, claimedUntil: null },
        );
      }
      throw error;
    }
  }

  /** Gives up on a send still pending after `hours` (a server that keeps answering 4xx): failed, for an admin. */
  async giveUp(id: string, hours: number): Promise<boolean> {
    const result: unknown[] = await this.dataSource.query(
      `UPDATE notification SET status = 'failed', claimed_until = NULL,
              smtp_response = '放弃重试 / gave up after ' || $2 || ' h: ' || COALESCE(smtp_response, 'no answer')
        WHERE id = $1 AND status = 'pending' AND created_at < now() - make_interval(hours => $2)
          AND (claimed_until IS NULL OR claimed_until < now())
        RETURNING id`,
      [id, hours],
    );
    return returnedRows(result).length > 0;
  }
}
