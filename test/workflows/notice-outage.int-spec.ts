/**
 * A notice sent while the mail server is away does not hold the task: after
 * 90 seconds the command is answered and the task is free; the notice waits
 * in the ledger and goes out, once, with the cycle's next digest run. On the
 * real dev server and PostgreSQL: the first worker's mail server is a port
 * nobody listens on (no pooled connection is ever reset under it), then a
 * worker of the same queue with the SMTP capture takes over.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Client } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime, type Worker } from '@temporalio/worker';
import type { DataSource } from 'typeorm';
import { nextDayUpdate, reviewUpdate, submitProgressUpdate, taskCycleWorkflowId } from '#contracts';
import { startCycle } from '#cycles';
import { Mailer } from '#notifications';
import { createDataSource } from '#persistence';
import {
  createTestWorker,
  demoActor,
  demoAddress,
  importTestPlan,
  mailTo,
  sleepMs,
  type TestPlan,
} from '../support/cycle-fixtures.js';
import { freePort, readTestStack } from '../support/test-stack.js';

const QUARTER = '2020Q3';
const stack = readTestStack();
let env: TestWorkflowEnvironment;
let client: Client;
let dataSource: DataSource;
let mailer: Mailer;
let back: Mailer | undefined;
let workers: { worker: Worker; running: Promise<void> }[] = [];
let taskQueue: string;
let plan: TestPlan;
let cycleId: string;

beforeAll(async () => {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  env = await TestWorkflowEnvironment.createFromExistingServer({ address: stack.temporalAddress });
  client = env.client;
  dataSource = createDataSource(stack.databaseUrl, 'duban-notice-outage-int-spec');
  await dataSource.initialize();
  mailer = new Mailer(`smtp://127.0.0.1:${await freePort()}`, '督办 Duban <duban@test.local>');
  plan = await importTestPlan(dataSource, 'outage', [{ content: '新建口袋公园10个', units: ['停信局'] }]);
  const created = await createTestWorker(env.nativeConnection, client, stack, dataSource, mailer);
  workers = [{ worker: created.worker, running: created.worker.run() }];
  taskQueue = created.taskQueue;
  const started = await startCycle(client, {
    planId: plan.planId,
    quarter: QUARTER,
    clock: { kind: 'rehearsal', daySeconds: 600, pace: 'manual' },
    taskQueue: created.taskQueue,
    rehearsalTag: plan.suffix,
  });
  cycleId = started.cycleId;
  for (;;) {
    const [row] = (await dataSource.query(`SELECT count(*)::int AS n FROM task_cycle WHERE cycle_id = $1`, [
      cycleId,
    ])) as { n: number }[];
    if (row!.n === 1) break;
    await sleepMs(100);
  }
}, 60_000);

afterAll(async () => {
  await client?.workflow
    .getHandle(cycleId)
    .terminate('test over')
    .catch(() => undefined);
  for (const { worker, running } of workers) {
    if (worker.getState() === 'RUNNING') worker.shutdown();
    await running.catch(() => undefined);
  }
  mailer?.close();
  back?.close();
  await dataSource?.destroy();
});

describe('a notice while the mail server is away', () => {
  it('frees the task after 90 seconds and goes out once with the next digest run', async () => {
    const task = client.workflow.getHandle(taskCycleWorkflowId(plan.taskIds[0]!, QUARTER, plan.suffix));
    const reporter = await demoActor(dataSource, 'reporter', plan.unitIds['停信局']);
    const supervisor = await demoActor(dataSource, 'supervisor');
    await task.executeUpdate(submitProgressUpdate, { args: [{ actor: reporter, narrative: '已建成3个' }] });

    // The return mails the unit at once: the server is away, the answer comes all the same.
    const returned = await task.executeUpdate(reviewUpdate, {
      args: [{ actor: supervisor, decision: 'return', reason: 'figures', comment: '请核实数据' }],
    });
    expect(returned.state.status).toBe('returned');
    const notices = async () =>
      (await dataSource.query(
        `SELECT status, attempts FROM notification WHERE cycle_id = $1 AND kind = 'return' ORDER BY recipient`,
        [cycleId],
      )) as { status: string; attempts: number }[];
    const waiting = await notices();
    expect(waiting.length).toBeGreaterThan(0); // the reporter, the leader, the backup: all in the ledger
    expect(waiting.every((n) => n.status === 'pending')).toBe(true);
    // The task is free: the unit reports again at once.
    const again = await task.executeUpdate(submitProgressUpdate, {
      args: [{ actor: reporter, narrative: '已建成4个' }],
    });
    expect(again.state.status).toBe('submitted');

    // The mail server back: a worker that reaches it takes over the queue.
    const first = workers[0]!;
    first.worker.shutdown();
    await first.running;
    back = new Mailer(stack.smtpUrl, '督办 Duban <duban@test.local>');
    const next = await createTestWorker(env.nativeConnection, client, stack, dataSource, back, taskQueue);
    workers.push({ worker: next.worker, running: next.worker.run() });
    await client.workflow.getHandle(cycleId).executeUpdate(nextDayUpdate, { args: [{ through: 1 }] });
    expect((await notices()).every((n) => n.status === 'sent')).toBe(true);
    const mail = await mailTo(stack, demoAddress('reporter', plan.unitIds['停信局']!));
    expect(mail.filter((m) => m.subject?.includes('退回'))).toHaveLength(1);
  }, 240_000);
});
