/**
 * The cycle as people meet it, across real processes: the worker and api
 * apps, `duban cycle rehearse --simulate` on the seed plan's 2020-Q3, and
 * people's messages through REST (answered synchronously, checked against
 * the unit directory). Visibility (search attributes) agrees with the read model.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Client, Connection } from '@temporalio/client';
import type { DataSource } from 'typeorm';
import { setPassword } from '#auth';
import { childEnvironment } from '#config';
import { createDataSource } from '#persistence';
import { importPlan, PlanRepository } from '#plans';
import { REPO_ROOT, startApp, waitForHealthy, type ManagedProcess } from '../infra/dev/processes.js';
import { button, launchChromium } from './support/browser.js';
import { importTestPlan, sleepMs } from './support/cycle-fixtures.js';
import {
  asTestAdmin,
  capturedMessages,
  readTestStack,
  recordTestProcess,
  startQuietRehearsal,
  startTestApi,
  testDataDir,
} from './support/test-stack.js';

const run = promisify(execFile);
const stack = readTestStack();
const logDir = mkdtempSync(join(tmpdir(), 'duban-cycle-e2e-'));
const processes: ManagedProcess[] = [];
const env = { DATABASE_URL: stack.databaseUrl, TEMPORAL_ADDRESS: stack.temporalAddress, SMTP_URL: stack.smtpUrl };
let apiUrl: string;
let dataSource: DataSource;
let connection: Connection;
let client: Client;

beforeAll(async () => {
  const worker = startApp('worker', childEnvironment(env), join(logDir, 'worker.log'));
  processes.push(worker);
  recordTestProcess(worker.child.pid);
  const { api, url } = await startTestApi(logDir);
  processes.push(api);
  apiUrl = url;
  await waitForHealthy(`${apiUrl}/health`, 60_000, () => (api.child.exitCode !== null ? 'api exited' : undefined));
  dataSource = createDataSource(stack.databaseUrl, 'duban-cycle-e2e');
  await dataSource.initialize();
  connection = await Connection.connect({ address: stack.temporalAddress });
  client = new Client({ connection });
}, 90_000);

afterAll(async () => {
  await connection?.close();
  await dataSource?.destroy();
  await Promise.all(processes.map((p) => p.stop(20_000)));
});

describe('duban cycle rehearse --simulate on the seed plan', () => {
  it('runs 2020-Q3 end to end: assignments, reminders, the overdue ladder, returns, approvals, lights, the report', async () => {
    const planName = `seed-rehearsal-${Date.now().toString(36)}`;
    const seed = readFileSync(join(REPO_ROOT, 'test/fixtures/gongshu-2020-q3-key-tasks.txt'));
    const imported = await importPlan(new PlanRepository(dataSource), {
      bytes: seed,
      fileName: 'gongshu-2020-q3-key-tasks.txt',
      planName,
      acceptWarnings: true,
    });
    const planId = imported.plan.id!;
    // Close five working days after the deadline (day 22) to keep the test short; the ladder fits before it.
    await dataSource.query(`UPDATE plan SET cycle_config = '{"closeAfterWorkingDays": 5}' WHERE id = $1`, [planId]);

    const { stdout, stderr } = await run(
      process.execPath,
      [
        'dist/apps/cli/src/main.js',
        'cycle',
        'rehearse',
        '--plan',
        planName,
        '--quarter',
        '2020Q3',
        '--day-seconds',
        '0.5',
        '--simulate',
        '--json',
      ],
      { cwd: REPO_ROOT, env: childEnvironment(env), maxBuffer: 16 * 1024 * 1024 },
    );
    // progress on stderr, one line per simulated day when not a terminal
    expect(stderr).toMatch(/第 \d+\/22 工作日 2020-10-14/);
    const { tasks } = JSON.parse(stdout) as { tasks: any[] };
    expect(tasks).toHaveLength(128);
    expect(tasks.every((t) => t.deadlines.lead === '2020-10-14')).toBe(true);
    // Simulated days advance by the work: all 128 are assigned on the opening day, however long that takes.
    expect(tasks.every((t) => t.assigned === '2020-09-15')).toBe(true);
    // A return never gives less time than the unit had.
    expect(tasks.filter((t) => t.returned > 0).every((t) => t.deadlines.final >= '2020-10-14')).toBe(true);
    const count = (predicate: (t: any) => boolean) => tasks.filter(predicate).length;
    expect(count((t) => t.status === 'approved')).toBeGreaterThan(90);
    expect(count((t) => t.returned > 0)).toBeGreaterThan(5);
    expect(count((t) => t.status === 'overdue' && t.escalations > 0)).toBeGreaterThan(0); // never reported
    expect(count((t) => t.reminders > 0)).toBeGreaterThan(10);
    expect(count((t) => t.extension === 'granted')).toBe(1);
    expect(count((t) => t.extension === 'refused')).toBe(1);
    expect(count((t) => t.light === 'red' && t.catchUp === 'submitted')).toBeGreaterThan(0);
    // The seed's own figures decide the lights (the simulation approves both: its choices follow the ordinals).
    expect(tasks.find((t) => t.content.startsWith('回迁安置1000户'))).toMatchObject({
      status: 'approved',
      completion: 58.8,
      light: 'yellow',
    });
    expect(tasks.find((t) => t.content.includes('数字经济核心产业增加值增长'))).toMatchObject({
      status: 'approved',
      light: 'red',
      catchUp: 'submitted',
    });

    const [cycle] = await dataSource.query(
      `SELECT id, status, report FROM cycle WHERE plan_id = $1 AND mode = 'rehearsal'`,
      [planId],
    );
    expect(cycle).toMatchObject({ status: 'closed', report: { tasks: 128 } });
    const mail = await capturedMessages(stack);
    const reportMail = mail.filter((m) => m.subject?.includes('季度执行情况报告已生成'));
    expect(reportMail.length).toBeGreaterThan(0);
    const [{ duplicates }] = await dataSource.query(
      `SELECT count(*)::int AS duplicates FROM (SELECT idempotency_key FROM notification WHERE cycle_id = $1
         GROUP BY 1 HAVING count(*) > 1) d`,
      [cycle.id],
    );
    expect(duplicates).toBe(0);
    // The delivery log, by the (simulated) day each mail belongs to.
    const { stdout: logOut } = await run(
      process.execPath,
      ['dist/apps/cli/src/main.js', 'mail', 'log', '--plan', planName, '--quarter', '2020Q3', '--json'],
      { cwd: REPO_ROOT, env: childEnvironment(env), maxBuffer: 64 * 1024 * 1024 },
    );
    const { messages } = JSON.parse(logOut) as { messages: any[] };
    expect(messages.length).toBeGreaterThan(300);
    expect(messages.every((m) => m.status === 'sent' && m.messageId && m.workingDay >= '2020-09-15')).toBe(true);
    // No mail is dated after the close (2020-10-21, five working days after 10-14).
    expect(messages.filter((m) => m.workingDay > '2020-10-21')).toEqual([]);
    const assignments = messages.filter((m) => m.kind === 'assignment');
    expect(assignments.length).toBeGreaterThan(0);
    expect(Math.max(...assignments.map((m) => m.items))).toBeGreaterThan(1); // one email per person, several tasks
    // Supervisors hear of reports to review in one digest a day, not one email per report.
    expect(messages.filter((m) => m.kind === 'review')).toEqual([]);
    const supervisorDigests = messages.filter(
      (m) => m.recipient === 'supervisor@demo.duban.local' && m.kind === 'digest',
    );
    expect(supervisorDigests.length).toBeGreaterThan(3);
    expect(new Set(supervisorDigests.map((m) => m.workingDay)).size).toBe(supervisorDigests.length);
    expect(Math.max(...supervisorDigests.map((m) => m.items))).toBeGreaterThan(5);
    // Reminders three working days before 10-14 fall on the make-up Saturday.
    expect(messages.some((m) => m.kind === 'digest' && m.workingDay === '2020-10-10')).toBe(true);
    // 督办单 head the late units' digests (reporters and leaders), never a mail each to the 督查室.
    const noticeDigests = mail.filter((m) => m.subject?.startsWith('【督办单】督办〔2020〕第'));
    expect(noticeDigests.length).toBeGreaterThan(0);
    expect(noticeDigests.every((m) => !m.envelopeTo.some((to) => to.startsWith('coordinator')))).toBe(true);
    expect(messages.filter((m) => m.kind === 'escalation' || m.kind === 'approval')).toEqual([]);
    // Nobody gets more than three mails on a working day (the busiest person-days are written beside the test's
    // data); the 督查室 at most one (its digest) a day about 督办单.
    const perPersonDay = new Map<string, number>();
    for (const m of messages) {
      const key = `${m.recipient} ${m.workingDay}`;
      perPersonDay.set(key, (perPersonDay.get(key) ?? 0) + 1);
    }
    const busiest = [...perPersonDay].sort((a, b) => b[1] - a[1]).slice(0, 10);
    writeFileSync(join(testDataDir(), 'mail-per-person-day.json'), JSON.stringify(busiest, null, 2));
    expect(busiest.filter(([, count]) => count > 3)).toEqual([]);
    const toOffice = messages.filter((m) => m.recipient === 'coordinator@demo.duban.local' && m.kind !== 'report');
    expect(toOffice.every((m) => m.kind === 'digest' || m.kind === 'assignment' || m.kind === 'extension')).toBe(true);
    const officeDays = toOffice.filter((m) => m.kind === 'digest').map((m) => m.workingDay);
    expect(new Set(officeDays).size).toBe(officeDays.length);
    expect((await fetch(`${apiUrl}/api/mail?status=lost`, asTestAdmin())).status).toBe(400);

    // A digest's deep link: signed for its reader and purpose, it names the form it opens; an altered one is refused.
    const digestSent = messages.find((m) => m.kind === 'digest' && m.recipient.startsWith('reporter.'))!;
    const digest = mail.find((m) => m.messageId === digestSent.messageId)!;
    const token = /\/go\/([\w-]+\.[\w-]+)/.exec(digest.text!)![1]!;
    const link = await fetch(`${apiUrl}/api/links/${token}`);
    expect(link.status).toBe(200);
    expect(await link.json()).toMatchObject({
      // What a reporter owes: progress, a co-unit's input, or a red task's catch-up plan.
      // (or an approval's news, which opens the task's page)
      purpose: expect.stringMatching(/^(report|input|catch_up|view)$/),
      cycleId: cycle.id,
      personId: expect.stringMatching(/^reporter\./),
      path: expect.stringMatching(/^\/cycles\/.+\/tasks\/[0-9a-f-]{36}(\?action=(report|input|catch_up)|$)/),
    });
    const altered = `${token.slice(0, -3)}${token.endsWith('AAA') ? 'BBB' : 'AAA'}`;
    const refused = await fetch(`${apiUrl}/api/links/${altered}`);
    expect(refused.status).toBe(401);
    expect(await refused.json()).toMatchObject({ code: 'LINK_INVALID' });
    // Resending is for failed messages, by an admin or coordinator.
    const sent = (await fetch(
      `${apiUrl}/api/mail?cycle=${encodeURIComponent(cycle.id)}&status=sent&limit=1`,
      asTestAdmin(),
    ).then((r) => r.json())) as { messages: { id: string }[] };
    const sentId = sent.messages[0]!.id;
    const anonymous = await fetch(`${apiUrl}/api/mail/${sentId}/resend`, { method: 'POST' });
    expect(anonymous.status).toBe(401);
    const notFailed = await fetch(`${apiUrl}/api/mail/${sentId}/resend`, {
      method: 'POST',
      headers: { 'X-Duban-User': 'coordinator', 'X-Duban-Role': 'coordinator' },
    });
    expect(notFailed.status).toBe(409);
    expect(await notFailed.json()).toMatchObject({ code: 'WRONG_STATE' });

    // The closing report: the seed's table with each task's light and completion.
    const reportPage = await fetch(
      `${apiUrl}/api/cycles/${encodeURIComponent(cycle.id)}/report?format=html`,
      asTestAdmin(),
    );
    expect(reportPage.status).toBe(200);
    const html = await reportPage.text();
    const relocationRow = html.split('<tr>').find((row) => row.includes('回迁安置1000户以上'))!;
    expect(relocationRow).toContain('已完成回迁安置588户');
    expect(relocationRow).toContain('<td class="light yellow">黄灯</td><td>58.8%</td>');
    expect(html.match(/class="light red"/g)!.length).toBe(tasks.filter((t) => t.light === 'red').length);
    // The rehearsal's submissions never stand in the plan's real report.
    const exported = await fetch(`${apiUrl}/api/plans/${planId}/export?quarter=2020Q3&format=text`, asTestAdmin());
    expect(await exported.text()).not.toContain('按计划正常推进中');

    // Visibility finds the same overdue task-cycles as the read model.
    const overdue = await fetch(
      `${apiUrl}/api/cycles/${encodeURIComponent(cycle.id)}/tasks?status=overdue&limit=1000`,
      asTestAdmin(),
    ).then((r) => r.json() as Promise<{ total: number; items: { id: string }[] }>);
    expect(overdue.total).toBeGreaterThan(0);
    let listed: string[] = [];
    for (let attempt = 0; attempt < 20; attempt += 1) {
      listed = [];
      for await (const w of client.workflow.list({ query: `DubanStatus = 'overdue' AND DubanPlan = '${planId}'` })) {
        listed.push(w.workflowId);
      }
      if (listed.length === overdue.total) break;
      await sleepMs(500);
    }
    expect(listed.sort()).toEqual(overdue.items.map((i) => i.id).sort());

    // The coordinator's dashboard of the closed rehearsal, in Chromium: 22 categories' names readable (no two
    // overlap), and no 催办 offered on a cycle that would refuse it.
    const browser = await launchChromium();
    try {
      await setPassword(dataSource, 'coordinator', 'cycle e2e password');
      const page = await (
        await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN' })
      ).newPage();
      await page.goto(`${apiUrl}/#/dashboard/${encodeURIComponent(cycle.id)}`);
      await page.getByLabel('用户名或邮箱').fill('coordinator');
      await page.getByLabel('密码').fill('cycle e2e password');
      await button(page, '登录').click();
      // The first chart is 各类别任务状态 (ECharts' aria describes it in its own words).
      const chart = page.getByTestId('chart').first();
      await chart.locator('text').first().waitFor();
      const names = new Set(
        ((await dataSource.query(`SELECT name FROM category WHERE plan_id = $1`, [planId])) as { name: string }[]).map(
          (c) => c.name,
        ),
      );
      expect(names.size).toBe(22);
      const labels = (
        await chart.locator('text').evaluateAll((nodes) =>
          nodes.map((n) => {
            const box = n.getBoundingClientRect();
            return { text: n.textContent ?? '', x: box.x, y: box.y, right: box.right, bottom: box.bottom };
          }),
        )
      ).filter((l) => [...names].some((name) => name.startsWith(l.text.replace(/\.\.\.$|…$/, ''))) && l.text);
      expect(labels).toHaveLength(22);
      const overlapping = labels.flatMap((a, i) =>
        labels
          .slice(i + 1)
          .filter((b) => a.x < b.right - 1 && b.x < a.right - 1 && a.y < b.bottom - 1 && b.y < a.bottom - 1)
          .map((b) => `${a.text} × ${b.text}`),
      );
      expect(overlapping).toEqual([]);
      const overdueList = page.getByTestId('overdue-list');
      await overdueList.locator('tbody tr.ant-table-row').first().waitFor();
      expect(await overdueList.getByRole('button', { name: '催办' }).count()).toBe(0);
      // However many are overdue, one page of 20 at first, the rest a click away.
      const listed = Number(
        /（(\d+)）/.exec((await page.getByRole('tab', { name: /逾期未报/ }).textContent()) ?? '')?.[1],
      );
      expect(listed).toBeGreaterThan(0);
      expect(await overdueList.locator('tbody tr.ant-table-row').count()).toBe(Math.min(20, listed));
      await overdueList.getByText(`共${listed}项`).waitFor();
      await page.screenshot({ path: join(testDataDir(), 'screenshots', 'dashboard-seed-closed.png'), fullPage: true });
    } finally {
      await browser.close();
    }
  }, 240_000);
});

describe('people’s messages over REST', () => {
  it('answers each Update synchronously: accepted with the new state, or refused with a code', async () => {
    const plan = await importTestPlan(dataSource, 'rest', [{ content: '新建学校2所', units: ['教育局', '财政局'] }]);
    // One working day = 10 minutes: nothing moves by the clock during the test.
    const started = await fetch(
      `${apiUrl}/api/cycles`,
      asTestAdmin({
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ plan: plan.planName, quarter: '2020Q3', rehearsal: { daySeconds: 600 } }),
      }),
    );
    expect(started.status).toBe(202);
    const { cycleId } = (await started.json()) as { cycleId: string };
    const taskId = plan.taskIds[0]!;
    const taskUrl = `${apiUrl}/api/cycles/${encodeURIComponent(cycleId)}/tasks/${taskId}`;
    for (let i = 0; i < 100 && (await fetch(taskUrl, asTestAdmin())).status !== 200; i += 1) await sleepMs(200);

    const reporter = `reporter.${plan.unitIds['教育局']!.slice(0, 8)}`;
    const outsider = `reporter.${plan.unitIds['财政局']!.slice(0, 8)}`;
    const post = (action: string, user: string | null, body: unknown, role?: string) =>
      fetch(`${taskUrl}/${action}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(user ? { 'x-duban-user': user } : {}),
          ...(role ? { 'x-duban-role': role } : {}),
        },
        body: JSON.stringify(body),
      }).then(async (r) => ({ status: r.status, body: (await r.json()) as any }));

    expect((await post('progress', null, { narrative: '已建成1所' })).status).toBe(401);
    const foreign = await post('progress', outsider, { narrative: '已建成1所' });
    expect(foreign).toMatchObject({ status: 403, body: { code: 'WRONG_UNIT' } });
    expect(foreign.body.message).toContain('不属于');
    expect((await post('review', reporter, { decision: 'approve' })).body.code).toBe('ROLE_NOT_HELD');
    expect((await post('review', 'supervisor', { decision: 'approve' })).body.code).toBe('WRONG_STATE');
    expect((await post('progress', reporter, { narrative: '' })).status).toBe(422);
    // An actor in the body is ignored: the caller is who the header says.
    const forged = await post('progress', outsider, {
      narrative: '伪造',
      actor: { userId: reporter, role: 'reporter', unitIds: [plan.unitIds['教育局']] },
    });
    expect(forged.status).toBe(403);

    expect((await post('progress', reporter, { narrative: 'x', declaredState: 'Suspended' })).status).toBe(422);
    // An extension asked for, then the unit reports anyway: the request is withdrawn, nothing left to decide.
    expect((await post('extension-request', reporter, { workingDays: 2, reason: '等待批复' })).status).toBe(200);
    const submitted = await post('progress', reporter, { narrative: '已建成1所，完成率50%' });
    expect(submitted).toMatchObject({
      status: 200,
      body: { version: 1, state: { status: 'submitted', completion: 50, extension: 'withdrawn' } },
    });
    expect((await post('extension-decision', 'coordinator', { grant: true })).body.code).toBe('WRONG_STATE');
    expect((await post('review', 'supervisor', { decision: 'return', reason: 'constructor' })).status).toBe(422);
    const returned = await post('review', 'supervisor', { decision: 'return', reason: 'evidence', comment: '附照片' });
    expect(returned).toMatchObject({ status: 200, body: { state: { status: 'returned', returns: 1 } } });
    // The same request sent twice (a client retry) with one Idempotency-Key changes things once.
    const nudge = () =>
      fetch(`${taskUrl}/nudge`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-duban-user': 'coordinator', 'idempotency-key': 'nudge-1' },
        body: JSON.stringify({ comment: '请尽快' }),
      });
    expect((await nudge()).status).toBe(200);
    expect((await nudge()).status).toBe(200);
    const badKey = await fetch(`${taskUrl}/nudge`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-duban-user': 'coordinator', 'idempotency-key': 'a b' },
      body: '{}',
    });
    expect(badKey.status).toBe(400);
    expect((await post('progress', reporter, { narrative: '已建成2所' })).body.state.status).toBe('submitted');
    // Two supervisors at once: one decision is taken, the other refused.
    const [first, second] = await Promise.all([
      post('review', 'supervisor', { decision: 'approve' }),
      post('review', 'supervisor', { decision: 'return', reason: 'other' }),
    ]);
    expect([first.status, second.status].sort()).toEqual([200, 409]);
    const approved = first.status === 200 ? first : second;
    if (approved === second) {
      // The return won: resubmit and approve.
      await post('progress', reporter, { narrative: '已建成2所' });
      Object.assign(approved, await post('review', 'supervisor', { decision: 'approve' }));
    }
    expect(approved).toMatchObject({ status: 200, body: { state: { status: 'approved', light: 'green' } } });
    expect((await post('progress', reporter, { narrative: '再报' })).status).toBe(409);

    const view = (await fetch(taskUrl, asTestAdmin()).then((r) => r.json())) as any;
    const kinds = view.timeline.map((e: any) => e.kind);
    expect(kinds.slice(0, 6)).toEqual([
      'assigned',
      'extension_requested',
      'submitted',
      'returned',
      'nudged',
      'submitted',
    ]);
    expect(kinds.slice(-2)).toEqual(['approved', 'closed']);
    expect(kinds.filter((k: string) => k === 'approved')).toHaveLength(1);
    expect(view.timeline[2]).toMatchObject({ actorId: reporter, actorRole: 'reporter' });
    expect(view.timeline[3]).toMatchObject({
      actorId: 'supervisor',
      details: { reason: 'evidence', comment: '附照片' },
    });
    const list = (await fetch(
      `${apiUrl}/api/cycles/${encodeURIComponent(cycleId)}/tasks?light=green`,
      asTestAdmin(),
    ).then((r) => r.json())) as any;
    expect(list.items.map((i: any) => i.taskId)).toEqual([taskId]);
    const badFilter = await fetch(
      `${apiUrl}/api/cycles/${encodeURIComponent(cycleId)}/tasks?status=lost`,
      asTestAdmin(),
    );
    expect(badFilter.status).toBe(400);
    // A real cycle for a quarter long over would mail the whole quarter at once: refused.
    const past = await fetch(
      `${apiUrl}/api/cycles`,
      asTestAdmin({
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ plan: plan.planName, quarter: '2020Q3' }),
      }),
    );
    expect(past.status).toBe(409);
    expect(((await past.json()) as any).code).toBe('QUARTER_OVER');
  }, 60_000);
});

describe('a task corrected while its cycle runs', () => {
  it('keeps the version its task-cycle started with on every screen of that cycle; the plan shows the new one', async () => {
    const plan = await importTestPlan(dataSource, 'edit', [{ content: '新建停车泊位800个', units: ['住建局'] }]);
    const taskId = plan.taskIds[0]!;
    const cycleId = await startQuietRehearsal(apiUrl, plan.planName, taskId);
    const taskUrl = `${apiUrl}/api/cycles/${encodeURIComponent(cycleId)}/tasks/${taskId}`;
    const json = { 'content-type': 'application/json' };

    const edit = await fetch(
      `${apiUrl}/api/plans/${plan.planId}/tasks/${taskId}`,
      asTestAdmin({
        method: 'PUT',
        headers: json,
        body: JSON.stringify({
          content: '新建停车泊位1000个',
          leadUnit: `住建局${plan.suffix}`,
          coUnits: [],
          leaders: [],
          deadline: null,
        }),
      }),
    );
    expect(edit.status).toBe(200);
    expect(await edit.json()).toEqual({
      taskId,
      version: 2,
      changed: true,
      heldBy: [{ quarter: '2020Q3', version: 1, rehearsal: true }],
    });
    const planTask = (await fetch(`${apiUrl}/api/plans/${plan.planId}/tasks/${taskId}`, asTestAdmin()).then((r) =>
      r.json(),
    )) as any;
    expect(planTask.versions[0]).toMatchObject({ version: 2, content: '新建停车泊位1000个' });

    // The cycle's screens: the content and targets its light is judged by.
    const view = (await fetch(taskUrl, asTestAdmin()).then((r) => r.json())) as any;
    expect(view.content).toBe('新建停车泊位800个');
    const reporter = `reporter.${plan.unitIds['住建局']!.slice(0, 8)}`;
    const workspace = (await fetch(`${taskUrl}/workspace`, { headers: { 'x-duban-user': reporter } }).then((r) =>
      r.json(),
    )) as any;
    expect(workspace.targets).toEqual([expect.objectContaining({ metric: '新建停车泊位', value: 800, unit: '个' })]);
    // 800 typed against the cycle's target (800) is done, not 80% of the edited 1000.
    const submitted = (await fetch(`${taskUrl}/progress`, {
      method: 'POST',
      headers: { ...json, 'x-duban-user': reporter },
      body: JSON.stringify({ narrative: '已建成停车泊位800个', figures: { '0': 800 } }),
    }).then((r) => r.json())) as any;
    expect(submitted.state).toMatchObject({ status: 'submitted', completion: 100 });
    const report = await fetch(
      `${apiUrl}/api/cycles/${encodeURIComponent(cycleId)}/report?format=text`,
      asTestAdmin(),
    ).then((r) => r.text());
    expect(report).toContain('新建停车泊位800个');
    expect(report).not.toContain('1000个');
  }, 60_000);
});
