/**
 * One entry for every format: the file's bytes (and name, for its ending)
 * in, an understood plan out. Plain text, HTML, XLSX, CSV, MHT and XML
 * Spreadsheet 2003 are told
 * apart by their content first, the file name second: an OA system's
 * "导出Excel" named .xls is often HTML, TAB-separated text (UTF-8 or GBK), an
 * MHT web archive or XML Spreadsheet 2003, and is read as what it is.
 */
import {
  columnRoleOf,
  DomainError,
  interpretPlanTable,
  isUsableHeader,
  textToCells,
  type ImportedPlan,
  type InterpretOptions,
  type SourceTable,
} from '#domain';
import { checkCells } from './cell-limits.js';
import { csvToGrid } from './csv.reader.js';
import { decodeText, decodeTextLeniently } from './decode-text.js';
import { htmlToTables } from './html-table.reader.js';
import { isSpreadsheetMl, spreadsheetMlSheets } from './spreadsheetml.reader.js';
import { sheetsToTables, xlsxToTables } from './xlsx.reader.js';

export type PlanFileFormat = 'text' | 'html' | 'xlsx' | 'csv' | 'mht' | 'spreadsheetml';

export const DEFAULT_MAX_IMPORT_BYTES = 20 * 1024 * 1024;

export function detectFormat(bytes: Uint8Array, fileName: string): PlanFileFormat {
  const name = fileName.toLowerCase();
  if (bytes[0] === 0x50 && bytes[1] === 0x4b) return 'xlsx'; // a zip container
  if (name.endsWith('.csv') || name.endsWith('.tsv')) return 'csv';
  const head = decodeTextLeniently(bytes.subarray(0, 4096)).trimStart().toLowerCase();
  // A web archive ("单个文件网页", Excel's .mht or an OA's .xls): MIME headers, then the pages.
  if (/^mime-version:/m.test(head) && /multipart\/related/.test(head)) return 'mht';
  // XML Spreadsheet 2003: an OA's "导出Excel" .xls may be this single XML file.
  if (head.startsWith('<') && isSpreadsheetMl(head)) return 'spreadsheetml';
  if (
    name.endsWith('.html') ||
    name.endsWith('.htm') ||
    head.startsWith('<!doctype html') ||
    head.startsWith('<html') ||
    /<table[\s>]/.test(head) ||
    // Excel's "网页" export may carry a long style block before its table.
    (head.startsWith('<') && /<table[\s>]/i.test(decodeTextLeniently(bytes.subarray(0, 256 * 1024))))
  ) {
    return 'html';
  }
  // A range copied from Excel or WPS (or a table from a browser) and pasted as text: cells between TABs.
  if (isTabSeparated(head)) return 'csv';
  return 'text';
}

/**
 * Text with a header row whose cells are TAB-separated (a spreadsheet range
 * or a browser table pasted as text): among its first lines, one whose TAB
 * cells name a usable header (a task column and a unit column), and another
 * line with TABs. Text merely aligned with TABs is left to the text reader.
 */
function isTabSeparated(head: string): boolean {
  const lines = head.split(/\r?\n/).slice(0, 12);
  const header = lines.findIndex((line) => line.includes('\t') && isUsableHeader(line.split('\t').map(columnRoleOf)));
  return header >= 0 && lines.slice(header + 1).some((line) => /\S\t|\t\S/.test(line));
}

/** Refuses (IMPORT_UNSUPPORTED_FORMAT) a legacy binary .xls/.doc (OLE2) or a PDF, saying what to save it as. */
export function refuseLegacyBinary(bytes: Uint8Array, fileName: string): void {
  if (
    (bytes[0] === 0xd0 && bytes[1] === 0xcf) ||
    (bytes[0] === 0x25 && bytes[1] === 0x50 && bytes[2] === 0x44 && bytes[3] === 0x46)
  ) {
    throw new DomainError(
      'IMPORT_UNSUPPORTED_FORMAT',
      `不支持 ${fileName} 的格式（旧版 .xls/.doc 或 PDF）：请另存为 XLSX、CSV 或 HTML 后导入`,
      `${fileName} is in a format Duban does not read (legacy .xls/.doc or PDF): save it as XLSX, CSV or HTML first`,
    );
  }
}

export type ReadPlanFileOptions = InterpretOptions & { maxBytes?: number };

/**
 * The plan a file holds, with the format it was read as. Throws DomainError
 * with a code of the import's (IMPORT_*): too large, empty, a format Duban
 * does not read, bytes that are no text (with line, column and byte offset),
 * a cell too long or holding a control character (with its position), a
 * workbook over its bounds, unreadable, no header, no tasks.
 * Cost: O(n) in the file's bytes for text, CSV and HTML, O(n log n) to find
 * a bad byte; XLSX O(unpacked bytes + cells), within MAX_UNPACKED_BYTES and
 * MAX_XLSX_CELLS; every cell at most MAX_CELL_CHARS, every parser linear in
 * it (docs/architecture.md, "Importing a plan"). Runs on the calling thread:
 * a server reads files with readPlanFileOffThread.
 */
export async function readPlanFile(
  bytes: Uint8Array,
  fileName: string,
  options: ReadPlanFileOptions = {},
): Promise<ImportedPlan & { format: PlanFileFormat }> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_IMPORT_BYTES;
  if (bytes.length > maxBytes) {
    throw new DomainError(
      'IMPORT_TOO_LARGE',
      `文件 ${fileName} 有 ${(bytes.length / 1048576).toFixed(1)} MB，超过上限 ${(maxBytes / 1048576).toFixed(0)} MB`,
      `File ${fileName} is ${(bytes.length / 1048576).toFixed(1)} MB, over the ${(maxBytes / 1048576).toFixed(0)} MB limit`,
      { bytes: bytes.length, maxBytes },
    );
  }
  const empty = () => new DomainError('IMPORT_EMPTY', `文件 ${fileName} 是空的`, `File ${fileName} is empty`);
  if (bytes.length === 0) throw empty();
  refuseLegacyBinary(bytes, fileName);
  const format = detectFormat(bytes, fileName);
  // Text is decoded once, strictly: a byte that is no text is refused with where it stands.
  // A web archive's pages are decoded by their own parts' charsets and transfer encodings.
  const text =
    format === 'xlsx'
      ? ''
      : format === 'mht'
        ? await webArchiveHtml(bytes, fileName)
        : decodeText(bytes, fileName).text;
  if (format !== 'xlsx' && text.trim() === '') throw empty();
  let table: SourceTable;
  try {
    switch (format) {
      case 'xlsx':
        table = { kind: 'grid', ...(await xlsxToTables(bytes, fileName)) };
        break;
      case 'spreadsheetml':
        table = { kind: 'grid', ...sheetsToTables(spreadsheetMlSheets(text, fileName), fileName) };
        break;
      case 'html':
      case 'mht':
        table = { kind: 'grid', ...htmlToTables(text) };
        break;
      case 'csv':
        // A paste told apart by its TABs is split on TABs alone (its narratives are full of "，").
        table = {
          kind: 'grid',
          tables: [
            {
              name: fileName,
              nameEn: fileName,
              rows: csvToGrid(text, isTabSeparated(text.slice(0, 4096)) ? '\t' : undefined),
            },
          ],
        };
        break;
      case 'text':
        table = textToCells(text);
        break;
    }
  } catch (error) {
    if (error instanceof DomainError) throw error;
    throw new DomainError(
      'IMPORT_UNREADABLE',
      `无法读取文件 ${fileName}（按 ${format} 格式）：内容不完整或已损坏，请另存为 XLSX、CSV 或 HTML 后重新导入`,
      `Cannot read ${fileName} as ${format}: its content is incomplete or damaged; save it as XLSX, CSV or HTML and import again`,
      { reason: (error as Error).message },
    );
  }
  checkCells(table, fileName);
  const fallbackName = fileName.replace(/\.[^.]+$/, '');
  return { ...interpretPlanTable(table, { fallbackName, ...options }), format };
}

/**
 * The HTML pages of an MHT web archive (multipart/related), each part decoded
 * by its charset and transfer encoding (mailparser), joined in order; a
 * workbook saved as a web archive keeps each sheet as a page (its frameset
 * page is left out). Throws
 * IMPORT_UNREADABLE when the archive cannot be parsed.
 */
async function webArchiveHtml(bytes: Uint8Array, fileName: string): Promise<string> {
  try {
    // Loaded only for a web archive: every other file is read without it.
    const { simpleParser } = await import('mailparser');
    const parsed = await simpleParser(Buffer.from(bytes), { skipImageLinks: true, skipTextToHtml: true });
    // The workbook's own page is a <frameset> over its sheets; an HTML parser reads nothing after one.
    return typeof parsed.html === 'string' ? parsed.html.replace(/<frameset[\s>][\s\S]*?<\/frameset>/gi, '') : '';
  } catch (error) {
    throw new DomainError(
      'IMPORT_UNREADABLE',
      `无法读取网页存档 ${fileName}（.mht）：请在 Excel 或 WPS 中打开，另存为 .xlsx 后重新导入`,
      `Cannot read the web archive ${fileName} (.mht): open it in Excel or WPS, save it as .xlsx and import again`,
      { reason: (error as Error).message },
    );
  }
}
