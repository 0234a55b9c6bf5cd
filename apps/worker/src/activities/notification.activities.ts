/**
 * Notification activities. Every send goes through the ledger: the row is
 * claimed by its idempotency key first, and a send counts as done only once
 * the row says `sent`, so a retried activity never mails the same step twice.
 * Remaining at-least-once window: a crash after the SMTP server accepted the
 * message and before the row is updated re-sends once, after the claim
 * expires (same Message-ID, so a receiving client can tell).
 */
import { ApplicationFailure } from '@temporalio/activity';
import type { DataSource } from 'typeorm';
import type { NotificationActivities, SendNotificationInput, SendNotificationResult } from '#contracts';
import { MailDeliveryError, type Mailer } from '#notifications';
import { NotificationEntity } from '#persistence';

/** Longer than the mailer's worst case (5 s connect + 5 s greeting + 15 s socket). */
const SEND_CLAIM_SECONDS = 45;

export class NotificationActivitiesImpl implements NotificationActivities {
  constructor(
    private readonly dataSource: DataSource,
    private readonly mailer: Mailer,
    private readonly messageIdDomain: string,
  ) {}

  async sendNotification(input: SendNotificationInput): Promise<SendNotificationResult> {
    const notifications = this.dataSource.getRepository(NotificationEntity);
    await notifications
      .createQueryBuilder()
      .insert()
      .into(NotificationEntity)
      .values({
        idempotencyKey: input.idempotencyKey,
        kind: input.kind,
        cycleId: input.cycleId ?? null,
        items: input.items ?? 1,
        workingDay: input.workingDay ?? null,
        recipient: input.recipient,
        subject: input.subject,
        status: 'pending',
      })
      .orIgnore()
      .execute();
    const row = await notifications.findOneByOrFail({ idempotencyKey: input.idempotencyKey });
    if (row.recipient !== input.recipient) {
      throw ApplicationFailure.nonRetryable(
        `通知幂等键 ${input.idempotencyKey} 已属于另一收件人 / idempotency key ${input.idempotencyKey} already belongs to another recipient`,
        'IDEMPOTENCY_KEY_CONFLICT',
      );
    }
    if (row.status === 'sent') {
      return { notificationId: row.id, status: row.status, messageId: row.messageId, alreadySent: true };
    }
    if (row.status === 'failed') {
      throw ApplicationFailure.nonRetryable(row.smtpResponse ?? 'rejected earlier', 'MAIL_REJECTED');
    }
    // Claim the send: an overlapping retry (a slow first attempt past its
    // timeout) finds the claim and waits for the next retry instead of mailing too.
    const result: unknown[] = await this.dataSource.query(
      `UPDATE notification SET attempts = attempts + 1, claimed_until = now() + make_interval(secs => $2)
        WHERE id = $1 AND status = 'pending' AND (claimed_until IS NULL OR claimed_until < now())
        RETURNING id`,
      [row.id, SEND_CLAIM_SECONDS],
    );
    // TypeORM answers an UPDATE … RETURNING on PostgreSQL with [rows, affected count].
    const claimed = Array.isArray(result[0]) ? (result[0] as unknown[]) : result;
    if (claimed.length === 0) {
      throw ApplicationFailure.retryable('另一次尝试正在发送 / another attempt is sending', 'SEND_IN_PROGRESS');
    }
    let sent;
    try {
      sent = await this.mailer.send({
        to: input.recipient,
        subject: input.subject,
        text: input.text,
        messageId: `<${row.id}@${this.messageIdDomain}>`,
      });
    } catch (error) {
      if (error instanceof MailDeliveryError && error.permanent) {
        await notifications.update(
          { id: row.id },
          { status: 'failed', smtpResponse: error.message, claimedUntil: null },
        );
        throw ApplicationFailure.nonRetryable(error.message, error.code);
      }
      await notifications.update({ id: row.id }, { claimedUntil: null });
      throw error; // transient: Temporal retries with backoff
    }
    await notifications.update(
      { id: row.id },
      {
        status: 'sent',
        messageId: sent.messageId,
        smtpResponse: sent.response,
        sentAt: new Date(),
        claimedUntil: null,
      },
    );
    return { notificationId: row.id, status: 'sent', messageId: sent.messageId, alreadySent: false };
  }
}
