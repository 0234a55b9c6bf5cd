/**
 * A plan reporting monthly (月度填报) on a real API, worker, Temporal and PostgreSQL: the 督查室 sets the
 * plan's rhythm to monthly in the browser, and the 启动周期 form then picks a month; a quarter is refused for
 * it (and a month for a quarterly plan), naming the plan's rhythm. A month's cycle runs the same machinery:
 * its deadlines come from the calendar (July's lead units report by 2020-08-07, the 5th working day of August),
 * and its light is judged against the month's share of the quarter (July 58.3%): a task red in June that
 * catches up in July is green and says it turned back (上期红灯，已转好). The report is titled by the month and
 * says a task not reported is so 本月; the assignment mails open 本月 reporting, and the supervisor reads the
 * report under review as 本月报送.
 * Screenshots: .data/test/screenshots/monthly-*.png.
 */
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser } from 'playwright-core';
import type { DataSource } from 'typeorm';
import { setPassword } from '#auth';
import { ensureDemoDirectory } from '#directory';
import { createDataSource } from '#persistence';
import type { ManagedProcess } from '../infra/dev/processes.js';
import { button, launchChromium, signIn } from './support/browser.js';
import { demoAddress, importTestPlan, mailTo, sleepMs, type TestPlan } from './support/cycle-fixtures.js';
import { asTestAdmin, callAs, readTestStack, startWorkerAndApi, testDataDir } from './support/test-stack.js';

const stack = readTestStack();
const logDir = mkdtempSync(join(tmpdir(), 'duban-monthly-e2e-'));
const screenshots = join(testDataDir(), 'screenshots');
const PASSWORD = 'monthly test password';
const processes: ManagedProcess[] = [];
let url: string;
let dataSource: DataSource;
let browser: Browser;
let plan: TestPlan;

beforeAll(async () => {
  mkdirSync(screenshots, { recursive: true });
  dataSource = createDataSource(stack.databaseUrl, 'duban-monthly-e2e');
  await dataSource.initialize();
  const started = await startWorkerAndApi(logDir);
  processes.push(...started.processes);
  url = started.url;
  plan = await importTestPlan(dataSource, 'monthly', [
    { content: '回迁安置1200户', units: ['月报甲局'] },
    { content: '新建公园2个', units: ['月报乙局'] },
  ]);
  // The 督查室 and supervisor as the other suites know them (the demo directory's).
  await ensureDemoDirectory(dataSource, plan.planId);
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await Promise.all(processes.map((p) => p.stop(20_000)));
  await dataSource?.destroy();
});

function as(login: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  return callAs(url, login, path, body);
}

/** Starts a rehearsal of `period` through the API with ten-minute days (nothing moves by the clock). */
async function rehearse(period: string): Promise<{ status: number; body: any }> {
  const response = await fetch(
    `${url}/api/cycles`,
    asTestAdmin({
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ plan: plan.planName, quarter: period, rehearsal: { daySeconds: 600 } }),
    }),
  );
  return { status: response.status, body: await response.json() };
}

/** The task's row in the cycle, once the cycle has started it. */
async function taskRow(cycleId: string, taskId: string): Promise<any> {
  const path = `/api/cycles/${encodeURIComponent(cycleId)}/tasks/${taskId}`;
  for (let i = 0; ; i += 1) {
    const found = await as('supervisor', path);
    if (found.status === 200 || i >= 150) return found.body;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('a plan reporting monthly (月度填报)', () => {
  it('is set monthly in the browser, and then starts months, not quarters', async () => {
    await setPassword(dataSource, 'coordinator', PASSWORD);
    // A quarterly plan (the default) refuses a month.
    const month = await rehearse('2020M07');
    expect([month.status, month.body.code]).toEqual([400, 'INVALID_QUARTER']);
    expect(month.body.message).toContain('此计划按季度填报');

    const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'zh-CN' });
    const page = await signIn(context, url, 'coordinator', PASSWORD);
    await page.goto(`${url}/#/plans`);
    await page.getByRole('tab', { name: '周期配置' }).click();
    await page.getByRole('combobox', { name: '计划' }).click();
    await page.locator('.ant-select-item-option', { hasText: plan.planName }).click();
    await page.getByRole('radio', { name: '按月填报（月度调度）' }).check();
    await button(page, '保存').click();
    await page.getByText('已保存').first().waitFor();
    await page.screenshot({ path: join(screenshots, 'monthly-config.png'), fullPage: true });
    await page.getByRole('tab', { name: '启动周期' }).click();
    await page.getByLabel('月份').first().waitFor();
    await page.screenshot({ path: join(screenshots, 'monthly-start.png'), fullPage: true });
    // 开启前检查 checks the month under way in China, on a month picker too.
    await page.getByRole('tab', { name: '开启前检查' }).click();
    const china = new Date(Date.now() + 8 * 3_600_000);
    const monthShown = `${china.getUTCFullYear()}年${china.getUTCMonth() + 1}月`;
    const picker = page.getByRole('tabpanel', { name: '开启前检查' }).getByLabel('月份');
    await picker.waitFor();
    for (let i = 0; (await picker.inputValue()) !== monthShown; i += 1) {
      if (i > 100) throw new Error(`开启前检查 shows ${await picker.inputValue()}, not ${monthShown}`);
      await sleepMs(100);
    }
    await context.close();
    const config = await fetch(`${url}/api/plans/${plan.planId}/cycle-config`, asTestAdmin());
    expect(((await config.json()) as any).effective.rhythm).toBe('monthly');

    const quarter = await rehearse('2020Q3');
    expect([quarter.status, quarter.body.code]).toEqual([400, 'INVALID_QUARTER']);
    expect(quarter.body.message).toContain('此计划按月填报，请选择月份（如 2020M09）');
  }, 120_000);

  it('runs a month’s cycle: calendar deadlines, the month’s expected share, and a red task turning back', async () => {
    const [housing] = plan.taskIds as [string];
    const reporter = `reporter.${plan.unitIds['月报甲局']!.slice(0, 8)}`;
    const june = await rehearse('2020M06');
    expect(june.status).toBe(202);
    expect(june.body.cycleId).toContain(':2020M06:');
    await taskRow(june.body.cycleId, housing);
    const juneTask = `/api/cycles/${encodeURIComponent(june.body.cycleId)}/tasks/${housing}`;
    // 300 of 1200户 is 25%: red against June's 50%.
    expect(
      (await as(reporter, `${juneTask}/progress`, { narrative: '已回迁安置300户。', figures: { '0': 300 } })).status,
    ).toBe(200);
    expect((await as('supervisor', `${juneTask}/review`, { decision: 'approve' })).status).toBe(200);
    const juneRow = await taskRow(june.body.cycleId, housing);
    expect([juneRow.light, juneRow.expected]).toEqual(['red', 50]);

    const july = await rehearse('2020M07');
    expect(july.status).toBe(202);
    const julyRow = await taskRow(july.body.cycleId, housing);
    // July's lead units report by the 5th working day of August, as the calendar gives it.
    expect(julyRow.deadlineDate).toBe('2020-08-07');
    expect(julyRow.previousLight).toBe('red');
    const julyTask = `/api/cycles/${encodeURIComponent(july.body.cycleId)}/tasks/${housing}`;
    // 720 of 1200户 is 60%: green against July's 58.3%, a third of the way from June's 50% to September's 75%.
    expect(
      (await as(reporter, `${julyTask}/progress`, { narrative: '已回迁安置720户。', figures: { '0': 720 } })).status,
    ).toBe(200);
    expect((await as('supervisor', `${julyTask}/review`, { decision: 'approve' })).status).toBe(200);
    const caughtUp = await taskRow(july.body.cycleId, housing);
    expect([caughtUp.light, caughtUp.expected, caughtUp.previousLight]).toEqual(['green', 58.3, 'red']);

    // The reporter's list says it turned back.
    await setPassword(dataSource, reporter, PASSWORD);
    const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'zh-CN' });
    const page = await signIn(context, url, reporter, PASSWORD);
    await page.goto(`${url}/#/tasks/${encodeURIComponent(july.body.cycleId)}/${housing}`);
    await page.getByTestId('light-change').getByText('绿灯（上期红灯，已转好）').waitFor();
    await page.screenshot({ path: join(screenshots, 'monthly-turned-back.png'), fullPage: true });
    await context.close();
    // The supervisor reads July's report as the month's (本月报送), not a quarter's.
    await setPassword(dataSource, 'supervisor', PASSWORD);
    const supervisorContext = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'zh-CN' });
    const review = await signIn(supervisorContext, url, 'supervisor', PASSWORD);
    await review.goto(`${url}/#/review/${encodeURIComponent(july.body.cycleId)}/${housing}`);
    await review.getByTestId('report-under-review').getByText('本月报送 · 第1版').waitFor();
    await review.screenshot({ path: join(screenshots, 'monthly-review.png'), fullPage: true });
    await supervisorContext.close();

    // The month's report is titled by the month.
    const report = await fetch(
      `${url}/api/cycles/${encodeURIComponent(july.body.cycleId)}/report?format=text`,
      asTestAdmin(),
    );
    expect(report.status).toBe(200);
    expect(decodeURIComponent(report.headers.get('content-disposition') ?? '')).toContain('2020年7月');
    const text = await report.text();
    expect(text.split('\n')[0]).toContain('2020年7月');
    // A task not reported is so this month, not this quarter.
    expect(text).toContain('新建公园2个');
    expect(text).toContain('本月尚未报送');
    expect(text).not.toContain('本季度');

    // Each month's assignment mail opens the month's reporting.
    const address = demoAddress('reporter', plan.unitIds['月报甲局']!);
    for (
      let i = 0;
      (await mailTo(stack, address)).filter((m) => m.subject?.startsWith('【督办】')).length < 2;
      i += 1
    ) {
      if (i > 150) throw new Error(`no two assignment mails to ${address}`);
      await sleepMs(200);
    }
    const assignments = (await mailTo(stack, address)).filter((m) => m.subject?.startsWith('【督办】'));
    for (const mail of assignments) {
      expect(mail.text).toContain('本月重点任务填报已开启');
      expect(mail.text).toContain('牵头任务（报送月度进展）');
      expect(mail.text).not.toContain('季度');
    }
  }, 120_000);
});
