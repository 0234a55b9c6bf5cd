/**
 * The whole quarter in a real browser (Debian's Chromium through
 * playwright-core) against the running API and worker, each person signed in
 * with their own session: a reporter saves a draft and submits; the
 * supervisor returns it with a reason; the reporter sees the reason and what
 * changed, resubmits; the supervisor sees the diff and approves; the
 * coordinator sees the task green, grants another unit's extension, and
 * exports the report as XLSX and DOCX (parsed back here). In a fast
 * rehearsal a task nobody reports goes overdue: red on the dashboard, 催办,
 * its numbered 督办单 in the register. A reporter of another unit gets 403 for a foreign
 * task. Screenshots of every page go to .data/test/screenshots.
 */
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { DataSource } from 'typeorm';
import { setPassword } from '#auth';
import { createDataSource } from '#persistence';
import type { ManagedProcess } from '../infra/dev/processes.js';
import { button, clickForAnswer, launchChromium, recordPolicyViolations, signIn } from './support/browser.js';
import { importTestPlan, type TestPlan } from './support/cycle-fixtures.js';
import {
  asTestAdmin,
  readTestStack,
  startQuietRehearsal,
  startWorkerAndApi,
  TEST_ADMIN,
  testDataDir,
} from './support/test-stack.js';

const stack = readTestStack();
const logDir = mkdtempSync(join(tmpdir(), 'duban-journey-e2e-'));
const screenshots = join(testDataDir(), 'screenshots');
const downloads = mkdtempSync(join(tmpdir(), 'duban-journey-downloads-'));
const PASSWORD = 'journey test password';
const processes: ManagedProcess[] = [];
let url: string;
let dataSource: DataSource;
let plan: TestPlan;
let cycleId: string;
let browser: Browser;
const contexts = new Map<string, BrowserContext>();
/** Content-Security-Policy violations reported by any page of any context (asserted empty last). */
const policyViolations: string[] = [];

const reporterOf = (unit: string) => `reporter.${plan.unitIds[unit]!.slice(0, 8)}`;
const taskPath = (cycle: string, task: string) => `#/tasks/${encodeURIComponent(cycle)}/${task}`;

beforeAll(async () => {
  mkdirSync(screenshots, { recursive: true });
  dataSource = createDataSource(stack.databaseUrl, 'duban-journey-e2e');
  await dataSource.initialize();
  const started = await startWorkerAndApi(logDir);
  processes.push(...started.processes);
  url = started.url;
  plan = await importTestPlan(dataSource, 'journey', [
    { content: '新建幼儿园3所', units: ['旅程局', '协作局'] },
    { content: '改造老旧小区5个', units: ['他家局'] },
  ]);
  cycleId = await startQuietRehearsal(url, plan.planName, plan.taskIds[1]!);
  for (const login of [reporterOf('旅程局'), reporterOf('他家局'), 'supervisor', 'coordinator', TEST_ADMIN]) {
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
  let context = contexts.get(login);
  if (!context) {
    context = await browser.newContext({ viewport, locale: 'zh-CN', acceptDownloads: true });
    await recordPolicyViolations(context, policyViolations);
    contexts.set(login, context);
    return signIn(context, url, login, PASSWORD);
  }
  return context.pages()[0] ?? context.newPage();
}

/** Opens a page afresh (going to the URL a page already shows would only move within it). */
async function open(page: Page, hash: string): Promise<void> {
  const target = `${url}/${hash}`;
  if (page.url() === target) await page.reload();
  else await page.goto(target);
}

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(screenshots, `${name}.png`), fullPage: true });
}

async function taskState(cycle: string, task: string): Promise<Record<string, unknown>> {
  const response = await fetch(`${url}/api/cycles/${encodeURIComponent(cycle)}/tasks/${task}`, asTestAdmin());
  return (await response.json()) as Record<string, unknown>;
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
}

describe('a quarter in the browser', () => {
  it('takes a report from draft through a return to approval, and shows it green', async () => {
    const taskA = plan.taskIds[0]!;
    // The reporter: 我的任务 → the form, a draft kept across a reload, then submitted.
    const reporter = await pageOf(reporterOf('旅程局'));
    await reporter.getByTestId('my-tasks').getByRole('link', { name: '新建幼儿园3所' }).click();
    await reporter.getByText('新建幼儿园（全年目标3所）· 累计至本季度末').waitFor();
    await reporter.getByLabel('新建幼儿园').fill('2');
    await reporter.getByRole('textbox', { name: '进展情况' }).fill('已建成幼儿园2所，第3所主体完工。');
    await reporter.getByRole('button', { name: '保存草稿' }).first().click();
    await reporter.getByText('草稿已保存').waitFor();
    await reporter.reload();
    await expect(reporter.getByRole('textbox', { name: '进展情况' }).inputValue()).resolves.toBe(
      '已建成幼儿园2所，第3所主体完工。',
    );
    await expect(reporter.getByLabel('新建幼儿园').inputValue()).resolves.toBe('2');
    await shot(reporter, 'task-form');
    await clickForAnswer(reporter, button(reporter, '提交').first(), 'progress');
    await reporter.getByText('已提交').first().waitFor();
    await until(
      'the submission',
      async () => ((await taskState(cycleId, taskA)).status === 'submitted' ? true : undefined),
      10_000,
    );

    // The supervisor: the queue → the report → returned with a reason.
    const supervisor = await pageOf('supervisor');
    await open(supervisor, '#/review');
    await supervisor.getByTestId('review-queue').getByRole('link', { name: '新建幼儿园3所' }).click();
    await supervisor.getByTestId('report-under-review').getByText('已建成幼儿园2所，第3所主体完工。').waitFor();
    await shot(supervisor, 'review');
    await supervisor.getByLabel('退回原因').click();
    await supervisor.getByTitle('数据有误或与目标不符').click();
    await supervisor.getByRole('textbox', { name: '说明' }).fill('第3所的进度请写明<b>具体数字</b>');
    await button(supervisor, '退回').click();
    // (The API's answer and the task's state, not the passing toast: on a loaded machine it can come and go unseen.)
    await clickForAnswer(supervisor, button(supervisor.getByRole('dialog'), '退回'), 'review');
    await supervisor.getByRole('dialog').waitFor({ state: 'detached' });
    await until(
      'the return',
      async () => ((await taskState(cycleId, taskA)).status === 'returned' ? true : undefined),
      60_000,
    );

    // The reporter sees why, rewrites the returned version and sees what changed.
    await reporter.reload();
    await reporter.getByTestId('return-reason').getByText('已退回：数据有误或与目标不符').waitFor();
    // A comment is text, never HTML.
    await reporter.getByTestId('return-reason').getByText('第3所的进度请写明<b>具体数字</b>').waitFor();
    const narrative = reporter.getByRole('textbox', { name: '进展情况' });
    await expect(narrative.inputValue()).resolves.toBe('已建成幼儿园2所，第3所主体完工。');
    // Every field of the returned version, the figures included, not only the narrative.
    await expect(reporter.getByLabel('新建幼儿园').inputValue()).resolves.toBe('2');
    await narrative.fill('已建成幼儿园3所，全部完成。');
    await reporter.getByLabel('新建幼儿园').fill('3');
    await reporter.getByTestId('diff').locator('ins', { hasText: '全部' }).first().waitFor();
    await reporter.getByTestId('diff').locator('del', { hasText: '2' }).first().waitFor();
    await shot(reporter, 'task-returned');
    await clickForAnswer(reporter, button(reporter, '提交').first(), 'progress');
    await until(
      'the resubmission',
      async () => ((await taskState(cycleId, taskA)).status === 'submitted' ? true : undefined),
      10_000,
    );

    // The supervisor sees the diff against version 1 and approves.
    await open(supervisor, `#/review/${encodeURIComponent(cycleId)}/${taskA}`);
    await supervisor.getByText('与第1版相比的修改').waitFor();
    await supervisor.getByTestId('diff').locator('del', { hasText: '2' }).first().waitFor();
    await shot(supervisor, 'review-diff');
    // An approval's comment goes into the timeline and the unit's next digest.
    await supervisor.getByRole('textbox', { name: '说明' }).fill('数据详实，予以通过');
    await button(supervisor, '通过').click();
    await clickForAnswer(supervisor, button(supervisor.getByRole('dialog'), '通过'), 'review');
    const approved = await until(
      'the approval',
      async () => {
        const state = await taskState(cycleId, taskA);
        return state.status === 'approved' ? state : undefined;
      },
      10_000,
    );
    expect(approved).toMatchObject({ light: 'green', completion: 100 });
    const timeline = approved.timeline as { kind: string; details: Record<string, unknown> }[];
    expect(timeline.find((e) => e.kind === 'approved')?.details).toMatchObject({ comment: '数据详实，予以通过' });
    // (The unit reads it in its next day's digest, with the light: test/workflows/cycle.workflow.int-spec.ts.)

    // The coordinator: green on the dashboard, in the count and in the league table.
    const coordinator = await pageOf('coordinator');
    await open(coordinator, `#/dashboard/${encodeURIComponent(cycleId)}`);
    const counts = coordinator.getByTestId('light-counts');
    await counts.getByText('绿灯').waitFor();
    await expect(
      counts.locator('.ant-card', { hasText: '绿灯' }).locator('.ant-statistic-content-value').textContent(),
    ).resolves.toBe('1');
    await expect(
      coordinator
        .getByTestId('league')
        .getByRole('row', { name: /旅程局/ })
        .textContent(),
    ).resolves.toMatch(/旅程局.*1.*1/);
    expect(await coordinator.getByTestId('chart').count()).toBe(3);
    await shot(coordinator, 'dashboard');
  }, 120_000);

  it('lets a unit ask for more time and the coordinator grant it', async () => {
    const taskB = plan.taskIds[1]!;
    const reporter = await pageOf(reporterOf('他家局'), { width: 390, height: 844 });
    await open(reporter, taskPath(cycleId, taskB));
    await reporter.getByRole('spinbutton', { name: '工作日数' }).fill('3');
    await reporter.getByRole('textbox', { name: '原因' }).fill('拆迁协议尚未签订');
    await reporter.getByRole('button', { name: '提交延期申请' }).click();
    await reporter.getByText('延期申请待督查室决定').waitFor();
    await shot(reporter, 'extension-request-phone');

    const coordinator = await pageOf('coordinator');
    await open(coordinator, `#/dashboard/${encodeURIComponent(cycleId)}`);
    await coordinator.getByRole('tab', { name: /延期申请（1）/ }).click();
    const asked = coordinator.getByTestId('extension-requests').getByRole('row', { name: /改造老旧小区5个/ });
    // What the unit asked for and why, beside the decision; granting asks for a confirmation first.
    await asked.getByText('3个工作日').waitFor();
    await asked.getByText('拆迁协议尚未签订').waitFor();
    await button(asked, '同意').click();
    await coordinator.getByRole('dialog').getByText('同意后，截止日期从当前截止日起顺延3个工作日。').waitFor();
    await coordinator.getByRole('dialog').getByRole('button', { name: '确认同意' }).click();
    await coordinator.getByText('已决定').waitFor();
    await until(
      'the extension',
      async () => ((await taskState(cycleId, taskB)).extension === 'granted' ? true : undefined),
      10_000,
    );
  }, 60_000);

  it('exports the report as XLSX and DOCX that open and carry the light', async () => {
    const coordinator = await pageOf('coordinator');
    await open(coordinator, '#/report');
    await coordinator.frameLocator('iframe').getByText('新建幼儿园3所').waitFor();
    await shot(coordinator, 'report');
    const save = async (testId: string, name: string) => {
      const [download] = await Promise.all([
        coordinator.waitForEvent('download'),
        coordinator.getByTestId(testId).click(),
      ]);
      const path = join(downloads, name);
      await download.saveAs(path);
      expect(download.suggestedFilename()).toContain(plan.planName);
      return readFileSync(path);
    };

    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await save('export-xlsx', 'report.xlsx')) as unknown as ArrayBuffer);
    const rows: string[][] = [];
    book.worksheets[0]!.eachRow((row) => rows.push((row.values as unknown[]).slice(1).map((v) => String(v ?? ''))));
    // The title, the summary line, then the table.
    expect(rows[2]).toEqual(['序号', '项目名称', '项目内容', '责任单位', '进展情况', '进度', '完成率']);
    const kindergarten = rows.find((r) => r[2] === '新建幼儿园3所')!;
    expect(kindergarten.slice(4)).toEqual(['已建成幼儿园3所，全部完成。', '绿灯', '100%']);

    const zip = await JSZip.loadAsync(await save('export-docx', 'report.docx'));
    const xml = await zip.file('word/document.xml')!.async('string');
    const cells = [...xml.matchAll(/<w:tc>([\s\S]*?)<\/w:tc>/g)].map((cell) =>
      [...cell[1]!.matchAll(/<w:t[^>]*>([^<]*)<\/w:t>/g)].map((t) => t[1]).join(''),
    );
    expect(cells.slice(0, 7)).toEqual(['序号', '项目名称', '项目内容', '责任单位', '进展情况', '进度', '完成率']);
    const at = cells.indexOf('新建幼儿园3所');
    expect(cells.slice(at, at + 5)).toEqual([
      '新建幼儿园3所',
      expect.stringContaining('旅程局'),
      '已建成幼儿园3所，全部完成。',
      '绿灯',
      '100%',
    ]);
  }, 60_000);

  it('refuses a reporter another unit’s task', async () => {
    const other = await pageOf(reporterOf('他家局'), { width: 390, height: 844 });
    await open(other, taskPath(cycleId, plan.taskIds[0]!));
    await other.getByTestId('task-error').getByText('您的单位不承担此任务').waitFor();
    const status = await other.evaluate(
      async (path) => (await fetch(path)).status,
      `/api/cycles/${encodeURIComponent(cycleId)}/tasks/${plan.taskIds[0]}/workspace`,
    );
    expect(status).toBe(403);
    await shot(other, 'foreign-task-403');
  }, 30_000);

  it('shows an overdue task red, nudges it and lists its 督办单 in the register', async () => {
    // A fast rehearsal of the same plan: one-second days, nobody reports.
    const started = await fetch(
      `${url}/api/cycles`,
      asTestAdmin({
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ plan: plan.planName, quarter: '2020Q3', rehearsal: { daySeconds: 1 } }),
      }),
    );
    const { cycleId: fast } = (await started.json()) as { cycleId: string };
    await until(
      'a 督办单 for each task',
      async () => {
        const response = await fetch(`${url}/api/cycles/${encodeURIComponent(fast)}/notices`, asTestAdmin());
        const open = response.ok ? ((await response.json()) as unknown[]) : [];
        return open.length >= 2 ? true : undefined;
      },
      90_000,
    );
    const coordinator = await pageOf('coordinator');
    await open(coordinator, `#/dashboard/${encodeURIComponent(fast)}`);
    const overdue = coordinator.getByTestId('overdue-list');
    const row = overdue.getByRole('row', { name: /改造老旧小区5个/ });
    await row.getByText(/逾期\d+个工作日/).waitFor();
    await expect(
      row
        .getByText(/逾期\d+个工作日/)
        .evaluate(
          (e) =>
            (globalThis as unknown as { getComputedStyle: (e: unknown) => { color: string } }).getComputedStyle(e)
              .color,
        ),
    ).resolves.toBe('rgb(200, 22, 29)');
    await expect(
      coordinator
        .getByTestId('light-counts')
        .locator('.ant-card', { hasText: '逾期' })
        .locator('.ant-statistic-content-value')
        .textContent(),
    ).resolves.toBe('2');
    await shot(coordinator, 'dashboard-overdue');

    await button(row, '催办').click();
    await coordinator
      .getByRole('dialog')
      .getByRole('button', { name: /催\s?办/ })
      .click();
    await coordinator.getByText('已催办').waitFor();
    await until(
      'the nudge',
      async () =>
        ((await taskState(fast, plan.taskIds[1]!)).timeline as { kind: string }[]).some((e) => e.kind === 'nudged')
          ? true
          : undefined,
      10_000,
    );

    await open(coordinator, `#/notices/${encodeURIComponent(fast)}`);
    const notice = coordinator.locator('.ant-table-tbody tr.ant-table-row', { hasText: '改造老旧小区5个' });
    await notice.getByText(/^督办〔2020〕第\d+号$/).waitFor();
    await shot(coordinator, 'notice-register-journey');
  }, 150_000);

  it('shows the captured mail to an admin', async () => {
    const admin = await pageOf(TEST_ADMIN);
    await open(admin, '#/mail');
    await admin.getByTestId('mailbox').locator('.ant-collapse-item').first().waitFor();
    await shot(admin, 'mailbox');
  }, 30_000);

  it('broke no rule of the content security policy on any page above (dashboard, report, mail)', () => {
    expect(policyViolations).toEqual([]);
  });
});
