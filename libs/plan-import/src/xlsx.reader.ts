/**
 * XLSX workbooks: each sheet is read with its own header (a sheet without
 * one, such as a summary, is named in a warning).
 * A merged range gives every cell it covers the master cell's text, so a
 * category merged down its group reaches each of its rows. Positions are
 * spreadsheet references ("Sheet1!B7").
 *
 * A workbook is a zip of XML, and a small file can claim a great deal: a
 * cell at XFD1048576, a merge over the whole sheet, a part that inflates a
 * thousandfold. Before exceljs builds anything, the zip is inflated as a
 * stream and refused past MAX_UNPACKED_BYTES, and the sheets' cells and merged
 * areas are counted and refused past MAX_XLSX_CELLS; the grid handed on holds
 * only the rows and columns that have text.
 */
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { DomainError, type GridTable, type SourceCell } from '#domain';

/** The most bytes a workbook may inflate to, all its parts together. */
export const MAX_UNPACKED_BYTES = 50 * 1024 * 1024;
/** The most cells a workbook may hold (written cells plus the cells merged ranges cover), and the most its grids may span. */
export const MAX_XLSX_CELLS = 1_000_000;
/** The most parts a workbook's zip may hold. */
const MAX_ZIP_ENTRIES = 2000;

const CELL_TAG = /<(?:\w+:)?c[\s>/]/g;
const MERGE_TAG = /<(?:\w+:)?mergeCell\s[^>]*?ref="([A-Z]{1,3})(\d{1,7}):([A-Z]{1,3})(\d{1,7})"/g;

function columnNumber(letters: string): number {
  let n = 0;
  for (const letter of letters) n = n * 26 + letter.charCodeAt(0) - 64;
  return n;
}

function tooManyCells(fileName: string, whereZh: string, whereEn: string, cells: number): DomainError {
  return new DomainError(
    'IMPORT_TOO_MANY_CELLS',
    `工作簿 ${fileName} 的${whereZh}超过 ${MAX_XLSX_CELLS} 个单元格上限：请删去多余的行列或合并区域后重新导入`,
    `Workbook ${fileName}: ${whereEn} is over the limit of ${MAX_XLSX_CELLS} cells; delete the extra rows, columns or merged ranges and import again`,
    { position: whereEn, cells, maxCells: MAX_XLSX_CELLS },
  );
}

/** Inflates a part chunk by chunk; a throw from onChunk stops the inflating and rejects. */
function eachChunk(file: JSZip.JSZipObject, onChunk: (chunk: Buffer) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const stream = file.nodeStream('nodebuffer');
    stream.on('data', (chunk: Buffer) => {
      try {
        onChunk(chunk);
      } catch (error) {
        stream.removeAllListeners('data');
        stream.pause();
        reject(error as Error);
      }
    });
    stream.on('end', () => resolve());
    stream.on('error', reject);
  });
}

/**
 * Inflates every part as a stream, refusing past MAX_UNPACKED_BYTES
 * (IMPORT_UNPACKED_TOO_LARGE, naming the part) and past MAX_XLSX_CELLS
 * (IMPORT_TOO_MANY_CELLS, naming the part or the merged range). Memory:
 * at most one inflated worksheet part at a time, bounded by the cap.
 */
async function checkWorkbookSize(bytes: Uint8Array, fileName: string): Promise<void> {
  const zip = await JSZip.loadAsync(bytes);
  const files = Object.values(zip.files).filter((f) => !f.dir);
  if (files.length > MAX_ZIP_ENTRIES) {
    throw new DomainError(
      'IMPORT_UNPACKED_TOO_LARGE',
      `工作簿 ${fileName} 含 ${files.length} 个部件，超过上限 ${MAX_ZIP_ENTRIES}`,
      `Workbook ${fileName} holds ${files.length} parts, over the limit of ${MAX_ZIP_ENTRIES}`,
      { parts: files.length, maxParts: MAX_ZIP_ENTRIES },
    );
  }
  let unpacked = 0;
  let cells = 0;
  for (const file of files) {
    const isSheet = /^xl\/worksheets\/[^/]+\.xml$/.test(file.name);
    const chunks: Buffer[] = [];
    await eachChunk(file, (chunk) => {
      unpacked += chunk.length;
      if (unpacked > MAX_UNPACKED_BYTES) {
        throw new DomainError(
          'IMPORT_UNPACKED_TOO_LARGE',
          `工作簿 ${fileName} 解压后超过 ${MAX_UNPACKED_BYTES / 1048576} MB 上限（在部件 ${file.name} 处）`,
          `Workbook ${fileName} unpacks to more than ${MAX_UNPACKED_BYTES / 1048576} MB (at part ${file.name})`,
          { part: file.name, maxUnpackedBytes: MAX_UNPACKED_BYTES },
        );
      }
      if (isSheet) chunks.push(chunk);
    });
    if (!isSheet) continue;
    // Tags are ASCII: latin1 reads them whatever the cells' text.
    const xml = Buffer.concat(chunks).toString('latin1');
    for (const _ of xml.matchAll(CELL_TAG)) cells += 1;
    if (cells > MAX_XLSX_CELLS) throw tooManyCells(fileName, `部件 ${file.name} 处`, `part ${file.name}`, cells);
    for (const m of xml.matchAll(MERGE_TAG)) {
      const rows = Math.abs(Number(m[4]) - Number(m[2])) + 1;
      const columns = Math.abs(columnNumber(m[3]!) - columnNumber(m[1]!)) + 1;
      cells += rows * columns;
      const range = `${m[1]}${m[2]}:${m[3]}${m[4]}`;
      if (cells > MAX_XLSX_CELLS) throw tooManyCells(fileName, `合并区域 ${range} 处`, `merged range ${range}`, cells);
    }
  }
}

/**
 * The workbook's sheets as grids: only rows with text, and only the columns
 * where some row has text (each cell keeps its real reference). Throws
 * DomainError for a workbook over the bounds above (see checkWorkbookSize) or
 * whose grids would span more than MAX_XLSX_CELLS cells. Time and memory:
 * O(unpacked bytes + cells).
 */
export async function xlsxToTables(bytes: Uint8Array, fileName = 'workbook.xlsx'): Promise<GridTable[]> {
  await checkWorkbookSize(bytes, fileName);
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
  const tables: GridTable[] = [];
  let spanned = 0;
  workbook.eachSheet((sheet) => {
    const written: { row: number; cells: Map<number, SourceCell> }[] = [];
    const columns = new Set<number>();
    sheet.eachRow((row, r) => {
      const cells = new Map<number, SourceCell>();
      row.eachCell((cell, c) => {
        const text = cellText(cell.isMerged ? cell.master : cell);
        if (text === '') return;
        cells.set(c, { text, row: r, column: c, ref: `${sheet.name}!${cell.address}` });
        columns.add(c);
      });
      if (cells.size > 0) written.push({ row: r, cells });
    });
    const used = [...columns].sort((a, b) => a - b);
    spanned += written.length * used.length;
    if (spanned > MAX_XLSX_CELLS)
      throw tooManyCells(fileName, `工作表“${sheet.name}”处`, `sheet "${sheet.name}"`, spanned);
    const rows = written.map(({ row, cells }) =>
      used.map((c) => cells.get(c) ?? { text: '', row, column: c, ref: `${sheet.name}!${address(row, c)}` }),
    );
    tables.push({ name: `工作表“${sheet.name}”`, nameEn: `sheet "${sheet.name}"`, rows });
  });
  return tables;
}

/** 3, 2 → "B3" */
function address(row: number, column: number): string {
  let letters = '';
  for (let n = column; n > 0; n = Math.floor((n - 1) / 26))
    letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters;
  return `${letters}${row}`;
}

/** Dates as 2021-12-31 (not a JavaScript date string), everything else as Excel shows it. */
function cellText(cell: ExcelJS.Cell): string {
  if (cell.value instanceof Date) return cell.value.toISOString().slice(0, 10);
  return cell.text ?? '';
}
