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
import { DomainError, type GridTable, type ImportWarning } from '#domain';
import { columnLetters, columnNumber, readCellValue, type CellReading } from './cell-value.js';
import { xlsxXmlSheets } from './xlsx-xml.reader.js';

/** The most bytes a workbook may inflate to, all its parts together. */
export const MAX_UNPACKED_BYTES = 50 * 1024 * 1024;
/** The most cells a workbook may hold (written cells plus the cells merged ranges cover), and the most its grids may span. */
export const MAX_XLSX_CELLS = 1_000_000;
/** The most parts a workbook's zip may hold. */
const MAX_ZIP_ENTRIES = 2000;

const CELL_TAG = /<(?:\w+:)?c[\s>/]/g;
const MERGE_TAG = /<(?:\w+:)?mergeCell\s[^>]*?ref=["']([A-Z]{1,3})(\d{1,7}):([A-Z]{1,3})(\d{1,7})["']/g;

/** IMPORT_TOO_MANY_CELLS for `fileName`, naming where the limit was passed. */
export function tooManyCells(fileName: string, whereZh: string, whereEn: string, cells: number): DomainError {
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
    // Every XML part is counted: a workbook may keep its sheets anywhere its relationships point.
    const isSheet = /\.xml$/i.test(file.name);
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

/** IMPORT_UNREADABLE for a workbook no reader can open: what to do in both languages; the cause in `details.reason`. */
function unreadableWorkbook(fileName: string, cause: unknown): DomainError {
  return new DomainError(
    'IMPORT_UNREADABLE',
    `无法读取工作簿 ${fileName}：文件结构不完整或不是标准的 XLSX。请在 Excel 或 WPS 中打开，另存为 .xlsx 后重新导入`,
    `Cannot read workbook ${fileName}: its structure is incomplete or not standard XLSX. Open it in Excel or WPS, save it as .xlsx and import again`,
    { reason: cause instanceof Error ? cause.message : String(cause) },
  );
}

/** One sheet as read: its cells by row and column (1-based), and the columns it hides. */
export interface SheetCells {
  name: string;
  cells: Map<number, Map<number, CellReading>>;
  hidden: Set<number>;
}

/** The sheets through ExcelJS: each written cell's value read by `readCellValue` (a merged range's first cell for every cell it covers). */
async function excelJsSheets(bytes: Uint8Array): Promise<SheetCells[]> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
  const sheets: SheetCells[] = [];
  workbook.eachSheet((sheet) => {
    const cells = new Map<number, Map<number, CellReading>>();
    // The sheet's hidden columns, once (getColumn per cell would create a column object for each).
    const hidden = new Set<number>();
    (sheet.columns ?? []).forEach((column, i) => {
      if (column?.hidden) hidden.add(i + 1);
    });
    sheet.eachRow((row, r) => {
      const line = new Map<number, CellReading>();
      row.eachCell((cell, c) => {
        const source = cell.isMerged ? cell.master : cell;
        const place = { ref: `${sheet.name}!${source.address}`, row: Number(source.row), column: Number(source.col) };
        const reading = readCellValue(source.value, place, source.numFmt);
        // A merged range's doubt is told once, at its first cell.
        line.set(c, source === cell ? reading : { text: reading.text });
      });
      if (line.size > 0) cells.set(r, line);
    });
    sheets.push({ name: sheet.name, cells, hidden });
  });
  return sheets;
}

/**
 * The workbook's sheets as grids: only rows with text, and only the columns
 * where some row has text (each cell keeps its real reference); hidden
 * columns are left out, with a warning naming them. A workbook ExcelJS
 * refuses is read again from its XML (`xlsxXmlSheets`); one neither reads is
 * refused (IMPORT_UNREADABLE) with a hint to re-save it in Excel or WPS.
 * Warnings: each cell whose text could not be read (a formula without a
 * saved result, an error value, a picture in the cell), positioned. Throws
 * DomainError for a workbook over the bounds above (see checkWorkbookSize) or
 * whose grids would span more than MAX_XLSX_CELLS cells. Time and memory:
 * O(unpacked bytes + cells).
 */
export async function xlsxToTables(
  bytes: Uint8Array,
  fileName = 'workbook.xlsx',
): Promise<{ tables: GridTable[]; warnings: ImportWarning[] }> {
  try {
    await checkWorkbookSize(bytes, fileName);
  } catch (error) {
    if (error instanceof DomainError) throw error;
    // Not a zip one can open (cut short, damaged): say what to do, not what the zip library met.
    throw unreadableWorkbook(fileName, error);
  }
  let sheets: SheetCells[];
  try {
    sheets = await excelJsSheets(bytes);
    if (sheets.length === 0) throw new Error('no worksheet');
  } catch {
    try {
      sheets = await xlsxXmlSheets(bytes);
    } catch (error) {
      throw unreadableWorkbook(fileName, error);
    }
  }
  return sheetsToTables(sheets, fileName);
}

/**
 * Sheets as grids: only rows with text, and only the columns where some row
 * has text (each cell keeps its real reference); hidden columns left out and
 * named in a warning; each cell's own warning carried. Throws
 * IMPORT_TOO_MANY_CELLS past MAX_XLSX_CELLS. O(cells).
 */
export function sheetsToTables(
  sheets: readonly SheetCells[],
  fileName: string,
): { tables: GridTable[]; warnings: ImportWarning[] } {
  const tables: GridTable[] = [];
  const warnings: ImportWarning[] = [];
  let spanned = 0;
  for (const sheet of sheets) {
    const written = [...sheet.cells.entries()]
      .sort(([a], [b]) => a - b)
      .map(([row, line]) => ({ row, line: new Map([...line].filter(([c]) => !sheet.hidden.has(c))) }));
    for (const { line } of written)
      for (const reading of line.values()) if (reading.warning) warnings.push(reading.warning);
    const hiddenWithText = new Set<number>();
    for (const line of sheet.cells.values())
      for (const [c, reading] of line) if (sheet.hidden.has(c) && reading.text) hiddenWithText.add(c);
    if (hiddenWithText.size > 0) {
      const names = [...hiddenWithText].sort((a, b) => a - b).map(columnLetters);
      warnings.push({
        position: `${sheet.name}!${names.join(',')}`,
        message: `隐藏列 ${names.join('、')} 未导入（如需导入请先取消隐藏） / hidden column(s) ${names.join(', ')} not imported (unhide them to import)`,
      });
    }
    const columns = new Set<number>();
    const rows = written
      .map(({ row, line }) => ({ row, line: new Map([...line].filter(([, reading]) => reading.text !== '')) }))
      .filter(({ line }) => line.size > 0);
    for (const { line } of rows) for (const c of line.keys()) columns.add(c);
    const used = [...columns].sort((a, b) => a - b);
    spanned += rows.length * used.length;
    if (spanned > MAX_XLSX_CELLS)
      throw tooManyCells(fileName, `工作表“${sheet.name}”处`, `sheet "${sheet.name}"`, spanned);
    tables.push({
      name: `工作表“${sheet.name}”`,
      nameEn: `sheet "${sheet.name}"`,
      rows: rows.map(({ row, line }) =>
        used.map((column) => ({
          text: line.get(column)?.text ?? '',
          row,
          column,
          ref: `${sheet.name}!${columnLetters(column)}${row}`,
        })),
      ),
    });
  }
  return { tables, warnings };
}
