/**
 * The setting-up pages in a real browser (Debian's Chromium through
 * playwright-core) against the running API and worker: an admin previews a
 * plan table (rows and warnings, nothing stored yet), imports it, starts a
 * rehearsal and watches its task-cycles start, reads the unit directory,
 * corrects the calendar, sets the plan's cycle numbers; a coordinator finds
 * a task and corrects it (its next version, audited); an admin adds a user
 * who must then choose a password — signing in with the keyboard alone.
 * Screenshots go to .data/test/screenshots.
 */
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';
import type { DataSource } from 'typeorm';
import { setPassword } from '#auth';
import { createDataSource } from '#persistence';
import { importPlan, PlanRepository } from '#plans';
import { REPO_ROOT, type ManagedProcess } from '../infra/dev/processes.js';
import { button, launchChromium, signIn } from './support/browser.js';
import { readTestStack, startWorkerAndApi, TEST_ADMIN, testDataDir } from './support/test-stack.js';

const stack = readTestStack();
const logDir = mkdtempSync(join(tmpdir(), 'duban-setup-e2e-'));
const screenshots = join(testDataDir(), 'screenshots');
const PASSWORD = 'setup test password';
const suffix = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 5)}`;
const planName = `setup-${suffix}`;
const processes: ManagedProcess[] = [];
let url: string;
let dataSource: DataSource;
let browser: Browser;
let admin: Page;

beforeAll(async () => {
  mkdirSync(screenshots, { recursive: true });
  dataSource = createDataSource(stack.databaseUrl, 'duban-setup-e2e');
  await dataSource.initialize();
  const started = await startWorkerAndApi(logDir);
  processes.push(...started.processes);
  url = started.url;
  await setPassword(dataSource, TEST_ADMIN, PASSWORD);
  browser = await launchChromium();
  admin = await (await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN' })).newPage();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await Promise.all(processes.map((p) => p.stop(20_000)));
  await dataSource?.destroy();
});

/** Signs in with the keyboard alone: Tab to each field, Enter to send. */
async function signInByKeyboard(page: Page, login: string, password: string): Promise<void> {
  await page.goto(url);
  await page.getByLabel('用户名或邮箱').waitFor();
  for (let i = 0; i < 10; i += 1) {
    await page.keyboard.press('Tab');
    if (
      await page
        .getByLabel('用户名或邮箱')
        .evaluate((e) => e === (e.ownerDocument as { activeElement: unknown }).activeElement)
    ) {
      break;
    }
  }
  await page.keyboard.type(login);
  await page.keyboard.press('Tab');
  await page.keyboard.type(password);
  await page.keyboard.press('Enter');
}

describe('setting up in the browser', () => {
  it('signs an admin in with the keyboard alone', async () => {
    await signInByKeyboard(admin, TEST_ADMIN, PASSWORD);
    await admin.getByTestId('signed-in-as').waitFor();
    await admin.getByRole('menuitem', { name: '计划' }).waitFor();
  }, 30_000);

  it('previews a plan table with its warnings, stores nothing, then imports it', async () => {
    await admin.goto(`${url}/#/plans`);
    const csv = [
      '序号,主要任务,责任单位,完成情况',
      '(一)设置类别,,,',
      `1,新建停车泊位800个,区住建局${suffix}、区城管局${suffix},`,
      `2,改造农贸市场3家,区商务局${suffix},`,
      '3,开展专项整治行动,,',
    ].join('\n');
    // The file picker is Ant Design's, in Chinese: no browser control saying "Choose file" is shown.
    await admin.getByRole('button', { name: '选择计划表文件' }).waitFor();
    await expect(admin.locator('input[type=file]').isVisible()).resolves.toBe(false);
    await admin
      .getByTestId('plan-file')
      .locator('input[type=file]')
      .setInputFiles({
        name: `${planName}.csv`,
        mimeType: 'text/csv',
        buffer: Buffer.from(csv, 'utf8'),
      });
    await admin.getByRole('textbox', { name: '计划名称（可选）' }).fill(planName);
    await button(admin, '预览').click();
    await admin.getByTestId('import-summary').getByText('预览（未保存）：2项任务').waitFor();
    await admin.getByTestId('import-preview').getByText('新建停车泊位800个').first().waitFor();
    // The target as the plan writes it, never the parser's "新建停车泊位 = 800个".
    await admin.getByTestId('import-preview').getByText('新建停车泊位800个', { exact: true }).nth(1).waitFor();
    await expect(admin.getByTestId('import-preview').textContent()).resolves.not.toMatch(/ = \d/);
    // The row without a unit is left out, and said so with where it is.
    await admin
      .getByTestId('import-warnings')
      .getByText(/第5行第2列.*缺少责任单位/)
      .waitFor();
    await admin.screenshot({ path: join(screenshots, 'plan-import-preview.png'), fullPage: true });
    expect(await dataSource.query(`SELECT 1 FROM plan WHERE name = $1`, [planName])).toEqual([]);

    // Warnings must be acknowledged before the import goes through.
    await expect(admin.getByRole('button', { name: '确认导入' }).isDisabled()).resolves.toBe(true);
    await admin.getByRole('checkbox', { name: '已核对，仍然导入' }).check();
    await admin.getByRole('button', { name: '确认导入' }).click();
    await admin
      .getByTestId('import-summary')
      .getByText(/已导入：新增2项/)
      .waitFor();
    const [{ tasks }] = (await dataSource.query(
      `SELECT count(t.id)::int AS tasks FROM plan p JOIN task t ON t.plan_id = p.id WHERE p.name = $1`,
      [planName],
    )) as [{ tasks: number }];
    expect(tasks).toBe(2);
  }, 60_000);

  it('previews a table of limits and reductions with the light its figures give at the title’s quarter', async () => {
    await admin.goto(`${url}/#/plans`);
    await admin.reload();
    await admin
      .getByTestId('plan-file')
      .locator('input[type=file]')
      .setInputFiles(join(REPO_ROOT, 'test/fixtures/office-cases/F12-limit-and-reduction-targets.csv'));
    await button(admin, '预览').click();
    await admin
      .getByTestId('import-summary')
      .getByText(/预览（未保存）：7项任务.*2025年第三季度/)
      .waitFor();
    const preview = admin.getByTestId('import-preview');
    await preview.getByRole('columnheader', { name: '按导入进展' }).waitFor();
    const lightOf = (text: string) =>
      preview
        .getByRole('row', { name: new RegExp(text) })
        .locator('.ant-badge')
        .innerText();
    // 6.1% against a 5.5% limit, a 1.2% fall against 3% asked: red; 3.1% within 3.5%: green.
    await expect(lightOf('城镇调查失业率控制在5.5%以内')).resolves.toBe('红灯');
    await expect(lightOf('能耗下降3%以上')).resolves.toBe('红灯');
    await expect(lightOf('城镇登记失业率控制在3.5%以内')).resolves.toBe('绿灯');
    await admin.screenshot({ path: join(screenshots, 'plan-import-lights.png'), fullPage: true });
  }, 60_000);

  it('previews a text copy in another column order: groups marked, a doubtful row flagged with its reason', async () => {
    const cells = [
      ...['序号', '内容与要求', '进展情况', '责任单位'],
      ...['1', 'PM2.5平均浓度控制在30微克/立方米以下', '1-9月平均浓度28微克/立方米', '生态环境', '拱墅分局'],
      ...['2', '新增就业1.2万人', '1-9月新增就业9800人', '区人社局、各街道'],
    ];
    await admin.goto(`${url}/#/plans`);
    await admin.reload();
    await admin
      .getByTestId('plan-file')
      .locator('input[type=file]')
      .setInputFiles({ name: 'paste.txt', mimeType: 'text/plain', buffer: Buffer.from(cells.join('\n\n')) });
    await button(admin, '预览').click();
    await admin
      .getByTestId('import-summary')
      .getByText(/预览（未保存）：2项任务/)
      .waitFor();
    const preview = admin.getByTestId('import-preview');
    const row = (text: string) => preview.getByRole('row', { name: new RegExp(text) });
    // The narrative before the units is the task, the one after it the progress; the unit is whole.
    await row('PM2.5平均浓度控制在30微克').getByText('生态环境拱墅分局').waitFor();
    await row('PM2.5平均浓度控制在30微克').getByTestId('row-doubtful').waitFor();
    await row('新增就业1.2万人').getByTestId('unit-group').getByText('集合').waitFor();
    await expect(row('新增就业1.2万人').getByTestId('row-doubtful').count()).resolves.toBe(0);
    await admin
      .getByTestId('import-warnings')
      .getByText(/“生态环境”与“拱墅分局”合为一个单位名/)
      .waitFor();
    await admin.screenshot({ path: join(screenshots, 'plan-import-text-copy.png'), fullPage: true });
  }, 60_000);

  it('starts a rehearsal and shows its task-cycles starting, then the directory it filled', async () => {
    await admin.getByRole('tab', { name: '启动周期' }).click();
    await admin.getByRole('combobox', { name: '计划' }).click();
    await admin.locator('.ant-select-item-option', { hasText: planName }).click();
    await admin.getByRole('spinbutton', { name: '演练每天秒数' }).fill('600');
    await button(admin, '启动').click();
    await admin.getByTestId('cycle-progress').getByText('2 / 2').waitFor({ timeout: 60_000 });
    // The cycle named as people read it, not by its workflow id's quarter code.
    await admin
      .getByTestId('cycle-progress')
      .getByText(/2020年第三季度/)
      .waitFor();
    await expect(admin.locator('body').innerText()).resolves.not.toContain('2020Q3');
    await admin
      .getByTestId('cycle-progress')
      .getByText(/待填报 2/)
      .waitFor();
    await admin.screenshot({ path: join(screenshots, 'plan-start-cycle.png'), fullPage: true });

    await admin.getByRole('tab', { name: '单位名录' }).click();
    const directory = admin.getByTestId('directory');
    const row = directory.getByRole('row', { name: new RegExp(`区住建局${suffix}`) });
    await row.waitFor();
    // The rehearsal gave each unit demo contacts: a reporter, a leader and a backup.
    await expect(row.textContent()).resolves.toMatch(/填报人.*负责人.*AB角/);
    await admin.screenshot({ path: join(screenshots, 'plan-directory.png'), fullPage: true });
  }, 90_000);

  it('corrects the calendar and sets the plan’s cycle numbers, in the audit trail', async () => {
    await admin.getByRole('tab', { name: '节假日' }).click();
    // Ant Design's month picker in Chinese (typing 2020-10 works too), not the browser's English one.
    await admin.getByLabel('月份').waitFor();
    await expect(admin.getByLabel('月份').inputValue()).resolves.toBe('2020年10月');
    await admin.getByLabel('月份').fill('2020-10');
    await admin.keyboard.press('Enter');
    await admin
      .getByTestId('calendar')
      .getByRole('row', { name: /2020-10-09.*第1个工作日/ })
      .waitFor();
    await admin
      .getByTestId('calendar')
      .getByRole('row', { name: /2020-10-01.*国庆节/ })
      .waitFor();
    // The Saturday worked for National Day is named for what it is.
    await admin
      .getByTestId('calendar')
      .getByRole('row', { name: /2020-10-10.*国庆节调休上班/ })
      .waitFor();
    await admin.screenshot({ path: join(screenshots, 'plan-calendar.png'), fullPage: true });
    // A correction far from any cycle under test.
    await admin.getByLabel('月份').fill('2099-01');
    await admin.keyboard.press('Enter');
    const day = admin.getByTestId('calendar').getByRole('row', { name: /2099-01-05/ });
    await day.getByText(/第\d+个工作日/).waitFor();
    await day.getByRole('button', { name: '改为放假' }).click();
    await day.getByText('休息日').waitFor();

    await admin.getByRole('tab', { name: '周期配置' }).click();
    await admin.getByRole('spinbutton', { name: '逾期几日发督办单' }).fill('4');
    await button(admin, '保存').click();
    await admin
      .getByTestId('effective-config')
      .getByText(/逾期几日发督办单 4/)
      .waitFor();
    const [{ config }] = (await dataSource.query(`SELECT cycle_config AS config FROM plan WHERE name = $1`, [
      planName,
    ])) as [{ config: Record<string, number> }];
    expect(config).toEqual({ escalatedAfterWorkingDays: 4 });
    const trail = (await dataSource.query(
      `SELECT action FROM audit_event WHERE actor_id = $1 AND action IN ('calendar.corrected', 'plan.cycle_config')
        AND (subject = 'calendar:2099-01-05' OR subject = 'plan:' || (SELECT id FROM plan WHERE name = $2)) ORDER BY id`,
      [TEST_ADMIN, planName],
    )) as { action: string }[];
    expect(trail.map((e) => e.action)).toEqual(['calendar.corrected', 'plan.cycle_config']);
  }, 60_000);

  it('imports a contact list after its preview, and picks 相关街道 where the preflight asks', async () => {
    // A plan of its own: a body's members (区…委各成员单位) and 相关街道 as co-units.
    const goLive = `golive-${suffix}`;
    await importPlan(new PlanRepository(dataSource), {
      bytes: Buffer.from(
        [
          '序号,主要任务,责任单位',
          `1,创建美丽河道3条,区城管局${suffix}、相关街道`,
          `2,争创食品安全区,区市场监管局${suffix}、区${suffix}委各成员单位`,
        ].join('\n'),
        'utf8',
      ),
      fileName: `${goLive}.csv`,
      planName: goLive,
      acceptWarnings: true,
    });
    const list = [
      '单位,姓名,职务,手机,邮箱,角色,所属',
      `区城管局${suffix},秦川,科长,13800001111,qinchuan.${suffix}@test.local,联络员,`,
      `区市场监管局${suffix},吕青,科员,13800001112,lvqing.${suffix}@test.local,联络员,区${suffix}委成员单位`,
      `区卫健局${suffix},韩梅,科员,13800001113,,联络员,区${suffix}委成员单位`,
    ].join('\n');
    await admin.goto(`${url}/#/plans`);
    await admin.reload();
    await admin.getByRole('tab', { name: '通讯录' }).click();
    await admin
      .getByTestId('contacts-file')
      .locator('input[type=file]')
      .setInputFiles({ name: '通讯录.csv', mimeType: 'text/csv', buffer: Buffer.from(list, 'utf8') });
    await button(admin, '预览').click();
    await admin
      .getByTestId('contacts-summary')
      .getByText(/预览（尚未保存）：3个单位、3人（新增3人，更新0人）/)
      .waitFor();
    // 韩梅 has no address: kept, and said where.
    await admin
      .getByTestId('contacts-warnings')
      .getByText(/第4行：韩梅没有邮箱，收不到提醒/)
      .waitFor();
    await admin
      .getByTestId('contacts-groups')
      .getByRole('row', { name: new RegExp(`区${suffix}委成员单位.*区市场监管局${suffix}、区卫健局${suffix}`) })
      .waitFor();
    await admin.screenshot({ path: join(screenshots, 'contacts-preview.png'), fullPage: true });
    expect(await dataSource.query(`SELECT 1 FROM person WHERE id = $1`, [`qinchuan.${suffix}@test.local`])).toEqual([]);
    await admin.getByRole('button', { name: '确认导入' }).click();
    await admin
      .getByTestId('contacts-summary')
      .getByText(/已导入：3个单位、3人/)
      .waitFor();
    expect(await dataSource.query(`SELECT name FROM person WHERE id = $1`, [`qinchuan.${suffix}@test.local`])).toEqual([
      { name: '秦川' },
    ]);

    // The preflight of the plan's quarter: 相关街道 of task 1 is not picked yet; pick two 街道 there.
    await admin.getByRole('tab', { name: '开启前检查' }).click();
    await admin.getByRole('combobox', { name: '计划' }).click();
    await admin.locator('.ant-select-item-option', { hasText: goLive }).click();
    const preflight = admin.getByTestId('preflight');
    const row = preflight.getByRole('row', { name: /第1项的“相关街道”尚未选定具体单位/ });
    await row.waitFor();
    // The body's members from the list: no problem about them.
    await expect(preflight.textContent()).resolves.not.toContain(`区${suffix}委各成员单位`);
    // Two 街道 of this test's own (in no group, so no other test's 各街道 changes).
    const [first, second] = [{ name: `拱宸${suffix}街道` }, { name: `大关${suffix}街道` }];
    await dataSource.query(`INSERT INTO unit (name) VALUES ($1), ($2)`, [first.name, second.name]);
    await admin.getByRole('tab', { name: '通讯录' }).click(); // (the preflight tab reloads its unit list)
    await admin.getByRole('tab', { name: '开启前检查' }).click();
    await row.waitFor();
    // Typed to find it among every 街道 of the directory.
    for (const unit of [first, second]) {
      await row.getByRole('combobox').fill(unit.name);
      await admin.locator('.ant-select-item-option', { hasText: unit.name }).click();
    }
    await admin.keyboard.press('Escape');
    await button(row, '选定').click();
    await row.waitFor({ state: 'detached' });
    await preflight.getByText('无可用邮箱').waitFor(); // 韩梅, who has none
    await admin.screenshot({ path: join(screenshots, 'preflight.png'), fullPage: true });
    const picked = (await dataSource.query(
      `SELECT m.name FROM task_group_pick p JOIN unit m ON m.id = p.member_id JOIN current_task_version v ON v.task_id = p.task_id
         JOIN plan pl ON pl.id = v.plan_id WHERE pl.name = $1 ORDER BY m.name`,
      [goLive],
    )) as { name: string }[];
    expect(picked.map((m) => m.name)).toEqual([first.name, second.name].sort());
  }, 90_000);

  it('lets a coordinator find a task, correct its lead unit and a target, and see the new version, in the audit trail', async () => {
    await setPassword(dataSource, 'coordinator', PASSWORD);
    // A coordinator abroad: the browser's zone must not move the day or hour a change is shown at.
    const context = await browser.newContext({
      viewport: { width: 1366, height: 900 },
      locale: 'zh-CN',
      timezoneId: 'America/Los_Angeles',
    });
    const page = await signIn(context, url, 'coordinator', PASSWORD);
    await page.goto(`${url}/#/plans`);
    await page.getByRole('tab', { name: '任务', exact: true }).click();
    await page.getByRole('combobox', { name: '计划' }).click();
    await page.locator('.ant-select-item-option', { hasText: planName }).click();
    const list = page.getByTestId('plan-tasks');
    await list.getByRole('row', { name: /新建停车泊位800个/ }).waitFor();
    // The target as the plan writes it, never the parser's "新建停车泊位 = 800个".
    await expect(list.textContent()).resolves.not.toMatch(/ = \d/);
    const search = page.getByRole('searchbox', { name: '搜索任务内容、序号或单位' });
    // By a unit: only the task it leads.
    await search.fill(`区商务局${suffix}`);
    await search.press('Enter');
    await list.getByRole('row', { name: /改造农贸市场3家/ }).waitFor();
    await list.getByRole('row', { name: /新建停车泊位800个/ }).waitFor({ state: 'detached' });
    // By its 序号.
    await search.fill('1');
    await search.press('Enter');
    const row = list.getByRole('row', { name: /新建停车泊位800个/ });
    await row.waitFor();
    await list.getByRole('row', { name: /改造农贸市场3家/ }).waitFor({ state: 'detached' });
    await expect(row.textContent()).resolves.toContain('第1版');
    await page.screenshot({ path: join(screenshots, 'plan-tasks.png'), fullPage: true });

    await button(row, '查看').click();
    const task = page.getByTestId('plan-task');
    await task.getByText(/自下次启动的填报周期起生效；已开始的填报周期仍按开始时的牵头单位/).waitFor();
    await task.getByRole('textbox', { name: '任务内容' }).fill('新建停车泊位1000个');
    const lead = task.getByRole('combobox', { name: '牵头单位' });
    await lead.fill(`区商务局${suffix}`);
    await page.locator('.ant-select-item-option', { hasText: `区商务局${suffix}` }).click();
    await button(task, '保存').click();
    // The rehearsal this plan runs keeps version 1, and the coordinator is told so.
    await task.getByTestId('task-saved').getByText('已保存为第2版；进行中的2020年第三季度演练仍按第1版').waitFor();
    // The history says who changed what: the lead unit and the target, before → after.
    const version = task.getByTestId('task-version-2');
    await version.getByText(/修改$/).waitFor();
    await expect(version.textContent()).resolves.toMatch(
      new RegExp(`牵头单位：区住建局${suffix}\\s*→\\s*区商务局${suffix}`),
    );
    await expect(version.textContent()).resolves.toMatch(/目标：新建停车泊位800个\s*→\s*新建停车泊位1000个/);
    await task.getByTestId('task-version-1').getByText(/导入$/).waitFor();
    // The version's time as read in China (Los Angeles is 15 or 16 hours behind it).
    const [{ at }] = (await dataSource.query(
      `SELECT tv.created_at AS at FROM current_task_version v JOIN plan p ON p.id = v.plan_id
        JOIN task_version tv ON tv.task_id = v.task_id AND tv.version = 2 WHERE p.name = $1 AND v.ordinal = 1`,
      [planName],
    )) as [{ at: Date }];
    const china = new Date(at.getTime() + 8 * 3_600_000); // China keeps UTC+8 all year
    const two = (n: number) => String(n).padStart(2, '0');
    await expect(version.textContent()).resolves.toContain(
      `${china.getUTCFullYear()}年${china.getUTCMonth() + 1}月${china.getUTCDate()}日 ` +
        `${two(china.getUTCHours())}:${two(china.getUTCMinutes())}`,
    );
    await page.screenshot({ path: join(screenshots, 'plan-task-edit.png'), fullPage: true });
    await task.getByTestId('task-versions').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(screenshots, 'plan-task-history.png') });

    // The list shows the new version, its new target and lead unit.
    await page.keyboard.press('Escape');
    const edited = list.getByRole('row', { name: /新建停车泊位1000个/ });
    await edited.getByText('第2版').waitFor();
    await expect(edited.textContent()).resolves.toContain(`区商务局${suffix}`);

    // In the audit trail (as an admin reads it), with the coordinator as its actor.
    const [{ id: taskId }] = (await dataSource.query(
      `SELECT v.task_id AS id FROM current_task_version v JOIN plan p ON p.id = v.plan_id
        WHERE p.name = $1 AND v.ordinal = 1`,
      [planName],
    )) as [{ id: string }];
    const trail = (await admin.evaluate(
      async (subject) => (await fetch(`/api/audit?subject=${encodeURIComponent(subject)}`)).json(),
      `task:${taskId}`,
    )) as { actorId: string; action: string; details: { version: number; changed: string[] } }[];
    expect(trail.map((e) => [e.action, e.actorId, e.details.version, e.details.changed])).toEqual([
      ['task.edited', 'coordinator', 2, ['content', 'leadUnit']],
    ]);
    // The rehearsal already running keeps the lead unit it started with: the edit applies from the next cycle.
    const running = (await dataSource.query(
      `SELECT u.name FROM task_cycle tc JOIN unit u ON u.id = tc.lead_unit_id WHERE tc.task_id = $1`,
      [taskId],
    )) as { name: string }[];
    expect(running).toEqual([{ name: `区住建局${suffix}` }]);
    await context.close();
  }, 90_000);

  it('adds a user with a unit role, who must then choose a password', async () => {
    await admin.goto(`${url}/#/users`);
    const id = `setup.${suffix}`;
    await admin.getByRole('textbox', { name: '用户名' }).fill(id);
    await admin.getByRole('textbox', { name: '姓名' }).fill('李明');
    await admin.getByRole('textbox', { name: '邮箱' }).fill(`${id}@test.local`);
    await admin.getByRole('combobox', { name: '单位' }).click();
    await admin.keyboard.type(`区商务局${suffix}`);
    await admin.getByTitle(`区商务局${suffix}`).click();
    await button(admin, '保存').click();
    const temporary = (await admin.getByTestId('temporary-password').locator('code').textContent())!;
    const password = temporary.split(' / ')[1]!.trim();
    await admin.getByRole('searchbox', { name: '按用户名、姓名或邮箱查找' }).fill(id);
    await admin.keyboard.press('Enter');
    await admin
      .getByTestId('users')
      .getByRole('row', { name: new RegExp(id.replace('.', '\\.')) })
      .getByText(/填报人 · 区商务局/)
      .waitFor();
    await admin.screenshot({ path: join(screenshots, 'users.png'), fullPage: true });

    const page = await (await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'zh-CN' })).newPage();
    await signInByKeyboard(page, id, password);
    await page.getByText('首次登录，请设置您自己的密码').waitFor();
    const [added] = (await dataSource.query(
      `SELECT actor_id AS "actorId" FROM audit_event WHERE action = 'user.added' AND subject = $1`,
      [`person:${id}`],
    )) as { actorId: string }[];
    expect(added?.actorId).toBe(TEST_ADMIN);

    // Deactivated (after a confirmation): signed out at once, kept in the list, and brought back.
    const row = admin.getByTestId('users').getByRole('row', { name: new RegExp(id.replace('.', '\\.')) });
    await button(row, '停用').click();
    await admin.getByText('停用后此人立即退出登录').waitFor();
    await admin.screenshot({ path: join(screenshots, 'users-deactivate-confirm.png') });
    await button(admin.locator('.ant-popconfirm'), '停用').click();
    await row.getByText('已停用').waitFor();
    const me = await page.evaluate(async () => (await fetch('/api/auth/me')).status);
    expect(me).toBe(401);
    await button(row, '恢复').click();
    await row.getByText('已停用').waitFor({ state: 'detached' });
    const trail = (await dataSource.query(
      `SELECT action FROM audit_event WHERE subject = $1 AND action LIKE 'user.%activated' ORDER BY id`,
      [`person:${id}`],
    )) as { action: string }[];
    expect(trail.map((e) => e.action)).toEqual(['user.deactivated', 'user.reactivated']);
  }, 60_000);
});
