/**
 * 调整与销号 on a real API, worker, Temporal and PostgreSQL, in a rehearsal paced by hand: the lead unit asks
 * to adjust a task (approved: its next version, from the next cycle on, the quarter running keeps the one it
 * started with), to close one as done (办结销号, asked and approved in the browser, with evidence attached) and to
 * cancel one; bad requests are refused naming the field and store nothing. A task struck off while its quarter
 * runs gets no reminder, overdue step or 督办单 afterwards while a task beside it does, refuses reports, shows as
 * 已办结销号 in the quarterly report (a cancelled one leaves the table for a note) and is held by no cycle after.
 * Screenshots: .data/test/screenshots/task-change-*.png.
 */
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Client, Connection } from '@temporalio/client';
import type { Browser } from 'playwright-core';
import type { DataSource } from 'typeorm';
import { setPassword } from '#auth';
import { nextDayUpdate } from '#contracts';
import { startCycle } from '#cycles';
import { createDataSource } from '#persistence';
import type { ManagedProcess } from '../infra/dev/processes.js';
import { button, launchChromium, signIn } from './support/browser.js';
import { importTestPlan, type TestPlan } from './support/cycle-fixtures.js';
import { saveHistories } from './support/histories.js';
import {
  asTestAdmin,
  callAs,
  ONE_PIXEL_PNG,
  readTestStack,
  startWorkerAndApi,
  SUITE_TASK_QUEUE,
  testDataDir,
  uploadAs,
} from './support/test-stack.js';

const stack = readTestStack();
const logDir = mkdtempSync(join(tmpdir(), 'duban-task-changes-e2e-'));
const screenshots = join(testDataDir(), 'screenshots');
const PASSWORD = 'task change test password';
/** 2020-Q3's grid under the default ladder: the lead deadline is day 17, the third working day late day 20. */
const LATE_DAY = 20;
const PNG = ONE_PIXEL_PNG;
const processes: ManagedProcess[] = [];
let url: string;
let dataSource: DataSource;
let connection: Connection;
let client: Client;
let browser: Browser;
let plan: TestPlan;
let cycleId: string;
/** The workflows whose histories become replay fixtures (npm run fixtures:histories): r8, the first strike-off. */
const histories: Record<string, string> = {};

const reporterOf = (unit: string) => `reporter.${plan.unitIds[unit]!.slice(0, 8)}`;
const taskUrl = (taskId: string) => `/api/cycles/${encodeURIComponent(cycleId)}/tasks/${taskId}`;

beforeAll(async () => {
  mkdirSync(screenshots, { recursive: true });
  dataSource = createDataSource(stack.databaseUrl, 'duban-task-changes-e2e');
  await dataSource.initialize();
  const started = await startWorkerAndApi(logDir);
  processes.push(...started.processes);
  url = started.url;
  plan = await importTestPlan(dataSource, 'changes', [
    { content: '新建学校2所', units: ['变更甲局'] },
    { content: '新建公园1个', units: ['变更甲局'] },
    { content: '改造农贸市场5个', units: ['变更乙局'] },
    { content: '建设停车场2处', units: ['变更乙局'] },
  ]);
  connection = await Connection.connect({ address: stack.temporalAddress });
  client = new Client({ connection });
  ({ cycleId } = await startCycle(client, {
    planId: plan.planId,
    quarter: '2020Q3',
    clock: { kind: 'rehearsal', daySeconds: 1, pace: 'manual' },
    taskQueue: SUITE_TASK_QUEUE,
    rehearsalTag: plan.suffix,
  }));
  // The quarter opens and runs to day 5, before any reminder; the cycle's start gave the units their demo people.
  await client.workflow.getHandle(cycleId).executeUpdate(nextDayUpdate, { args: [{ through: 5 }] });
  for (const login of [reporterOf('变更甲局'), 'coordinator']) await setPassword(dataSource, login, PASSWORD);
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  if (Object.keys(histories).length > 0) {
    await saveHistories(client, histories).catch((error: unknown) =>
      process.stderr.write(`histories not saved: ${String(error)}\n`),
    );
  }
  await connection?.close();
  await Promise.all(processes.map((p) => p.stop(20_000)));
  await dataSource?.destroy();
});

function as(login: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  return callAs(url, login, path, body);
}

function attach(login: string, requestId: string, name: string, bytes: Buffer) {
  return uploadAs(url, login, `/api/task-changes/${requestId}/files?name=${encodeURIComponent(name)}`, bytes);
}

async function requestCount(): Promise<number> {
  const [{ n }] = (await dataSource.query(
    `SELECT count(*)::int AS n FROM task_change_request WHERE task_id = ANY($1::uuid[])`,
    [plan.taskIds],
  )) as { n: number }[];
  return n;
}

describe('调整与销号 (adjusting, closing and cancelling tasks)', () => {
  it('refuses what is not the lead unit’s to ask, or asked badly, and keeps nothing', async () => {
    const [school] = plan.taskIds as [string];
    const changes = `/api/tasks/${school}/changes`;
    const foreign = await as(reporterOf('变更乙局'), changes, { kind: 'close', reason: '已完成' });
    expect([foreign.status, foreign.body.code]).toEqual([403, 'WRONG_UNIT']);
    expect((await as('coordinator', changes, { kind: 'close', reason: '已完成' })).status).toBe(403);
    const mine = reporterOf('变更甲局');
    for (const [body, field] of [
      [{ kind: 'close', reason: '  ' }, 'reason'],
      [{ kind: 'adjust', reason: '资金调整' }, 'content'],
      [{ kind: 'adjust', reason: '资金调整', content: '新建学校2所' }, 'content'],
      [{ kind: 'shelve', reason: '资金调整' }, 'kind'],
      [{ kind: 'adjust', reason: '资金调整', content: 'a\u0000b' }, 'content'],
    ] as const) {
      const refused = await as(mine, changes, body);
      expect([refused.status, refused.body.code]).toEqual([422, 'INVALID_INPUT']);
      expect(JSON.stringify(refused.body)).toContain(field);
    }
    // Another unit's staff do not read the task's requests.
    expect((await as(reporterOf('变更乙局'), changes)).status).toBe(403);
    expect(await requestCount()).toBe(0);
  });

  it('adjusts a target and the deadline by approval: the next version, from the next cycle on', async () => {
    const [school] = plan.taskIds as [string];
    const mine = reporterOf('变更甲局');
    const asked = await as(mine, `/api/tasks/${school}/changes`, {
      kind: 'adjust',
      reason: '上级追加专项资金，增建1所',
      content: '新建学校3所',
      deadline: '2021年6月底前',
    });
    expect(asked.status).toBe(201);
    expect(asked.body).toMatchObject({
      kind: 'adjust',
      state: 'requested',
      content: '新建学校3所',
      unit: '变更甲局' + plan.suffix,
    });
    // Evidence: a photo is kept; text named .pdf is refused by its content, not believed by its name.
    expect((await attach(mine, asked.body.id, '批复.png', PNG)).status).toBe(201);
    const fake = await attach(mine, asked.body.id, '批复.pdf', Buffer.from('not a pdf at all'));
    expect([fake.status, fake.body.code]).toEqual([415, 'EVIDENCE_TYPE_NOT_ALLOWED']);
    // Someone else's unit may not attach to it.
    expect((await attach(reporterOf('变更乙局'), asked.body.id, 'x.png', PNG)).status).toBe(403);

    const decision = `/api/task-changes/${asked.body.id}/decision`;
    const bare = await as('coordinator', decision, { approve: false });
    expect([bare.status, bare.body.code]).toEqual([422, 'INVALID_INPUT']);
    expect((await as(mine, decision, { approve: true })).status).toBe(403);
    const waiting = (await as('coordinator', '/api/task-changes')).body as any[];
    expect(waiting.find((r) => r.id === asked.body.id)?.files.map((f: any) => [f.fileName, f.mediaType])).toEqual([
      ['批复.png', 'image/png'],
    ]);
    const approved = await as('coordinator', decision, { approve: true, comment: '同意调整' });
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ state: 'approved', decidedBy: 'coordinator', version: 2 });
    const [current] = (await dataSource.query(
      `SELECT v.version, v.content, v.deadline,
              (SELECT value::float8 FROM target g WHERE g.task_version_id = v.id ORDER BY position LIMIT 1) AS target
         FROM current_task_version v WHERE v.task_id = $1`,
      [school],
    )) as { version: number; content: string; deadline: string; target: number }[];
    expect(current).toEqual({ version: 2, content: '新建学校3所', deadline: '2021年6月底前', target: 3 });
    // The quarter running keeps the version it started with.
    const workspace = (await as(mine, `${taskUrl(school)}/workspace`)).body;
    expect(workspace.targets.map((t: any) => t.value)).toEqual([2]);
    // Decided once; audited, with the correction.
    const again = await as('coordinator', decision, { approve: true });
    expect([again.status, again.body.code]).toEqual([409, 'WRONG_STATE']);
    const audited = (await dataSource.query(`SELECT action FROM audit_event WHERE subject = $1 ORDER BY id`, [
      `task:${school}`,
    ])) as { action: string }[];
    expect(audited.map((a) => a.action)).toEqual([
      'task_change.requested',
      'task_change.file_attached',
      'task.edited',
      'task_change.approved',
    ]);
  }, 60_000);

  it('closes a task as done (asked and approved in the browser) and cancels another: no reminder follows', async () => {
    const [, park, market, parking] = plan.taskIds as [string, string, string, string];
    const reporterContext = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'zh-CN' });
    const reporter = await signIn(reporterContext, url, reporterOf('变更甲局'), PASSWORD);
    await reporter.goto(`${url}/#/tasks/${encodeURIComponent(cycleId)}/${park}`);
    const card = reporter.getByTestId('task-change');
    await card.getByRole('radio', { name: '办结销号' }).check();
    await card.getByRole('textbox', { name: '理由' }).fill('公园已于8月建成开放，全年任务提前完成');
    await button(card, '提交督查室审核').click();
    await card.getByTestId('task-change-state').getByText('待督查室审核').waitFor();
    await card
      .getByTestId('task-change-attach')
      .locator('input[type=file]')
      .setInputFiles({ name: '竣工验收.png', mimeType: 'image/png', buffer: PNG });
    await card.getByTestId('task-change-files').getByText('竣工验收.png').waitFor();
    await reporter.screenshot({ path: join(screenshots, 'task-change-request.png'), fullPage: true });

    const coordinatorContext = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'zh-CN' });
    const coordinator = await signIn(coordinatorContext, url, 'coordinator', PASSWORD);
    await coordinator.goto(`${url}/#/plans`);
    await coordinator.getByRole('tab', { name: '调整与销号审核' }).click();
    const row = coordinator.getByTestId('task-change-review').getByRole('row', { name: /新建公园1个/ });
    await row.getByText('公园已于8月建成开放').waitFor();
    await row.getByText('竣工验收.png').waitFor();
    await coordinator.screenshot({ path: join(screenshots, 'task-change-review.png'), fullPage: true });
    await button(row, '同意').click();
    await coordinator.getByText('已同意', { exact: true }).first().waitFor();
    await row.waitFor({ state: 'detached' });

    // The task-cycle was told at once: struck off, with who approved it; nothing more is taken.
    const detail = (await as('coordinator', taskUrl(park))).body;
    expect(detail.status).toBe('struck_off');
    expect(
      detail.timeline.filter((e: any) => e.kind === 'struck_off').map((e: any) => [e.actorId, e.details.as]),
    ).toEqual([['coordinator', 'closed']]);
    const late = await as(reporterOf('变更甲局'), `${taskUrl(park)}/progress`, { narrative: '已建成公园1个。' });
    expect([late.status, late.body.code]).toEqual([409, 'WRONG_STATE']);
    const split = await as(reporterOf('变更甲局'), `/api/tasks/${park}/milestones`, {
      milestones: [{ quarter: 4, text: '完成绿化' }],
    });
    expect([split.status, split.body.code]).toEqual([409, 'WRONG_STATE']);
    await reporter.reload();
    await reporter.getByTestId('task-struck-off').getByText('此任务已办结销号').waitFor();
    await reporter.getByTestId('struck-off').getByText('办结销号：公园已于8月建成开放，全年任务提前完成').waitFor();
    await reporter.screenshot({ path: join(screenshots, 'task-change-closed.png'), fullPage: true });
    await Promise.all([reporterContext.close(), coordinatorContext.close()]);

    // The market is cancelled through the API.
    const cancel = await as(reporterOf('变更乙局'), `/api/tasks/${market}/changes`, {
      kind: 'cancel',
      reason: '地块规划调整，项目不再实施',
    });
    expect(cancel.status).toBe(201);
    expect((await as('coordinator', `/api/task-changes/${cancel.body.id}/decision`, { approve: true })).status).toBe(
      200,
    );
    // Struck off: no second request.
    const twice = await as(reporterOf('变更乙局'), `/api/tasks/${market}/changes`, { kind: 'close', reason: 'x' });
    expect([twice.status, twice.body.code]).toEqual([409, 'WRONG_STATE']);

    // The quarter runs on to the third working day late: the parking task is reminded, copied and given a
    // 督办单; the two struck off get nothing after their strike-off.
    await client.workflow.getHandle(cycleId).executeUpdate(nextDayUpdate, { args: [{ through: LATE_DAY }] });
    const steps = (await dataSource.query(
      `SELECT tc.task_id AS "taskId", m.step FROM mail_item m JOIN task_cycle tc ON tc.id = m.task_cycle_id
        WHERE tc.cycle_id = $1 AND m.step LIKE 'lead:%' ORDER BY m.step`,
      [cycleId],
    )) as { taskId: string; step: string }[];
    const stepsOf = (taskId: string) => [...new Set(steps.filter((s) => s.taskId === taskId).map((s) => s.step))];
    expect(stepsOf(parking)).toEqual(expect.arrayContaining(['lead:remind:3', 'lead:overdue:1', 'lead:overdue:3']));
    expect(stepsOf(park)).toEqual([]);
    expect(stepsOf(market)).toEqual([]);
    const notices = (await dataSource.query(
      `SELECT tc.task_id AS "taskId" FROM supervision_notice n JOIN task_cycle tc ON tc.id = n.task_cycle_id
        WHERE n.cycle_id = $1`,
      [cycleId],
    )) as { taskId: string }[];
    expect(notices.map((n) => n.taskId)).toContain(parking);
    expect(notices.map((n) => n.taskId)).not.toContain(park);
    expect(notices.map((n) => n.taskId)).not.toContain(market);
    const [parkCycle] = (await dataSource.query(`SELECT id FROM task_cycle WHERE cycle_id = $1 AND task_id = $2`, [
      cycleId,
      park,
    ])) as { id: string }[];
    histories['r8.task-change.struck-off'] = parkCycle!.id;

    // The 督查室's dashboard counts the two apart from the tasks not yet judged.
    const dashboard = (await as('coordinator', `/api/cycles/${encodeURIComponent(cycleId)}/dashboard`)).body;
    expect(dashboard.totals).toMatchObject({ total: 4, struckOff: 2, none: 2 });

    // The quarterly report: the closed task says so, the cancelled one leaves the table for a note.
    const report = await fetch(`${url}/api/cycles/${encodeURIComponent(cycleId)}/report?format=text`, asTestAdmin());
    const text = await report.text();
    expect(text).toContain('已办结销号1项');
    expect(text).toContain(
      '另有1项任务经批准取消，不再列入本表：第3项“改造农贸市场5个”（地块规划调整，项目不再实施）。',
    );
    expect(text.split('改造农贸市场5个')).toHaveLength(2);
    expect(text).toMatch(/新建公园1个\n\n变更甲局\S*\n\n已办结销号/);
  }, 180_000);

  it('holds no task struck off in a cycle started afterwards', async () => {
    const { cycleId: q4 } = await startCycle(client, {
      planId: plan.planId,
      quarter: '2020Q4',
      clock: { kind: 'rehearsal', daySeconds: 1, pace: 'manual' },
      taskQueue: SUITE_TASK_QUEUE,
      rehearsalTag: `${plan.suffix}q4`,
    });
    const [school, , , parking] = plan.taskIds as [string, string, string, string];
    let cycle: { n: number } | undefined;
    for (let i = 0; i < 300 && !cycle; i += 1) {
      [cycle] = (await dataSource.query(`SELECT task_count AS n FROM cycle WHERE id = $1`, [q4])) as { n: number }[];
      if (!cycle) await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(cycle?.n).toBe(2);
    let held: string[] = [];
    for (let i = 0; i < 300 && held.length < 2; i += 1) {
      held = (
        (await dataSource.query(`SELECT task_id AS id FROM task_cycle WHERE cycle_id = $1 ORDER BY ordinal`, [q4])) as {
          id: string;
        }[]
      ).map((r) => r.id);
      if (held.length < 2) await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(held).toEqual([school, parking]);
    // The adjusted task starts on its new version.
    const workspace = (
      await as(reporterOf('变更甲局'), `/api/cycles/${encodeURIComponent(q4)}/tasks/${school}/workspace`)
    ).body;
    expect(workspace.targets.map((t: any) => t.value)).toEqual([3]);
  }, 120_000);
});
