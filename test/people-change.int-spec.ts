/**
 * People change while items are open, against real PostgreSQL and the SMTP
 * capture, in a database of its own (supervisors and coordinators of other
 * tests would answer for this one's):
 *
 * - a unit's 联络员 replaced by a 通讯录 import: the line waiting for the old
 *   one goes to the new one's digest, the old one gets nothing, a link mailed
 *   to the old one is refused (LINK_HOLDER_CHANGED), the task's timeline
 *   says who changed;
 * - a supervisor deactivated: their waiting review goes to the other
 *   supervisor of the scope, or, with none, to the coordinators, marked as
 *   nobody's;
 * - an address the mail server refuses for good: its unit is flagged on the
 *   coordinator's dashboard and in the preflight;
 * - a group co-unit (各街道) on the dashboard as its members' inputs, done / total.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { setUserActive } from '#auth';
import { loadWorkingDayCalendar } from '#calendar';
import { getTaskCycle, preflight } from '#cycles';
import { queueReminder, sendDigests, type CycleDays } from '#digest';
import { assertLinkHolder, importDirectory, resolveAudiences, upsertPerson } from '#directory';
import type { Audience, QueueReminderInput } from '#contracts';
import { DomainError } from '#domain';
import { Mailer, MailLedger } from '#notifications';
import { readContactFile } from '#plan-import';
import { importPlan, PlanRepository } from '#plans';
import { cycleDashboard } from '#reporting';
import { fillCycles } from '../infra/bench/dashboard-data.js';
import { TEST_LINKS } from './support/cycle-fixtures.js';
import { ownDatabase } from './support/own-database.js';
import { readTestStack } from './support/test-stack.js';

const stack = readTestStack();
const tag = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 5)}`;
const database = ownDatabase(stack, 'people', tag);
const mailTo = (name: string) => `${name}.${tag}@test.local`;
let dataSource: DataSource;
let mailer: Mailer;
let planId: string;
let units: Record<string, string>;
let tasks: Record<number, string>;

const csv = (rows: string[]) => new TextEncoder().encode(rows.join('\n'));

async function contacts(rows: string[]) {
  const list = await readContactFile(csv(['单位,姓名,职务,手机,邮箱,角色,所属', ...rows]), 'contacts.csv');
  expect(list.warnings).toEqual([]);
  return importDirectory(dataSource, list);
}

/** A real cycle of the plan, every task-cycle assigned and begun now (after the directory was set up). */
async function openCycle(name: string): Promise<{ cycleId: string; days: CycleDays }> {
  const { cycleIds } = await fillCycles(dataSource, { planId, quarters: ['2020Q3'], idPrefix: `cycle:${name}` });
  const cycleId = cycleIds[0]!;
  await dataSource.query(
    `UPDATE task_cycle SET status = 'assigned', light = NULL, days_late = 0, current_deadline_at = now() + interval '9 days'
      WHERE cycle_id = $1`,
    [cycleId],
  );
  await dataSource.query(
    `INSERT INTO task_cycle_event (task_cycle_id, seq, kind, at, details, recorded_at)
     SELECT id, 0, 'assigned', now(), '{}', now() FROM task_cycle WHERE cycle_id = $1`,
    [cycleId],
  );
  const [schedule] = (await dataSource.query(`SELECT schedule ->> 'opensOn' AS "opensOn" FROM cycle WHERE id = $1`, [
    cycleId,
  ])) as { opensOn: string }[];
  return {
    cycleId,
    days: {
      clock: { kind: 'real', hour: 9 },
      opensOn: schedule!.opensOn,
      calendar: await loadWorkingDayCalendar(dataSource),
    },
  };
}

/** Queues one line as a task-cycle step does: for whoever the audiences name now. */
async function queue(cycleId: string, ordinal: number, owed: 'progress' | 'review', audiences: Audience[]) {
  const [row] = (await dataSource.query(
    `SELECT id, lead_unit_id AS "unitId" FROM task_cycle WHERE cycle_id = $1 AND ordinal = $2`,
    [cycleId, ordinal],
  )) as { id: string; unitId: string }[];
  const input: QueueReminderInput = {
    cycleId,
    taskCycleId: row!.id,
    step: owed === 'review' ? 'review:remind:0' : 'lead:remind:3',
    audiences,
    owed,
    unitId: row!.unitId,
    stepAt: new Date(Date.now() - 60_000).toISOString(),
    facts: {
      ordinal,
      content: `第${ordinal}项任务`,
      leadUnit: '区住建局',
      deadlineAt: new Date(Date.now() + 9 * 86_400_000).toISOString(),
    },
  };
  return queueReminder(dataSource, input, await resolveAudiences(dataSource, audiences, { taskCycleId: row!.id }));
}

async function digests(cycleId: string, days: CycleDays) {
  await sendDigests(cycleId, {
    dataSource,
    ledger: new MailLedger(dataSource, mailer, 'test.duban.local'),
    links: TEST_LINKS,
    days,
    office: '测试区人民政府督查室',
  }).catch(() => undefined); // a refused address fails only its own mail
  return (await dataSource.query(
    `SELECT recipient, status, body_text AS text FROM notification WHERE cycle_id = $1 AND kind = 'digest' ORDER BY recipient`,
    [cycleId],
  )) as { recipient: string; status: string; text: string }[];
}

const refusal = (promise: Promise<unknown>) =>
  promise.then(
    () => null,
    (error: unknown) => (error instanceof DomainError ? error.code : String(error)),
  );

beforeAll(async () => {
  dataSource = await database.open('duban-people-change-int-spec');
  mailer = new Mailer(stack.smtpUrl, '督办 Duban <duban@test.local>');
  const imported = await importPlan(new PlanRepository(dataSource), {
    bytes: csv([
      '序号,主要任务,责任单位,完成情况',
      '(一)城市建设,,,',
      '1,新建学校2所,区住建局、各街道,',
      '2,新建公园1个,区城管局,',
      '3,新建绿道5公里,区林水局,',
    ]),
    fileName: 'people-change.csv',
    planName: `people-change-${tag}`,
    acceptWarnings: true,
  });
  planId = imported.plan.id!;
  await contacts([
    `区住建局,王旧,科员,13800000001,${mailTo('wang')},联络员,`,
    `区城管局,郑报,科员,13800000002,${mailTo('zheng')},联络员,`,
    `区林水局,吴退,科员,13800000003,wu.${tag}@nowhere.invalid,联络员,`,
    `湖墅街道,孙街,科员,13800000004,${mailTo('sun')},联络员,街道`,
    `小河街道,周街,科员,13800000005,${mailTo('zhou')},联络员,街道`,
    `区政府督查室,钱督,主任,13800000006,${mailTo('qian')},督查室,`,
  ]);
  units = Object.fromEntries(
    ((await dataSource.query(`SELECT id, name FROM unit`)) as { id: string; name: string }[]).map((u) => [
      u.name,
      u.id,
    ]),
  );
  tasks = Object.fromEntries(
    (
      (await dataSource.query(`SELECT ordinal, id FROM task WHERE plan_id = $1`, [planId])) as {
        ordinal: number;
        id: string;
      }[]
    ).map((t) => [t.ordinal, t.id]),
  );
  // Someone must stay an admin (the last one cannot be deactivated).
  await upsertPerson(dataSource, {
    id: `admin.${tag}`,
    name: '管理员',
    email: mailTo('admin'),
    roles: [{ role: 'admin' }],
  });
  // Two supervisors of 区住建局's reports, one of 区城管局's.
  for (const [id, unit] of [
    ['shen1', '区住建局'],
    ['shen2', '区住建局'],
    ['shen3', '区城管局'],
  ] as const) {
    await upsertPerson(dataSource, {
      id: `${id}.${tag}`,
      name: `审核${id.slice(-1)}`,
      email: mailTo(id),
      roles: [{ role: 'supervisor', unitId: units[unit] }],
    });
  }
}, 120_000);

afterAll(async () => {
  mailer?.close();
  await dataSource?.destroy();
  await database.drop();
});

describe('people change while items are open', () => {
  it('gives a replaced 联络员’s waiting line to the new one, refuses the old one’s link, and puts the change in the timeline', async () => {
    const { cycleId, days } = await openCycle(`people-reporter-${tag}`);
    expect(await queue(cycleId, 1, 'progress', [{ unitId: units['区住建局']!, roles: ['reporter', 'backup'] }])).toBe(
      1,
    );

    // 区住建局's 联络员 changes: the new contact list names 李新 instead of 王旧.
    const summary = await contacts([`区住建局,李新,科员,13800000007,${mailTo('li')},联络员,`]);
    expect(summary.roles).toMatchObject({ granted: 1, revoked: 1 });
    const [wang] = (await dataSource.query(`SELECT id FROM person WHERE email = $1`, [mailTo('wang')])) as {
      id: string;
    }[];
    const [li] = (await dataSource.query(`SELECT id FROM person WHERE email = $1`, [mailTo('li')])) as { id: string }[];

    // A step of the task recorded after the change: the change stands between the two in the timeline.
    await dataSource.query(
      `INSERT INTO task_cycle_event (task_cycle_id, seq, kind, at, details, recorded_at)
       SELECT id, 5, 'reminded', now(), '{}', clock_timestamp() FROM task_cycle WHERE cycle_id = $1 AND ordinal = 1`,
      [cycleId],
    );
    const mails = await digests(cycleId, days);
    expect(mails.map((m) => m.recipient)).toEqual([mailTo('li')]);
    expect(mails[0]!.text).toMatch(/^李新：/);
    expect(mails[0]!.text).toContain('第1项');
    expect(
      await dataSource.query(
        `SELECT recipient, dropped_reason AS reason FROM mail_item WHERE cycle_id = $1 ORDER BY id`,
        [cycleId],
      ),
    ).toEqual([
      { recipient: mailTo('wang'), reason: 'reassigned' },
      { recipient: mailTo('li'), reason: null },
    ]);

    // A report link mailed to 王旧 before the change opens nothing; 李新's does.
    const claims = { purpose: 'report', cycleId, taskId: tasks[1]!, unitId: null };
    expect(await refusal(assertLinkHolder(dataSource, { ...claims, personId: wang!.id }))).toBe('LINK_HOLDER_CHANGED');
    expect(await refusal(assertLinkHolder(dataSource, { ...claims, personId: li!.id }))).toBeNull();
    // A 街道's input link stays its 联络员's.
    const [sun] = (await dataSource.query(`SELECT id FROM person WHERE email = $1`, [mailTo('sun')])) as {
      id: string;
    }[];
    const input = { purpose: 'input', cycleId, taskId: tasks[1]!, unitId: units['湖墅街道']!, personId: sun!.id };
    expect(await refusal(assertLinkHolder(dataSource, input))).toBeNull();
    expect(await refusal(assertLinkHolder(dataSource, { ...input, unitId: units['小河街道']! }))).toBe(
      'LINK_HOLDER_CHANGED',
    );

    const { timeline } = await getTaskCycle(dataSource, cycleId, tasks[1]!);
    expect(timeline.map((e) => e.kind)).toEqual(['assigned', 'contact_changed', 'contact_changed', 'reminded']);
    expect(timeline.filter((e) => e.kind === 'contact_changed').map((e) => e.details)).toEqual(
      expect.arrayContaining([
        { change: 'revoked', role: 'reporter', personId: wang!.id, person: '王旧' },
        { change: 'granted', role: 'reporter', personId: li!.id, person: '李新' },
      ]),
    );
    expect(timeline[1]!.unit).toBe('区住建局');
    // Another task's timeline is not about 区住建局's people.
    expect((await getTaskCycle(dataSource, cycleId, tasks[2]!)).timeline.map((e) => e.kind)).toEqual(['assigned']);
  }, 60_000);

  it('gives a deactivated supervisor’s waiting review to the other supervisor, else to the coordinators as nobody’s', async () => {
    const { cycleId, days } = await openCycle(`people-supervisor-${tag}`);
    await dataSource.query(`UPDATE task_cycle SET status = 'submitted' WHERE cycle_id = $1`, [cycleId]);
    expect(await queue(cycleId, 1, 'review', [{ role: 'supervisor', unitId: units['区住建局']! }])).toBe(2);
    expect(await queue(cycleId, 2, 'review', [{ role: 'supervisor', unitId: units['区城管局']! }])).toBe(1);
    await setUserActive(dataSource, `shen1.${tag}`, false, null);
    await setUserActive(dataSource, `shen3.${tag}`, false, null);

    const mails = await digests(cycleId, days);
    expect(mails.map((m) => m.recipient).sort()).toEqual([mailTo('qian'), mailTo('shen2')].sort());
    const office = mails.find((m) => m.recipient === mailTo('qian'))!;
    expect(office.text).toContain('第2项');
    expect(office.text).toContain('暂无人接办，请指定');
    const other = mails.find((m) => m.recipient === mailTo('shen2'))!;
    expect(other.text).toContain('第1项');
    expect(other.text).not.toContain('暂无人接办');
    // A review link mailed to the deactivated supervisor opens nothing.
    expect(
      await refusal(
        assertLinkHolder(dataSource, {
          purpose: 'review',
          cycleId,
          taskId: tasks[2]!,
          unitId: null,
          personId: `shen3.${tag}`,
        }),
      ),
    ).toBe('LINK_HOLDER_CHANGED');
    // An extension request's link is a coordinator's to open, not a supervisor's.
    const extension = { purpose: 'decide_extension', cycleId, taskId: tasks[2]!, unitId: null };
    const [qian] = (await dataSource.query(`SELECT id FROM person WHERE email = $1`, [mailTo('qian')])) as {
      id: string;
    }[];
    expect(await refusal(assertLinkHolder(dataSource, { ...extension, personId: qian!.id }))).toBeNull();
    expect(await refusal(assertLinkHolder(dataSource, { ...extension, personId: `shen2.${tag}` }))).toBe(
      'LINK_HOLDER_CHANGED',
    );
    const { timeline } = await getTaskCycle(dataSource, cycleId, tasks[2]!);
    // The unit's own supervisor left: the task's timeline says so.
    expect(timeline.map((e) => [e.kind, e.details.change, e.details.person])).toEqual([
      ['assigned', undefined, undefined],
      ['contact_changed', 'deactivated', '审核3'],
    ]);
  }, 60_000);

  it('flags a unit whose only address bounces, and shows a group as its members’ inputs', async () => {
    const { cycleId, days } = await openCycle(`people-bounce-${tag}`);
    expect(await queue(cycleId, 3, 'progress', [{ unitId: units['区林水局']!, roles: ['reporter'] }])).toBe(1);
    const mails = await digests(cycleId, days);
    expect(mails).toEqual([expect.objectContaining({ recipient: `wu.${tag}@nowhere.invalid`, status: 'failed' })]);

    const dashboard = await cycleDashboard(dataSource, cycleId);
    expect(dashboard.unreachable).toEqual([
      {
        unitId: units['区林水局'],
        unit: '区林水局',
        people: [expect.objectContaining({ name: '吴退', bounce: expect.stringMatching(/domain does not exist/) })],
      },
    ]);
    const checked = await preflight(dataSource, planId, '2020Q3');
    expect(checked.problems).toContainEqual(
      expect.objectContaining({ code: 'ADDRESS_BOUNCED', message: expect.stringMatching(/^吴退/) }),
    );
    // A year without its holiday notice: the period is named as people say it, not by its code.
    expect((await preflight(dataSource, planId, '2031Q3')).problems).toContainEqual(
      expect.objectContaining({
        code: 'PROVISIONAL_CALENDAR',
        message: expect.stringMatching(/^2031年第三季度的截止日（2031-10-\d\d）按暂定日历计算/),
        messageEn: expect.stringMatching(/^2031 Q3's deadlines/),
      }),
    );

    // 各街道 on 第1项: 湖墅街道 has given its input, 小河街道 not yet.
    await dataSource.query(
      `UPDATE task_cycle SET co_inputs = jsonb_build_object($2::text, jsonb_build_object('text', '已完成'), $3::text, NULL)
        WHERE cycle_id = $1 AND ordinal = 1`,
      [cycleId, units['湖墅街道'], units['小河街道']],
    );
    expect((await cycleDashboard(dataSource, cycleId)).groups).toEqual([
      { ordinal: 1, taskId: tasks[1], group: '各街道', done: 1, total: 2, missing: ['小河街道'] },
    ]);
  }, 60_000);
});
