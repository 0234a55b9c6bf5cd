/**
 * 领导批示 on a real API, worker, Temporal and PostgreSQL, with mail to the SMTP capture: a district leader
 * (区领导) writes an instruction on two tasks; each lead unit is mailed it at once, owes an answer by the
 * working day the calendar gives, sees only its own task of it, and answers once; a bare 阅 owes (and
 * mails) nothing; bad requests are refused naming the field and store nothing. The reminders' workflow ends
 * once every answer is in; an answer not given reads as overdue, and three working days late the unit's
 * leader and backup, the 督查室 and the leader who wrote it are told, once each. Evidence goes with an answer:
 * attached and removed by the owing unit while it is owed (no one else sees it then), read by the leader once
 * answered, final after. In the browser the leader writes one, the reporter is told on 我的任务, attaches a
 * photo and answers, and the leader reads the answer and opens the photo; the leader writes another from the
 * report's task list on two tasks at once, and the reporter answers it on the task's page.
 * Screenshots: .data/test/screenshots/instruction-*.png.
 */
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Client, Connection } from '@temporalio/client';
import type { Browser } from 'playwright-core';
import type { DataSource } from 'typeorm';
import { addUser } from '#auth';
import { ensureDemoDirectory } from '#directory';
import { loadWorkingDayCalendar } from '#calendar';
import { instructionWorkflowId, type InstructionWorkflowResult } from '#contracts';
import { chinaDate, longDate } from '#domain';
import { createDataSource } from '#persistence';
import { writeInstruction } from '#plans';
import { startCycle } from '#cycles';
import type { ManagedProcess } from '../infra/dev/processes.js';
import { button, launchChromium, signIn } from './support/browser.js';
import { importTestPlan, mailTo, sleepMs, type TestPlan } from './support/cycle-fixtures.js';
import { saveHistories } from './support/histories.js';
import {
  callAs,
  ONE_PIXEL_PNG,
  readTestStack,
  startWorkerAndApi,
  SUITE_TASK_QUEUE,
  TEST_ADMIN,
  testDataDir,
  uploadAs,
} from './support/test-stack.js';

const stack = readTestStack();
const logDir = mkdtempSync(join(tmpdir(), 'duban-instructions-e2e-'));
const screenshots = join(testDataDir(), 'screenshots');
const PASSWORD = 'instruction test password';
const processes: ManagedProcess[] = [];
let url: string;
let dataSource: DataSource;
let browser: Browser;
let plan: TestPlan;
let leader = '';
let reporterA = '';
let reporterB = '';
let leaderB = '';
/** A reporter of both units: one mail a step, not one per unit. */
let reporterBoth = '';
let backupB = '';
/** The 督查室's address (the demo directory's coordinator, or whoever holds the role plan-wide). */
let coordinator = '';
let connection: Connection;
let client: Client;
/** The workflows whose histories become replay fixtures (npm run fixtures:histories): r7, the first instructions. */
const histories: Record<string, string> = {};

beforeAll(async () => {
  mkdirSync(screenshots, { recursive: true });
  dataSource = createDataSource(stack.databaseUrl, 'duban-instructions-e2e');
  await dataSource.initialize();
  plan = await importTestPlan(dataSource, 'instructions', [
    { content: '新建学校2所', units: ['甲局'] },
    { content: '新建公园1个', units: ['乙局', '甲局'] },
  ]);
  leader = `district.${plan.suffix}`;
  reporterA = `ra.${plan.suffix}`;
  reporterB = `rb.${plan.suffix}`;
  leaderB = `lb.${plan.suffix}`;
  reporterBoth = `r2.${plan.suffix}`;
  backupB = `bb.${plan.suffix}`;
  for (const [id, name, role, unit] of [
    [leader, '区领导', 'district_leader', null],
    [reporterA, '甲局填报人', 'reporter', plan.unitIds['甲局']],
    [reporterB, '乙局填报人', 'reporter', plan.unitIds['乙局']],
    [leaderB, '乙局分管领导', 'leader', plan.unitIds['乙局']],
    [backupB, '乙局AB角', 'backup', plan.unitIds['乙局']],
  ] as const) {
    await addUser(
      dataSource,
      { id, name, email: `${id}@test.local`, roles: [{ role, unit }], password: PASSWORD },
      TEST_ADMIN,
    );
  }
  await addUser(
    dataSource,
    {
      id: reporterBoth,
      name: '两局填报人',
      email: `${reporterBoth}@test.local`,
      roles: [
        { role: 'reporter', unit: plan.unitIds['甲局'] },
        { role: 'reporter', unit: plan.unitIds['乙局'] },
      ],
      password: PASSWORD,
    },
    TEST_ADMIN,
  );
  // The 督查室 as the other suites know it (the demo directory's, unless one is held): no coordinator of our own,
  // or theirs would never be made.
  await ensureDemoDirectory(dataSource, plan.planId);
  const [office] = (await dataSource.query(
    `SELECT p.email FROM person p JOIN person_role r ON r.person_id = p.id
      WHERE r.role = 'coordinator' AND r.unit_id IS NULL AND p.deactivated_at IS NULL AND p.email LIKE '%@%'
      ORDER BY p.id LIMIT 1`,
  )) as { email: string }[];
  coordinator = office!.email;
  const started = await startWorkerAndApi(logDir);
  processes.push(...started.processes);
  url = started.url;
  connection = await Connection.connect({ address: stack.temporalAddress });
  client = new Client({ connection });
  browser = await launchChromium();
}, 120_000);

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

/** The mail a person (a login of ours, or an address) got about an instruction, once `count` have come. */
async function instructionMail(person: string, words: string, count = 1) {
  const address = person.includes('@') ? person : `${person}@test.local`;
  for (let i = 0; ; i += 1) {
    const mail = (await mailTo(stack, address)).filter((m) => m.text?.includes(words));
    if (mail.length >= count || i >= 300) return mail;
    await sleepMs(200);
  }
}

async function instructionCount(): Promise<number> {
  const [{ n }] = (await dataSource.query(
    `SELECT count(DISTINCT instruction_id)::int AS n FROM instruction_task WHERE task_id = ANY($1::uuid[])`,
    [plan.taskIds],
  )) as [{ n: number }];
  return n;
}

describe('领导批示 (a district leader’s instructions)', () => {
  it('owes each lead unit an answer by a working day, shows each unit its own, and takes one answer', async () => {
    const [school, park] = plan.taskIds as [string, string];
    // Only a district leader writes one.
    const refused = await as(reporterA, '/api/instructions', { taskIds: [school], text: '请加快推进' });
    expect([refused.status, refused.body.code]).toEqual([403, 'ROLE_NOT_HELD']);

    const text = '请加快推进，确保年底前两所学校按期开学。';
    const written = await as(leader, '/api/instructions', { taskIds: [school, park], text, workingDays: 3 });
    expect(written.status).toBe(201);
    const calendar = await loadWorkingDayCalendar(dataSource);
    const today = chinaDate(new Date().toISOString());
    expect(written.body).toMatchObject({
      text,
      writtenBy: leader,
      writerName: '区领导',
      writtenOn: today,
      workingDays: 3,
      dueOn: calendar.addWorkingDays(today, 3).date,
    });
    expect(written.body.tasks.map((t: any) => [t.content, t.unit, t.duty, t.overdue])).toEqual([
      ['新建学校2所', `甲局${plan.suffix}`, 'owed', false],
      ['新建公园1个', `乙局${plan.suffix}`, 'owed', false],
    ]);
    const id = written.body.id as string;
    // Each lead unit's reporter is mailed it at once, with the day to answer by.
    for (const reporter of [reporterA, reporterB]) {
      const [mail] = await instructionMail(reporter, text);
      expect(mail?.subject).toBe(`【领导批示】区领导批示，请于${longDate(written.body.dueOn, 'zh-CN')}前书面回复`);
      expect(mail?.text).toContain('回复（可附照片、文件等佐证材料）：');
      expect(mail?.text).toContain('/#/instructions');
    }
    // A reporter of both units gets one mail naming each unit above its task.
    const [both, ...more] = await instructionMail(reporterBoth, text);
    expect(more).toEqual([]);
    expect(both?.text).toContain(`甲局${plan.suffix}：\n第1项：新建学校2所`);
    expect(both?.text).toContain(`乙局${plan.suffix}：\n第2项：新建公园1个`);
    // A bare 阅 owes nothing.
    const read = await as(leader, '/api/instructions', { taskIds: [school], text: ' 阅。' });
    expect(read.status).toBe(201);
    expect(read.body).toMatchObject({ text: '阅。', dueOn: null, tasks: [{ duty: 'none', overdue: false }] });
    const noReminders = await client.workflow
      .getHandle(instructionWorkflowId(read.body.id))
      .describe()
      .then(
        () => 'started',
        (error: Error) => error.name,
      );
    expect(noReminders).toBe('WorkflowNotFoundError');

    // Bad requests: refused naming the field, nothing stored.
    const before = await instructionCount();
    for (const [body, code, path] of [
      [{ taskIds: [school], text: '   ' }, 'INVALID_INPUT', 'text'],
      [{ taskIds: [], text: '请落实' }, 'INVALID_INPUT', 'taskIds'],
      [{ taskIds: [school, school], text: '请落实' }, 'INVALID_INPUT', 'taskIds.1'],
      [{ taskIds: [school], text: '请落实', workingDays: 31 }, 'INVALID_INPUT', 'workingDays'],
      [{ taskIds: [school], text: '请落实', extra: 1 }, 'INVALID_INPUT', undefined],
    ] as const) {
      const answer = await as(leader, '/api/instructions', body);
      expect([answer.status, answer.body.code]).toEqual([422, code]);
      if (path) expect(answer.body.details.issues.map((i: any) => i.path)).toContain(path);
      expect(answer.body.message).toMatch(/[\u4e00-\u9fff]/);
    }
    const unknown = await as(leader, '/api/instructions', {
      taskIds: [school, '00000000-0000-4000-8000-000000000000'],
      text: '请落实',
    });
    expect([unknown.status, unknown.body.code]).toEqual([404, 'NOT_FOUND']);
    expect(await instructionCount()).toBe(before);

    // Each unit sees its own task of the instruction (甲局 co-operates on the park: not its answer to give).
    const ofA = (await as(reporterA, '/api/instructions')).body as any[];
    expect(ofA.find((i) => i.id === id).tasks.map((t: any) => t.taskId)).toEqual([school]);
    const owedByB = (await as(reporterB, '/api/instructions?owed=true')).body as any[];
    expect(owedByB.map((i) => i.id)).toEqual([id]);
    expect(owedByB[0].tasks.map((t: any) => t.taskId)).toEqual([park]);
    const badFilter = await as(reporterB, '/api/instructions?owed=yes');
    expect([badFilter.status, badFilter.body.code]).toEqual([400, 'INVALID_FILTER']);

    // Answers: only the owing unit's reporter, once; a bare 阅 takes none.
    const response = (instruction: string, task: string) => `/api/instructions/${instruction}/tasks/${task}/response`;
    const foreign = await as(reporterB, response(id, school), { text: '已落实' });
    expect([foreign.status, foreign.body.code]).toEqual([403, 'WRONG_UNIT']);
    const toRead = await as(reporterA, response(read.body.id, school), { text: '已落实' });
    expect([toRead.status, toRead.body.code]).toEqual([409, 'WRONG_STATE']);
    const answered = await as(reporterA, response(id, school), { text: '已倒排工期，9月1日两所学校开学。' });
    expect(answered.status).toBe(200);
    expect(answered.body.tasks[0]).toMatchObject({
      duty: 'responded',
      response: '已倒排工期，9月1日两所学校开学。',
      respondedBy: reporterA,
      responderName: '甲局填报人',
    });
    const again = await as(reporterA, response(id, school), { text: '再次回复' });
    expect([again.status, again.body.code]).toEqual([409, 'WRONG_STATE']);

    // The leader reads the answer beside the one still owed; both acts are in the audit trail.
    const seen = ((await as(leader, '/api/instructions')).body as any[]).find((i) => i.id === id);
    expect(seen.tasks.map((t: any) => [t.duty, t.response])).toEqual([
      ['responded', '已倒排工期，9月1日两所学校开学。'],
      ['owed', null],
    ]);
    const trail = (await dataSource.query(
      `SELECT action, actor_id AS "actorId" FROM audit_event WHERE subject = $1 ORDER BY id`,
      [`instruction:${id}`],
    )) as { action: string; actorId: string }[];
    expect(trail).toEqual([
      { action: 'instruction.written', actorId: leader },
      { action: 'instruction.answered', actorId: reporterA },
    ]);

    // 乙局 answers too: nothing is owed, and the reminders end without another mail.
    expect((await as(reporterB, response(id, park), { text: '已制定方案。' })).status).toBe(200);
    const result = (await client.workflow.getHandle(instructionWorkflowId(id)).result()) as InstructionWorkflowResult;
    expect(result).toEqual({ outcome: 'answered', steps: ['written'] });
    histories['r7.instruction.answered'] = instructionWorkflowId(id);
    expect(await instructionMail(reporterA, text)).toHaveLength(1);
  });

  it('reads an answer not given by its day as overdue, and tells the 督查室 three working days late', async () => {
    const calendar = await loadWorkingDayCalendar(dataSource);
    let started: Promise<unknown> = Promise.resolve();
    // Written on Friday 2020-10-09 with 2 working days: Saturday the 10th is 国庆节调休 (a working day), so due
    // Monday 2020-10-12, and overdue from the 13th.
    const old = await writeInstruction(
      dataSource,
      calendar,
      {
        personId: leader,
        taskIds: [plan.taskIds[1]!],
        text: '请于两个工作日内报送整改方案',
        workingDays: 2,
        now: new Date('2020-10-09T02:00:00Z'),
      },
      async ({ id }) => {
        // As the API does: the reminders start inside the instruction's transaction.
        started = client.workflow.start('instructionWorkflow', {
          workflowId: instructionWorkflowId(id),
          taskQueue: SUITE_TASK_QUEUE,
          args: [{ instructionId: id }],
        });
        await started;
      },
    );
    expect(old).toMatchObject({ writtenOn: '2020-10-09', dueOn: '2020-10-12', tasks: [{ overdue: false }] });
    const listed = ((await as(reporterB, '/api/instructions')).body as any[]).find((i) => i.id === old.id);
    expect(listed).toBeDefined();
    expect(listed.tasks[0]).toMatchObject({ duty: 'owed', overdue: true });

    // Started long after its days, the workflow mails the instruction and only the latest step due (no backlog).
    const result = (await client.workflow
      .getHandle(instructionWorkflowId(old.id))
      .result()) as InstructionWorkflowResult;
    expect(result).toEqual({ outcome: 'escalated', steps: ['written', 'late:3'] });
    histories['r7.instruction.escalated'] = instructionWorkflowId(old.id);
    const words = '请于两个工作日内报送整改方案';
    const toReporter = await instructionMail(reporterB, words, 2);
    expect(toReporter.map((m) => m.subject).sort()).toEqual([
      '【批示逾期】区领导批示已逾期3个工作日未回复',
      '【领导批示】区领导批示，请于2020年10月12日前书面回复',
    ]);
    for (const person of [leaderB, backupB]) {
      expect((await instructionMail(person, words)).map((m) => m.subject)).toEqual([
        '【批示逾期】区领导批示已逾期3个工作日未回复',
      ]);
    }
    for (const person of [coordinator, leader]) {
      const [escalation, ...more] = await instructionMail(person, words);
      expect(more).toEqual([]);
      expect(escalation?.subject).toBe('【批示逾期】区领导批示已逾期3个工作日未回复（1个单位）');
      expect(escalation?.text).toContain(`乙局${plan.suffix}：`);
      expect(escalation?.text).toContain('第2项：新建公园1个');
    }
    await started;
  });

  it('takes evidence with an answer: the owing unit’s while owed, everyone’s who reads it once answered', async () => {
    const school = plan.taskIds[0]!;
    const written = await as(leader, '/api/instructions', { taskIds: [school], text: '请报送验收材料。' });
    expect(written.status).toBe(201);
    const id = written.body.id as string;
    const files = `/api/instructions/${id}/tasks/${school}/files`;
    const upload = (login: string, name: string, bytes: Buffer) =>
      uploadAs(url, login, `${files}?name=${encodeURIComponent(name)}`, bytes);
    // The bytes kept for this answer's files (by their storage keys: other suites keep files too).
    const keysOf = async () =>
      (
        (await dataSource.query(
          `SELECT storage_key AS key FROM instruction_evidence WHERE instruction_id = $1 ORDER BY uploaded_at`,
          [id],
        )) as { key: string }[]
      ).map((r) => r.key);
    const chunksOf = async (keys: string[]) =>
      (
        (await dataSource.query(`SELECT count(*)::int AS n FROM evidence_chunk WHERE storage_key = ANY($1::uuid[])`, [
          keys,
        ])) as { n: number }[]
      )[0]!.n;

    // Only the owing unit's reporter attaches; the type is read from the bytes, not the name.
    const foreign = await upload(reporterB, '验收.png', ONE_PIXEL_PNG);
    expect([foreign.status, foreign.body.code]).toEqual([403, 'WRONG_UNIT']);
    const text = await upload(reporterA, '伪装.png', Buffer.from('不是图片，只是文字'.repeat(20)));
    expect([text.status, text.body.code]).toEqual([415, 'EVIDENCE_TYPE_NOT_ALLOWED']);
    expect(text.body.message).toContain('伪装.png');
    expect(await keysOf()).toEqual([]);
    const kept = await upload(reporterA, '验收.png', ONE_PIXEL_PNG);
    expect(kept.status).toBe(201);
    expect(kept.body).toMatchObject({ fileName: '验收.png', mediaType: 'image/png', sizeBytes: ONE_PIXEL_PNG.length });
    const wrong = await upload(reporterA, '错图.png', ONE_PIXEL_PNG);
    expect(wrong.status).toBe(201);
    const [keptKey, wrongKey] = (await keysOf()) as [string, string];
    expect([await chunksOf([keptKey]), await chunksOf([wrongKey])]).toEqual([1, 1]);
    // A file attached by mistake is removed while the answer is owed, its bytes with it.
    const remove = (login: string, fileId: string) =>
      fetch(`${url}${files}/${fileId}`, { method: 'DELETE', headers: { 'x-duban-user': login } });
    expect((await remove(reporterB, wrong.body.id)).status).toBe(403);
    const removed = await remove(reporterA, wrong.body.id);
    expect([removed.status, await removed.json()]).toEqual([200, { state: 'deleted' }]);
    expect([await chunksOf([keptKey]), await chunksOf([wrongKey])]).toEqual([1, 0]);
    expect(await keysOf()).toEqual([keptKey]);

    // While owed, the unit sees its file; the leader does not, and cannot open it.
    const filesOf = async (login: string) =>
      ((await as(login, `/api/instructions?taskId=${school}`)).body as any[])
        .find((i) => i.id === id)
        .tasks[0].files.map((f: any) => f.fileName);
    expect(await filesOf(reporterA)).toEqual(['验收.png']);
    expect(await filesOf(leader)).toEqual([]);
    const open = (login: string) => fetch(`${url}${files}/${kept.body.id}`, { headers: { 'x-duban-user': login } });
    expect((await open(leader)).status).toBe(404);
    expect((await open('supervisor')).status).toBe(404);
    expect((await open(reporterB)).status).toBe(403);
    expect((await open(reporterA)).status).toBe(200);
    // A file is read only under its own instruction and task.
    const elsewhere = await fetch(`${url}/api/instructions/${id}/tasks/${plan.taskIds[1]}/files/${kept.body.id}`, {
      headers: { 'x-duban-user': reporterA },
    });
    expect(elsewhere.status).toBe(404);

    // The answer takes it: the leader reads it and opens the very bytes; nothing more is added or removed.
    const answered = await as(reporterA, `/api/instructions/${id}/tasks/${school}/response`, {
      text: '验收材料见附件。',
    });
    expect(answered.status).toBe(200);
    expect(await filesOf(leader)).toEqual(['验收.png']);
    const opened = await open(leader);
    expect([opened.status, opened.headers.get('content-type')]).toEqual([200, 'image/png']);
    expect(Buffer.from(await opened.arrayBuffer()).equals(ONE_PIXEL_PNG)).toBe(true);
    const late = await upload(reporterA, '补充.png', ONE_PIXEL_PNG);
    expect([late.status, late.body.code]).toEqual([409, 'WRONG_STATE']);
    expect((await remove(reporterA, kept.body.id)).status).toBe(409);
    expect(await filesOf(reporterA)).toEqual(['验收.png']);
    // A bare 阅 takes no answer, so no evidence.
    const read = await as(leader, '/api/instructions', { taskIds: [school], text: '阅' });
    const toRead = await uploadAs(
      url,
      reporterA,
      `/api/instructions/${read.body.id}/tasks/${school}/files?name=a.png`,
      ONE_PIXEL_PNG,
    );
    expect([toRead.status, toRead.body.code]).toEqual([409, 'WRONG_STATE']);

    const trail = (await dataSource.query(
      `SELECT action, details->>'fileName' AS file, details->>'files' AS files FROM audit_event
        WHERE subject = $1 ORDER BY id`,
      [`instruction:${id}`],
    )) as { action: string; file: string | null; files: string | null }[];
    expect(trail).toEqual([
      { action: 'instruction.written', file: null, files: null },
      { action: 'instruction.file_attached', file: '验收.png', files: null },
      { action: 'instruction.file_attached', file: '错图.png', files: null },
      { action: 'instruction.file_removed', file: '错图.png', files: null },
      { action: 'instruction.answered', file: null, files: '1' },
    ]);
  });

  it('in the browser: the leader writes, the reporter is told and answers, the leader reads the answer', async () => {
    const leaderContext = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'zh-CN' });
    const leaderPage = await signIn(leaderContext, url, leader, PASSWORD);
    // The leader's pages: the instructions and the report they are written from.
    await leaderPage.getByRole('link', { name: '报告' }).waitFor();
    await leaderPage.goto(`${url}/#/instructions`);
    const form = leaderPage.getByTestId('instruction-form');
    await form.getByRole('combobox', { name: '计划' }).fill(plan.planName);
    await leaderPage.locator('.ant-select-item-option', { hasText: plan.planName }).click();
    // The plan's tasks load once it is picked: the option is chosen when it is there.
    await form.getByRole('combobox', { name: '选择任务（可多选）' }).fill('新建学校');
    await leaderPage.locator('.ant-select-item-option', { hasText: `新建学校2所（甲局${plan.suffix}）` }).click();
    await leaderPage.keyboard.press('Escape');
    // Before sending, the page says a bare 阅 asks for nothing.
    await form.getByRole('textbox', { name: '批示内容' }).fill('王阅。');
    await form.getByTestId('instruction-bare').waitFor();
    await form.getByRole('textbox', { name: '批示内容' }).fill('请抓紧落实开学前的验收工作，结果报我。');
    expect(await form.getByTestId('instruction-bare').count()).toBe(0);
    await button(form, '批 示').click();
    await leaderPage.getByText('批示已送达牵头单位').waitFor();
    const mine = leaderPage.getByTestId('instruction').filter({ hasText: '请抓紧落实开学前的验收工作' });
    await mine.getByText('待回复').waitFor();
    await leaderPage.screenshot({ path: join(screenshots, 'instruction-written.png'), fullPage: true });

    const reporterContext = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'zh-CN' });
    const reporter = await signIn(reporterContext, url, reporterA, PASSWORD);
    const owed = reporter.getByTestId('instructions-owed');
    await owed.getByText(/有 \d+ 项任务的领导批示待回复/).waitFor();
    await reporter.screenshot({ path: join(screenshots, 'instruction-owed.png'), fullPage: true });
    await owed.getByRole('link', { name: '去回复' }).click();
    const card = reporter.getByTestId('instruction').filter({ hasText: '请抓紧落实开学前的验收工作' });
    // A photo goes with the answer: attached first, listed with its thumbnail.
    await card
      .locator('input[type=file]')
      .setInputFiles({ name: '验收现场.png', mimeType: 'image/png', buffer: ONE_PIXEL_PNG });
    await card.getByTestId('instruction-files').getByText('验收现场.png').waitFor();
    await card.getByRole('textbox', { name: '回复 1' }).fill('已组织验收，8月25日前完成。');
    await button(card, '回 复').click();
    await reporter.getByText('回复已提交，领导可在此查看').waitFor();
    await card.getByText('已回复').waitFor();
    await reporter.screenshot({ path: join(screenshots, 'instruction-answered.png'), fullPage: true });

    await leaderPage.reload();
    const read = leaderPage.getByTestId('instruction').filter({ hasText: '请抓紧落实开学前的验收工作' });
    await read.getByTestId('instruction-response').getByText('已组织验收，8月25日前完成。').waitFor();
    await expect(read.getByText('甲局填报人', { exact: false }).count()).resolves.toBeGreaterThan(0);
    // The photo the answer took opens for the leader.
    const photo = read.getByTestId('instruction-files').locator('img[alt="验收现场.png"]');
    await photo.waitFor();
    const width = await photo.evaluate(async (element) => {
      // Loaded and decoded (a refusal or a broken image rejects): its width is the pixel's.
      const img = element as unknown as { decode(): Promise<void>; naturalWidth: number };
      await img.decode();
      return img.naturalWidth;
    });
    expect(width).toBe(1);
    await leaderPage.screenshot({ path: join(screenshots, 'instruction-read.png'), fullPage: true });
    await Promise.all([leaderContext.close(), reporterContext.close()]);
  }, 120_000);

  it('in the browser: the leader instructs from the report’s task list; the reporter answers on the task’s page', async () => {
    const [school, park] = plan.taskIds as [string, string];
    const { cycleId } = await startCycle(client, {
      planId: plan.planId,
      quarter: '2020Q3',
      clock: { kind: 'rehearsal', daySeconds: 1, pace: 'manual' },
      taskQueue: SUITE_TASK_QUEUE,
      rehearsalTag: plan.suffix,
    });
    // The list is the cycle's task-cycles: there once both have started.
    for (let i = 0; (await as(leader, `/api/cycles/${cycleId}/tasks`)).body.total !== 2; i += 1) {
      if (i > 300) throw new Error('the cycle’s tasks never appeared');
      await sleepMs(200);
    }
    const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'zh-CN' });
    const page = await signIn(context, url, leader, PASSWORD);
    await page.goto(`${url}/#/report/${encodeURIComponent(cycleId)}`);
    await page.getByRole('tab', { name: '任务一览与批示' }).click();
    const list = page.getByTestId('leader-tasks');
    await list.getByText('新建公园1个').waitFor();
    // A task opens in a drawer with its summary and timeline.
    await list.locator('a', { hasText: '新建学校2所' }).click();
    const timeline = page.getByTestId('timeline');
    await timeline.waitFor();
    await page.locator('.ant-drawer-close').click();
    await timeline.waitFor({ state: 'detached' });
    // Both chosen, one instruction on the two.
    for (const ordinal of ['1', '2']) await list.getByRole('checkbox', { name: ordinal }).check();
    await page.getByTestId('leader-tasks-batch-instruct').getByText('批示所选任务（2项）').click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText('批示任务（2项）').waitFor();
    await dialog.getByText(`新建学校2所（甲局${plan.suffix}）`).waitFor();
    await dialog.getByText(`新建公园1个（乙局${plan.suffix}）`).waitFor();
    const words = '两项任务均已滞后，请各牵头单位说明原因和赶进度措施。';
    await dialog.getByRole('textbox', { name: '批示内容' }).fill(words);
    await page.screenshot({ path: join(screenshots, 'instruction-from-report.png'), fullPage: true });
    await button(dialog, '批 示').click();
    await page.getByText('批示已送达牵头单位').waitFor();
    await dialog.waitFor({ state: 'hidden' });
    // Sent, the tasks chosen for it are no longer selected.
    await page.getByTestId('leader-tasks-batch-instruct').getByText('批示所选任务（0项）').waitFor();
    const stored = ((await as(leader, '/api/instructions')).body as any[]).find((i) => i.text === words);
    expect(stored.tasks.map((t: any) => [t.taskId, t.duty])).toEqual([
      [school, 'owed'],
      [park, 'owed'],
    ]);
    // The drawer of a task shows the instruction on it.
    await list.locator('a', { hasText: '新建公园1个' }).click();
    await page.getByTestId('task-instructions').getByText(words).waitFor();
    await page.screenshot({ path: join(screenshots, 'instruction-task-drawer.png'), fullPage: true });
    await page.locator('.ant-drawer-close').click();

    // 乙局's reporter reads it on the task's page and answers there.
    const reporterContext = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'zh-CN' });
    const reporter = await signIn(reporterContext, url, reporterB, PASSWORD);
    await reporter.goto(`${url}/#/tasks/${encodeURIComponent(cycleId)}/${park}`);
    const onTask = reporter.getByTestId('task-instructions').getByTestId('instruction').filter({ hasText: words });
    await onTask.getByRole('textbox', { name: '回复 2' }).fill('已调整施工计划，11月底前完成主体工程。');
    await button(onTask, '回 复').click();
    await onTask.getByText('已回复').waitFor();
    await reporter.screenshot({ path: join(screenshots, 'instruction-on-task.png'), fullPage: true });
    const answered = ((await as(leader, '/api/instructions')).body as any[]).find((i) => i.text === words);
    expect(answered.tasks.map((t: any) => [t.taskId, t.duty, t.response])).toEqual([
      [school, 'owed', null],
      [park, 'responded', '已调整施工计划，11月底前完成主体工程。'],
    ]);
    await Promise.all([context.close(), reporterContext.close()]);
  }, 180_000);
});
