/**
 * Evidence (佐证材料) on a real stack (API, worker, Temporal, PostgreSQL) and in a real browser.
 *
 * Through the API: a unit's reporter attaches photos, PDF and Word files to its report; the type is read
 * from the content (a program named .jpg is refused, 415), a file over the plan's limit is cut off (413,
 * whether or not its size was announced) and nothing of a refused file is kept; pending files are the
 * unit's alone; a co-unit attaches to its input; a report takes the files with it, a resubmission keeps
 * them unless withheld; the supervisor reads them byte for byte, in the timeline too; the report counts
 * them. A 督办单 reply takes its files with it.
 *
 * In the browser: the reporter attaches a photo (with progress) and sends; the supervisor sees it beside
 * the report and returns it for 缺少佐证材料; the return points the reporter to where to attach, the second
 * file goes with the resubmission, and the supervisor sees both. Screenshots: .data/test/screenshots
 * (evidence-*.png).
 */
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Document, Packer, Paragraph } from 'docx';
import type { Browser, Page } from 'playwright-core';
import type { DataSource } from 'typeorm';
import { setPassword } from '#auth';
import { createDataSource } from '#persistence';
import type { ManagedProcess } from '../infra/dev/processes.js';
import { button, clickForAnswer, launchChromium, signIn } from './support/browser.js';
import { importTestPlan, type TestPlan } from './support/cycle-fixtures.js';
import {
  asTestAdmin,
  readTestStack,
  startQuietRehearsal,
  startWorkerAndApi,
  testDataDir,
} from './support/test-stack.js';

const stack = readTestStack();
const logDir = mkdtempSync(join(tmpdir(), 'duban-evidence-e2e-'));
const files = mkdtempSync(join(tmpdir(), 'duban-evidence-files-'));
const screenshots = join(testDataDir(), 'screenshots');
const PASSWORD = 'evidence test password';
const processes: ManagedProcess[] = [];
let url: string;
let dataSource: DataSource;
let plan: TestPlan;
let cycleId: string;
let browser: Browser;

/** A 1×1 PNG. */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==',
  'base64',
);
/** A one-page PDF. */
const PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj ' +
    '3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
);
/** A Linux program's first bytes (ELF), as a photo would not begin. */
const PROGRAM = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]), Buffer.alloc(120, 0)]);

const reporterOf = (unit: string) => `reporter.${plan.unitIds[unit]!.slice(0, 8)}`;
const taskUrl = (task: number) => `${url}/api/cycles/${encodeURIComponent(cycleId)}/tasks/${plan.taskIds[task]}`;
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

beforeAll(async () => {
  mkdirSync(screenshots, { recursive: true });
  dataSource = createDataSource(stack.databaseUrl, 'duban-evidence-e2e');
  await dataSource.initialize();
  const started = await startWorkerAndApi(logDir);
  processes.push(...started.processes);
  url = started.url;
  plan = await importTestPlan(dataSource, 'evidence', [
    { content: '新建幼儿园3所', units: ['佐证局', '协办局'] },
    { content: '新建配套道路94条以上', units: ['佐证局'] },
  ]);
  // This plan takes files of at most 1 MB.
  await dataSource.query(`UPDATE plan SET cycle_config = '{"evidenceMaxMegabytes": 1}' WHERE id = $1`, [plan.planId]);
  cycleId = await startQuietRehearsal(url, plan.planName, plan.taskIds[1]!);
  for (const login of [reporterOf('佐证局'), 'supervisor']) await setPassword(dataSource, login, PASSWORD);
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await Promise.all(processes.map((p) => p.stop(20_000)));
  await dataSource?.destroy();
});

/** Uploads bytes as `login` (a stream without a length when `stream`); answers the status and the JSON answer. */
async function upload(
  login: string,
  task: number,
  name: string,
  bytes: Buffer | ReadableStream<Uint8Array>,
  query: Record<string, string> = {},
): Promise<{ status: number; body: Record<string, any> }> {
  const search = new URLSearchParams({ part: 'progress', name, ...query });
  const response = await fetch(`${taskUrl(task)}/evidence?${search.toString()}`, {
    method: 'POST',
    headers: { 'content-type': 'application/octet-stream', 'x-duban-user': login },
    body: bytes,
    ...(bytes instanceof ReadableStream ? { duplex: 'half' } : {}),
  } as RequestInit);
  return { status: response.status, body: (await response.json()) as Record<string, any> };
}

async function as<T = any>(login: string, path: string, init: RequestInit = {}): Promise<{ status: number; body: T }> {
  const headers = new Headers(init.headers);
  headers.set('x-duban-user', login);
  if (init.body) headers.set('content-type', 'application/json');
  const response = await fetch(path, { ...init, headers });
  return { status: response.status, body: (await response.json()) as T };
}

async function statusOf(task: number): Promise<string> {
  return ((await (await fetch(taskUrl(task), asTestAdmin())).json()) as { status: string }).status;
}

/** Waits up to a minute for the task's state (read as any other page reads it) to be `status`. */
async function untilStatus(task: number, status: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (let now = await statusOf(task); now !== status; now = await statusOf(task)) {
    if (Date.now() > deadline) throw new Error(`task ${task} never became ${status} (is ${now})`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** What PostgreSQL holds of evidence: files and chunks. */
async function stored(): Promise<{ files: number; chunks: number }> {
  const [row] = (await dataSource.query(
    `SELECT (SELECT count(*)::int FROM evidence) AS files, (SELECT count(*)::int FROM evidence_chunk) AS chunks`,
  )) as { files: number; chunks: number }[];
  return row!;
}

async function pageOf(login: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'zh-CN' });
  return signIn(context, url, login, PASSWORD);
}

describe('evidence (佐证材料)', () => {
  it('keeps what the content says it is, refuses the rest whole, and sends the files with the report', async () => {
    const lead = reporterOf('佐证局');
    const co = reporterOf('协办局');
    const before = await stored();

    // A program named .jpg, a file with no known type, one over the plan's 1 MB (announced or not): refused, nothing kept.
    const program = await upload(lead, 0, '现场照片.jpg', PROGRAM);
    expect(program.status).toBe(415);
    expect(program.body).toMatchObject({ code: 'EVIDENCE_TYPE_NOT_ALLOWED', details: { detected: 'elf' } });
    expect(program.body.message).toContain(
      '“现场照片.jpg”不能作为佐证材料：内容为 elf 格式（按文件内容判断，不看扩展名）',
    );
    expect(program.body.messageEn).toContain('judged by the content, not the name');
    const text = await upload(lead, 0, '说明.pdf', Buffer.from('这是一段文字，不是 PDF。'));
    expect([text.status, text.body.code]).toEqual([415, 'EVIDENCE_TYPE_NOT_ALLOWED']);
    const big = Buffer.concat([PNG, Buffer.alloc(1024 * 1024 + 1)]);
    const announced = await upload(lead, 0, '航拍.png', big);
    expect(announced.status).toBe(413);
    expect(announced.body).toMatchObject({ code: 'EVIDENCE_TOO_LARGE', details: { maxMegabytes: 1 } });
    expect(announced.body.message).toContain('超过本计划佐证材料单个文件上限 1 MB');
    const streamed = await upload(
      lead,
      0,
      '航拍.png',
      new ReadableStream<Uint8Array>({
        start(controller) {
          for (let at = 0; at < big.length; at += 100_000) controller.enqueue(big.subarray(at, at + 100_000));
          controller.close();
        },
      }),
    );
    expect([streamed.status, streamed.body.code]).toEqual([413, 'EVIDENCE_TOO_LARGE']);
    expect((await upload(lead, 0, '空.png', Buffer.alloc(0))).status).toBe(422);
    expect(await stored()).toEqual(before);

    // Another unit's reporter may not attach to this report; the co-unit attaches to its own input.
    expect((await upload(co, 0, '照片.png', PNG)).body.code).toBe('WRONG_UNIT');
    const coFile = await upload(co, 0, '配合材料.pdf', PDF, { part: 'input' });
    expect(coFile.status).toBe(201);

    // The lead unit's photo, PDF and Word file: each kept with the type its content has.
    const photo = await upload(lead, 0, 'C:\\fakepath\\现场照片.png', PNG);
    expect(photo.status).toBe(201);
    expect(photo.body).toMatchObject({
      fileName: '现场照片.png',
      mediaType: 'image/png',
      extension: 'png',
      sizeBytes: PNG.length,
      sha256: sha256(PNG),
      state: 'pending',
      versions: [],
    });
    const pdf = await upload(lead, 0, '验收报告', PDF);
    expect(pdf.body).toMatchObject({ mediaType: 'application/pdf', extension: 'pdf' });
    const word = Buffer.from(
      await Packer.toBuffer(new Document({ sections: [{ children: [new Paragraph('幼儿园验收意见')] }] })),
    );
    const docx = await upload(lead, 0, '验收意见.docx', word);
    expect(docx.body).toMatchObject({
      mediaType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      extension: 'docx',
    });
    // One attached by mistake is taken back whole.
    const mistake = await upload(lead, 0, '错传.png', PNG);
    const chunksBefore = (await stored()).chunks;
    expect((await as(lead, `${taskUrl(0)}/evidence/${mistake.body.id}`, { method: 'DELETE' })).body).toEqual({
      state: 'deleted',
    });
    expect((await stored()).chunks).toBe(chunksBefore - 1);

    // Pending files are the unit's own: the supervisor and the co-unit see none of them yet.
    const listOf = async (login: string) =>
      (await as<{ fileName: string }[]>(login, `${taskUrl(0)}/evidence`)).body.map((f) => f.fileName);
    expect(await listOf(lead)).toEqual(['现场照片.png', '验收报告', '验收意见.docx']);
    expect(await listOf(co)).toEqual(['配合材料.pdf']);
    expect(await listOf('supervisor')).toEqual([]);
    expect(
      (await fetch(`${taskUrl(0)}/evidence/${photo.body.id}`, { headers: { 'x-duban-user': 'supervisor' } })).status,
    ).toBe(404);

    // The report takes them with it.
    const sent = await as(lead, `${taskUrl(0)}/progress`, {
      method: 'POST',
      body: JSON.stringify({ narrative: '已建成幼儿园2所，验收报告附后。', figures: { '0': 2 } }),
    });
    expect(sent.status).toBe(200);
    await as(co, `${taskUrl(0)}/input`, {
      method: 'POST',
      body: JSON.stringify({ unitId: plan.unitIds['协办局'], narrative: '已完成配套设计。' }),
    });
    const workspace = (await as<any>('supervisor', `${taskUrl(0)}/workspace`)).body;
    const first = workspace.submissions.find((s: any) => s.kind === 'progress');
    expect(first.evidence.map((f: any) => [f.fileName, f.state])).toEqual([
      ['现场照片.png', 'sent'],
      ['验收报告', 'sent'],
      ['验收意见.docx', 'sent'],
    ]);
    expect(workspace.submissions.find((s: any) => s.kind === 'input').evidence.map((f: any) => f.fileName)).toEqual([
      '配合材料.pdf',
    ]);
    // The supervisor reads each byte for byte: a photo in place, a Word file as a download.
    const image = await fetch(`${taskUrl(0)}/evidence/${photo.body.id}`, { headers: { 'x-duban-user': 'supervisor' } });
    expect(image.headers.get('content-type')).toBe('image/png');
    expect(image.headers.get('content-disposition')).toMatch(/^inline; .*filename\*=UTF-8''%E7%8E%B0/);
    expect(Buffer.from(await image.arrayBuffer()).equals(PNG)).toBe(true);
    const wordFile = await fetch(`${taskUrl(0)}/evidence/${docx.body.id}`, {
      headers: { 'x-duban-user': 'supervisor' },
    });
    expect(wordFile.headers.get('content-disposition')).toMatch(/^attachment; /);
    expect(sha256(Buffer.from(await wordFile.arrayBuffer()))).toBe(sha256(word));
    // The co-unit reads the lead unit's sent files too; someone outside the task does not.
    expect((await fetch(`${taskUrl(0)}/evidence/${pdf.body.id}`, { headers: { 'x-duban-user': co } })).status).toBe(
      200,
    );

    // Returned for want of evidence: the unit leaves the PDF out and adds a photo; the first version keeps its three.
    const returned = await as('supervisor', `${taskUrl(0)}/review`, {
      method: 'POST',
      body: JSON.stringify({ decision: 'return', reason: 'evidence', comment: '请补充现场照片' }),
    });
    expect(returned.status).toBe(200);
    expect((await as(lead, `${taskUrl(0)}/evidence/${pdf.body.id}`, { method: 'DELETE' })).body).toEqual({
      state: 'withheld',
    });
    await upload(lead, 0, '现场照片2.png', PNG);
    await as(lead, `${taskUrl(0)}/progress`, {
      method: 'POST',
      body: JSON.stringify({ narrative: '已建成幼儿园2所，现场照片附后。', figures: { '0': 2 } }),
    });
    const after = (await as<any>('supervisor', `${taskUrl(0)}/workspace`)).body;
    const versions = after.submissions.filter((s: any) => s.kind === 'progress');
    expect(versions.map((v: any) => v.evidence.map((f: any) => f.fileName))).toEqual([
      ['现场照片.png', '验收报告', '验收意见.docx'],
      ['现场照片.png', '验收意见.docx', '现场照片2.png'],
    ]);
    // The timeline names the files each report and the input went with.
    const timeline = after.task.timeline as { kind: string; evidence?: { fileName: string }[] }[];
    expect(
      timeline.filter((e) => e.evidence).map((e) => [e.kind, e.evidence!.map((f) => f.fileName).join('、')]),
    ).toEqual([
      ['submitted', '现场照片.png、验收报告、验收意见.docx'],
      ['input_submitted', '配合材料.pdf'],
      ['submitted', '现场照片.png、验收意见.docx、现场照片2.png'],
    ]);

    // Approved: the report counts the approved version's files beside its progress.
    await as('supervisor', `${taskUrl(0)}/review`, { method: 'POST', body: JSON.stringify({ decision: 'approve' }) });
    await untilStatus(0, 'approved');
    const report = await (
      await fetch(`${url}/api/cycles/${encodeURIComponent(cycleId)}/report?format=html`, asTestAdmin())
    ).text();
    expect(report).toContain('已建成幼儿园2所，现场照片附后。（佐证材料3份）');
    // Sent files are kept: none may be deleted, only withheld from a later version.
    expect((await stored()).files).toBe(before.files + 5);
  }, 120_000);

  it('lets the reporter attach with progress shown, and points a return for 缺少佐证材料 to where to attach', async () => {
    const photo = join(files, '道路现场.png');
    const minutes = join(files, '验收会议纪要.pdf');
    writeFileSync(photo, PNG);
    writeFileSync(minutes, PDF);
    const reporter = await pageOf(reporterOf('佐证局'));
    const taskHash = `#/tasks/${encodeURIComponent(cycleId)}/${plan.taskIds[1]}`;
    await reporter.goto(`${url}/${taskHash}`);
    const attach = reporter.getByTestId('evidence-progress');
    await attach.getByText('尚未附佐证材料').waitFor();
    await attach.locator('input[type=file]').setInputFiles(photo);
    await attach.getByText('道路现场.png').waitFor();
    await attach.getByText('待随报送').waitFor();
    await reporter.getByLabel('新建配套道路').fill('70');
    await reporter.getByRole('textbox', { name: '进展情况' }).fill('已建成配套道路70条。');
    await reporter.screenshot({ path: join(screenshots, 'evidence-attached.png'), fullPage: true });
    await clickForAnswer(reporter, button(reporter, '提交').first(), 'progress');
    await untilStatus(1, 'submitted');

    const supervisor = await pageOf('supervisor');
    await supervisor.goto(`${url}/#/review/${encodeURIComponent(cycleId)}/${plan.taskIds[1]}`);
    const links = supervisor.getByTestId('report-under-review').getByTestId('evidence-links');
    await links.getByText('佐证材料（1）').waitFor();
    await links.getByText('道路现场.png').waitFor();
    // The photo shows in place (its thumbnail loaded from the API).
    await supervisor.waitForFunction(() => {
      const img = (
        globalThis as unknown as { document: { querySelector(s: string): { naturalWidth: number } | null } }
      ).document.querySelector('[data-testid="report-under-review"] [data-testid="evidence-links"] img');
      return img !== null && img.naturalWidth === 1;
    });
    await supervisor.getByLabel('退回原因').click();
    await supervisor.getByTitle('缺少佐证材料').click();
    await button(supervisor, '退回').click();
    const dialog = supervisor.getByRole('dialog', { name: '确认退回此报送？' });
    await clickForAnswer(supervisor, button(dialog, '退回'), 'review');
    await untilStatus(1, 'returned');

    await reporter.reload();
    await reporter.getByTestId('return-reason').getByText('已退回：缺少佐证材料').waitFor();
    await reporter.getByTestId('go-to-evidence').click();
    // The photo sent before goes again; the minutes are added.
    await attach.getByText('已报送').waitFor();
    await attach.locator('input[type=file]').setInputFiles(minutes);
    await attach.getByText('验收会议纪要.pdf').waitFor();
    await reporter.screenshot({ path: join(screenshots, 'evidence-after-return.png'), fullPage: true });
    await clickForAnswer(reporter, button(reporter, '提交').first(), 'progress');
    await untilStatus(1, 'submitted');

    await supervisor.reload();
    await links.getByText('佐证材料（2）').waitFor();
    await links.getByText('验收会议纪要.pdf').waitFor();
    await supervisor.getByTestId('timeline').getByTestId('timeline-evidence').first().waitFor();
    await supervisor.screenshot({ path: join(screenshots, 'evidence-review.png'), fullPage: true });
  }, 120_000);
});
