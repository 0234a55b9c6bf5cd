/**
 * Sends one notification through the ledger exactly as the worker's activity
 * does, in a process of its own, so that a test can kill it mid-send:
 *   node dist/test/support/send-once.js DATABASE_URL SMTP_URL KEY RECIPIENT
 */
import { createDataSource } from '#persistence';
import { Mailer } from '#notifications';
import { NotificationActivitiesImpl } from '../../apps/worker/src/activities/notification.activities.js';

const [databaseUrl, smtpUrl, key, recipient] = process.argv.slice(2) as [string, string, string, string];
const dataSource = createDataSource(databaseUrl, 'duban-send-once');
await dataSource.initialize();
const mailer = new Mailer(smtpUrl, '督办 Duban <duban@test.local>');
await new NotificationActivitiesImpl(dataSource, mailer, 'test.duban.local').sendNotification({
  idempotencyKey: key,
  kind: 'test',
  recipient,
  subject: '【督办】崩溃窗口',
  text: '正文 / body',
});
mailer.close();
await dataSource.destroy();
