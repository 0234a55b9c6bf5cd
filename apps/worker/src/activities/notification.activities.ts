/**
 * Notification activities: every send goes through the ledger (#notifications
 * MailLedger), which holds the at-least-once window's description. Here its
 * errors become Temporal failures: a refusal is final, a busy claim or an
 * unavailable server is retried with backoff.
 */
import { ApplicationFailure } from '@temporalio/activity';
import type { DataSource } from 'typeorm';
import type { NotificationActivities, SendNotificationInput, SendNotificationResult } from '#contracts';
import { DomainError } from '#domain';
import { MailDeliveryError, MailLedger, SendInProgressError, type Delivery, type Mailer } from '#notifications';

/** Runs a ledger call, translating its errors for Temporal's retry policy. */
export async function asActivity(run: () => Promise<Delivery>): Promise<Delivery> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof MailDeliveryError && error.permanent)
      throw ApplicationFailure.nonRetryable(error.message, error.code);
    if (error instanceof SendInProgressError) throw ApplicationFailure.retryable(error.message, error.code);
    if (error instanceof DomainError) throw ApplicationFailure.nonRetryable(error.message, error.code);
    throw error; // transient: Temporal retries with backoff
  }
}

export class NotificationActivitiesImpl implements NotificationActivities {
  readonly ledger: MailLedger;

  constructor(dataSource: DataSource, mailer: Mailer, messageIdDomain: string, rehearsalAllow: readonly string[] = []) {
    this.ledger = new MailLedger(dataSource, mailer, messageIdDomain, rehearsalAllow);
  }

  async sendNotification(input: SendNotificationInput): Promise<SendNotificationResult> {
    return asActivity(() => this.ledger.send(input));
  }
}
