/**
 * The importer on random, truncated and mutated files in every format it
 * reads (fast-check): it never crashes. Each file is either read, or refused
 * with a DomainError whose code is the import's (IMPORT_*) and whose message
 * says why in Chinese and in English, never a library's internal words.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import iconv from 'iconv-lite';
import { DomainError } from '#domain';
import { readPlanFile } from './read-plan-file.js';

const fixture = (name: string) =>
  new Uint8Array(readFileSync(new URL(`../../../../test/fixtures/office-cases/${name}`, import.meta.url)));

const csv = new TextDecoder().decode(fixture('F0-baseline.csv'));
const SEEDS: Record<string, Uint8Array> = {
  'plan.csv': fixture('F0-baseline.csv'),
  'plan.xlsx': fixture('F0-baseline.xlsx'),
  'prefixed.xlsx': fixture('F5a-prefixed-namespace.xlsx'),
  'paste.txt': fixture('F7-excel-clipboard.txt'),
  'page.html': new TextEncoder().encode(
    `<table>${csv
      .trim()
      .split('\n')
      .map(
        (line) =>
          `<tr>${line
            .split(',')
            .map((c) => `<td>${c}</td>`)
            .join('')}</tr>`,
      )
      .join('')}</table>`,
  ),
  'export.xls': new Uint8Array(iconv.encode(csv.replaceAll(',', '\t'), 'gbk')),
  // A web page's table copied as text: one cell per blank-line-separated block.
  'copy.txt': new TextEncoder().encode(
    csv
      .trim()
      .split('\n')
      .flatMap((line) => line.split(','))
      .join('\n\n'),
  ),
};
// The table as XML Spreadsheet 2003 (an OA's "导出Excel" .xls).
SEEDS['sheet2003.xls'] = new TextEncoder().encode(
  [
    '<?xml version="1.0"?><Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"',
    ' xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet"><Worksheet ss:Name="Sheet1"><Table>',
    ...csv
      .trim()
      .split('\n')
      .map(
        (line) =>
          `<Row>${line
            .split(',')
            .map((c) => `<Cell><Data ss:Type="String">${c}</Data></Cell>`)
            .join('')}</Row>`,
      ),
    '</Table></Worksheet></Workbook>',
  ].join('\n'),
);
// The HTML page as an MHT web archive ("单个文件网页"), its part in base64.
SEEDS['archive.mht'] = new TextEncoder().encode(
  [
    'MIME-Version: 1.0',
    'Content-Type: multipart/related; boundary="----=_NextPart_fuzz"',
    '',
    '------=_NextPart_fuzz',
    'Content-Location: file:///C:/plan.htm',
    'Content-Transfer-Encoding: base64',
    'Content-Type: text/html; charset="utf-8"',
    '',
    Buffer.from(SEEDS['page.html']!)
      .toString('base64')
      .replace(/(.{76})/g, '$1\r\n'),
    '------=_NextPart_fuzz--',
    '',
  ].join('\r\n'),
);

/** Read, or refused as the import refuses: never anything else. */
async function readOrRefuse(bytes: Uint8Array, name: string): Promise<void> {
  try {
    const plan = await readPlanFile(bytes, name);
    expect(Array.isArray(plan.tasks)).toBe(true);
    for (const task of plan.tasks) expect(typeof task.content).toBe('string');
  } catch (error) {
    if (!(error instanceof DomainError)) throw new Error(`${name}: not refused but crashed: ${String(error)}`);
    expect(error.code).toMatch(/^IMPORT_/);
    expect(error.messageZh).toMatch(/[\u4e00-\u9fff]/);
    expect(error.messageEn).toMatch(/[A-Za-z]{3}/);
    // A library's own words never reach the person importing.
    expect(`${error.messageZh} ${error.messageEn}`).not.toMatch(
      /Cannot read prop|undefined|is not a function|Unexpected token|invalid signature|Corrupted zip|End of data/i,
    );
  }
}

const seed = fc.constantFrom(...Object.keys(SEEDS));
const mutation = fc.oneof(
  fc.record({ kind: fc.constant('truncate' as const), at: fc.double({ min: 0, max: 1, noNaN: true }) }),
  fc.record({
    kind: fc.constant('flip' as const),
    at: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 8 }),
    byte: fc.integer({ min: 0, max: 255 }),
  }),
  fc.record({
    kind: fc.constant('insert' as const),
    at: fc.double({ min: 0, max: 1, noNaN: true }),
    text: fc.string({ maxLength: 40 }),
  }),
);

type Mutation =
  | { kind: 'truncate'; at: number }
  | { kind: 'flip'; at: number[]; byte: number }
  | { kind: 'insert'; at: number; text: string };

function mutate(bytes: Uint8Array, m: Mutation): Uint8Array {
  const position = (f: number) => Math.min(bytes.length - 1, Math.floor(f * bytes.length));
  if (m.kind === 'truncate') return bytes.slice(0, position(m.at));
  if (m.kind === 'flip') {
    const copy = bytes.slice();
    for (const at of m.at) copy[position(at)] = m.byte;
    return copy;
  }
  const at = position(m.at);
  return new Uint8Array([...bytes.slice(0, at), ...new TextEncoder().encode(m.text), ...bytes.slice(at)]);
}

describe('importing random and damaged files', () => {
  it('reads every seed file unmutated, as the control has it', async () => {
    for (const [name, bytes] of Object.entries(SEEDS)) {
      const plan = await readPlanFile(bytes, name);
      expect([name, plan.tasks.length]).toEqual([name, 4]);
    }
  });

  it('refuses a cut workbook in words a person can act on', async () => {
    await readOrRefuse(SEEDS['plan.xlsx']!.slice(0, 100), 'plan.xlsx');
  });

  it('reads or refuses with a positioned, bilingual reason every mutated file of every format', async () => {
    await fc.assert(
      fc.asyncProperty(seed, fc.array(mutation, { minLength: 1, maxLength: 3 }), async (name, mutations) => {
        const bytes = mutations.reduce((b, m) => mutate(b, m), SEEDS[name]!);
        await readOrRefuse(bytes, name);
      }),
      { numRuns: 150 },
    );
  }, 120_000);

  it('reads or refuses random text and random tables', async () => {
    const cell = fc.oneof(
      fc.string({ maxLength: 12 }),
      fc.constantFrom(
        '序号',
        '项目内容',
        '责任单位',
        '进展情况',
        '区住建局、各街道',
        '新建幼儿园两所',
        '52%',
        '/',
        '"',
      ),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(cell, { maxLength: 6 }), { maxLength: 8 }),
        fc.constantFrom(',', '\t', ';'),
        fc.constantFrom('t.csv', 't.txt', 't.xls', 't.html'),
        async (rows, separator, name) => {
          const text = rows.map((r) => r.join(separator)).join('\n');
          await readOrRefuse(new TextEncoder().encode(text), name);
        },
      ),
      { numRuns: 200 },
    );
  }, 120_000);
});
