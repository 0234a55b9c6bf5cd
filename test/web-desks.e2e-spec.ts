/**
 * The reporter's desk (我的任务) and the review desk (审核) in a real browser
 * (Debian's Chromium through playwright-core) against the running API and
 * worker. On a phone (390×844) a reporter whose unit leads one task and
 * co-operates on another sees them apart, the co-operated one with the
 * co-units' own deadline, a co-unit form so labelled, figures asked for as
 * cumulative to the quarter's end, and nothing wider than the screen. The
 * supervisor opens a resubmitted report and sees each target against its
 * figure, last quarter's approved progress, the co-unit's input and a word
 * diff (a changed figure struck whole), and approves only once confirmed;
 * the approval's comment is in the timeline. A report whose figures do not
 * hold together (已完成 at 61.7%, a stated rate the figures do not give, a
 * year-so-far figure below last quarter's approved one) is noted to the
 * reporter while typing, still sent, and noted on the review desk. Screenshots go to
 * .data/test/screenshots (desks-*.png).
 */
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';
import type { DataSource } from 'typeorm';
import { setPassword } from '#auth';
import { createDataSource } from '#persistence';
import type { ManagedProcess } from '../infra/dev/processes.js';
import { button, clickForAnswer, launchChromium } from './support/browser.js';
import { importTestPlan, type TestPlan } from './support/cycle-fixtures.js';
import {
  asTestAdmin,
  readTestStack,
  startQuietRehearsal,
  startWorkerAndApi,
  testDataDir,
} from './support/test-stack.js';

const stack = readTestStack();
const logDir = mkdtempSync(join(tmpdir(), 'duban-desks-e2e-'));
const screenshots = join(testDataDir(), 'screenshots');
const PASSWORD = 'desks test password';
const PHONE = { width: 390, height: 844 };
const processes: ManagedProcess[] = [];
let url: string;
let dataSource: DataSource;
let plan: TestPlan;
let cycleId: string;
let browser: Browser;
const pages = new Map<string, Page>();
/** The deadline the co-unit's reporter saw for the task it co-operates on (compared with the lead unit's). */
let coDeadlineSeen = '';

const reporterOf = (unit: string) => `reporter.${plan.unitIds[unit]!.slice(0, 8)}`;
const taskPath = (task: string) => `#/tasks/${encodeURIComponent(cycleId)}/${task}`;

beforeAll(async () => {
  mkdirSync(screenshots, { recursive: true });
  dataSource = createDataSource(stack.databaseUrl, 'duban-desks-e2e');
  await dataSource.initialize();
  const started = await startWorkerAndApi(logDir);
  processes.push(...started.processes);
  url = started.url;
  // 桌面局 leads the kindergartens with 协作局 co-operating; 协作局 leads the roads.
  plan = await importTestPlan(dataSource, 'desks', [
    { content: '新建幼儿园3所', units: ['桌面局', '协作局'] },
    { content: '新建配套道路94条以上', units: ['协作局'] },
  ]);
  // Last quarter's progress as a published table gave it (approved by publication).
  await dataSource.query(
    `INSERT INTO submission (task_id, quarter, unit_id, version, source, kind, narrative, declared_state, figures)
     VALUES ($1, '2020Q2', $2, 1, 'import', 'progress', '二季度已建成幼儿园1所。', 'on_track', '{"0": 1}')`,
    [plan.taskIds[0], plan.unitIds['桌面局']],
  );
  await dataSource.query(
    `INSERT INTO submission (task_id, quarter, unit_id, version, source, kind, narrative, declared_state, figures)
     VALUES ($1, '2020Q2', $2, 1, 'import', 'progress', '二季度已建成配套道路60条。', 'on_track', '{"0": 60}')`,
    [plan.taskIds[1], plan.unitIds['协作局']],
  );
  cycleId = await startQuietRehearsal(url, plan.planName, plan.taskIds[1]!);
  for (const login of [reporterOf('桌面局'), reporterOf('协作局'), 'supervisor']) {
    await setPassword(dataSource, login, PASSWORD);
  }
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await Promise.all(processes.map((p) => p.stop(20_000)));
  await dataSource?.destroy();
});

/** One browser context per person, signed in once through the sign-in page. */
async function pageOf(login: string, viewport = { width: 1366, height: 768 }): Promise<Page> {
  const known = pages.get(login);
  if (known) return known;
  const context = await browser.newContext({ viewport, locale: 'zh-CN' });
  const page = await context.newPage();
  await page.goto(url);
  await page.getByLabel('用户名或邮箱').fill(login);
  await page.getByLabel('密码').fill(PASSWORD);
  await button(page, '登录').click();
  await page.getByTestId('signed-in-as').waitFor();
  pages.set(login, page);
  return page;
}

async function open(page: Page, hash: string): Promise<void> {
  const target = `${url}/${hash}`;
  if (page.url() === target) await page.reload();
  else await page.goto(target);
}

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(screenshots, `desks-${name}.png`), fullPage: true });
}

/** How far the page is wider than the window, in CSS pixels (0: nothing to scroll sideways). */
function sidewaysOverflow(page: Page): Promise<number> {
  return page.evaluate(() => {
    const g = globalThis as unknown as { document: { scrollingElement: { scrollWidth: number } }; innerWidth: number };
    return g.document.scrollingElement.scrollWidth - g.innerWidth;
  });
}

async function statusOf(task: string): Promise<Record<string, unknown>> {
  const response = await fetch(`${url}/api/cycles/${encodeURIComponent(cycleId)}/tasks/${task}`, asTestAdmin());
  return (await response.json()) as Record<string, unknown>;
}

/** Waits up to a minute for the task's state (read as any other page reads it) to be `status`. */
async function untilStatus(task: string, status: string): Promise<Record<string, unknown>> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const state = await statusOf(task);
    if (state.status === status) return state;
    if (Date.now() > deadline) throw new Error(`task ${task} never became ${status} (is ${String(state.status)})`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('the reporter’s and the supervisor’s desks', () => {
  it('shows a phone the tasks led apart from those co-operated on, with nothing to scroll sideways', async () => {
    const [kindergartens, roads] = plan.taskIds as [string, string];
    const phone = await pageOf(reporterOf('协作局'), PHONE);
    await open(phone, '#/tasks');
    const led = phone.getByTestId('my-tasks');
    const coOperated = phone.getByTestId('co-tasks');
    await led.getByRole('link', { name: /新建配套道路94条以上/ }).waitFor();
    await coOperated.getByRole('link', { name: /新建幼儿园3所/ }).waitFor();
    expect(await led.getByRole('link', { name: /新建幼儿园3所/ }).count()).toBe(0);
    expect(await coOperated.getByRole('link', { name: /新建配套道路/ }).count()).toBe(0);
    // The co-operated task shows the co-units' own deadline, so labelled.
    const coRow = coOperated.getByRole('row', { name: /新建幼儿园3所/ });
    await coRow.getByText('配合报送截止').waitFor();
    coDeadlineSeen = /\d{4}-\d{2}-\d{2}/.exec((await coRow.textContent()) ?? '')?.[0] ?? '';
    expect(coDeadlineSeen).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(await sidewaysOverflow(phone)).toBeLessThanOrEqual(0);
    await shot(phone, 'my-tasks-phone');

    // The co-unit's form: labelled as such, with its own deadline, as wide as the phone.
    await open(phone, taskPath(kindergartens));
    const form = phone.getByTestId('co-input-form');
    await form.getByText(/^配合单位填报：协作局/).waitFor();
    await expect(form.getByTestId('co-input-deadline').textContent()).resolves.toBe(
      `本单位报送截止：${coDeadlineSeen}`,
    );
    await phone.getByTestId('previous-quarter').getByText('二季度已建成幼儿园1所。').waitFor();
    expect(await sidewaysOverflow(phone)).toBeLessThanOrEqual(0);
    await shot(phone, 'co-input-phone');
    await form.getByRole('textbox').fill('协作局已完成幼儿园配套道路设计。');
    await button(form, '提交').click();
    await phone.getByText('已提交').first().waitFor();

    // The lead unit's form: the year's figure so far, to this quarter's end.
    await open(phone, taskPath(roads));
    await phone.getByText('新建配套道路（全年目标94条以上）· 累计至本季度末').waitFor();
    expect(await sidewaysOverflow(phone)).toBeLessThanOrEqual(0);
    await shot(phone, 'task-form-phone');
  }, 90_000);

  it('sets each target against its figure, diffs word by word and approves only once confirmed', async () => {
    const kindergartens = plan.taskIds[0]!;
    const reporter = await pageOf(reporterOf('桌面局'));
    await open(reporter, '#/tasks');
    // The lead unit works to its own (later) deadline, not the co-units'.
    const leadRow = reporter.getByTestId('my-tasks').getByRole('row', { name: /新建幼儿园3所/ });
    await leadRow.waitFor();
    const leadDeadline = /\d{4}-\d{2}-\d{2}/.exec((await leadRow.textContent()) ?? '')?.[0] ?? '';
    expect(coDeadlineSeen < leadDeadline).toBe(true);
    await leadRow.getByRole('link').click();
    await reporter.getByText('新建幼儿园（全年目标3所）· 累计至本季度末').waitFor();
    await reporter.getByLabel('新建幼儿园').fill('2');
    await reporter.getByRole('textbox', { name: '进展情况' }).fill('已建成幼儿园2所，累计投资1.2亿元。');
    await clickForAnswer(reporter, button(reporter, '提交').first(), 'progress');
    await untilStatus(kindergartens, 'submitted');

    // Returned, once confirmed.
    const supervisor = await pageOf('supervisor');
    await open(supervisor, `#/review/${encodeURIComponent(cycleId)}/${kindergartens}`);
    await supervisor.getByLabel('退回原因').click();
    await supervisor.getByTitle('数据有误或与目标不符').click();
    await button(supervisor, '退回').click();
    const returnDialog = supervisor.getByRole('dialog', { name: '确认退回此报送？' });
    await returnDialog.waitFor();
    await clickForAnswer(supervisor, button(returnDialog, '退回'), 'review');
    await untilStatus(kindergartens, 'returned');

    await reporter.reload();
    // The lead unit writes its report from what the co-unit sent.
    await reporter.getByTestId('co-inputs').getByText('协作局已完成幼儿园配套道路设计。').waitFor();
    await reporter
      .getByTestId('co-inputs')
      .getByText(/配合单位报送（1 \/ 1）/)
      .waitFor();
    await reporter.getByRole('textbox', { name: '进展情况' }).fill('已建成幼儿园3所，累计投资1.5亿元，全部完成。');
    await reporter.getByLabel('新建幼儿园').fill('3');
    await clickForAnswer(reporter, button(reporter, '提交').first(), 'progress');
    await untilStatus(kindergartens, 'submitted');

    await open(supervisor, `#/review/${encodeURIComponent(cycleId)}/${kindergartens}`);
    const report = supervisor.getByTestId('report-under-review');
    await report.getByTestId('target-figures').getByText('新建幼儿园：目标 3所，已完成 3所，100%').waitFor();
    // Last quarter's approved progress beside it, its figure against the same target.
    const previous = supervisor.getByTestId('previous-quarter');
    await previous.getByText('上季度已通过的进展（2020年第二季度）').waitFor();
    await previous.getByText('新建幼儿园：目标 3所，已完成 1所，33.3%').waitFor();
    await supervisor.getByTestId('co-inputs').getByText('协作局已完成幼儿园配套道路设计。').waitFor();
    // A changed figure is struck and added whole (a character diff marks only the 2 → 5 in its middle).
    const diff = report.getByTestId('diff');
    await diff
      .locator('del')
      .filter({ hasText: /^1\.2$/ })
      .waitFor();
    await diff
      .locator('ins')
      .filter({ hasText: /^1\.5$/ })
      .waitFor();
    await diff
      .locator('ins')
      .filter({ hasText: /全部完成/ })
      .waitFor();
    await shot(supervisor, 'review');

    // 通过 asks first: nothing is decided until the dialog is confirmed.
    await supervisor.getByRole('textbox', { name: '说明' }).fill('数据详实，予以通过');
    await button(supervisor, '通过').click();
    const approveDialog = supervisor.getByRole('dialog', { name: '确认通过此报送？' });
    await approveDialog.waitFor();
    await approveDialog.getByText('说明：数据详实，予以通过').waitFor();
    await shot(supervisor, 'approve-confirm');
    expect((await statusOf(kindergartens)).status).toBe('submitted');
    await clickForAnswer(supervisor, button(approveDialog, '通过'), 'review');
    await untilStatus(kindergartens, 'approved');
    // The approval's comment stays, in the timeline the page shows.
    await supervisor.getByTestId('timeline').getByText('数据详实，予以通过').waitFor();
    await shot(supervisor, 'approved-timeline');
  }, 120_000);

  it('notes figures that do not hold together while the report is written, sends it still, and notes them on review', async () => {
    const roads = plan.taskIds[1]!;
    const taskUrl = `${url}/api/cycles/${encodeURIComponent(cycleId)}/tasks/${roads}`;
    const check = (login: string, body: unknown) =>
      fetch(`${taskUrl}/progress/check`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-duban-user': login },
        body: JSON.stringify(body),
      });
    // Through the API: the three kinds at once; nothing for figures that hold; another unit's task is refused.
    const doubtful = { narrative: '已完成配套道路58条，完成率70%。', declaredState: 'completed', figures: { '0': 58 } };
    const answer = await check(reporterOf('协作局'), doubtful);
    expect(answer.status).toBe(200);
    expect(((await answer.json()) as { notes: unknown[] }).notes).toEqual([
      { kind: 'declared_done_below_full', completion: 61.7 },
      { kind: 'stated_rate_disagrees', stated: 70, computed: [61.7] },
      {
        kind: 'below_previous',
        target: 0,
        metric: '新建配套道路',
        achieved: 58,
        previous: 60,
        unit: '条',
        quarter: '2020Q2',
      },
    ]);
    const sound = await check(reporterOf('协作局'), { narrative: '已完成配套道路70条。', figures: { '0': 70 } });
    expect(await sound.json()).toEqual({ notes: [] });
    const foreign = await check(reporterOf('桌面局'), doubtful);
    expect(foreign.status).toBe(403);
    expect(await foreign.json()).toMatchObject({ code: 'WRONG_UNIT', message: expect.stringContaining('不承担') });
    expect((await check(reporterOf('协作局'), { narrative: 1 })).status).toBe(422);
    // Checking stores nothing: the task is still waiting for its report.
    expect((await statusOf(roads)).status).toBe('assigned');

    // In the browser: the notes appear as the reporter types, and the report can still be sent.
    const reporter = await pageOf(reporterOf('协作局'));
    await open(reporter, taskPath(roads));
    await reporter.getByLabel('新建配套道路').fill('58');
    await reporter.getByRole('textbox', { name: '进展情况' }).fill(doubtful.narrative);
    await reporter.getByLabel('完成状态').click();
    await reporter.getByTitle('已完成').click();
    const notes = reporter.getByTestId('figure-check');
    await notes.getByText('核对提示：请核对以下数据（仅为提示，不影响报送）').waitFor();
    await notes.getByText('申报“已完成”，但按数据完成 61.7%').waitFor();
    await notes.getByText('写明完成 70%，按目标计算为 61.7%').waitFor();
    await notes.getByText('新建配套道路：累计 58条，低于2020年第二季度已通过的 60条').waitFor();
    await shot(reporter, 'figure-check');
    await clickForAnswer(reporter, button(reporter, '提交').first(), 'progress');
    await untilStatus(roads, 'submitted');

    // The supervisor reads the same notes beside the report: two taken on submission, one against last quarter.
    const supervisor = await pageOf('supervisor');
    await open(supervisor, `#/review/${encodeURIComponent(cycleId)}/${roads}`);
    const onReview = supervisor.getByTestId('report-under-review').getByTestId('figure-check');
    await onReview.getByText('核对提示', { exact: true }).waitFor();
    await onReview.getByText('新建配套道路：累计 58条，低于2020年第二季度已通过的 60条').waitFor();
    expect(await onReview.locator('li').count()).toBe(3);
    await supervisor.getByTestId('timeline').getByTestId('figure-notes').first().waitFor();
    await shot(supervisor, 'figure-check-review');
  }, 120_000);
});
