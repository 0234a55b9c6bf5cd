/**
 * The quarterly report on paper: the seed's 128 tasks in a 2020年第三季度
 * cycle as the workflows would leave it (most approved with the seed's own
 * progress and completion, some waiting for review, returned or never
 * reported), exported as DOCX and XLSX and printed to PDF by LibreOffice
 * (one conversion for both), then read back with poppler's pdftotext and
 * pdfinfo as a person reads the paper: A4 landscape, few pages, the header
 * row on every page, 红灯/黄灯/绿灯 in words, no internal state (待审核,
 * 已退回, submitted …) in a cell, what is not yet approved said plainly, a
 * summary line whose counts are the read model's, 完成率 wherever the
 * approved report has a comparable figure, and the quarter as 2020年第三季度.
 * The PDFs and their first pages as PNG go to .data/test/screenshots.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import type { DataSource } from 'typeorm';
import { cycleReport } from '#reporting';
import { createDataSource } from '#persistence';
import { importPlan, PlanRepository } from '#plans';
import { fillCycles } from '../infra/bench/dashboard-data.js';
import { readTestStack, testDataDir } from './support/test-stack.js';

const seed = readFileSync(new URL('../../test/fixtures/gongshu-2020-q3-key-tasks.txt', import.meta.url));
const suffix = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 5)}`;
const screenshots = join(testDataDir(), 'screenshots');
const work = mkdtempSync(join(tmpdir(), 'duban-report-papers-'));
/** What the read model holds for one task of the cycle, with the content the report's row is found by. */
type TaskRow = { content: string; status: string; light: string | null; completion: number | null };
let dataSource: DataSource;
let tasks: TaskRow[];
let docx: Uint8Array;
let xlsx: Uint8Array;
/** pdftotext -layout of each PDF, page by page. */
const pages: Record<'docx' | 'xlsx', string[]> = { docx: [], xlsx: [] };
const sizes: Record<'docx' | 'xlsx', string> = { docx: '', xlsx: '' };

/** A command of a Debian package the test cannot do without; fails with what to install. */
function tool(name: string, pkg: string): string {
  const found = [`/usr/bin/${name}`, `/usr/local/bin/${name}`].find((path) => existsSync(path));
  if (!found) {
    throw new Error(
      `${name} 缺失，请安装 ${pkg}（bash infra/scripts/ensure-chromium.sh）/ ${name} is missing: install ${pkg} (bash infra/scripts/ensure-chromium.sh)`,
    );
  }
  return found;
}

function run(command: string, args: string[]): string {
  const result = spawnSync(command, args, { encoding: 'utf8', timeout: 170_000 });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')}: ${result.stderr || result.error?.message}`);
  return result.stdout;
}

beforeAll(async () => {
  const soffice = tool('soffice', 'libreoffice-writer-nogui libreoffice-calc-nogui');
  const pdftotext = tool('pdftotext', 'poppler-utils');
  const pdfinfo = tool('pdfinfo', 'poppler-utils');
  const pdftoppm = tool('pdftoppm', 'poppler-utils');
  dataSource = createDataSource(readTestStack().databaseUrl, 'duban-report-papers-int-spec');
  await dataSource.initialize();
  const plan = await importPlan(new PlanRepository(dataSource), {
    bytes: seed,
    fileName: 'seed.txt',
    planName: `papers-${suffix}`,
    acceptWarnings: true,
  });
  const {
    cycleIds: [cycleId],
  } = await fillCycles(dataSource, { planId: plan.plan.id!, quarters: ['2020Q3'], idPrefix: `cycle:papers-${suffix}` });
  // Each unit's report in the cycle: the approved ones say what the seed says, with its completion; a report
  // waiting for review or returned says something no paper may print before it is approved.
  await dataSource.query(
    `INSERT INTO submission (task_id, quarter, unit_id, version, source, kind, cycle_id, cycle_sequence, narrative,
                             declared_state, completion)
     SELECT tc.task_id, '2020Q3', s.unit_id, 2, 'reporter', 'progress', tc.cycle_id, 1,
            CASE WHEN tc.status = 'approved' THEN s.narrative ELSE '尚未审核的报送内容' END, s.declared_state, s.completion
       FROM task_cycle tc JOIN submission s ON s.task_id = tc.task_id AND s.quarter = '2020Q3' AND s.source = 'import'
      WHERE tc.cycle_id = $1 AND tc.submissions > 0`,
    [cycleId],
  );
  await dataSource.query(
    `UPDATE task_cycle tc SET completion = s.completion FROM submission s
      WHERE tc.cycle_id = $1 AND s.cycle_id = tc.cycle_id AND s.task_id = tc.task_id`,
    [cycleId],
  );
  await dataSource.query(`UPDATE task_cycle SET completion = NULL WHERE cycle_id = $1 AND submissions = 0`, [cycleId]);
  tasks = (await dataSource.query(
    `SELECT v.content, tc.status, tc.light, tc.completion::float8 AS completion
       FROM task_cycle tc JOIN current_task_version v ON v.task_id = tc.task_id WHERE tc.cycle_id = $1`,
    [cycleId],
  )) as TaskRow[];

  docx = (await cycleReport(dataSource, cycleId!, 'docx')).body;
  xlsx = (await cycleReport(dataSource, cycleId!, 'xlsx')).body;
  writeFileSync(join(work, 'report-docx.docx'), docx);
  writeFileSync(join(work, 'report-xlsx.xlsx'), xlsx);
  // One LibreOffice start for both files; it exits 0 even when it cannot load one, so the PDFs tell.
  run(soffice, [
    `-env:UserInstallation=${pathToFileURL(join(work, 'profile')).href}`,
    '--headless',
    '--convert-to',
    'pdf',
    '--outdir',
    join(work, 'pdf'),
    join(work, 'report-docx.docx'),
    join(work, 'report-xlsx.xlsx'),
  ]);
  mkdirSync(screenshots, { recursive: true });
  for (const format of ['docx', 'xlsx'] as const) {
    const pdf = join(work, 'pdf', `report-${format}.pdf`);
    if (!existsSync(pdf)) throw new Error(`LibreOffice made no PDF of the ${format.toUpperCase()} report`);
    writeFileSync(join(screenshots, `report-${format}.pdf`), readFileSync(pdf));
    pages[format] = run(pdftotext, ['-layout', pdf, '-'])
      .split('\f')
      .filter((page) => page.trim() !== '');
    sizes[format] = /Page size:\s*(.*)/.exec(run(pdfinfo, [pdf]))?.[1] ?? '';
    run(pdftoppm, [
      '-png',
      '-r',
      '60',
      '-f',
      '1',
      '-l',
      '1',
      '-singlefile',
      pdf,
      join(screenshots, `report-${format}`),
    ]);
  }
}, 180_000);

afterAll(async () => {
  await dataSource?.destroy();
  rmSync(work, { recursive: true, force: true });
});

const count = (status: string, light?: string) =>
  tasks.filter((t) => t.status === status && (light === undefined || t.light === light)).length;
/** The words of a page, as pdftotext lays them out (a cell's text stands apart from its neighbours'). */
const words = (text: string) => text.split(/\s+/).filter(Boolean);
/** Internal state words that must never stand in a cell of their own. */
const STATE_WORDS = ['待审核', '已退回', '未报送', 'submitted', 'returned', 'approved', 'overdue', 'assigned'];

describe.each(['docx', 'xlsx'] as const)('the quarterly report printed from %s', (format) => {
  it('is A4 landscape, far fewer pages than 38, with the header row on every page', () => {
    // A4 landscape is 842 × 595 pt.
    const [width, height] = sizes[format].split(/\s*x\s*/).map((n) => Math.round(Number.parseFloat(n)));
    expect([width, height]).toEqual([842, 595]);
    expect(pages[format].length).toBeGreaterThan(1);
    expect(pages[format].length).toBeLessThanOrEqual(20);
    for (const [i, page] of pages[format].entries()) {
      expect({
        page: i + 1,
        header: /序号\s+项目名称\s+项目内容\s+责任单位\s+进展情况\s+进度\s+完成率/.test(page),
      }).toEqual({
        page: i + 1,
        header: true,
      });
    }
  });

  it('names each light in words, says plainly what is not approved, and prints no internal state', () => {
    const all = words(pages[format].join('\n'));
    for (const [word, light] of [
      ['绿灯', 'green'],
      ['黄灯', 'yellow'],
      ['红灯', 'red'],
    ] as const) {
      expect({ word, n: all.filter((w) => w === word).length }).toEqual({ word, n: count('approved', light) });
      expect(count('approved', light)).toBeGreaterThan(0);
    }
    expect(all.filter((w) => STATE_WORDS.includes(w))).toEqual([]);
    const text = pages[format].join('\n');
    expect(text).not.toContain('尚未审核的报送内容');
    const said = (phrase: string) => all.filter((w) => w === phrase).length;
    expect(said('本季度尚未报送') + said('本季度逾期未报送')).toBe(count('assigned') + count('overdue'));
    expect(said('报送待审核')).toBe(count('submitted'));
    expect(count('submitted')).toBeGreaterThan(0);
    expect(said('审核未通过，待重新报送')).toBe(count('returned'));
  });

  it('opens with the quarter in words and a summary line whose counts are the read model’s', () => {
    // pdftotext sets a space between Latin digits and Chinese characters: the paper's text without white space.
    const first = pages[format][0]!.replace(/\s+/g, '');
    expect(first).toContain('2020年第三季度政府工作报告重点任务目标执行情况');
    expect(pages[format].join('\n')).not.toMatch(/2020\s*-?Q3/);
    const notApproved = count('assigned') + count('overdue') + count('returned');
    expect(first).toContain(
      `共${tasks.length}项，已审核通过${count('approved')}项（绿灯${count('approved', 'green')}项、黄灯${count('approved', 'yellow')}项、红灯${count('approved', 'red')}项），待审核${count('submitted')}项，未报送或未通过审核${notApproved}项。`,
    );
  });
});

const unescapeXml = (text: string) =>
  text.replace(
    /&(amp|lt|gt|quot|apos);/g,
    (_, name: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" })[name]!,
  );

describe('the report’s cells', () => {
  /** Each table row's cell texts, by the row's 项目内容. */
  async function docxRows(): Promise<Map<string, string[]>> {
    const xml = await (await JSZip.loadAsync(docx)).file('word/document.xml')!.async('string');
    const rows = new Map<string, string[]>();
    for (const row of xml.matchAll(/<w:tr[ >][\s\S]*?<\/w:tr>/g)) {
      const cells = [...row[0].matchAll(/<w:tc>([\s\S]*?)<\/w:tc>/g)].map((cell) =>
        [...cell[1]!.matchAll(/<w:t[^>]*>([^<]*)<\/w:t>/g)].map((t) => unescapeXml(t[1]!)).join(''),
      );
      // The category's cell is merged down its rows: a continuing row has it empty, so 项目内容 is the third.
      rows.set(cells[2]!, cells);
    }
    return rows;
  }

  async function xlsxRows(): Promise<Map<string, string[]>> {
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx as unknown as ArrayBuffer);
    const rows = new Map<string, string[]>();
    book.worksheets[0]!.eachRow((row) => {
      const cells = (row.values as unknown[]).slice(1).map((v) => String(v ?? ''));
      rows.set(cells[2] ?? '', cells);
    });
    return rows;
  }

  it.each([
    ['docx', docxRows],
    ['xlsx', xlsxRows],
  ] as const)('in %s: 完成率 wherever the approved report has a comparable figure, and only there', async (_, read) => {
    const rows = await read();
    const printed = tasks.map((task) => ({ content: task.content, completion: rows.get(task.content)?.[6] }));
    expect(printed).toEqual(
      tasks.map((task) => ({
        content: task.content,
        completion:
          task.status === 'approved' && task.completion !== null ? `${Math.round(task.completion * 10) / 10}%` : '—',
      })),
    );
    expect(tasks.filter((t) => t.status === 'approved' && t.completion !== null).length).toBeGreaterThan(20);
  });

  it('gives the XLSX borders, wrapped text, print titles, a frozen header and A4 landscape fitted to the width', async () => {
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx as unknown as ArrayBuffer);
    const sheet = book.worksheets[0]!;
    expect(sheet.pageSetup).toMatchObject({
      paperSize: 9,
      orientation: 'landscape',
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
    });
    const headerRow = sheet.getColumn(1).values.findIndex((v) => v === '序号');
    expect(headerRow).toBeGreaterThan(0);
    expect(sheet.pageSetup.printTitlesRow).toBe(`${headerRow}:${headerRow}`);
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: headerRow });
    const unbordered: string[] = [];
    const unwrapped: string[] = [];
    for (let r = headerRow; r <= sheet.rowCount; r += 1) {
      for (let c = 1; c <= 7; c += 1) {
        const cell = sheet.getCell(r, c);
        const border = cell.border ?? {};
        if (!(['top', 'left', 'bottom', 'right'] as const).every((side) => border[side]?.style === 'thin')) {
          unbordered.push(cell.address);
        }
        if (!cell.alignment?.wrapText) unwrapped.push(cell.address);
      }
    }
    expect({ unbordered, unwrapped }).toEqual({ unbordered: [], unwrapped: [] });
    expect(sheet.getColumn(1).width!).toBeLessThan(sheet.getColumn(3).width!);
    expect(sheet.getColumn(5).width!).toBeGreaterThan(sheet.getColumn(4).width!);
  });
});
