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
import { csvToGrid } from './csv.reader.js';
import { decodeText } from './decode-text.js';
import { htmlToTables } from './html-table.reader.js';
import { xlsxToTables } from './xlsx.reader.js';

export type PlanFileFormat = 'text' | 'html' | 'xlsx' | 'csv';

export const DEFAULT_MAX_IMPORT_BYTES = 20 * 1024 * 1024;

export function detectFormat(bytes: Uint8Array, fileName: string): PlanFileFormat {
  const name = fileName.toLowerCase();
  if (bytes[0] === 0x50 && bytes[1] === 0x4b) return 'xlsx'; // a zip container
  if (name.endsWith('.csv') || name.endsWith('.tsv')) return 'csv';
  const head = decodeText(bytes.subarray(0, 4096)).text.trimStart().toLowerCase();
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

export async function readPlanFile(
  bytes: Uint8Array,
  fileName: string,
  options: InterpretOptions & { maxBytes?: number } = {},
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
  if (bytes.length === 0 || (bytes[0] !== 0x50 && decodeText(bytes).text.trim() === '')) {
    throw new DomainError('IMPORT_EMPTY', `文件 ${fileName} 是空的`, `File ${fileName} is empty`);
  }
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
  let table: SourceTable;
  try {
    switch (format) {
      case 'xlsx':
        table = { kind: 'grid', tables: await xlsxToTables(bytes) };
        break;
      case 'html':
        table = { kind: 'grid', ...htmlToTables(decodeText(bytes).text) };
        break;
      case 'csv':
        table = {
          kind: 'grid',
          tables: [{ name: fileName, nameEn: fileName, rows: csvToGrid(decodeText(bytes).text) }],
        };
        break;
      case 'text':
        table = textToCells(decodeText(bytes).text);
        break;
    }
  } catch (error) {
    throw new DomainError(
      'IMPORT_UNREADABLE',
      `无法读取文件 ${fileName}（${format}）：${(error as Error).message}`,
      `Cannot read ${fileName} as ${format}: ${(error as Error).message}`,
    );
  }
  const fallbackName = fileName.replace(/\.[^.]+$/, '');
  return { ...interpretPlanTable(table, { fallbackName, ...options }), format };
}
