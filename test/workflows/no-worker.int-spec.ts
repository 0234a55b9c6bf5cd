/**
 * A person's action while no worker runs: refused with NO_WORKER once the
 * wait is over, and never applied later when a worker comes back (the
 * workflow refuses a command past its `notAfter`). On the real dev server,
 * with a worker of this test's own task queue, stopped and started again.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Client } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime, type Worker } from '@temporalio/worker';
import type { DataSource } from 'typeorm';
import { cycleWorkflowId } from '#contracts';
import { getTaskCycle, sendTaskCycleAction, startCycle } from '#cycles';
import { Mailer } from '#notifications';
import { createDataSource } from '#persistence';
import { createTestWorker, importTestPlan, sleepMs, type TestPlan } from '../support/cycle-fixtures.js';
import { readTestStack } from '../support/test-stack.js';

const QUARTER = '2020Q3';
const stack = readTestStack();
let env: TestWorkflowEnvironment;
let client: Client;
let dataSource: DataSource;
let mailer: Mailer;
let plan: TestPlan;
let cycleId: string;
let taskQueue: string;
const workers: { worker: Worker; running: Promise<void> }[] = [];

/** A worker of this test's own task queue (only this test's workers poll it): the first makes the queue. */
async function startWorker(): Promise<void> {
  const created = await createTestWorker(
    env.nativeConnection,
    client,
    stack,
    dataSource,
    mailer,
    ...(taskQueue ? [taskQueue] : []),
  );
  taskQueue = created.taskQueue;
  workers.push({ worker: created.worker, running: created.worker.run() });
}

beforeAll(async () => {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  env = await TestWorkflowEnvironment.createFromExistingServer({ address: stack.temporalAddress });
  client = env.client;
  dataSource = createDataSource(stack.databaseUrl, 'duban-no-worker-int-spec');
  await dataSource.initialize();
  mailer = new Mailer(stack.smtpUrl, '督办 Duban <duban@test.local>');
  plan = await importTestPlan(dataSource, 'no-worker', [{ content: '新建口袋公园10个', units: ['无人局'] }]);
  taskQueue = '';
  await startWorker();
  cycleId = cycleWorkflowId(plan.planId, QUARTER, plan.suffix);
  await startCycle(client, {
    planId: plan.planId,
    quarter: QUARTER,
    clock: { kind: 'rehearsal', daySeconds: 600, pace: 'manual' },
    taskQueue,
    rehearsalTag: plan.suffix,
  });
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
  await dataSource?.destroy();
});

const progress = (narrative: string, acceptSeconds: number) =>
  sendTaskCycleAction(client, dataSource, {
    cycleId,
    taskId: plan.taskIds[0]!,
    action: 'progress',
    userId: `reporter.${plan.unitIds['无人局']!.slice(0, 8)}`,
    body: { narrative },
    acceptSeconds,
  });

describe('an action no worker takes', () => {
  it('is refused with NO_WORKER and never takes effect when a worker comes back', async () => {
    // Everything the cycle's opening asked for is done before the worker goes.
    const view = await getTaskCycle(dataSource, cycleId, plan.taskIds[0]!);
    expect(view.status).toBe('assigned');
    const first = workers[0]!;
    first.worker.shutdown();
    await first.running;

    const refused = await progress('无人受理时报送', 2).then(
      () => 'accepted',
      (error: { code?: string; messageZh?: string }) => `${error.code}: ${error.messageZh}`,
    );
    expect(refused).toBe('NO_WORKER: 流程执行器未能及时受理此操作，操作未生效，请稍后重试');

    // A worker again: a new action is taken; the refused one never is.
    await startWorker();
    const answer = await progress('恢复后报送', 30);
    expect(answer).toMatchObject({ version: 1, state: { status: 'submitted' } });
    const stored = (await dataSource.query(
      `SELECT narrative FROM submission WHERE cycle_id = $1 AND task_id = $2 ORDER BY cycle_sequence`,
      [cycleId, plan.taskIds[0]],
    )) as { narrative: string }[];
    expect(stored.map((s) => s.narrative)).toEqual(['恢复后报送']);
    const timeline = (await getTaskCycle(dataSource, cycleId, plan.taskIds[0]!)).timeline.map((e) => e.kind);
    expect(timeline.filter((kind) => kind === 'submitted')).toHaveLength(1);
  }, 90_000);
});
