/**
 * Every document format a plan or a quarterly report is exported to is
 * well-formed XML even when a narrative holds characters XML 1.0 forbids
 * (a vertical tab pasted from Word, \x01 from another system, a lone
 * surrogate): each XML part of the DOCX and XLSX is parsed by a strict
 * XML 1.0 parser, the text around the bad characters is still there, and
 * LibreOffice (which, like Word, refuses such a file) converts both to PDF.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from '@jest/globals';
import JSZip from 'jszip';
import { SaxesParser } from 'saxes';
import { exportDocx, exportHtml, exportXlsx, type Lights } from './plan-export.js';
import type { StoredPlan } from './plan.repository.js';

const BAD = '\x00\x01\x08\x0B\x0C\x0E\x1F\uFFFE\uFFFF\uD800';

function planWithControlCharacters(): StoredPlan {
  const task = {
    ordinal: 1,
    category: '加快城市开发建设',
    categoryOrdinal: 1,
    leaders: [],
    targets: [],
    completion: 58.8,
    version: 1,
    state: null,
  };
  return {
    plan: { id: 'p', name: '2020年重点任务', year: 2020, title: `第三季度\x01执行情况` },
    quarter: '2020Q3',
    categories: [{ ordinal: 1, name: '加快城市开发建设', label: `(十)加快城市\x0B开发建设` }],
    tasks: [
      {
        ...task,
        id: 't1',
        content: `回迁安置1000户以上${BAD}`,
        leadUnit: '区住建局\x02',
        coUnits: ['各街道'],
        progress: `已完成回迁安置588户\x0B完成率58.8%\x01😀`,
      },
      {
        ...task,
        id: 't2',
        ordinal: 2,
        content: '新增公共停车泊位550个',
        leadUnit: '区城管局',
        coUnits: [],
        progress: '',
      },
    ],
  };
}

/** Only characters of XML 1.0's Char production, whole string. */
const XML_TEXT = /^[\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]*$/u;

const LIGHTS: Lights = new Map([['t1', { status: 'approved', light: 'yellow', completion: 58.8 }]]);

/** Parses `xml` as XML 1.0 and answers its character data; throws on the first well-formedness error. */
function strictText(xml: string, part: string): string {
  const parser = new SaxesParser({ xmlns: true });
  let text = '';
  parser.on('error', (error) => {
    throw new Error(`${part}: ${error.message}`);
  });
  parser.on('text', (chunk) => {
    text += chunk;
  });
  parser.write(xml).close();
  return text;
}

/** Every XML part of an Office Open XML package, parsed strictly: its text by part name. */
async function partsOf(body: Uint8Array): Promise<Map<string, string>> {
  const zip = await JSZip.loadAsync(body);
  const parts = new Map<string, string>();
  for (const name of Object.keys(zip.files).filter((n) => /\.(xml|rels)$/.test(n))) {
    parts.set(name, strictText(await zip.file(name)!.async('string'), name));
  }
  return parts;
}

/** LibreOffice's command, from the Debian package libreoffice-writer-nogui (with -calc-nogui for XLSX). */
function soffice(): string {
  const found = ['/usr/bin/soffice', '/usr/bin/libreoffice'].find((path) => existsSync(path));
  if (!found)
    throw new Error('LibreOffice is missing: apt-get install libreoffice-writer-nogui libreoffice-calc-nogui');
  return found;
}

describe('documents with characters XML 1.0 forbids', () => {
  it('gives a DOCX whose every XML part parses, with the text kept and a vertical tab as a new line', async () => {
    const parts = await partsOf(await exportDocx(planWithControlCharacters(), LIGHTS));
    const body = parts.get('word/document.xml')!;
    expect(body).toContain('回迁安置1000户以上');
    expect(body).toContain('已完成回迁安置588户完成率58.8%😀'); // two paragraphs, adjacent in the text
    expect(body).toContain('第三季度执行情况');
    expect(body).toMatch(XML_TEXT);
    expect(parts.get('docProps/core.xml')).toContain('第三季度执行情况');
  });

  it('gives an XLSX whose every XML part parses', async () => {
    const parts = await partsOf(await exportXlsx(planWithControlCharacters(), LIGHTS));
    const strings = [...parts.values()].join('');
    expect(strings).toContain('已完成回迁安置588户');
    expect(strings).toMatch(XML_TEXT);
  });

  it('gives HTML without the forbidden characters', () => {
    const html = exportHtml(planWithControlCharacters(), LIGHTS);
    expect(html).toContain('已完成回迁安置588户\n完成率58.8%😀');
    expect(html).toMatch(XML_TEXT);
  });

  it('opens in LibreOffice: the DOCX and the XLSX both convert to PDF', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'duban-export-'));
    try {
      const plan = planWithControlCharacters();
      writeFileSync(join(dir, 'report.docx'), await exportDocx(plan, LIGHTS));
      writeFileSync(join(dir, 'table.xlsx'), await exportXlsx(plan, LIGHTS));
      const run = spawnSync(
        soffice(),
        [
          `-env:UserInstallation=${pathToFileURL(join(dir, 'profile')).href}`,
          '--headless',
          '--convert-to',
          'pdf',
          '--outdir',
          join(dir, 'pdf'),
          join(dir, 'report.docx'),
          join(dir, 'table.xlsx'),
        ],
        { encoding: 'utf8', timeout: 50_000 },
      );
      // soffice exits 0 even when it cannot load a file ("source file could not be loaded"): the PDFs tell.
      const output = `${run.stdout}${run.stderr}`;
      expect(output).not.toContain('could not be loaded');
      expect({
        docx: existsSync(join(dir, 'pdf', 'report.pdf')),
        xlsx: existsSync(join(dir, 'pdf', 'table.pdf')),
      }).toEqual({ docx: true, xlsx: true });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
