/**
 * Milestones (节点) on a real stack: a plan table with quarter columns is imported through the API (the
 * dry run shows each task's milestones with their period and expectation), a quarter's task-cycle takes
 * its task's milestone, and on approval the light follows it instead of the default curve: 400 of 1000户
 * in Q3 is green against a 40% milestone, and red for a task without one (75% expected). The reporter's
 * page shows the quarter's milestone. A lead unit proposes its task's milestones in the browser (任务分解),
 * the 督查室 approves them on the 计划 page, and the next quarter's light follows them while the quarter
 * already running keeps what it started with; the table imported again keeps them. Screenshots: .data/test/screenshots/milestone-*.png.
 */
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser } from 'playwright-core';
import type { DataSource } from 'typeorm';
import { setPassword } from '#auth';
import { createDataSource } from '#persistence';
import type { ManagedProcess } from '../infra/dev/processes.js';
import { button, launchChromium, signIn } from './support/browser.js';
import {
  asTestAdmin,
  readTestStack,
  startQuietRehearsal,
  startWorkerAndApi,
  testDataDir,
  callAs,
} from './support/test-stack.js';

const stack = readTestStack();
const logDir = mkdtempSync(join(tmpdir(), 'duban-milestones-e2e-'));
const screenshots = join(testDataDir(), 'screenshots');
const PASSWORD = 'milestone test password';
const suffix = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 5)}`;
const planName = `节点-${suffix}`;
const LEAD = `节点局${suffix}`;
const OTHER = `节点乙局${suffix}`;
const CSV = [
  '序号,主要任务,责任单位,一季度,二季度,三季度,四季度',
  `1,回迁安置1000户以上,${LEAD},/,回迁安置200户,回迁安置400户,回迁安置1000户`,
  `2,新建安置房1000套以上,${LEAD},,,,`,
  `3,新建学校1所,${LEAD},完成选址,6月底前开工,9月底前主体结顶,完成总工程量的100%`,
  `4,新建公园2个,${OTHER},,,,`,
].join('\n');
const processes: ManagedProcess[] = [];
let url: string;
let dataSource: DataSource;
let browser: Browser;
/** Set by the first test: the flats task (no milestones in the table) and its lead unit's reporter. */
let flatsTask = '';
let reporterLogin = '';

beforeAll(async () => {
  mkdirSync(screenshots, { recursive: true });
  dataSource = createDataSource(stack.databaseUrl, 'duban-milestones-e2e');
  await dataSource.initialize();
  const started = await startWorkerAndApi(logDir);
  processes.push(...started.processes);
  url = started.url;
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await Promise.all(processes.map((p) => p.stop(20_000)));
  await dataSource?.destroy();
});

async function importPlan(fields: Record<string, string>): Promise<{ status: number; body: any }> {
  const form = new FormData();
  form.append('file', new Blob([CSV]), `${planName}.csv`);
  for (const [k, v] of Object.entries({ plan: planName, quarter: '2020Q3', acceptWarnings: 'true', ...fields })) {
    form.append(k, v);
  }
  const response = await fetch(`${url}/api/plans/import`, asTestAdmin({ method: 'POST', body: form }));
  return { status: response.status, body: await response.json() };
}

function as(login: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  return callAs(url, login, path, body);
}

describe('milestones (节点)', () => {
  it('imports a plan’s quarter columns as milestones, and judges the quarter’s light by its milestone', async () => {
    // The dry run shows each task's milestones, and the light its imported figures would give by them.
    const preview = await importPlan({ dryRun: 'true' });
    expect(preview.status).toBe(200);
    expect(preview.body.tasks.map((t: any) => t.milestones)).toEqual([
      [
        { quarter: 2, text: '回迁安置200户', expected: 20 },
        { quarter: 3, text: '回迁安置400户', expected: 40 },
        { quarter: 4, text: '回迁安置1000户', expected: 100 },
      ],
      [],
      [
        { quarter: 1, text: '完成选址', expected: null },
        { quarter: 2, text: '6月底前开工', expected: null },
        { quarter: 3, text: '9月底前主体结顶', expected: null },
        { quarter: 4, text: '完成总工程量的100%', expected: 100 },
      ],
      [],
    ]);
    const stored = await importPlan({});
    expect(stored.status).toBe(200);
    const tasks = (await dataSource.query(
      `SELECT t.id FROM task t JOIN plan p ON p.id = t.plan_id WHERE p.name = $1 ORDER BY t.ordinal`,
      [planName],
    )) as { id: string }[];
    const [housing, flats, school] = tasks.map((t) => t.id) as [string, string, string];
    const [unit] = (await dataSource.query(`SELECT id FROM unit WHERE name = $1`, [LEAD])) as { id: string }[];
    const reporter = `reporter.${unit!.id.slice(0, 8)}`;
    flatsTask = flats;
    reporterLogin = reporter;

    const cycleId = await startQuietRehearsal(url, planName, school);
    const task = (id: string) => `/api/cycles/${encodeURIComponent(cycleId)}/tasks/${id}`;
    // The same share done: 40% against the housing task's 40% milestone; against the default 75% for the flats.
    expect(
      (await as(reporter, `${task(housing)}/progress`, { narrative: '已回迁安置400户。', figures: { '0': 400 } }))
        .status,
    ).toBe(200);
    expect(
      (await as(reporter, `${task(flats)}/progress`, { narrative: '已建成安置房400套。', figures: { '0': 400 } }))
        .status,
    ).toBe(200);
    for (const id of [housing, flats]) {
      expect((await as('supervisor', `${task(id)}/review`, { decision: 'approve' })).status).toBe(200);
    }
    const housingAfter = (await as('supervisor', task(housing))).body;
    const flatsAfter = (await as('supervisor', task(flats))).body;
    expect([housingAfter.light, housingAfter.expected]).toEqual(['green', 40]);
    expect([flatsAfter.light, flatsAfter.expected]).toEqual(['red', 75]);

    // The workspace names the quarter's milestone; a node in words expects nothing in numbers.
    expect((await as(reporter, `${task(housing)}/workspace`)).body.milestone).toEqual({
      quarter: 3,
      text: '回迁安置400户',
      expected: 40,
    });
    expect((await as(reporter, `${task(school)}/workspace`)).body.milestone).toEqual({
      quarter: 3,
      text: '9月底前主体结顶',
      expected: null,
    });
    expect((await as(reporter, `${task(flats)}/workspace`)).body.milestone).toBeNull();

    // The reporter sees it on the task's page, beside the green light.
    await setPassword(dataSource, reporter, PASSWORD);
    const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'zh-CN' });
    const page = await signIn(context, url, reporter, PASSWORD);
    await page.goto(`${url}/#/tasks/${encodeURIComponent(cycleId)}/${housing}`);
    await page.getByTestId('milestone').getByText('回迁安置400户（应达进度 40%）').waitFor();
    await page.getByText('绿灯').first().waitFor();
    // The light's reason in the reader's language only (it is stored in both).
    await page.getByTestId('light-reason').getByText('完成 40%，应达 40%', { exact: true }).waitFor();
    await page.screenshot({ path: join(screenshots, 'milestone-task.png'), fullPage: true });
    // In English: the other side of the reason, and remarks in half-width brackets.
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByTestId('light-reason').getByText('40% of 40% expected', { exact: true }).waitFor();
    await page.getByTestId('milestone').getByText('回迁安置400户 (expected 40%)', { exact: true }).waitFor();
    await context.close();
  }, 120_000);

  it('takes the lead unit’s 任务分解 to the 督查室, and judges the next quarter by the milestones approved', async () => {
    const milestonesUrl = `/api/tasks/${flatsTask}/milestones`;
    // Through the API: someone else's unit may not propose; a refusal needs a reason.
    const [other] = (await dataSource.query(`SELECT id FROM unit WHERE name = $1`, [OTHER])) as { id: string }[];
    const foreign = await as(`reporter.${other!.id.slice(0, 8)}`, milestonesUrl, {
      milestones: [{ quarter: 4, text: '建成安置房500套' }],
    });
    expect([foreign.status, foreign.body.code]).toEqual([403, 'WRONG_UNIT']);
    const twice = await as(reporterLogin, milestonesUrl, {
      milestones: [
        { quarter: 4, text: '建成安置房500套' },
        { quarter: 4, text: '建成安置房600套' },
      ],
    });
    expect([twice.status, twice.body.code]).toEqual([422, 'INVALID_INPUT']);

    // In the browser: the lead unit proposes Q3 and Q4 on its task's page.
    await setPassword(dataSource, 'coordinator', PASSWORD);
    const reporterContext = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'zh-CN' });
    const reporter = await signIn(reporterContext, url, reporterLogin, PASSWORD);
    const [cycle] = (await dataSource.query(
      `SELECT c.id FROM cycle c JOIN plan p ON p.id = c.plan_id WHERE p.name = $1`,
      [planName],
    )) as { id: string }[];
    await reporter.goto(`${url}/#/tasks/${encodeURIComponent(cycle!.id)}/${flatsTask}`);
    const card = reporter.getByTestId('milestone-plan');
    await card.getByRole('textbox', { name: '三季度' }).fill('建成安置房300套');
    await card.getByRole('textbox', { name: '四季度' }).fill('建成安置房500套');
    await button(card, '提交督查室审核').click();
    await card.getByTestId('milestone-proposal-state').getByText('待督查室审核').waitFor();
    await reporter.screenshot({ path: join(screenshots, 'milestone-proposal.png'), fullPage: true });

    // The 督查室 approves it on the 计划 page.
    const coordinatorContext = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'zh-CN' });
    const coordinator = await signIn(coordinatorContext, url, 'coordinator', PASSWORD);
    await coordinator.goto(`${url}/#/plans`);
    await coordinator.getByRole('tab', { name: '任务分解审核' }).click();
    const row = coordinator.getByTestId('milestone-review').getByRole('row', { name: /新建安置房1000套以上/ });
    await row.getByText('四季度：建成安置房500套（应达进度 50%）').waitFor();
    await coordinator.screenshot({ path: join(screenshots, 'milestone-review.png'), fullPage: true });
    await button(row, '同意').click();
    await coordinator.getByText('已同意：下一季度起按节点评价').waitFor();
    await Promise.all([reporterContext.close(), coordinatorContext.close()]);

    // The task's next version carries them; the quarter already running keeps what it started with.
    const after = (await as(reporterLogin, milestonesUrl)).body;
    expect(after.current).toEqual([
      { quarter: 3, text: '建成安置房300套', expected: 30 },
      { quarter: 4, text: '建成安置房500套', expected: 50 },
    ]);
    expect(after.proposal).toMatchObject({ state: 'approved', decidedBy: 'coordinator', version: 2 });
    expect(
      (await as(reporterLogin, `/api/cycles/${encodeURIComponent(cycle!.id)}/tasks/${flatsTask}/workspace`)).body
        .milestone,
    ).toBeNull();
    // The same table imported again (no quarter columns for this task) keeps the milestones approved, and
    // changes no task: each is as it was.
    const reimported = await importPlan({});
    expect(reimported.body.stored.tasks).toMatchObject({ created: 0, newVersion: 0, unchanged: 4 });
    expect((await as(reporterLogin, milestonesUrl)).body.current).toEqual(after.current);
    // Decided once: a second decision is refused.
    const again = await as('coordinator', `/api/milestone-proposals/${after.proposal.id}/decision`, { approve: false });
    expect([again.status, again.body.code]).toEqual([422, 'INVALID_INPUT']);
    const late = await as('coordinator', `/api/milestone-proposals/${after.proposal.id}/decision`, {
      approve: false,
      comment: '再议',
    });
    expect([late.status, late.body.code]).toEqual([409, 'WRONG_STATE']);

    // The next quarter: 500 of 1000套 is green against its 50% milestone (the default curve expects 100).
    const started = await fetch(
      `${url}/api/cycles`,
      asTestAdmin({
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ plan: planName, quarter: '2020Q4', rehearsal: { daySeconds: 600 } }),
      }),
    );
    const { cycleId: q4 } = (await started.json()) as { cycleId: string };
    const q4Task = `/api/cycles/${encodeURIComponent(q4)}/tasks/${flatsTask}`;
    for (let i = 0; i < 150 && (await fetch(`${url}${q4Task}`, asTestAdmin())).status !== 200; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect((await as(reporterLogin, `${q4Task}/workspace`)).body.milestone).toEqual({
      quarter: 4,
      text: '建成安置房500套',
      expected: 50,
    });
    expect(
      (await as(reporterLogin, `${q4Task}/progress`, { narrative: '已建成安置房500套。', figures: { '0': 500 } }))
        .status,
    ).toBe(200);
    expect((await as('supervisor', `${q4Task}/review`, { decision: 'approve' })).status).toBe(200);
    const judged = (await as('supervisor', q4Task)).body;
    expect([judged.light, judged.expected]).toEqual(['green', 50]);
  }, 180_000);
});
