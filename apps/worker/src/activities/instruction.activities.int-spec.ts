/**
 * A 领导批示's reminders against real PostgreSQL and the test SMTP capture: about a task a real cycle holds
 * while its digests run, a reminder is a line of the unit's digest of the day (one mail, whatever the number
 * of instructions), dropped once the unit has answered; about a task no cycle holds, it is mailed as before.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { loadWorkingDayCalendar } from '#calendar';
import { sendDigests } from '#digest';
import { upsertPerson } from '#directory';
import { chinaDate, DEFAULT_CYCLE_CONFIG } from '#domain';
import { Mailer, MailLedger } from '#notifications';
import { createDataSource } from '#persistence';
import { respondToInstruction, writeInstruction } from '#plans';
import {
  importTestPlan,
  mailTo,
  TEST_LINKS,
  TEST_OFFICE,
  TEST_PUBLIC_URL,
  type TestPlan,
} from '../../../../test/support/cycle-fixtures.js';
import { readTestStack } from '../../../../test/support/test-stack.js';
import { InstructionActivitiesImpl } from './instruction.activities.js';
import { NotificationActivitiesImpl } from './notification.activities.js';

const stack = readTestStack();
let dataSource: DataSource;
let mailer: Mailer;
let plan: TestPlan;
/** The steps come at 09:00 China time today, before the morning's digest at 09:30. */
const morning = new Date(`${chinaDate(new Date().toISOString())}T09:00:00+08:00`);
let activities: InstructionActivitiesImpl;
/** The same, carried out at noon: after the morning's digest. */
let late: InstructionActivitiesImpl;

beforeAll(async () => {
  dataSource = createDataSource(stack.databaseUrl, 'duban-instruction-activities-int-spec');
  await dataSource.initialize();
  mailer = new Mailer(stack.smtpUrl, '督办 Duban <duban@test.local>');
  activities = new InstructionActivitiesImpl(
    dataSource,
    new NotificationActivitiesImpl(dataSource, mailer, 'test.duban.local'),
    TEST_PUBLIC_URL,
    TEST_OFFICE,
    () => morning,
  );
  late = new InstructionActivitiesImpl(
    dataSource,
    new NotificationActivitiesImpl(dataSource, mailer, 'test.duban.local'),
    TEST_PUBLIC_URL,
    TEST_OFFICE,
    () => new Date(morning.getTime() + 3 * 3_600_000),
  );
  plan = await importTestPlan(dataSource, 'instruction-digest', [
    { content: '新建学校2所', units: ['批甲局'] },
    { content: '新建公园1个', units: ['批甲局'] },
    { content: '改造老旧小区10个', units: ['批乙局'] },
  ]);
  for (const [id, role, unit] of [
    [`leader.${plan.suffix}`, 'district_leader', null],
    [`ra.${plan.suffix}`, 'reporter', plan.unitIds['批甲局']!],
    [`rb.${plan.suffix}`, 'reporter', plan.unitIds['批乙局']!],
  ] as const) {
    await upsertPerson(dataSource, {
      id,
      name: role === 'district_leader' ? '王区长' : `${id}填报人`,
      email: `${id}@test.local`,
      roles: [{ role, unitId: unit }],
    });
  }
});

afterAll(async () => {
  mailer?.close();
  await dataSource?.destroy();
});

describe('a 领导批示 reminder while a real cycle runs', () => {
  it('joins the unit’s digest for the tasks the cycle holds, mails the rest, and drops what was answered', async () => {
    const [school, park, estate] = plan.taskIds as [string, string, string];
    // A real quarter under way that holds 甲局's two tasks (not 乙局's).
    const cycleId = `cycle:${plan.planId}:2020Q4`;
    await dataSource.query(
      `INSERT INTO cycle (id, plan_id, quarter, mode, clock, config, schedule, instants, provisional, task_count)
       VALUES ($1, $2, '2020Q4', 'real', '{"kind":"real","hour":9}', $3, '{"opensOn":"2020-12-15"}',
               jsonb_build_object('closeAt', now() + interval '30 days'), false, 2)`,
      [cycleId, plan.planId, JSON.stringify(DEFAULT_CYCLE_CONFIG)],
    );
    for (const [ordinal, taskId] of [school, park].entries()) {
      await dataSource.query(
        `INSERT INTO task_cycle (id, cycle_id, task_id, ordinal, lead_unit_id, status, lead_deadline_at,
                                 current_deadline_at, last_seq, task_version_id)
         SELECT $1, $2, $3, $4, $5, 'assigned', now() + interval '10 days', now() + interval '10 days', 1, v.id
           FROM current_task_version v WHERE v.task_id = $3`,
        [`task:${taskId}:2020Q4`, cycleId, taskId, ordinal + 1, plan.unitIds['批甲局']],
      );
    }
    const calendar = await loadWorkingDayCalendar(dataSource);
    const write = async (taskIds: string[], text: string) =>
      (await writeInstruction(dataSource, calendar, { personId: `leader.${plan.suffix}`, taskIds, text })).id;
    const first = await write([school, estate], `请加快学校和小区建设进度-${plan.suffix}`);
    const second = await write([park], `公园要赶在年底前开放-${plan.suffix}`);

    for (const id of [first, second]) {
      expect(await activities.instructionStep({ instructionId: id, step: 'due' })).toMatchObject({
        owed: id === first ? 2 : 1,
      });
    }
    const lines = (await dataSource.query(
      `SELECT task_cycle_id AS "taskCycleId", step, recipient, owed FROM mail_item WHERE cycle_id = $1 ORDER BY step`,
      [cycleId],
    )) as { taskCycleId: string; step: string; recipient: string; owed: string }[];
    expect(lines.map((l) => [l.taskCycleId, l.step, l.recipient, l.owed]).sort()).toEqual(
      [
        [`task:${school}:2020Q4`, `instruction:${first}:due`, `ra.${plan.suffix}@test.local`, 'instruction'],
        [`task:${park}:2020Q4`, `instruction:${second}:due`, `ra.${plan.suffix}@test.local`, 'instruction'],
      ].sort(),
    );
    // 乙局's task is in no cycle: its reminder is a mail, as before; 甲局 gets none of its own.
    const mailedB = (await mailTo(stack, `rb.${plan.suffix}@test.local`)).filter((m) => m.text?.includes(plan.suffix));
    expect(mailedB.map((m) => m.text?.includes('改造老旧小区10个'))).toEqual([true]);
    expect((await mailTo(stack, `ra.${plan.suffix}@test.local`)).filter((m) => m.subject?.includes('批示'))).toEqual(
      [],
    );

    // The park is answered before the morning's digest: its line is dropped, the school's goes.
    await respondToInstruction(dataSource, {
      instructionId: second,
      taskId: park,
      personId: `ra.${plan.suffix}`,
      text: '已安排12月20日开放',
    });
    const run = await sendDigests(cycleId, {
      dataSource,
      ledger: new MailLedger(dataSource, mailer, 'test.duban.local'),
      links: TEST_LINKS,
      days: { clock: { kind: 'real', hour: 9 }, opensOn: '2020-12-15', calendar },
      office: TEST_OFFICE,
      now: new Date(morning.getTime() + 30 * 60_000),
    });
    expect(run).toMatchObject({ dropped: 1, sent: 1 });
    const [digest, ...more] = await mailTo(stack, `ra.${plan.suffix}@test.local`);
    expect(more).toEqual([]);
    expect(digest!.text).toContain('回复领导批示');
    expect(digest!.text).toContain(`王区长批示：请加快学校和小区建设进度-${plan.suffix}`);
    expect(digest!.text).toContain('第1项 新建学校2所');
    expect(digest!.text).not.toContain('新建公园1个');
    expect(digest!.text).toContain('http://duban.test/');

    // A step carried out after the morning's digest (the worker was away) is mailed, not left for tomorrow.
    const third = await write([school], `学校项目要确保年底完工-${plan.suffix}`);
    await late.instructionStep({ instructionId: third, step: 'before' });
    const mailed = (await mailTo(stack, `ra.${plan.suffix}@test.local`)).filter((m) =>
      m.text?.includes('确保年底完工'),
    );
    expect(mailed).toHaveLength(1);
    expect(
      (await dataSource.query(`SELECT 1 FROM mail_item WHERE step = $1`, [`instruction:${third}:before`])) as unknown[],
    ).toEqual([]);
  });
});
