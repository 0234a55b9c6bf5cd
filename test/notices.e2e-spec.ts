/**
 * The 督办单 in a real browser, from issue to reply to close: a rehearsal
 * paced by hand reaches the third working day late (day 20), when two
 * unreported tasks each get a numbered 督办单 — mailed to the unit's reporter
 * and leader, never one mail each to the 督查室. The reporter replies on the
 * task's page; the coordinator finds both in the register (number, dates,
 * states), asks one unit again and closes the other in bulk, with progress;
 * the printed 督办单 (DOCX) renders in LibreOffice as one A4 page with its
 * number. Screenshots go to .data/test/screenshots.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Client, Connection } from '@temporalio/client';
import JSZip from 'jszip';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { DataSource } from 'typeorm';
import { setPassword } from '#auth';
import { nextDayUpdate } from '#contracts';
import { startCycle } from '#cycles';
import { createDataSource } from '#persistence';
import type { ManagedProcess } from '../infra/dev/processes.js';
import { launchChromium, signIn } from './support/browser.js';
import { demoAddress, importTestPlan, mailTo, type TestPlan } from './support/cycle-fixtures.js';
import { asTestAdmin, readTestStack, startWorkerAndApi, SUITE_TASK_QUEUE, testDataDir } from './support/test-stack.js';

const stack = readTestStack();
const logDir = mkdtempSync(join(tmpdir(), 'duban-notices-e2e-'));
const screenshots = join(testDataDir(), 'screenshots');
const PASSWORD = 'notice test password';
/** The default ladder: the lead deadline is day 17 of 2020-Q3's grid, so day 20 is the third working day late. */
const NOTICE_DAY = 20;
const processes: ManagedProcess[] = [];
let url: string;
let dataSource: DataSource;
let connection: Connection;
let plan: TestPlan;
let cycleId: string;
let browser: Browser;
const contexts = new Map<string, BrowserContext>();

const reporterOf = (unit: string) => `reporter.${plan.unitIds[unit]!.slice(0, 8)}`;

beforeAll(async () => {
  mkdirSync(screenshots, { recursive: true });
  dataSource = createDataSource(stack.databaseUrl, 'duban-notices-e2e');
  await dataSource.initialize();
  const started = await startWorkerAndApi(logDir);
  processes.push(...started.processes);
  url = started.url;
  plan = await importTestPlan(dataSource, 'notices', [
    { content: '新建社区食堂4个', units: ['督办甲局'] },
    { content: '改造背街小巷6条', units: ['督办乙局'] },
  ]);
  connection = await Connection.connect({ address: stack.temporalAddress });
  const client = new Client({ connection });
  ({ cycleId } = await startCycle(client, {
    planId: plan.planId,
    quarter: '2020Q3',
    clock: { kind: 'rehearsal', daySeconds: 1, pace: 'manual' },
    taskQueue: SUITE_TASK_QUEUE,
    rehearsalTag: plan.suffix,
  }));
  // Nobody reports: the days up to the third working day late, each answered once its steps and digests are done.
  await client.workflow.getHandle(cycleId).executeUpdate(nextDayUpdate, { args: [{ through: NOTICE_DAY }] });
  // The cycle's start gave the test plan's units their demo people.
  for (const login of [reporterOf('督办甲局'), 'coordinator']) await setPassword(dataSource, login, PASSWORD);
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await connection?.close();
  await Promise.all(processes.map((p) => p.stop(20_000)));
  await dataSource?.destroy();
});

async function pageOf(login: string): Promise<Page> {
  let context = contexts.get(login);
  if (!context) {
    context = await browser.newContext({
      viewport: { width: 1366, height: 768 },
      locale: 'zh-CN',
      acceptDownloads: true,
    });
    contexts.set(login, context);
    return signIn(context, url, login, PASSWORD);
  }
  return context.pages()[0] ?? context.newPage();
}

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(screenshots, `${name}.png`), fullPage: true });
}

interface NoticeJson {
  taskId: string;
  taskCycleId: string;
  seq: number;
  number: string | null;
  state: string;
  reply: string | null;
  requirement: string | null;
  outcome: string | null;
}
async function register(): Promise<NoticeJson[]> {
  const response = await fetch(`${url}/api/cycles/${encodeURIComponent(cycleId)}/notices`, asTestAdmin());
  expect(response.status).toBe(200);
  return (await response.json()) as NoticeJson[];
}

describe('督办单 from issue to reply to close', () => {
  it('issues a numbered 督办单 to each late unit (reporter and leader), and none by mail to the 督查室', async () => {
    const notices = await register();
    expect(notices.map((n) => n.state)).toEqual(['issued', 'issued']);
    const numbers = notices.map((n) => Number(/第(\d+)号/.exec(n.number ?? '')?.[1]));
    expect(numbers[1]).toBe(numbers[0]! + 1); // consecutive, numbered at issue
    for (const unit of ['督办甲局', '督办乙局']) {
      for (const role of ['reporter', 'leader'] as const) {
        const mail = (await mailTo(stack, demoAddress(role, plan.unitIds[unit]!))).filter((m) =>
          m.subject?.startsWith('【督办单】督办〔2020〕第'),
        );
        // It heads that morning's digest (one mail a day, however many tasks are late), with the requirement.
        expect(mail).toHaveLength(1);
        expect(mail[0]!.text).toContain('督办要求：请立即报送本季度进展');
        expect(mail[0]!.text).toContain('前书面反馈');
      }
    }
    const toOffice = await mailTo(stack, 'coordinator@demo.duban.local');
    expect(toOffice.filter((m) => m.subject?.includes(plan.suffix))).toEqual([]);
  });

  it('takes the unit’s written reply on its task page', async () => {
    const reporter = await pageOf(reporterOf('督办甲局'));
    const [notice] = (await register()).filter((n) => n.taskId === plan.taskIds[0]);
    await reporter.goto(`${url}/#/tasks/${encodeURIComponent(cycleId)}/${plan.taskIds[0]}`);
    const card = reporter.getByTestId('notice-card');
    await card.getByText(notice!.number!).waitFor();
    await card.getByText('已签发待反馈').waitFor();
    await card
      .getByRole('textbox', { name: '书面反馈' })
      .fill('因食堂选址调整逾期，已于本周报送进展，11月底前全部开工。');
    // Repeated steps are one line each in the timeline, dated by the rehearsal's days, opened to show every one.
    const reminders = reporter.getByTestId('timeline-repeated').filter({ hasText: '已提醒 ×3' });
    await reminders.getByText('（10月10日—10月14日）').waitFor();
    await reminders.getByText('已提醒 ×3').click();
    await expect(reminders.locator('li').count()).resolves.toBe(3);
    await reporter.getByTestId('timeline-repeated').filter({ hasText: '逾期 ×2' }).waitFor();
    // Evidence goes with the reply: the site-selection decision as a PDF.
    const decision = join(mkdtempSync(join(tmpdir(), 'duban-notice-evidence-')), '选址调整批复.pdf');
    writeFileSync(decision, '%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');
    const attach = card.getByTestId('evidence-notice_reply');
    await attach.locator('input[type=file]').setInputFiles(decision);
    await attach.getByText('选址调整批复.pdf').waitFor();
    await shot(reporter, 'notice-reply');
    await card.getByTestId('notice-reply-submit').click();
    await card.getByText('已反馈待办结').waitFor();
    const replied = (await register()).find((n) => n.taskId === plan.taskIds[0])!;
    expect(replied).toMatchObject({
      state: 'replied',
      reply: '因食堂选址调整逾期，已于本周报送进展，11月底前全部开工。',
    });
    // The file went with that reply: named in its timeline line, and no longer waiting to be sent.
    await reporter
      .getByTestId('timeline-evidence')
      .getByText(/选址调整批复\.pdf/)
      .waitFor();
    await expect(card.getByTestId('evidence-notice_reply').getByText('选址调整批复.pdf').count()).resolves.toBe(0);
    const task = (await (
      await fetch(`${url}/api/cycles/${encodeURIComponent(cycleId)}/tasks/${plan.taskIds[0]}`, asTestAdmin())
    ).json()) as { timeline: { kind: string; seq: number; evidence?: { fileName: string; mediaType: string }[] }[] };
    const reply = task.timeline.find((e) => e.kind === 'notice_replied')!;
    expect(reply.evidence).toEqual([
      expect.objectContaining({ fileName: '选址调整批复.pdf', mediaType: 'application/pdf' }),
    ]);
  }, 60_000);

  it('lets the 督查室 ask one unit again and close in bulk, and prints a 督办单', async () => {
    const coordinator = await pageOf('coordinator');
    await coordinator.goto(`${url}/#/notices/${encodeURIComponent(cycleId)}`);
    const rows = coordinator.locator('.ant-table-tbody tr.ant-table-row');
    await rows.filter({ hasText: '新建社区食堂4个' }).getByText('已反馈待办结').waitFor();
    await shot(coordinator, 'notice-register');
    // Ask again with a requirement: back to the unit, a second mail with it.
    await rows.filter({ hasText: '新建社区食堂4个' }).getByRole('button', { name: '要求重新反馈' }).click();
    await coordinator.getByRole('dialog').getByRole('textbox', { name: '督办要求' }).fill('请补充开工时间表');
    await coordinator.getByRole('dialog').getByRole('button', { name: '要求重新反馈' }).click();
    await rows.filter({ hasText: '新建社区食堂4个' }).getByText('已签发待反馈').waitFor();
    const again = (await mailTo(stack, demoAddress('reporter', plan.unitIds['督办甲局']!))).filter((m) =>
      m.text?.includes('请补充开工时间表'),
    );
    expect(again).toHaveLength(1);
    expect(again[0]!.subject).toContain('请重新书面反馈');

    // The unit replies again; the 督查室 selects both rows and closes: only the replied one can be closed.
    const [first] = (await register()).filter((n) => n.taskId === plan.taskIds[0]);
    const replied = await fetch(
      `${url}/api/cycles/${encodeURIComponent(cycleId)}/tasks/${plan.taskIds[0]}/notice-reply`,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'X-Duban-User': reporterOf('督办甲局'),
          'X-Duban-Role': 'reporter',
        },
        body: JSON.stringify({
          notice: first!.seq,
          action: 'reply',
          text: '开工时间表：11月20日前3个，11月30日前1个。',
        }),
      },
    );
    expect(replied.status).toBe(200);
    await coordinator.reload();
    await rows.filter({ hasText: '新建社区食堂4个' }).getByText('已反馈待办结').waitFor();
    for (const task of ['新建社区食堂4个', '改造背街小巷6条']) {
      await rows.filter({ hasText: task }).locator('.ant-checkbox-input').check();
    }
    await coordinator.getByTestId('notice-selected').getByText('已选 2 件').waitFor();
    await coordinator.getByTestId('bulk-accept').click();
    const confirm = coordinator.getByRole('dialog').filter({ hasText: '确认办结所选 1 件督办单？' });
    await confirm.getByRole('button', { name: /^办\s?结$/ }).click();
    await coordinator.getByTestId('notice-progress').getByText('1/1').waitFor();
    await rows.filter({ hasText: '新建社区食堂4个' }).getByText('已办结').waitFor();
    await shot(coordinator, 'notice-register-closed');
    // The dashboard counts the 督办单 still open (one of two) and leads to the register.
    await coordinator.goto(`${url}/#/dashboard/${encodeURIComponent(cycleId)}`);
    await expect(
      coordinator.getByTestId('open-notices').locator('.ant-statistic-content-value').textContent(),
    ).resolves.toBe('1');
    const after = await register();
    // (Both were issued the same morning: which got the lower number is the order their task-cycles recorded.)
    expect(after.map((n) => [n.taskId, n.state, n.outcome]).sort()).toEqual(
      [
        [plan.taskIds[0], 'closed', 'accepted'],
        [plan.taskIds[1], 'issued', null],
      ].sort(),
    );
    const [timeline] = (await dataSource.query(
      `SELECT array_agg(e.kind ORDER BY e.seq) AS kinds FROM task_cycle_event e
        JOIN task_cycle tc ON tc.id = e.task_cycle_id WHERE tc.cycle_id = $1 AND tc.task_id = $2 AND e.kind LIKE 'notice_%'`,
      [cycleId, plan.taskIds[0]],
    )) as { kinds: string[] }[];
    expect(timeline!.kinds).toEqual([
      'notice_issued',
      'notice_replied',
      'notice_asked_again',
      'notice_replied',
      'notice_closed',
    ]);

    // The printed 督办单: DOCX → PDF with LibreOffice, one A4 page with its number, task and reply.
    const notice = after.find((n) => n.taskId === plan.taskIds[0])!;
    const docx = await fetch(
      `${url}/api/cycles/${encodeURIComponent(cycleId)}/notices/${encodeURIComponent(notice.taskCycleId)}/${notice.seq}/docx`,
      asTestAdmin(),
    );
    expect(docx.status).toBe(200);
    const dir = mkdtempSync(join(tmpdir(), 'duban-notice-docx-'));
    const bytes = Buffer.from(await docx.arrayBuffer());
    writeFileSync(join(dir, 'notice.docx'), bytes);
    // A narrow label column beside a wide one (a table of equal columns wastes half the page).
    const xml = await (await JSZip.loadAsync(bytes)).file('word/document.xml')!.async('string');
    const [label, value] = [...xml.matchAll(/<w:gridCol w:w="(\d+)"/g)].map((m) => Number(m[1]));
    expect(value! / label!).toBeGreaterThan(3);
    execFileSync(
      'soffice',
      [
        '--headless',
        `-env:UserInstallation=file://${dir}/profile`,
        '--convert-to',
        'pdf',
        '--outdir',
        dir,
        join(dir, 'notice.docx'),
      ],
      {
        stdio: 'ignore',
        timeout: 120_000,
      },
    );
    const info = execFileSync('pdfinfo', [join(dir, 'notice.pdf')], { encoding: 'utf8' });
    expect(/Pages:\s+(\d+)/.exec(info)![1]).toBe('1');
    expect(info).toMatch(/Page size:\s+595\.\d+ x 841\.\d+/); // A4
    const text = execFileSync('pdftotext', ['-layout', join(dir, 'notice.pdf'), '-'], { encoding: 'utf8' });
    const flat = text.replace(/\s+/g, '');
    expect(flat).toContain('督办单');
    expect(flat).toContain(notice.number!.replace(/\s+/g, ''));
    expect(flat).toContain('新建社区食堂4个');
    expect(flat).toContain('开工时间表');
    expect(flat).toContain('反馈已认可，办结');
    expect(readFileSync(join(dir, 'notice.pdf')).length).toBeGreaterThan(1000);
  }, 180_000);
});
