/**
 * The Temporal Schedule that opens each quarter's cycle: created once per
 * plan, fired (triggered now instead of waiting for the 1st of the quarter's
 * last month) it starts this quarter's real cycle under its business id; a
 * second firing starts nothing new; turning it off deletes it.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime, type Worker } from '@temporalio/worker';
import type { DataSource } from 'typeorm';
import { cycleWorkflowId } from '#contracts';
import { quarterlyScheduleId, scheduleQuarterlyCycles, unscheduleQuarterlyCycles } from '#cycles';
import { chinaDate } from '#domain';
import { Mailer } from '#notifications';
import { createDataSource } from '#persistence';
import { createTestWorker, importTestPlan, sleepMs } from '../support/cycle-fixtures.js';
import { readTestStack } from '../support/test-stack.js';

const stack = readTestStack();
let env: TestWorkflowEnvironment;
let dataSource: DataSource;
let mailer: Mailer;
let worker: Worker;
let running: Promise<void>;
let taskQueue: string;

beforeAll(async () => {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  env = await TestWorkflowEnvironment.createFromExistingServer({ address: stack.temporalAddress });
  dataSource = createDataSource(stack.databaseUrl, 'duban-schedule-int-spec');
  await dataSource.initialize();
  mailer = new Mailer(stack.smtpUrl, '督办 Duban <duban@test.local>');
  const created = await createTestWorker(env.nativeConnection, env.client, stack, dataSource, mailer);
  worker = created.worker;
  taskQueue = created.taskQueue;
  running = worker.run();
});

afterAll(async () => {
  worker?.shutdown();
  await running;
  mailer?.close();
  await dataSource?.destroy();
  await env?.teardown();
});

async function runs(workflowId: string): Promise<number> {
  let n = 0;
  for await (const _ of env.client.workflow.list({ query: `WorkflowId = '${workflowId}'` })) n += 1;
  return n;
}

describe('the quarterly Schedule', () => {
  it('opens this quarter’s cycle when it fires, once however often it fires, and can be turned off', async () => {
    const plan = await importTestPlan(dataSource, 'schedule', [{ content: '新建公园2个', units: ['园林局'] }]);
    const client = env.client;
    expect(await scheduleQuarterlyCycles(client, { planId: plan.planId, taskQueue, hour: 9 })).toEqual({
      scheduleId: quarterlyScheduleId(plan.planId),
      created: true,
    });
    expect((await scheduleQuarterlyCycles(client, { planId: plan.planId, taskQueue, hour: 9 })).created).toBe(false);
    const schedule = client.schedule.getHandle(quarterlyScheduleId(plan.planId));
    const described = await schedule.describe();
    expect(described.spec.timezone).toBe('Asia/Shanghai');
    expect(described.spec.calendars?.[0]).toMatchObject({ dayOfMonth: [{ start: 1, end: 1, step: 1 }] });

    const today = chinaDate(new Date().toISOString());
    const quarter = `${today.slice(0, 4)}Q${Math.ceil(Number(today.slice(5, 7)) / 3)}`;
    const cycleId = cycleWorkflowId(plan.planId, quarter);
    await schedule.trigger();
    let row: { quarter: string; mode: string; opensOn: string } | undefined;
    for (let i = 0; i < 100 && !row; i += 1) {
      [row] = await dataSource.query(
        `SELECT quarter, mode, schedule->>'opensOn' AS "opensOn" FROM cycle WHERE id = $1`,
        [cycleId],
      );
      if (!row) await sleepMs(200);
    }
    expect(row).toMatchObject({ quarter, mode: 'real' });
    const lastMonth = String(Number(quarter.slice(-1)) * 3).padStart(2, '0');
    expect(row!.opensOn.slice(0, 7)).toBe(`${quarter.slice(0, 4)}-${lastMonth}`);

    await schedule.trigger();
    await sleepMs(2000);
    expect(await runs(cycleId)).toBe(1);
    expect((await client.workflow.getHandle(cycleId).describe()).status.name).toBe('RUNNING');

    expect(await unscheduleQuarterlyCycles(client, plan.planId)).toBe(true);
    expect(await unscheduleQuarterlyCycles(client, plan.planId)).toBe(false);
    await client.workflow.getHandle(cycleId).terminate('test finished');
  });
});
