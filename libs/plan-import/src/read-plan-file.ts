/**
 * One entry for every format: the file's bytes (and name, for its ending)
 * in, an understood plan out. Plain text, HTML, XLSX and CSV are told apart
 * by their content first, the file name second.
 */
import {
  DomainError,
  interpretPlanTable,
  textToCells,
  type ImportedPlan,
  type InterpretOptions,
  type SourceTable,
} from '#domain';
import { checkCells } from './cell-limits.js';
import { csvToGrid } from './csv.reader.js';
import { decodeText, decodeTextLeniently } from './decode-text.js';
import { htmlToTables } from './html-table.reader.js';
import { xlsxToTables } from './xlsx.reader.js';

export type PlanFileFormat = 'text' | 'html' | 'xlsx' | 'csv';

export const DEFAULT_MAX_IMPORT_BYTES = 20 * 1024 * 1024;

export function detectFormat(bytes: Uint8Array, fileName: string): PlanFileFormat {
  const name = fileName.toLowerCase();
  if (bytes[0] === 0x50 && bytes[1] === 0x4b) return 'xlsx'; // a zip container
  if (name.endsWith('.csv') || name.endsWith('.tsv')) return 'csv';
  const head = decodeTextLeniently(bytes.subarray(0, 4096)).trimStart().toLowerCase();
  if (
    name.endsWith('.html') ||
    name.endsWith('.htm') ||
    head.startsWith('<!doctype html') ||
    head.startsWith('<html') ||
    /<table[\s>]/.test(head)
  ) {
    return 'html';
  }
  return 'text';
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
  const format = detectFormat(bytes, fileName);
  // Text is decoded once, strictly: a byte that is no text is refused with where it stands.
  const text = format === 'xlsx' ? '' : decodeText(bytes, fileName).text;
  if (format !== 'xlsx' && text.trim() === '') throw empty();
  let table: SourceTable;
  try {
    switch (format) {
      case 'xlsx':
        table = { kind: 'grid', tables: await xlsxToTables(bytes, fileName) };
        break;
      case 'html':
        table = { kind: 'grid', ...htmlToTables(text) };
        break;
      case 'csv':
        table = { kind: 'grid', tables: [{ name: fileName, nameEn: fileName, rows: csvToGrid(text) }] };
        break;
      case 'text':
        table = textToCells(text);
        break;
    }
  } catch (error) {
    if (error instanceof DomainError) throw error;
    throw new DomainError(
      'IMPORT_UNREADABLE',
      `无法读取文件 ${fileName}（${format}）：${(error as Error).message}`,
      `Cannot read ${fileName} as ${format}: ${(error as Error).message}`,
    );
  }
  checkCells(table, fileName);
  const fallbackName = fileName.replace(/\.[^.]+$/, '');
  return { ...interpretPlanTable(table, { fallbackName, ...options }), format };
}
