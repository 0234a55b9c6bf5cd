/** What the API shows of a ledger entry (never the entity itself). */
import type { NotificationEntity } from '#persistence';

export interface NotificationView {
  id: string;
  kind: string;
  recipient: string;
  subject: string;
  status: string;
  messageId: string | null;
  attempts: number;
  createdAt: string;
  sentAt: string | null;
}

export function toNotificationView(row: NotificationEntity): NotificationView {
  return {
    id: row.id,
    kind: row.kind,
    recipient: row.recipient,
    subject: row.subject,
    status: row.status,
    messageId: row.messageId,
    attempts: row.attempts,
    createdAt: row.createdAt.toISOString(),
    sentAt: row.sentAt ? row.sentAt.toISOString() : null,
  };
}
