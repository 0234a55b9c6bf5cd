/**
 * The calendar changes while a cycle runs, rehearsed on the real Temporal dev
 * server: on its tenth working day the State Council declares 14 October (the
 * lead deadline) a day off. The admin's correction re-plans every open
 * task-cycle: the deadline moves to 15 October and the overdue ladder a
 * working day later, the timeline says so, and the lead unit's next digest
 * tells it; what was past stays.
 *
 * Its own database (the calendar is the whole system's) and task queue.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, type Worker } from '@temporalio/worker';
import type { DataSource } from 'typeorm';
import { setCalendarOverride } from '#calendar';
import { cycleWorkflowId, taskCycleWorkflowId } from '#contracts';
import { getTaskCycle, replanOpenCycles, startCycle } from '#cycles';
import { Mailer } from '#notifications';
import { importPlan, PlanRepository } from '#plans';
import { createTestWorker } from './support/cycle-fixtures.js';
import { saveHistories } from './support/histories.js';
import { RehearsalDays } from './support/rehearsal-days.js';
import { ownDatabase } from './support/own-database.js';
import { readTestStack } from './support/test-stack.js';

const stack = readTestStack();
const tag = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 5)}`;
const database = ownDatabase(stack, 'calendar', tag);
let dataSource: DataSource;

beforeAll(async () => {
  dataSource = await database.open('duban-calendar-change-e2e');
}, 120_000);

afterAll(async () => {
  await dataSource?.destroy();
  await database.drop();
});

describe('the calendar amended while a cycle runs', () => {
  it('moves the lead deadline declared a holiday, and every later step, by a working day', async () => {
    const imported = await importPlan(new PlanRepository(dataSource), {
      bytes: new TextEncoder().encode(
        [
          '序号,主要任务,责任单位,完成情况',
          '(一)城市建设,,,',
          '1,新建学校2所,区住建局、区教育局,',
          '2,新建公园1个,区城管局,',
        ].join('\n'),
      ),
      fileName: 'calendar-change.csv',
      planName: `calendar-change-${tag}`,
      acceptWarnings: true,
    });
    const planId = imported.plan.id!;
    const tasks = (await dataSource.query(`SELECT ordinal, id FROM task WHERE plan_id = $1 ORDER BY ordinal`, [
      planId,
    ])) as { ordinal: number; id: string }[];

    const connection = await NativeConnection.connect({ address: stack.temporalAddress });
    const clientConnection = await Connection.connect({ address: stack.temporalAddress });
    const client = new Client({ connection: clientConnection });
    const mailer = new Mailer(stack.smtpUrl, '督办 Duban <duban@test.local>');
    let worker: Worker | undefined;
    let running: Promise<void> | undefined;
    try {
      const created = await createTestWorker(connection, client, stack, dataSource, mailer, `calendar-${tag}`);
      worker = created.worker;
      running = worker.run();
      const cycleId = cycleWorkflowId(planId, '2020Q3', tag);
      await startCycle(client, {
        planId,
        quarter: '2020Q3',
        clock: { kind: 'rehearsal', daySeconds: 600, pace: 'manual' },
        taskQueue: created.taskQueue,
        rehearsalTag: tag,
      });
      const days = new RehearsalDays(client, cycleId);
      const deadlineDate = async (ordinal: number) =>
        (await getTaskCycle(dataSource, cycleId, tasks[ordinal - 1]!.id)).deadlineDate;
      const script = days.script(async () => {
        // Day 10 (30 September): everything as the notice had it.
        await days.onDay(10);
        expect(await deadlineDate(1)).toBe('2020-10-14');
        const firstRun = await setAndReplan();
        expect(firstRun).toEqual({ cycles: [cycleId], taskCycles: 2, moved: 2 });
        // The same correction again (say, after Temporal was away) re-plans nothing twice.
        const again = await replanOpenCycles(async () => client, dataSource);
        expect(again.cycles).toEqual([]);
        expect(await deadlineDate(1)).toBe('2020-10-15');
        expect(await deadlineDate(2)).toBe('2020-10-15');
        const { timeline } = await getTaskCycle(dataSource, cycleId, tasks[0]!.id);
        const replanned = timeline.filter((e) => e.kind === 'calendar_replanned');
        expect(replanned).toHaveLength(1);
        expect(replanned[0]!.details.currentDeadlineAt).toMatchObject({ fromDate: '2020-10-14', toDate: '2020-10-15' });
        // Past events stay as they were: the assignment still on its day.
        expect(timeline[0]).toMatchObject({ kind: 'assigned', day: '2020-09-15' });

        // The lead unit hears of it in its next digest.
        await days.onDay(11);
        const told = (await dataSource.query(
          `SELECT recipient, body_text AS text FROM notification WHERE cycle_id = $1 AND kind = 'digest'
              AND body_text LIKE '%截止日期由%顺延%'`,
          [cycleId],
        )) as { recipient: string; text: string }[];
        expect(told.length).toBeGreaterThan(0);
        expect(told[0]!.text).toMatch(/因节假日调整，截止日期由10月14日顺延/);

        // Nobody reports: the first day late is 16 October now, not 15 October.
        await days.onDay(19);
        const late = (await getTaskCycle(dataSource, cycleId, tasks[1]!.id)).timeline.filter(
          (e) => e.kind === 'overdue',
        );
        expect(late[0]?.day).toBe('2020-10-16');
      });
      async function setAndReplan() {
        await setCalendarOverride(dataSource, { date: '2020-10-14', kind: 'holiday', name: '补充假日' });
        return replanOpenCycles(async () => client, dataSource);
      }
      await days.drive();
      await script;
      // The histories of a cycle and a task-cycle re-planned, for the replay fixtures (r5.calendar.*: copy them with
      // npm run fixtures:histories).
      await saveHistories(client, {
        'r5.calendar.cycle': cycleId,
        'r5.calendar.task-cycle': taskCycleWorkflowId(tasks[0]!.id, '2020Q3', tag),
      });
    } finally {
      worker?.shutdown();
      await running;
      mailer.close();
      await connection.close();
      await clientConnection.close();
    }
  }, 600_000);
});
