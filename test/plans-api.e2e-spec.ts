/**
 * Plans over HTTP and the command line, as an office would use them: upload
 * the seed (preview, refusal without accepting warnings, import), read it,
 * export the quarter's table, and a bad file that changes nothing.
 */
import { execFile } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { childEnvironment } from '#config';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import JSZip from 'jszip';
import { readPlanFile } from '#plan-import';
import { syntheticCsv } from '../infra/bench/synthetic-plan.js';
import { REPO_ROOT, waitForHealthy, type ManagedProcess } from '../infra/dev/processes.js';
import { asTestAdmin, readTestStack, startTestApi } from './support/test-stack.js';

const stack = readTestStack();
const seedPath = join(REPO_ROOT, 'test/fixtures/gongshu-2020-q3-key-tasks.txt');
const seed = readFileSync(seedPath);
let api: ManagedProcess;
let apiUrl: string;

beforeAll(async () => {
  ({ api, url: apiUrl } = await startTestApi(mkdtempSync(join(tmpdir(), 'duban-plans-'))));
  await waitForHealthy(`${apiUrl}/health/api`, 60_000, () => (api.child.exitCode !== null ? 'api exited' : undefined));
}, 90_000);

afterAll(() => api.stop(15_000));

async function upload(bytes: Uint8Array, fileName: string, fields: Record<string, string>) {
  const form = new FormData();
  form.append('file', new Blob([bytes]), fileName);
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  const response = await fetch(`${apiUrl}/api/plans/import`, asTestAdmin({ method: 'POST', body: form }));
  return { status: response.status, body: (await response.json()) as Record<string, any> };
}

async function planNames(): Promise<string[]> {
  return ((await (await fetch(`${apiUrl}/api/plans`, asTestAdmin())).json()) as { name: string }[]).map((p) => p.name);
}

describe('POST /api/plans/import', () => {
  const plan = `e2e-${Date.now()}`;

  it('previews the seed without storing it', async () => {
    const { status, body } = await upload(seed, '拱墅区重点任务.txt', { plan, dryRun: 'true' });
    expect(status).toBe(200);
    expect(body).toMatchObject({ dryRun: true, quarter: '2020Q3', format: 'text', plan: { id: null, name: plan } });
    expect(body.tasks).toHaveLength(128);
    expect(body.categories).toHaveLength(22);
    expect(body.tasks[0]).toEqual(
      expect.objectContaining({
        ordinal: 1,
        category: '经济社会发展主要预期目标',
        content: '地区生产总值增长6.5%以上',
        leadUnit: '区发改经信局',
        coUnits: ['区科技工业区管委会', '各街道'],
        progress: '正常进行中',
        targets: [{ metric: '地区生产总值', value: 6.5, unit: '%', comparator: '≥', kind: 'growth' }],
        completion: null,
      }),
    );
    expect(await planNames()).not.toContain(plan);
  });

  it('refuses to store while warnings are not accepted, listing them', async () => {
    const { status, body } = await upload(seed, 'seed.txt', { plan });
    expect(status).toBe(409);
    expect(body.code).toBe('IMPORT_HAS_WARNINGS');
    expect(body.details.warnings.length).toBeGreaterThan(0);
    expect(await planNames()).not.toContain(plan);
  });

  it('stores the seed once accepted, and serves it and its export', async () => {
    const { status, body } = await upload(seed, 'seed.txt', { plan, acceptWarnings: 'true' });
    expect(status).toBe(200);
    expect(body.stored.tasks.created).toBe(128);
    const id = body.plan.id as string;

    const stored = (await (await fetch(`${apiUrl}/api/plans/${id}?quarter=2020Q3`, asTestAdmin())).json()) as Record<
      string,
      any
    >;
    expect(stored.tasks).toHaveLength(128);
    expect(stored.tasks.find((t: { content: string }) => t.content === '回迁安置1000户以上')).toMatchObject({
      completion: 58.8,
    });

    const exported = await fetch(`${apiUrl}/api/plans/${id}/export?quarter=2020Q3&format=xlsx`, asTestAdmin());
    expect(exported.status).toBe(200);
    expect(exported.headers.get('content-disposition')).toContain(encodeURIComponent(`${plan}-2020Q3.xlsx`));
    const reimported = await readPlanFile(new Uint8Array(await exported.arrayBuffer()), 'export.xlsx');
    expect(reimported.tasks).toHaveLength(128);
  });

  it('refuses a file whose columns cannot be identified, storing nothing', async () => {
    const before = await planNames();
    const { status, body } = await upload(new TextEncoder().encode('姓名,电话\n张三,123\n'), 'contacts.csv', {
      plan: `bad-${plan}`,
      acceptWarnings: 'true',
    });
    expect(status).toBe(400);
    expect(body).toMatchObject({ code: 'IMPORT_NO_HEADER', message: expect.stringContaining('项目内容') });
    expect(await planNames()).toEqual(before);
  });

  it('keeps HTML in a narrative as text and escapes it in the HTML export', async () => {
    const csv = '工作任务,责任单位,推进情况\n完成道路整治10条,区住建局,"<script>alert(1)</script>已完成6条"\n';
    const { body } = await upload(new TextEncoder().encode(csv), 'x.csv', { plan: `html-${plan}`, quarter: '2021Q1' });
    expect(body.warnings).toEqual([]);
    expect(body.tasks[0].progress).toBe('<script>alert(1)</script>已完成6条');
    const html = await (
      await fetch(`${apiUrl}/api/plans/${body.plan.id}/export?format=html&quarter=2021Q1`, asTestAdmin())
    ).text();
    expect(html).not.toContain('<script>alert');
    expect(html).toContain('&#60;script&#62;alert(1)&#60;/script&#62;已完成6条');
  });
});

describe('POST /api/plans/import with files made to hurt (issue 13)', () => {
  const plan = `hurt-${Date.now()}`;

  it('refuses a NUL byte with 422 and where it stands, storing nothing', async () => {
    const before = await planNames();
    const csv = '主要任务,责任单位,进展情况\n新建道路5条,区住建局,已完成\u00003条\n';
    const { status, body } = await upload(new TextEncoder().encode(csv), 'nul.csv', { plan, acceptWarnings: 'true' });
    expect(status).toBe(422);
    expect(body).toMatchObject({
      code: 'IMPORT_NOT_TEXT',
      message: expect.stringContaining('第2行第3列第4个字符'),
      details: { position: '第2行第3列第4个字符 / row 2, column 3, character 4', character: 'U+0000' },
    });
    expect(await planNames()).toEqual(before);
  });

  it('refuses bytes that are not GB18030 with 422 naming line and column, storing nothing', async () => {
    const before = await planNames();
    const csv = Buffer.concat([
      iconv.encode('主要任务,责任单位,进展情况\n新建道路5条,区住建局,已', 'gb18030'),
      Buffer.from([0x81, 0x20]),
    ]);
    const { status, body } = await upload(csv, 'gbk.csv', { plan, acceptWarnings: 'true' });
    expect(status).toBe(422);
    expect(body).toMatchObject({ code: 'IMPORT_BAD_ENCODING', details: { encoding: 'GB18030', line: 2, column: 14 } });
    expect(await planNames()).toEqual(before);
  });

  it('refuses a tiny workbook merged over the whole sheet with 413, and goes on answering', async () => {
    const book = new ExcelJS.Workbook();
    book.addWorksheet('S').addRows([
      ['主要任务', '责任单位'],
      ['新建道路5条', '区住建局'],
    ]);
    const zip = await JSZip.loadAsync(await book.xlsx.writeBuffer());
    const part = 'xl/worksheets/sheet1.xml';
    const xml = (await zip.file(part)!.async('string')).replace(
      '</sheetData>',
      '</sheetData><mergeCells count="1"><mergeCell ref="A1:XFD1048576"/></mergeCells>',
    );
    zip.file(part, xml);
    const bytes = await zip.generateAsync({ type: 'uint8array', compression: 'DEFLATE' });
    const { status, body } = await upload(bytes, 'merged.xlsx', { plan, acceptWarnings: 'true' });
    expect(status).toBe(413);
    expect(body).toMatchObject({ code: 'IMPORT_TOO_MANY_CELLS', details: { position: 'merged range A1:XFD1048576' } });
    expect((await fetch(`${apiUrl}/api/plans`, asTestAdmin())).status).toBe(200);
  });

  it('answers other requests while a large file is read', async () => {
    // 30,000 rows take seconds to read; one row without a unit makes the import stop at its warnings, storing nothing.
    const rows = new TextDecoder().decode(syntheticCsv(30_000));
    const form = new FormData();
    form.append('file', new Blob([`${rows}\n30001,,新建公园2个,,\n`]), 'big.csv');
    form.append('plan', plan);
    const multipart = new Request('http://x/', { method: 'POST', body: form });
    const body = Buffer.from(await multipart.arrayBuffer());
    const events: string[] = [];
    const sent = new Promise<void>((resolveSent, rejectSent) => {
      const answered = new Promise<number>((resolveAnswer) => {
        const call = httpRequest(
          `${apiUrl}/api/plans/import`,
          {
            method: 'POST',
            headers: {
              ...Object.fromEntries(new Headers(asTestAdmin().headers).entries()),
              'content-type': multipart.headers.get('content-type')!,
              'content-length': body.length,
            },
          },
          (response) => {
            response.resume();
            response.on('end', () => resolveAnswer(response.statusCode!));
          },
        );
        call.on('error', rejectSent);
        call.end(body, () => resolveSent());
      });
      void answered.then((status) => events.push(`import ${status}`));
    });
    await sent;
    // Time for the API to take in the upload and start reading it; then another user's request.
    await new Promise((r) => setTimeout(r, 300));
    const other = await fetch(`${apiUrl}/api/plans`, asTestAdmin());
    events.push(`other ${other.status}`);
    while (!events.some((e) => e.startsWith('import'))) await new Promise((r) => setTimeout(r, 50));
    // Read on the API's thread, the file held every other request until the import had answered.
    expect(events).toEqual(['other 200', 'import 409']);
    expect(await planNames()).not.toContain(plan);
  }, 60_000);
});

describe('duban import', () => {
  it('prints the import as JSON', async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [
        join(REPO_ROOT, 'dist/apps/cli/src/main.js'),
        'import',
        seedPath,
        '--dry-run',
        '--json',
        '--plan',
        `cli-${Date.now()}`,
      ],
      { cwd: REPO_ROOT, env: childEnvironment({ DATABASE_URL: stack.databaseUrl }), maxBuffer: 32 * 1024 * 1024 },
    );
    const result = JSON.parse(stdout) as Record<string, any>;
    expect(Object.keys(result)).toEqual(expect.arrayContaining(['plan', 'categories', 'tasks', 'units', 'warnings']));
    expect(result.tasks).toHaveLength(128);
    expect(result.warnings[0]).toEqual({ position: expect.stringMatching(/^第\d+行/), message: expect.any(String) });
  });
});

describe('duban calendar', () => {
  const cli = (...args: string[]) =>
    promisify(execFile)(process.execPath, [join(REPO_ROOT, 'dist/apps/cli/src/main.js'), 'calendar', ...args], {
      cwd: REPO_ROOT,
      env: childEnvironment({ DATABASE_URL: stack.databaseUrl }),
    });

  it('shows a month in working days and takes an admin correction', async () => {
    const october = (await cli('show', '2020-10')).stdout.split('\n');
    expect(october.find((l) => l.startsWith('2020-10-14'))).toMatch(/working day\s+5/);
    expect(october.find((l) => l.startsWith('2020-10-10'))).toMatch(/working day\s+2\s+国庆节/);

    await cli('set', '2031-01-02', 'holiday', '元旦');
    await cli('year', '2031');
    const january = (await cli('show', '2031-01')).stdout.split('\n');
    expect(january.find((l) => l.startsWith('2031-01-02'))).toMatch(/day off\s+元旦$/);
    expect(january.join('\n')).not.toContain('provisional');

    // A year without a notice: its statutory days off are known, its make-up days not yet.
    const provisional = (await cli('show', '2027-01')).stdout.split('\n');
    expect(provisional.find((l) => l.startsWith('2027-01-01'))).toMatch(/day off\s+元旦\s+\(暂定 \/ provisional\)$/);
    expect(provisional.find((l) => l.startsWith('2027-01-04'))).toMatch(/working day\s+1\b/);
  });

  it('refuses an impossible date, saying why', async () => {
    const failed = await cli('set', '2020-13-01', 'holiday', 'x').catch((e: { code: number; stderr: string }) => e);
    expect(failed).toMatchObject({ code: 2, stderr: expect.stringContaining('日期格式无效') });
  });
});
