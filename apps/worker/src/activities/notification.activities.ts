/**
 * Notification activities. Every send goes through the ledger: the row is
 * claimed by its idempotency key first, and a send counts as done only once
 * the row says `sent`, so a retried activity never mails the same step twice.
 * Remaining at-least-once window: a crash after the SMTP server accepted the
 * message and before the row is updated re-sends once on retry (same
 * Message-ID, so a receiving client can tell).
 */
import { ApplicationFailure } from '@temporalio/activity';
import type { DataSource } from 'typeorm';
import type { NotificationActivities, SendNotificationInput, SendNotificationResult } from '#contracts';
import { MailDeliveryError, type Mailer } from '#notifications';
import { NotificationEntity } from '#persistence';

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
        recipient: input.recipient,
        subject: input.subject,
        status: 'pending',
      })
      .orIgnore()
      .execute();
    const row = await notifications.findOneByOrFail({ idempotencyKey: input.idempotencyKey });
    if (row.recipient !== input.recipient) {
      throw ApplicationFailure.nonRetryable(
        `idempotency key ${input.idempotencyKey} already belongs to another recipient`,
        'IDEMPOTENCY_KEY_CONFLICT',
      );
    }
    if (row.status === 'sent') {
      return { notificationId: row.id, status: row.status, messageId: row.messageId, alreadySent: true };
    }
    await notifications.increment({ id: row.id }, 'attempts', 1);
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
        await notifications.update({ id: row.id }, { status: 'failed', smtpResponse: error.message });
        throw ApplicationFailure.nonRetryable(error.message, 'MAIL_REJECTED');
      }
      throw error; // transient: Temporal retries with backoff
    }
    await notifications.update(
      { id: row.id },
      { status: 'sent', messageId: sent.messageId, smtpResponse: sent.response, sentAt: new Date() },
    );
    return { notificationId: row.id, status: 'sent', messageId: sent.messageId, alreadySent: false };
  }
}
