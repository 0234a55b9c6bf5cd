/**
 * The test-email workflow on the real dev server, run by a worker loading the
 * same bundle the worker process loads, with the real activities.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import type { DataSource } from 'typeorm';
import { DUBAN_TASK_QUEUE, testEmailWorkflowId } from '#contracts';
import { Mailer } from '#notifications';
import { createDataSource, NotificationEntity } from '#persistence';
import { NotificationActivitiesImpl } from '../../apps/worker/src/activities/notification.activities.js';
import { capturedMessages, readTestStack, uniqueAddress } from '../support/test-stack.js';
import type { testEmailWorkflow } from '#workflows';

const stack = readTestStack();
let env: TestWorkflowEnvironment;
let dataSource: DataSource;
let mailer: Mailer;

beforeAll(async () => {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  env = await TestWorkflowEnvironment.createFromExistingServer({ address: stack.temporalAddress });
  dataSource = createDataSource(stack.databaseUrl, 'duban-workflow-int-spec');
  await dataSource.initialize();
  mailer = new Mailer(stack.smtpUrl, '督办 Duban <duban@test.local>');
});

afterAll(async () => {
  mailer.close();
  await dataSource.destroy();
  await env.teardown();
});

describe('testEmailWorkflow', () => {
  it('records the send in PostgreSQL and delivers one email; a second start with the same id is refused', async () => {
    const activities = new NotificationActivitiesImpl(dataSource, mailer, 'test.duban.local');
    const taskQueue = `${DUBAN_TASK_QUEUE}-int-${Date.now()}`;
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowBundle: { codePath: stack.workflowBundlePath },
      activities: { sendNotification: activities.sendNotification.bind(activities) },
    });
    const recipient = uniqueAddress('workflow');
    const requestId = `int-${Date.now()}`;
    const workflowId = testEmailWorkflowId(requestId);
    const args = [{ requestId, recipient, requestedAt: '2020-10-14T01:00:00.000Z' }] as const;

    const result = await worker.runUntil(async () => {
      const handle = await env.client.workflow.start<typeof testEmailWorkflow>('testEmailWorkflow', {
        workflowId,
        taskQueue,
        args: [...args],
      });
      const again = await env.client.workflow
        .start<typeof testEmailWorkflow>('testEmailWorkflow', { workflowId, taskQueue, args: [...args] })
        .catch((e: unknown) => e);
      expect(again).toBeInstanceOf(WorkflowExecutionAlreadyStartedError);
      return handle.result();
    });

    expect(result).toMatchObject({ workflowId, status: 'sent', alreadySent: false });
    const row = await dataSource.getRepository(NotificationEntity).findOneByOrFail({ id: result.notificationId });
    expect(row).toMatchObject({ recipient, status: 'sent', messageId: result.messageId });
    const mail = (await capturedMessages(stack)).filter((m) => m.envelopeTo.includes(recipient));
    expect(mail).toHaveLength(1);
    expect(mail[0]!.text).toContain(requestId);
  });
});
