/**
 * Reading the notification ledger (`notification`) outside a send: one
 * entry by id, for an admin's look at what went out. Writes go through the
 * MailLedger only, under their idempotency keys.
 */
import type { DataSource } from 'typeorm';
import { isUuid } from '#domain';
import { NotificationEntity } from '#persistence';

/** The ledger entry with this id, or null (none, or `id` is no uuid). */
export async function findNotification(dataSource: DataSource, id: string): Promise<NotificationEntity | null> {
  if (!isUuid(id)) return null;
  return dataSource.getRepository(NotificationEntity).findOneBy({ id });
}
