/**
 * Helpers for cycle tests: a small plan of made-up units (named uniquely per
 * run, so each test's demo mailboxes are its own), a worker on its own task
 * queue with the real activities, and the demo directory's people.
 */
import type { Client, WorkflowHandle } from '@temporalio/client';
import { Worker } from '@temporalio/worker';
import type { NativeConnection } from '@temporalio/worker';
import type { DataSource } from 'typeorm';
import { DUBAN_TASK_QUEUE, type Actor } from '#contracts';
import { startCycle } from '#cycles';
import { resolveActor } from '#directory';
import { DeepLinks } from '#notifications';
import { Mailer } from '#notifications';
import { importPlan, PlanRepository } from '#plans';
import { CycleActivitiesImpl } from '../../apps/worker/src/activities/cycle.activities.js';
import { InstructionActivitiesImpl } from '../../apps/worker/src/activities/instruction.activities.js';
import { NotificationActivitiesImpl } from '../../apps/worker/src/activities/notification.activities.js';
import { bindActivities } from '../../apps/worker/src/temporal-worker.service.js';
import { capturedMessages, SUITE_TASK_QUEUE, TEST_REHEARSAL_MAIL_TO, type TestStack } from './test-stack.js';

export interface TestTaskRow {
  content: string;
  /** Lead unit first; names get the run's suffix. */
  units: readonly string[];
}

export interface TestPlan {
  planId: string;
  planName: string;
  suffix: string;
  /** Task ids in row order. */
  taskIds: string[];
  unitIds: Record<string, string>;
}

export async function importTestPlan(
  dataSource: DataSource,
  label: string,
  rows: readonly TestTaskRow[],
): Promise<TestPlan> {
  const suffix = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 5)}`;
  const unit = (name: string) => `${name}${suffix}`;
  const csv = [
    '序号,主要任务,责任单位,完成情况',
    '(一)测试类别,,,',
    ...rows.map((r, i) => `${i + 1},${r.content},${r.units.map(unit).join('、')},`),
  ].join('\n');
  const planName = `${label}-${suffix}`;
  const result = await importPlan(new PlanRepository(dataSource), {
    bytes: new TextEncoder().encode(csv),
    fileName: `${planName}.csv`,
    planName,
    acceptWarnings: true,
  });
  const planId = result.plan.id!;
  const tasks = (await dataSource.query(`SELECT id FROM task WHERE plan_id = $1 ORDER BY ordinal`, [planId])) as {
    id: string;
  }[];
  const units = (await dataSource.query(`SELECT id, name FROM unit WHERE name LIKE '%' || $1`, [suffix])) as {
    id: string;
    name: string;
  }[];
  return {
    planId,
    planName,
    suffix,
    taskIds: tasks.map((t) => t.id),
    unitIds: Object.fromEntries(units.map((u) => [u.name.slice(0, -suffix.length), u.id])),
  };
}

/**
 * The durability tests' plan: two tasks (甲局 alone; 乙局 led with 丙局 as co-unit) whose rehearsed quarter closes
 * `closeAfterWorkingDays` working days after the lead units' deadline.
 */
export async function importTwoTaskPlan(
  dataSource: DataSource,
  label: string,
  closeAfterWorkingDays: number,
): Promise<TestPlan> {
  const plan = await importTestPlan(dataSource, label, [
    { content: '新建口袋公园3个', units: ['甲局'] },
    { content: '新建绿道5条', units: ['乙局', '丙局'] },
  ]);
  await dataSource.query(`UPDATE plan SET cycle_config = $2 WHERE id = $1`, [
    plan.planId,
    JSON.stringify({ closeAfterWorkingDays }),
  ]);
  return plan;
}

/**
 * Starts the plan's 2020Q3 quarter as a rehearsal paced by hand (one simulated day a second, each day run by a
 * nextDay Update) on `taskQueue`, tagged `tag`; answers the cycle workflow's handle.
 */
export async function startManualRehearsal(
  client: Client,
  plan: TestPlan,
  { taskQueue = SUITE_TASK_QUEUE, tag = plan.suffix }: { taskQueue?: string; tag?: string } = {},
): Promise<WorkflowHandle> {
  const { cycleId } = await startCycle(client, {
    planId: plan.planId,
    quarter: '2020Q3',
    clock: { kind: 'rehearsal', daySeconds: 1, pace: 'manual' },
    taskQueue,
    rehearsalTag: tag,
  });
  return client.workflow.getHandle(cycleId);
}

/** The deep-link signer of in-process test workers. */
export const TEST_PUBLIC_URL = 'http://duban.test';
export const TEST_LINKS = new DeepLinks('test-link-secret-of-at-least-32-characters', TEST_PUBLIC_URL);

/** The office (ORG_NAME) in-process test workers sign mails with: not the default, so a mail that ignores it shows. */
export const TEST_OFFICE = '测试区人民政府督查室';

/** A worker on a fresh task queue (or `taskQueue`, a test's own), loading the real bundle, with the real activities. */
export async function createTestWorker(
  connection: NativeConnection,
  client: Client,
  stack: TestStack,
  dataSource: DataSource,
  mailer: Mailer,
  taskQueue = `${DUBAN_TASK_QUEUE}-cycle-${Date.now()}-${Math.random().toString(36).slice(2, 6)}`,
  rehearsalMailTo: readonly string[] = TEST_REHEARSAL_MAIL_TO,
): Promise<{ worker: Worker; taskQueue: string }> {
  const notifications = new NotificationActivitiesImpl(dataSource, mailer, 'test.duban.local', [...rehearsalMailTo]);
  const cycles = new CycleActivitiesImpl(dataSource, notifications, async () => client, TEST_LINKS, TEST_OFFICE);
  const instructions = new InstructionActivitiesImpl(dataSource, notifications, TEST_PUBLIC_URL, TEST_OFFICE);
  const worker = await Worker.create({
    connection,
    taskQueue,
    workflowBundle: { codePath: stack.workflowBundlePath },
    activities: bindActivities(notifications, cycles, instructions),
  });
  return { worker, taskQueue };
}

/** The demo directory's person for a unit role, as the API would resolve the caller. */
export async function demoActor(
  dataSource: DataSource,
  role: 'reporter' | 'supervisor' | 'coordinator',
  unitId?: string,
): Promise<Actor> {
  if (role !== 'reporter') return resolveActor(dataSource, role, role);
  return resolveActor(dataSource, `reporter.${unitId!.slice(0, 8)}`, 'reporter');
}

export function demoAddress(role: 'reporter' | 'leader' | 'backup', unitId: string): string {
  return `${role}.${unitId.slice(0, 8)}@demo.duban.local`;
}

/** Mail the capture holds for an address, oldest first. */
export async function mailTo(stack: TestStack, address: string) {
  return (await capturedMessages(stack)).filter((m) => m.envelopeTo.includes(address));
}

/** The instant a rehearsal's day 0 began, once the cycle workflow has fixed it. */
export async function rehearsalStartedAt(dataSource: DataSource, cycleId: string): Promise<number> {
  for (;;) {
    const [row] = (await dataSource.query(`SELECT clock->>'startedAt' AS "startedAt" FROM cycle WHERE id = $1`, [
      cycleId,
    ])) as { startedAt: string }[];
    if (row) return Date.parse(row.startedAt);
    await sleepMs(100);
  }
}

export function sleepMs(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
