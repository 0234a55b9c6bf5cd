/**
 * 督办看板's working lists in Chromium, on an open rehearsal paced by hand (so
 * nothing moves unless the test moves it): 26 tasks of three units, two
 * approved yellow and red, one extension granted, one waiting, the rest
 * overdue four working days. The coordinator narrows the overdue list by
 * unit, sorts it by days late and changes the page size; narrows the lagging
 * list by light and unit, where an approved task offers no 催办; nudges three
 * tasks at once with one message (one of them approved meanwhile: refused and
 * named); sees the list refresh itself with the filters and the selection
 * kept; refuses the waiting extension, which asks for a reason and a
 * confirmation. The timelines and the units' mail carry the messages.
 * Screenshots go to .data/test/screenshots (coordinator-desk-*.png).
 */
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Client, Connection } from '@temporalio/client';
import type { Browser, Locator, Page } from 'playwright-core';
import type { DataSource } from 'typeorm';
import { setPassword } from '#auth';
import { nextDayUpdate } from '#contracts';
import { startCycle } from '#cycles';
import { createDataSource } from '#persistence';
import type { ManagedProcess } from '../infra/dev/processes.js';
import { button, launchChromium } from './support/browser.js';
import { demoAddress, importTestPlan, mailTo, sleepMs, type TestPlan } from './support/cycle-fixtures.js';
import { asTestAdmin, readTestStack, startWorkerAndApi, SUITE_TASK_QUEUE, testDataDir } from './support/test-stack.js';

const stack = readTestStack();
const logDir = mkdtempSync(join(tmpdir(), 'duban-desk-e2e-'));
const screenshots = join(testDataDir(), 'screenshots');
const PASSWORD = 'desk test password';
const processes: ManagedProcess[] = [];
let url: string;
let dataSource: DataSource;
let connection: Connection;
let plan: TestPlan;
let cycleId: string;
let browser: Browser;
let page: Page;

// Ordinals 1–10 甲局, 11–20 乙局, 21–26 丙局. 1 and 11 are approved (yellow, red); 2 gets 3 more working days;
// 12 asks for 5 and waits; the others never report.
const UNITS = ['甲局', '乙局', '丙局'] as const;
const unitOf = (ordinal: number) => UNITS[ordinal <= 10 ? 0 : ordinal <= 20 ? 1 : 2];
const contentOf = (ordinal: number) =>
  ordinal === 1 ? '新建学校10所' : ordinal === 11 ? '新建医院10所' : `第${ordinal}项整治道路${ordinal}条`;
const unitName = (unit: (typeof UNITS)[number]) => `${unit}${plan.suffix}`;
const reporterOf = (unit: (typeof UNITS)[number]) => `reporter.${plan.unitIds[unit]!.slice(0, 8)}`;
const taskOf = (ordinal: number) => plan.taskIds[ordinal - 1]!;

async function post(ordinal: number, action: string, user: string, body: unknown): Promise<Record<string, any>> {
  const response = await fetch(`${url}/api/cycles/${encodeURIComponent(cycleId)}/tasks/${taskOf(ordinal)}/${action}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-duban-user': user },
    body: JSON.stringify(body),
  });
  const answer = (await response.json()) as Record<string, any>;
  if (response.status !== 200) throw new Error(`${action} on ${ordinal}: ${response.status} ${JSON.stringify(answer)}`);
  return answer;
}

async function taskState(ordinal: number): Promise<Record<string, any>> {
  const response = await fetch(
    `${url}/api/cycles/${encodeURIComponent(cycleId)}/tasks/${taskOf(ordinal)}`,
    asTestAdmin(),
  );
  return (await response.json()) as Record<string, any>;
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleepMs(300);
  }
}

/** Picks `option` in the Ant Design select labelled `label` inside `scope`. */
async function choose(scope: Locator, label: string, option: string): Promise<void> {
  await scope.getByRole('combobox', { name: label }).click();
  await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: option }).first().click();
}

const rowsOf = (list: Locator) => list.locator('tbody tr.ant-table-row');
const rowOf = (list: Locator, ordinal: number) => list.getByRole('row', { name: new RegExp(contentOf(ordinal)) });
/** The ordinals the list shows, top to bottom (each row's first cell after its checkbox). */
async function ordinalsIn(list: Locator): Promise<number[]> {
  return rowsOf(list).evaluateAll((rows) =>
    rows.map((row) => Number((row as any).querySelector('td:not(.ant-table-selection-column)')?.textContent)),
  );
}
async function shot(name: string): Promise<void> {
  await page.screenshot({ path: join(screenshots, `coordinator-desk-${name}.png`), fullPage: true });
}

beforeAll(async () => {
  mkdirSync(screenshots, { recursive: true });
  dataSource = createDataSource(stack.databaseUrl, 'duban-desk-e2e');
  await dataSource.initialize();
  const started = await startWorkerAndApi(logDir);
  processes.push(...started.processes);
  url = started.url;
  plan = await importTestPlan(
    dataSource,
    'desk',
    Array.from({ length: 26 }, (_, i) => ({ content: contentOf(i + 1), units: [unitOf(i + 1)] })),
  );
  connection = await Connection.connect({ address: stack.temporalAddress });
  const client = new Client({ connection });
  ({ cycleId } = await startCycle(client, {
    planId: plan.planId,
    quarter: '2020Q3',
    clock: { kind: 'rehearsal', daySeconds: 1, pace: 'manual' },
    taskQueue: SUITE_TASK_QUEUE,
    rehearsalTag: plan.suffix,
  }));
  const cycle = client.workflow.getHandle(cycleId);
  // Day 10: well before the deadline (day 17, 2020-10-14).
  await cycle.executeUpdate(nextDayUpdate, { args: [{ through: 10 }] });
  await post(1, 'progress', reporterOf('甲局'), { narrative: '已建成学校6所，完成率60%' });
  await post(1, 'review', 'supervisor', { decision: 'approve' });
  await post(11, 'progress', reporterOf('乙局'), { narrative: '已建成医院4所，完成率40%' });
  await post(11, 'review', 'supervisor', { decision: 'approve' });
  await post(2, 'extension-request', reporterOf('甲局'), { workingDays: 3, reason: '施工许可待批' });
  await post(2, 'extension-decision', 'coordinator', { grant: true });
  await post(12, 'extension-request', reporterOf('乙局'), { workingDays: 5, reason: '征迁协议尚在报批，需延后报送' });
  // Day 21: four working days late; task 2's deadline moved to day 20, one day late.
  await cycle.executeUpdate(nextDayUpdate, { args: [{ through: 21 }] });
  expect(await taskState(1)).toMatchObject({ status: 'approved', light: 'yellow' });
  expect(await taskState(11)).toMatchObject({ status: 'approved', light: 'red', catchUp: 'overdue' });
  expect(await taskState(2)).toMatchObject({ extension: 'granted', daysLate: 1 });
  expect(await taskState(3)).toMatchObject({ status: 'overdue', daysLate: 4 });

  await setPassword(dataSource, 'coordinator', PASSWORD);
  browser = await launchChromium();
  page = await (await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'zh-CN' })).newPage();
  // The page's clock is the test's: the 30-second refresh comes when the test moves it on, not by the wall clock.
  await page.clock.install();
  await page.goto(url);
  await page.getByLabel('用户名或邮箱').fill('coordinator');
  await page.getByLabel('密码').fill(PASSWORD);
  await button(page, '登录').click();
  await page.getByTestId('signed-in-as').waitFor();
  await page.goto(`${url}/#/dashboard/${encodeURIComponent(cycleId)}`);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await connection?.close();
  await Promise.all(processes.map((p) => p.stop(20_000)));
  await dataSource?.destroy();
});

describe('the coordinator’s desk (督办看板)', () => {
  it('pages, filters by unit and sorts the overdue list by days late', async () => {
    const overdue = page.getByTestId('overdue-list');
    await rowsOf(overdue).first().waitFor();
    await page.getByRole('tab', { name: '逾期未报（24）' }).waitFor();
    // 24 overdue, 20 a page by default.
    expect(await rowsOf(overdue).count()).toBe(20);
    await overdue.getByText('共24项').waitFor();
    const pageSize = overdue.locator('.ant-pagination-options .ant-select');
    await until('50 a page', async () => {
      if ((await rowsOf(overdue).count()) === 24) return true;
      // Under load the option may be clicked while the dropdown still opens and the click is lost: choose again.
      if ((await overdue.locator('.ant-select-content[title="50 条/页"]').count()) === 0) {
        await pageSize.click();
        await page
          .locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: '50 条/页' })
          .click({ timeout: 5_000 })
          .catch(() => undefined);
      }
      return undefined;
    });

    const filters = page.getByTestId('overdue-list-filters');
    await choose(filters, '单位', unitName('甲局'));
    await until('甲局 only', async () => ((await rowsOf(overdue).count()) === 9 ? true : undefined));
    expect(await ordinalsIn(overdue)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10]);

    // By days late, fewest first: task 2 (its extension granted) is one day late, the others four.
    await overdue.locator('th', { hasText: /^逾期$/ }).click();
    await until('sorted ascending', async () => ((await ordinalsIn(overdue))[0] === 2 ? true : undefined));
    await rowOf(overdue, 2).getByText('逾期1个工作日').waitFor();
    await overdue.locator('th', { hasText: /^逾期$/ }).click();
    await until('sorted descending', async () => ((await ordinalsIn(overdue)).at(-1) === 2 ? true : undefined));
    // The search finds a task by its number.
    await filters.getByPlaceholder('搜索任务内容、序号或单位').fill('第5项');
    await until('task 5', async () => ((await ordinalsIn(overdue)).join() === '5' ? true : undefined));
    await filters.getByPlaceholder('搜索任务内容、序号或单位').fill('');
    await until('甲局 again', async () => ((await rowsOf(overdue).count()) === 9 ? true : undefined));
    await shot('overdue-filtered');
  });

  it('narrows the lagging list by light and unit, and offers no 催办 on an approved task without a catch-up plan owed', async () => {
    await page.getByRole('tab', { name: /进度滞后（2）/ }).click();
    const lagging = page.getByTestId('lagging-list');
    await rowOf(lagging, 1).waitFor();
    expect(await ordinalsIn(lagging)).toEqual([1, 11]);
    // Yellow and approved: nothing to nudge. Red: its catch-up plan (整改措施) is owed.
    expect(await button(rowOf(lagging, 1), '催办').count()).toBe(0);
    expect(await rowOf(lagging, 1).getByRole('checkbox').isDisabled()).toBe(true);
    expect(await button(rowOf(lagging, 11), '催办').count()).toBe(1);
    const filters = page.getByTestId('lagging-list-filters');
    await choose(filters, '单位', unitName('甲局'));
    await until('甲局 only', async () => ((await ordinalsIn(lagging)).join() === '1' ? true : undefined));
    await choose(filters, '进度', '红灯');
    await until('甲局 and red: none', async () => ((await ordinalsIn(lagging)).length === 0 ? true : undefined));
    await choose(filters, '单位', unitName('乙局'));
    await until('乙局 and red', async () => ((await ordinalsIn(lagging)).join() === '11' ? true : undefined));
    await shot('lagging-red');
  });

  it('nudges several overdue tasks with one message, naming the one it could not', async () => {
    await page.getByRole('tab', { name: /逾期未报/ }).click();
    const overdue = page.getByTestId('overdue-list');
    for (const ordinal of [5, 6, 7]) await rowOf(overdue, ordinal).getByRole('checkbox').check();
    await button(page, '批量催办（3项）').click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText('催办3项任务').waitFor();
    // Meanwhile task 7's unit reports and is approved (green: its quarter is over): its 催办 is refused, the others go out.
    await post(7, 'progress', reporterOf('甲局'), { narrative: '已整治道路7条，全部完成' });
    await post(7, 'review', 'supervisor', { decision: 'approve' });
    const message = '请于本周五前报送第三季度进展，逾期将全区通报。';
    await dialog.getByRole('textbox', { name: '催办说明（随邮件发给单位）' }).fill(message);
    await dialog.getByRole('button', { name: /^催\s?办$/ }).click();
    await dialog.getByTestId('batch-nudge-outcome').getByText('已催办2项').waitFor();
    const failures = dialog.getByTestId('batch-nudge-failures');
    await failures.getByText('1项未能催办').waitFor();
    expect(await failures.locator('.ant-list-item').allTextContents()).toEqual([
      `7. ${contentOf(7)}：任务已审核通过，无需催办`,
    ]);
    await shot('batch-nudge');
    await dialog
      .locator('.ant-modal-footer')
      .getByRole('button', { name: /关\s?闭/ })
      .click();
    await dialog.waitFor({ state: 'detached' });

    for (const ordinal of [5, 6]) {
      const nudged = (await taskState(ordinal)).timeline.filter((e: any) => e.kind === 'nudged');
      expect(nudged.map((e: any) => e.details.comment)).toEqual([message]);
    }
    expect((await taskState(7)).timeline.filter((e: any) => e.kind === 'nudged')).toEqual([]);
    const mail = await until('the nudges’ mail', async () => {
      const nudges = (await mailTo(stack, demoAddress('reporter', plan.unitIds['甲局']!))).filter((m) =>
        m.subject?.startsWith('【催办】'),
      );
      return nudges.length >= 2 ? nudges : undefined;
    });
    expect(mail.map((m) => /第(\d+)项/.exec(m.subject ?? '')?.[1]).sort()).toEqual(['5', '6']);
    for (const m of mail) expect(m.text).toContain(`督查室催办第${/第(\d+)项/.exec(m.subject!)![1]}项任务：${message}`);
    // The timeline in the drawer shows it too.
    await rowOf(overdue, 5)
      .locator('a', { hasText: contentOf(5) })
      .click();
    const timeline = page.getByTestId('timeline');
    await timeline.getByText(message).waitFor();
    await shot('nudge-timeline');
    await page.locator('.ant-drawer-close').click();
    await timeline.waitFor({ state: 'detached' });
  });

  it('refreshes itself while the cycle runs, keeping the filters, the page size and the selection', async () => {
    const overdue = page.getByTestId('overdue-list');
    await until('task 7 gone after the 催办', async () => ((await rowOf(overdue, 7).count()) === 0 ? true : undefined));
    await rowOf(overdue, 8).getByRole('checkbox').check();
    // Task 9's unit reports: it leaves the overdue list at the next refresh, with no click of the coordinator's.
    await post(9, 'progress', reporterOf('甲局'), { narrative: '已整治道路9条，全部完成' });
    await page.clock.fastForward(30_000);
    await rowOf(overdue, 9).waitFor({ state: 'detached' });
    expect(await ordinalsIn(overdue)).toEqual(expect.arrayContaining([2, 3, 4, 5, 6, 8, 10]));
    expect(await rowsOf(overdue).count()).toBe(7);
    expect(await rowOf(overdue, 8).getByRole('checkbox').isChecked()).toBe(true);
    await button(page, '批量催办（1项）').waitFor();
    await page.getByTestId('overdue-list-filters').getByText(unitName('甲局')).waitFor();
    // (The size shown in the changer, not the dropdown's own option.)
    await overdue.locator('.ant-pagination-options .ant-select-content[title="50 条/页"]').waitFor();
    await page.getByRole('tab', { name: '逾期未报（22）' }).waitFor();
    await shot('refreshed');
  });

  it('shows an extension request’s days and reason, and refuses it only with a reason and a confirmation', async () => {
    await page.getByRole('tab', { name: '延期申请（1）' }).click();
    const requests = page.getByTestId('extension-requests');
    const row = rowOf(requests, 12);
    await row.getByText('5个工作日').waitFor();
    await row.getByText('征迁协议尚在报批，需延后报送').waitFor();
    await button(row, '不同意').click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText('不同意延期？').waitFor();
    await dialog.getByText('征迁协议尚在报批，需延后报送').waitFor();
    // Not without a reason: the unit is to read why.
    await dialog.getByRole('button', { name: '确认不同意' }).click();
    await dialog.getByText('不同意延期时请写明理由，单位会在邮件中看到。').waitFor();
    expect((await taskState(12)).extension).toBe('requested');
    const reason = '该项目已列入区重点督查，须按原定期限报送。';
    await dialog.getByRole('textbox', { name: '意见（随邮件发给牵头单位）' }).fill(reason);
    await shot('extension-refuse');
    await dialog.getByRole('button', { name: '确认不同意' }).click();
    await page.getByText('已决定').waitFor();
    await page.getByRole('tab', { name: '延期申请（0）' }).waitFor();
    const decided = await taskState(12);
    expect(decided.extension).toBe('refused');
    expect(decided.timeline.find((e: any) => e.kind === 'extension_refused')?.details).toMatchObject({
      comment: reason,
      workingDays: 5,
    });
    const refusal = await until('the refusal’s mail', async () =>
      (await mailTo(stack, demoAddress('reporter', plan.unitIds['乙局']!))).find((m) =>
        m.subject?.includes('第12项延期申请未获批准'),
      ),
    );
    expect(refusal.text).toContain(`意见：${reason}`);
  });
});
