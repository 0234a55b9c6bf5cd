/**
 * The web app in a real browser (Debian's Chromium through playwright-core)
 * against the running API and worker: sign in as a reporter, see 我的任务 with
 * the unit's task, switch to English; a wrong password is refused in
 * Chinese; a reporter of another unit sees only their own task; a temporary
 * password must be replaced before anything else. Screenshots
 * of each page go to .data/test/screenshots.
 */
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';
import type { DataSource } from 'typeorm';
import { setPassword } from '#auth';
import { loadConfig } from '#config';
import { createDataSource } from '#persistence';
import { deepLinksFor } from '#runtime';
import type { ManagedProcess } from '../infra/dev/processes.js';
import { button, launchChromium } from './support/browser.js';
import { importTestPlan, type TestPlan } from './support/cycle-fixtures.js';
import { readTestStack, startQuietRehearsal, startWorkerAndApi, testDataDir } from './support/test-stack.js';

const stack = readTestStack();
const logDir = mkdtempSync(join(tmpdir(), 'duban-web-e2e-'));
const screenshots = join(testDataDir(), 'screenshots');
const PASSWORD = 'browser test password';
const processes: ManagedProcess[] = [];
let url: string;
let dataSource: DataSource;
let plan: TestPlan;
let browser: Browser;
let cycleId: string;

const reporterOf = (unit: string) => `reporter.${plan.unitIds[unit]!.slice(0, 8)}`;

beforeAll(async () => {
  mkdirSync(screenshots, { recursive: true });
  dataSource = createDataSource(stack.databaseUrl, 'duban-web-e2e');
  await dataSource.initialize();
  const started = await startWorkerAndApi(logDir);
  processes.push(...started.processes);
  url = started.url;
  plan = await importTestPlan(dataSource, 'web', [
    { content: '新建幼儿园3所', units: ['网页局'] },
    { content: '改造老旧小区5个', units: ['别家局'] },
  ]);
  cycleId = await startQuietRehearsal(url, plan.planName, plan.taskIds[1]!);
  for (const unit of ['网页局', '别家局']) await setPassword(dataSource, reporterOf(unit), PASSWORD);
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await Promise.all(processes.map((p) => p.stop(20_000)));
  await dataSource?.destroy();
});

async function signIn(page: Page, login: string, password: string): Promise<void> {
  await page.goto(url);
  await page.getByLabel('用户名或邮箱').fill(login);
  await page.getByLabel('密码').fill(password);
  await button(page, '登录').click();
}

describe('the web app', () => {
  it('refuses a wrong password in Chinese, then shows a reporter their unit’s tasks, in English on request', async () => {
    const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN' });
    const page = await context.newPage();
    try {
      await page.goto(url);
      expect(await page.title()).toBe('督办 Duban');
      expect(await page.evaluate('document.documentElement.lang')).toBe('zh-CN');
      // The sign-in page names the system and the organisation (ORG_NAME, SYSTEM_NAME: their defaults here).
      const names = page.getByTestId('sign-in-names');
      await names.getByText('区政府督查室').waitFor();
      await names.getByText('政府工作报告重点任务督办系统').waitFor();
      await page.screenshot({ path: join(screenshots, 'login.png') });
      await signIn(page, reporterOf('网页局'), 'not the password');
      await expect(page.getByRole('alert').textContent()).resolves.toContain('用户名或密码错误');

      await signIn(page, reporterOf('网页局'), PASSWORD);
      await page.getByText('我的任务').first().waitFor();
      await page.getByText('新建幼儿园3所').waitFor();
      // The deadline as the rehearsal simulates it (the lead deadline of 2020-Q3), not today's date.
      expect(await page.getByText('2020-10-14').count()).toBe(1);
      // …and the working days left to it, counted on the rehearsal's calendar from its simulated today.
      const { items } = (await page.evaluate(async () => {
        const cycles = (await (await fetch('/api/cycles')).json()) as { id: string }[];
        return (await fetch(`/api/cycles/${encodeURIComponent(cycles[0]!.id)}/tasks`)).json();
      })) as { items: { workingDaysLeft: number }[] };
      expect(items[0]!.workingDaysLeft).toBeGreaterThan(10);
      expect(await page.getByText(`还剩${items[0]!.workingDaysLeft}个工作日`).count()).toBe(1);
      expect(await page.getByText('改造老旧小区5个').count()).toBe(0);
      expect(await page.getByText('待填报').count()).toBeGreaterThan(0);
      // The quarter as people read it (the cycle picker), never its code; the office in the header.
      await page
        .getByText(/2020年第三季度/)
        .first()
        .waitFor();
      await page.getByTestId('organisation').getByText('区政府督查室').waitFor();
      await expect(page.locator('body').innerText()).resolves.not.toContain('2020Q3');
      await page.screenshot({ path: join(screenshots, 'my-tasks.png'), fullPage: true });

      await page.getByRole('button', { name: 'English' }).click();
      await page.getByText('My tasks').first().waitFor();
      expect(await page.getByText('to report').count()).toBeGreaterThan(0);
      await page
        .getByText(/2020 Q3/)
        .first()
        .waitFor();
      await page.screenshot({ path: join(screenshots, 'my-tasks-en.png'), fullPage: true });
      // The session is an httpOnly cookie: the page's script cannot read it.
      expect(await page.evaluate('document.cookie')).not.toContain('duban_session');
    } finally {
      await context.close();
    }
  }, 60_000);

  it('shows another unit’s reporter only their own task, at phone width too', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'zh-CN' });
    const page = await context.newPage();
    try {
      await signIn(page, reporterOf('别家局'), PASSWORD);
      await page.getByText('改造老旧小区5个').waitFor();
      expect(await page.getByText('新建幼儿园3所').count()).toBe(0);
      await page.screenshot({ path: join(screenshots, 'my-tasks-phone.png'), fullPage: true });
    } finally {
      await context.close();
    }
  }, 60_000);

  it('opens an email’s link for the person it was sent to, and says why it opens nothing for anyone else', async () => {
    // Links as the worker writes them into emails (signed with the same secret as the API's).
    const links = deepLinksFor(loadConfig());
    const claims = {
      purpose: 'report' as const,
      cycleId,
      taskId: plan.taskIds[0]!,
      unitId: plan.unitIds['网页局']!,
      personId: reporterOf('网页局'),
    };
    const token = links.token(claims);
    const visit = async (login: string, path: string) => {
      const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN' });
      const page = await context.newPage();
      await page.goto(`${url}${path}`);
      await page.getByLabel('用户名或邮箱').fill(login);
      await page.getByLabel('密码').fill(PASSWORD);
      await button(page, '登录').click();
      await page.getByText('我的任务').first().waitFor();
      return { page, context };
    };
    // The person it was sent to: the task's form.
    const own = await visit(reporterOf('网页局'), `/go/${token}`);
    try {
      await own.page.waitForFunction(
        `location.hash.startsWith(${JSON.stringify('#/tasks/')}) && location.hash.endsWith(${JSON.stringify(plan.taskIds[0])})`,
      );
      await own.page.getByText('新建幼儿园3所').first().waitFor();
      expect(await own.page.getByTestId('link-notice').count()).toBe(0);
      // The figure's target in the plan's words, with full-width brackets; the rehearsal's timeline on its simulated day.
      await own.page.getByText('新建幼儿园（全年目标3所）· 累计至本季度末').waitFor();
      await own.page
        .getByTestId('timeline')
        .getByText(/2020年\d+月\d+日/)
        .first()
        .waitFor();
      await expect(own.page.locator('body').innerText()).resolves.not.toMatch(/2020Q3| = \d/);
      await own.page.screenshot({ path: join(screenshots, 'task-form-words.png'), fullPage: true });
    } finally {
      await own.context.close();
    }
    // Someone else signed in: not opened, and told so.
    const other = await visit(reporterOf('别家局'), `/go/${token}`);
    try {
      const notice = other.page.getByTestId('link-notice');
      await expect(notice.textContent()).resolves.toContain('此链接是发给另一位用户的');
      expect(other.page.url()).not.toContain(plan.taskIds[0]!);
      await other.page.screenshot({ path: join(screenshots, 'link-other-person.png') });
    } finally {
      await other.context.close();
    }
    // An expired link: refused, and said so.
    const expired = await visit(reporterOf('网页局'), `/go/${links.token(claims, Date.now() - 400 * 86_400_000)}`);
    try {
      await expect(expired.page.getByTestId('link-notice').textContent()).resolves.toContain('邮件中的链接已过期');
    } finally {
      await expired.context.close();
    }
    // An altered link: refused, and said so (the signature no longer matches).
    const altered = token.slice(0, -3) + (token.endsWith('AAA') ? 'BBB' : 'AAA');
    const broken = await visit(reporterOf('网页局'), `/go/${altered}`);
    try {
      const notice = broken.page.getByTestId('link-notice');
      await expect(notice.textContent()).resolves.toContain('邮件中的链接无效');
      await broken.page.screenshot({ path: join(screenshots, 'link-altered.png') });
    } finally {
      await broken.context.close();
    }
  }, 90_000);

  it('asks for one’s own password first after signing in with a temporary one', async () => {
    const login = reporterOf('别家局');
    await setPassword(dataSource, login, 'a temporary password', { mustChange: true });
    const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN' });
    const page = await context.newPage();
    try {
      await signIn(page, login, 'a temporary password');
      await page.getByText('首次登录，请设置您自己的密码').waitFor();
      expect(await page.getByText('改造老旧小区5个').count()).toBe(0);
      await page.getByLabel('当前密码').fill('a temporary password');
      await page.getByLabel('新密码（至少10个字符）').fill('my very own password');
      await page.getByLabel('再次输入新密码').fill('my very own password');
      await page.screenshot({ path: join(screenshots, 'change-password.png') });
      await button(page, '保存').click();
      await page.getByText('改造老旧小区5个').waitFor();
    } finally {
      await context.close();
    }
    const again = await fetch(`${url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ login, password: 'my very own password' }),
    });
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ mustChange: false, person: { mustChange: false } });
  }, 60_000);
});
