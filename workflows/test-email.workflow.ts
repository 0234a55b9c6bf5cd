/**
 * test-email: an admin's "send a test email" — the smallest real process,
 * proving the chain API → Temporal → worker activity → PostgreSQL + SMTP.
 *
 * Activities: sendNotification (idempotent, ledgered). No signals, updates or
 * timers. Outcome: the ledger row's status and the SMTP message id.
 */
import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import {
  notificationIdempotencyKey,
  type NotificationActivities,
  type TestEmailInput,
  type TestEmailResult,
} from '#contracts';

const { sendNotification } = proxyActivities<NotificationActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds', maximumAttempts: 10 },
});

export async function testEmailWorkflow(input: TestEmailInput): Promise<TestEmailResult> {
  const { workflowId } = workflowInfo();
  const result = await sendNotification({
    idempotencyKey: notificationIdempotencyKey({
      scope: workflowId,
      step: 'test',
      recipient: input.recipient,
      sequence: 1,
    }),
    kind: 'test',
    recipient: input.recipient,
    subject: '【督办】测试邮件 / Duban test email',
    text: [
      '这是一封来自督办系统的测试邮件，说明邮件发送链路工作正常。',
      'This is a test email from Duban: the delivery chain works.',
      '',
      `请求编号 / Request: ${input.requestId}`,
      `请求时间 / Requested at: ${input.requestedAt}`,
    ].join('\n'),
  });
  return { ...result, workflowId };
}
