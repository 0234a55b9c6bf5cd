/**
 * The quarterly cycle on the real dev server, PostgreSQL and SMTP capture, as
 * a rehearsal paced by the test (each simulated day begins when the scripts
 * ask for it, after the day before is done). One rehearsal of 2020-Q3 runs
 * every path at once, one task per path, each driven by its own script:
 * on time; late through the whole ladder; returned then approved; a co-unit
 * late with its input; an extension granted and one refused; a red light and
 * its catch-up plan; Updates from the wrong unit, role and state. The 2020-Q3
 * timeline in working days: opens day 0 (09-15), co-unit deadline day 15
 * (10-12), lead deadline day 17 (10-14), reminders days 14/16/17, first day
 * late 18 (leader copied), escalation day 20, and (this plan's setting) close day 22.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime, type Worker } from '@temporalio/worker';
import type { DataSource } from 'typeorm';
import {
  cycleWorkflowId,
  decideExtensionUpdate,
  noticeUpdate,
  requestExtensionUpdate,
  reviewUpdate,
  submitCatchUpPlanUpdate,
  submitInputUpdate,
  submitProgressUpdate,
  taskCycleWorkflowId,
  type Actor,
  type CycleReportSummary,
  type UpdateAnswer,
} from '#contracts';
import {
  getTaskCycle,
  listNotices,
  startCycle,
  type StartCycleAnswer,
  type TaskCycleView,
  type TimelineEvent,
} from '#cycles';
import { Mailer } from '#notifications';
import { createDataSource } from '#persistence';
import type { cycleWorkflow } from '#workflows';
import {
  createTestWorker,
  demoActor,
  demoAddress,
  importTestPlan,
  mailTo,
  sleepMs,
  type TestPlan,
} from '../support/cycle-fixtures.js';
import { saveHistories } from '../support/histories.js';
import { RehearsalDays } from '../support/rehearsal-days.js';
import { readTestStack } from '../support/test-stack.js';

const DAY_MS = 1500;
/**
 * Prefix of the histories this code records: r6, a report's figures checked when it is submitted (r1: the
 * first release's baseline; r2: 督办单 to the lead unit; r3: edition 2, limits and reductions judged by their
 * direction; r4: edition 3, work started is no work done; r5: calendar re-plans; docs/architecture.md,
 * versioning).
 */
const HISTORY_VERSION = 'r6';
const CLOSE_AFTER = 5; // working days after the lead deadline: closes on day 22
const QUARTER = '2020Q3';
const stack = readTestStack();
let env: TestWorkflowEnvironment;
let client: Client;
let dataSource: DataSource;
let mailer: Mailer;
let worker: Worker;
let running: Promise<void>;
let plan: TestPlan;
let cycleId: string;
let startedAt: number;
let tag: string;
let taskQueue: string;
let report: Promise<CycleReportSummary>;
let startedWhileRunning: Promise<StartCycleAnswer>;
const scripts = new Map<string, Promise<unknown>>();

const ROWS = [
  { key: 'onTime', content: '回迁安置1000户以上', units: ['按时局'] },
  { key: 'late', content: '新建口袋公园10个', units: ['逾期局'] },
  { key: 'returned', content: '改造老旧小区20个', units: ['退回局'] },
  { key: 'coLate', content: '新增公共停车泊位550个', units: ['牵头局', '配合局'] },
  { key: 'granted', content: '推进数字化改革', units: ['延期局'] },
  { key: 'refused', content: '推进垃圾分类', units: ['拒延局'] },
  { key: 'red', content: '新建停车泊位1000个', units: ['红灯局'] },
  { key: 'guarded', content: '建设人才公寓500套', units: ['守卫局', '旁观局'] },
] as const;
type Key = (typeof ROWS)[number]['key'];

const taskId = (key: Key) => plan.taskIds[ROWS.findIndex((r) => r.key === key)]!;
const unitId = (name: string) => plan.unitIds[name]!;
const handle = (key: Key) => client.workflow.getHandle(taskCycleWorkflowId(taskId(key), QUARTER, tag));
let days: RehearsalDays;
/** Waits for simulated working day `day` of the rehearsal, after its steps and digests. */
const onDay = (day: number) => days.onDay(day);
const reporter = (unit: string) => demoActor(dataSource, 'reporter', unitId(unit));

async function submit(key: Key, unit: string, narrative: string): Promise<UpdateAnswer> {
  return handle(key).executeUpdate(submitProgressUpdate, { args: [{ actor: await reporter(unit), narrative }] });
}
async function review(key: Key, decision: 'approve' | 'return', reason?: 'figures'): Promise<UpdateAnswer> {
  const actor = await demoActor(dataSource, 'supervisor');
  return handle(key).executeUpdate(reviewUpdate, { args: [{ actor, decision, reason, comment: '请核实数据' }] });
}
async function rejection(call: Promise<unknown>): Promise<string> {
  const error = await call.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(WorkflowUpdateFailedError);
  return ((error as WorkflowUpdateFailedError).cause as unknown as { type: string }).type;
}
async function finalView(key: Key): Promise<TaskCycleView & { timeline: TimelineEvent[] }> {
  await report;
  return getTaskCycle(dataSource, cycleId, taskId(key));
}
const kinds = (view: { timeline: TimelineEvent[] }) => view.timeline.map((e) => e.kind);
const script = (key: Key, run: () => Promise<unknown>) => scripts.set(key, days.script(run));

beforeAll(async () => {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  env = await TestWorkflowEnvironment.createFromExistingServer({ address: stack.temporalAddress });
  client = env.client;
  dataSource = createDataSource(stack.databaseUrl, 'duban-cycle-int-spec');
  await dataSource.initialize();
  mailer = new Mailer(stack.smtpUrl, '督办 Duban <duban@test.local>');
  plan = await importTestPlan(dataSource, 'cycle-int', ROWS);
  await dataSource.query(`UPDATE plan SET cycle_config = $2 WHERE id = $1`, [
    plan.planId,
    JSON.stringify({ closeAfterWorkingDays: CLOSE_AFTER }),
  ]);
  const created = await createTestWorker(env.nativeConnection, client, stack, dataSource, mailer);
  worker = created.worker;
  running = worker.run();
  tag = plan.suffix;
  cycleId = cycleWorkflowId(plan.planId, QUARTER, tag);
  taskQueue = created.taskQueue;
  const started = await startCycle(client, {
    planId: plan.planId,
    quarter: QUARTER,
    clock: { kind: 'rehearsal', daySeconds: DAY_MS / 1000, pace: 'manual' },
    taskQueue,
    rehearsalTag: tag,
  });
  expect(started).toEqual({ cycleId, started: true });
  days = new RehearsalDays(client, cycleId);
  const cycle = client.workflow.getHandle<typeof cycleWorkflow>(cycleId);
  report = cycle.result();
  // The rehearsal's day 0 is the instant the cycle workflow fixed; wait for every task-cycle's first event.
  for (;;) {
    const [row] = (await dataSource.query(
      `SELECT c.clock->>'startedAt' AS "startedAt", (SELECT count(*)::int FROM task_cycle t WHERE t.cycle_id = c.id) AS n
         FROM cycle c WHERE c.id = $1`,
      [cycleId],
    )) as { startedAt: string; n: number }[];
    if (row && row.n === ROWS.length) {
      startedAt = Date.parse(row.startedAt);
      break;
    }
    await sleepMs(100);
  }

  script('onTime', async () => {
    await onDay(5);
    await submit('onTime', '按时局', '已完成回迁安置800户，完成率80%');
    await onDay(6);
    return review('onTime', 'approve');
  });
  script('returned', async () => {
    await onDay(4);
    await submit('returned', '退回局', '已完工9个');
    await onDay(5);
    const returned = await review('returned', 'return', 'figures');
    await onDay(6);
    await submit('returned', '退回局', '已完工16个，施工中4个');
    await onDay(7);
    return { returned, approved: await review('returned', 'approve') };
  });
  script('late', async () => {
    // The 督办单 of day 20: the unit replies in writing the next day, the 督查室 accepts the reply.
    await onDay(21);
    const replied = await handle('late').executeUpdate(noticeUpdate, {
      args: [{ actor: await reporter('逾期局'), notice: 1, action: 'reply', text: '因项目选址调整逾期，本周内报送。' }],
    });
    const closed = await handle('late').executeUpdate(noticeUpdate, {
      args: [{ actor: await demoActor(dataSource, 'coordinator'), notice: 1, action: 'accept', text: '同意' }],
    });
    return { replied, closed };
  });
  script('coLate', async () => {
    // Input on day 17, two days late: the digests of days 16 and 17 reminded the co-unit (day 16's told the lead unit).
    await onDay(17);
    // Both at once: each stores a submission; they take effect one after the other, neither is lost.
    const coReporter = await reporter('配合局');
    await Promise.all([
      handle('coLate').executeUpdate(submitInputUpdate, {
        args: [{ actor: coReporter, unitId: unitId('配合局'), narrative: '已配合完成选址' }],
      }),
      submit('coLate', '牵头局', '已新增泊位430个'),
    ]);
    await onDay(18);
    return review('coLate', 'approve');
  });
  script('granted', async () => {
    await onDay(12);
    await handle('granted').executeUpdate(requestExtensionUpdate, {
      args: [{ actor: await reporter('延期局'), workingDays: 3, reason: '等待上级批复' }],
    });
    const decided = await handle('granted').executeUpdate(decideExtensionUpdate, {
      args: [{ actor: await demoActor(dataSource, 'coordinator'), grant: true, comment: '同意' }],
    });
    await onDay(19);
    await submit('granted', '延期局', '正常推进中');
    await onDay(20);
    return { decided, approved: await review('granted', 'approve') };
  });
  script('refused', async () => {
    await onDay(12);
    await handle('refused').executeUpdate(requestExtensionUpdate, {
      args: [{ actor: await reporter('拒延局'), workingDays: 2, reason: '人手不足' }],
    });
    return handle('refused').executeUpdate(decideExtensionUpdate, {
      args: [{ actor: await demoActor(dataSource, 'coordinator'), grant: false, comment: '请按期完成' }],
    });
  });
  script('red', async () => {
    await onDay(3);
    await submit('red', '红灯局', '已完成300个');
    await onDay(4);
    const approved = await review('red', 'approve');
    await onDay(6);
    const plan = await handle('red').executeUpdate(submitCatchUpPlanUpdate, {
      args: [{ actor: await reporter('红灯局'), plan: '增派施工力量，10月底前完成600个' }],
    });
    return { approved, plan };
  });
  script('guarded', async () => {
    await onDay(2);
    const h = handle('guarded');
    const before = await getTaskCycle(dataSource, cycleId, taskId('guarded'));
    const outsider = await reporter('旁观局');
    const supervisor = await demoActor(dataSource, 'supervisor');
    const codes = {
      wrongUnit: await rejection(
        h.executeUpdate(submitProgressUpdate, { args: [{ actor: outsider, narrative: '代报' }] }),
      ),
      wrongRole: await rejection(
        h.executeUpdate(submitProgressUpdate, { args: [{ actor: supervisor, narrative: 'x' }] }),
      ),
      wrongState: await rejection(
        h.executeUpdate(reviewUpdate, { args: [{ actor: supervisor, decision: 'approve' }] }),
      ),
      noReason: await rejection(
        h.executeUpdate(reviewUpdate, { args: [{ actor: supervisor, decision: 'return' }] as never }),
      ),
      emptyNarrative: await rejection(
        h.executeUpdate(submitProgressUpdate, { args: [{ actor: await reporter('守卫局'), narrative: '  ' }] }),
      ),
      forgedUnit: await rejection(
        h.executeUpdate(submitProgressUpdate, {
          args: [{ actor: { ...outsider, unitIds: [] } as Actor, narrative: '伪造' }],
        }),
      ),
    };
    const after = await getTaskCycle(dataSource, cycleId, taskId('guarded'));
    startedWhileRunning = startCycle(client, {
      planId: plan.planId,
      quarter: QUARTER,
      clock: { kind: 'rehearsal', daySeconds: 1 },
      taskQueue,
      rehearsalTag: tag,
    });
    return { codes, before, after };
  });
  // The days the scripts wait for, then the rest to the close (not awaited here: the tests await the report).
  void days.drive();
}, 60_000);

afterAll(async () => {
  await Promise.allSettled([...scripts.values(), report]);
  // The histories of every path, for the replay fixtures (npm run fixtures:histories).
  await saveHistories(client, {
    [`${HISTORY_VERSION}.cycle`]: cycleId,
    ...Object.fromEntries(
      ROWS.map((r) => [`${HISTORY_VERSION}.task-cycle.${r.key}`, taskCycleWorkflowId(taskId(r.key), QUARTER, tag)]),
    ),
  }).catch((error: unknown) => process.stderr.write(`histories not saved: ${String(error)}\n`));
  worker?.shutdown();
  await running;
  mailer?.close();
  await dataSource?.destroy();
  await env?.teardown();
});

describe('a 2020-Q3 rehearsal', () => {
  it('takes the on-time path: assigned, submitted, approved green, no reminder needed', async () => {
    const answer = (await scripts.get('onTime')) as UpdateAnswer;
    expect(answer.state).toMatchObject({ status: 'approved', light: 'green', completion: 80, returns: 0 });
    const view = await finalView('onTime');
    expect(kinds(view)).toEqual(['assigned', 'submitted', 'approved', 'closed']);
    expect(view).toMatchObject({ status: 'approved', light: 'green', reminders: 0, escalations: 0, daysLate: 0 });
    const mail = await mailTo(stack, demoAddress('reporter', unitId('按时局')));
    expect(mail.map((m) => m.subject)).toEqual([
      expect.stringContaining('1项任务将于10月14日截止填报'),
      '【督办】1项任务已审核通过',
    ]);
    // Not urgent: the approval, its light and the reviewer's comment come with the unit's next digest.
    expect(mail[1]!.text).toContain('已审核通过，绿灯');
    expect(mail[1]!.text).toContain('审核意见：请核实数据');
  });

  it('walks the late path through the whole ladder, each step mailed once', async () => {
    const view = await finalView('late');
    expect(kinds(view).filter((k) => k !== 'overdue')).toEqual([
      'assigned',
      'reminded',
      'reminded',
      'reminded',
      'leader_copied',
      'notice_issued',
      'notice_replied',
      'notice_closed',
      'closed',
    ]);
    expect(view.timeline.filter((e) => e.kind === 'overdue').map((e) => e.details.daysLate)).toEqual([1, 2, 3, 4, 5]);
    expect(view).toMatchObject({ status: 'overdue', daysLate: CLOSE_AFTER, escalations: 1, light: null });
    const reporterMail = await mailTo(stack, demoAddress('reporter', unitId('逾期局')));
    // assignment + 3 reminder digests + one digest per working day late, none on the closing day (reporting is over);
    // the 督办单 of the third day late heads that morning's digest, no mail of its own.
    expect(reporterMail).toHaveLength(1 + 3 + CLOSE_AFTER - 1);
    expect(new Set(reporterMail.map((m) => m.messageId)).size).toBe(reporterMail.length);
    const late = (n: number) => `【督办】1项任务已逾期（最长${n}个工作日），请尽快填报`;
    expect(reporterMail.slice(1).map((m) => m.subject)).toEqual([
      '【督办】1项任务将于10月14日截止填报',
      '【督办】1项任务将于10月14日截止填报',
      '【督办】1项任务将于10月14日截止填报',
      late(1),
      late(2),
      expect.stringMatching(
        new RegExp(`^【督办单】督办〔2020〕第\\d+号，请于10月\\d+日前书面反馈；${late(3).slice(4)}$`),
      ),
      late(4),
    ]);
    expect(reporterMail[4]!.text).toContain('10月14日截止，已逾期1个工作日');
    expect(reporterMail[3]!.text).toContain('今天（10月14日）截止');
    expect(reporterMail[6]!.text).toContain('督办要求：请立即报送本季度进展');
    const leaderMail = await mailTo(stack, demoAddress('leader', unitId('逾期局')));
    expect(leaderMail).toHaveLength(CLOSE_AFTER - 1); // copied from the first day late; the 督办单 in the third's
    expect(leaderMail.filter((m) => m.subject?.startsWith('【督办单】督办〔2020〕第'))).toHaveLength(1);
    expect(leaderMail.find((m) => m.subject?.startsWith('【督办单】'))!.text).toContain('分管领导请知悉并督促落实');
    const backupMail = await mailTo(stack, demoAddress('backup', unitId('逾期局')));
    expect(backupMail).toHaveLength(CLOSE_AFTER - 2); // told too from the second day late (the reporter has not acted)
    const [row] = await listNotices(dataSource, cycleId, { taskCycleId: view.id });
    expect(row).toMatchObject({
      state: 'closed',
      outcome: 'accepted',
      reply: '因项目选址调整逾期，本周内报送。',
      daysLate: 3,
    });
    expect(row!.number).toMatch(/^督办〔2020〕第\d+号$/);
    const coordinatorMail = await mailTo(stack, 'coordinator@demo.duban.local');
    expect(coordinatorMail.filter((m) => m.subject?.includes(`逾期局${plan.suffix}`))).toEqual([]);
    expect(coordinatorMail.some((m) => m.text?.includes(`逾期局${plan.suffix}`) && m.text.includes('督办单动态'))).toBe(
      true,
    );
  });

  it('returns a submission with a reason and a new deadline, then approves the resubmission', async () => {
    const { returned, approved } = (await scripts.get('returned')) as Record<string, UpdateAnswer>;
    expect(returned!.state).toMatchObject({ status: 'returned', returns: 1 });
    // Returned on day 5 (09-22): the unit keeps its own deadline, day 17 (10-14), not day 5 + 2 working days.
    expect(Date.parse(returned!.state.currentDeadlineAt)).toBeCloseTo(startedAt + 17 * DAY_MS, -3);
    expect(approved!.state).toMatchObject({ status: 'approved', light: 'green', completion: 80, submissions: 2 });
    const view = await finalView('returned');
    // resubmitted on day 6, long before any reminder of the kept deadline
    expect(kinds(view)).toEqual(['assigned', 'submitted', 'returned', 'submitted', 'approved', 'closed']);
    // Each on the simulated day it happened, whatever the wall clock said.
    expect(view.timeline.map((e) => e.day)).toEqual([
      '2020-09-15',
      '2020-09-21',
      '2020-09-22',
      '2020-09-23',
      '2020-09-24',
      '2020-09-24',
    ]);
    expect(view.timeline.every((e) => e.simulated)).toBe(true);
    expect(view.timeline[2]!.details).toMatchObject({ reason: 'figures', comment: '请核实数据' });
    const mail = await mailTo(stack, demoAddress('reporter', unitId('退回局')));
    const returnMail = mail.find((m) => m.subject?.includes('退回'))?.text;
    expect(returnMail).toContain('数据有误');
    expect(returnMail).toContain('10月14日');
    const versions = await dataSource.query(
      `SELECT version, narrative FROM submission WHERE task_id = $1 AND kind = 'progress' ORDER BY version`,
      [taskId('returned')],
    );
    expect(versions.map((v: any) => v.narrative)).toEqual(['已完工9个', '已完工16个，施工中4个']);
  });

  it('marks a co-unit late, tells the lead unit, and records the late input', async () => {
    await scripts.get('coLate');
    const view = await finalView('coLate');
    const coUnit = unitId('配合局');
    expect(view.timeline.find((e) => e.kind === 'input_late')).toMatchObject({ unit: `配合局${plan.suffix}` });
    expect(view.timeline.find((e) => e.kind === 'input_submitted')!.details).toMatchObject({ late: true });
    expect((view.coInputs as Record<string, string>)[coUnit]).toEqual(expect.any(String));
    // The two submissions sent together are both in the timeline, each under its own position.
    expect(kinds(view)).toEqual(expect.arrayContaining(['input_submitted', 'submitted', 'approved']));
    expect(new Set(view.timeline.map((e) => e.seq)).size).toBe(view.timeline.length);
    const leadMail = await mailTo(stack, demoAddress('reporter', unitId('牵头局')));
    expect(leadMail.filter((m) => m.subject?.includes('逾期'))).toHaveLength(1); // told once that the co-unit is late
    const coMail = await mailTo(stack, demoAddress('reporter', coUnit));
    expect(coMail.map((m) => m.subject)).toEqual([
      '【督办】1项任务将于10月12日截止填报',
      '【督办】1项任务将于10月12日截止提供配合意见',
      '【督办】1项任务将于10月12日截止提供配合意见',
      '【督办】1项任务将于10月12日截止提供配合意见',
      '【督办】1项任务已逾期（最长1个工作日），请尽快提供配合意见',
      // day 17's morning digest, before the unit gave its input later that day
      '【督办】1项任务已逾期（最长2个工作日），请尽快提供配合意见',
    ]);
    expect(view).toMatchObject({ status: 'approved', daysLate: 0 });
    // A co-unit's reporter sees the co-unit's own deadline, the one its emails name; the lead unit its own.
    const seenBy = (unit: string) =>
      getTaskCycle(dataSource, cycleId, taskId('coLate'), { unitIds: [unitId(unit)], categoryIds: [] });
    expect((await seenBy('配合局')).deadlineDate).toBe('2020-10-12');
    expect((await seenBy('牵头局')).deadlineDate).toBe('2020-10-14');
  });

  it('moves the timers when an extension is granted, and not when it is refused', async () => {
    const { decided } = (await scripts.get('granted')) as Record<string, UpdateAnswer>;
    expect(decided!.state.extension).toBe('granted');
    expect(Date.parse(decided!.state.currentDeadlineAt)).toBeCloseTo(startedAt + 20 * DAY_MS, -3);
    const granted = await finalView('granted');
    expect(kinds(granted)).not.toContain('overdue');
    expect(granted).toMatchObject({ status: 'approved', extension: 'granted', daysLate: 0 });
    await scripts.get('refused');
    const refused = await finalView('refused');
    expect(kinds(refused).slice(0, 3)).toEqual(['assigned', 'extension_requested', 'extension_refused']);
    expect(kinds(refused)).toContain('overdue');
    expect(refused).toMatchObject({ status: 'overdue', extension: 'refused' });
    expect(Date.parse(String(refused.currentDeadlineAt))).toBe(Date.parse(String(refused.leadDeadlineAt)));
  });

  it('escalates a red light and closes once the catch-up plan is in', async () => {
    const { approved, plan: answer } = (await scripts.get('red')) as Record<string, UpdateAnswer>;
    expect(approved!.state).toMatchObject({ light: 'red', completion: 30, catchUp: 'due' });
    expect(answer!.state.catchUp).toBe('submitted');
    const view = await finalView('red');
    expect(kinds(view)).toEqual([
      'assigned',
      'submitted',
      'approved',
      'escalated',
      'catch_up_requested',
      'reminded', // 3 working days before the catch-up deadline (approved day 4, due day 9)
      'catch_up_submitted',
      'closed',
    ]);
    expect(view.timeline.at(-1)!.details).toMatchObject({ early: true });
    // The 督查室 reads of the red light in its next digest, not in a mail of its own.
    const coordinatorMail = await mailTo(stack, 'coordinator@demo.duban.local');
    expect(coordinatorMail.filter((m) => m.subject?.includes(`红灯局${plan.suffix}`))).toEqual([]);
    const told = coordinatorMail.filter((m) => m.text?.includes(`红灯局${plan.suffix}`));
    expect(told).toHaveLength(1);
    expect(told[0]!.text).toContain('进度亮红灯');
  });

  it('rejects Updates from the wrong unit, role or state with a code, changing nothing', async () => {
    // (a return without a reason is malformed in any state; reviewing nothing is the wrong state)
    const { codes, before, after } = (await scripts.get('guarded')) as any;
    expect(codes).toEqual({
      wrongUnit: 'WRONG_UNIT',
      wrongRole: 'WRONG_ROLE',
      wrongState: 'WRONG_STATE',
      noReason: 'INVALID_INPUT',
      emptyNarrative: 'INVALID_INPUT',
      forgedUnit: 'WRONG_UNIT',
    });
    expect(after).toEqual(before);
  });

  it('starts once: a second start, while running or after the close, is a no-op and nothing is doubled', async () => {
    const again = await startCycle(client, {
      planId: plan.planId,
      quarter: QUARTER,
      clock: { kind: 'rehearsal', daySeconds: 1 },
      taskQueue,
      rehearsalTag: tag,
    });
    expect(again).toEqual({ cycleId, started: false });
    expect(await startedWhileRunning).toEqual({ cycleId, started: false });
    const summary = await report;
    expect(summary).toMatchObject({ tasks: ROWS.length });
    const [{ n }] = await dataSource.query(`SELECT count(*)::int AS n FROM task_cycle WHERE cycle_id = $1`, [cycleId]);
    expect(n).toBe(ROWS.length);
    const [{ status }] = await dataSource.query(`SELECT status FROM cycle WHERE id = $1`, [cycleId]);
    expect(status).toBe('closed');
    const ledger = await dataSource.query(
      `SELECT idempotency_key FROM notification WHERE cycle_id = $1 GROUP BY 1 HAVING count(*) > 1`,
      [cycleId],
    );
    expect(ledger).toEqual([]);
    // At most one reminder digest per person per working day, and every queued reminder in at most one of them.
    const twice = await dataSource.query(
      `SELECT recipient, working_day FROM notification WHERE cycle_id = $1 AND kind = 'digest' GROUP BY 1, 2 HAVING count(*) > 1`,
      [cycleId],
    );
    expect(twice).toEqual([]);
    const [{ digested, waiting }] = await dataSource.query(
      `SELECT count(*) FILTER (WHERE notification_id IS NOT NULL)::int AS digested,
              count(*) FILTER (WHERE notification_id IS NULL AND dropped_at IS NULL)::int AS waiting
         FROM mail_item WHERE cycle_id = $1`,
      [cycleId],
    );
    expect(digested).toBeGreaterThan(20);
    expect(waiting).toBe(0);
  });
});
