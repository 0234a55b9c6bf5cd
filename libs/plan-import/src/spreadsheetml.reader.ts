/**
 * XML Spreadsheet 2003 (SpreadsheetML, `urn:schemas-microsoft-com:office:spreadsheet`):
 * one XML file, often what an OA system's "导出Excel" writes and names .xls.
 * Read with a namespace-aware XML parser (saxes), elements by local name:
 * each Worksheet's Table, its Rows and Cells (ss:Index skips, ss:MergeAcross
 * and ss:MergeDown spread a cell's text, as a merged range shows it), each
 * cell's Data (String, Number, DateTime, Boolean, Error; rich text runs
 * joined; comments left out), a formula's saved result, the styles' number
 * formats (percentages, dates) and hidden columns. Every cell goes through
 * `readCellValue`, as a workbook's do.
 */
import { SaxesParser, type SaxesAttributeNS } from 'saxes';
import { columnLetters, readCellValue, type CellReading } from './cell-value.js';
import { MAX_XLSX_CELLS, tooManyCells, type SheetCells } from './xlsx.reader.js';

/** Whether the text is an XML Spreadsheet 2003 document (its namespace and a Workbook element, early on). */
export function isSpreadsheetMl(head: string): boolean {
  return /urn:schemas-microsoft-com:office:spreadsheet/i.test(head) && /<(?:\w+:)?workbook[\s>]/i.test(head);
}

/** The number formats SpreadsheetML names instead of writing them. */
const NAMED_FORMATS: Record<string, string> = {
  Percent: '0.00%',
  'Short Date': 'yyyy-mm-dd',
  'Medium Date': 'yyyy-mm-dd',
  'Long Date': 'yyyy-mm-dd',
  'General Date': 'yyyy-mm-dd',
  Fixed: '0.00',
  Standard: '#,##0.00',
};

const IGNORED = new Set(['Comment', 'PhoneticText']);
const MAX_COLUMNS = 16_384;

interface OpenCell {
  row: number;
  column: number;
  type: string;
  style: string;
  formula: string | null;
  link: string | null;
  across: number;
  down: number;
  text: string[];
}

/**
 * The sheets of a SpreadsheetML document (see the file's comment). Throws
 * DomainError IMPORT_TOO_MANY_CELLS when its cells (merged ones counted as
 * they spread) pass MAX_XLSX_CELLS, naming the sheet; an Error when it is no
 * well-formed XML (the caller refuses it in words a person can act on).
 * O(characters + cells).
 */
export function spreadsheetMlSheets(xml: string, fileName: string): SheetCells[] {
  const sheets: SheetCells[] = [];
  const formats = new Map<string, string>();
  let styleId: string | null = null;
  let sheet: SheetCells | null = null;
  let row = 0;
  let column = 0;
  let tableColumn = 0;
  let cell: OpenCell | null = null;
  let inData = 0;
  let ignored = 0;
  let spread = 0;
  // Columns taken in later rows by a cell merged down: row → columns.
  let taken = new Map<number, Set<number>>();
  const put = (r: number, c: number, reading: CellReading) => {
    if (!sheet) return;
    const line = sheet.cells.get(r) ?? new Map<number, CellReading>();
    line.set(c, reading);
    sheet.cells.set(r, line);
  };
  const parser = new SaxesParser({ xmlns: true });
  parser.on('opentag', (tag) => {
    const a: Record<string, string> = {};
    for (const attribute of Object.values(tag.attributes) as SaxesAttributeNS[]) a[attribute.local] = attribute.value;
    // A cell's comment and phonetic guide are not its text.
    if (IGNORED.has(tag.local) || ignored) {
      ignored += 1;
      return;
    }
    switch (tag.local) {
      case 'Style':
        styleId = a.ID ?? null;
        return;
      case 'NumberFormat':
        if (styleId && a.Format) formats.set(styleId, NAMED_FORMATS[a.Format] ?? a.Format);
        return;
      case 'Worksheet':
        sheet = { name: a.Name ?? `Sheet${sheets.length + 1}`, cells: new Map(), hidden: new Set() };
        sheets.push(sheet);
        row = 0;
        tableColumn = 0;
        taken = new Map();
        return;
      case 'Column': {
        // A sheet has at most 16,384 columns: no index or span reaches past it, however many elements say so.
        tableColumn = Math.min(a.Index ? Number(a.Index) || 0 : tableColumn + 1, MAX_COLUMNS);
        const last = Math.min(tableColumn + Math.max(0, Number(a.Span ?? 0) || 0), MAX_COLUMNS);
        if (sheet && (a.Hidden === '1' || a.Hidden === 'true'))
          for (let c = tableColumn; c <= last; c += 1) sheet.hidden.add(c);
        tableColumn = last;
        return;
      }
      case 'Row':
        row = a.Index ? Number(a.Index) : row + 1;
        column = 0;
        return;
      case 'Cell': {
        column = a.Index ? Number(a.Index) : column + 1;
        while (taken.get(row)?.has(column)) column += 1;
        cell = {
          row,
          column,
          type: 'String',
          style: a.StyleID ?? '',
          formula: a.Formula ?? null,
          link: a.HRef ?? null,
          across: Math.max(0, Number(a.MergeAcross ?? 0) || 0),
          down: Math.max(0, Number(a.MergeDown ?? 0) || 0),
          text: [],
        };
        return;
      }
      case 'Data':
        if (cell) {
          cell.type = a.Type ?? 'String';
          inData += 1;
        }
        return;
      default:
        if (inData) inData += 1; // a rich text run (Font, B, I, U, Sup…) inside the Data
    }
  });
  const onText = (text: string) => {
    if (cell && inData) cell.text.push(text);
  };
  parser.on('text', onText);
  parser.on('cdata', onText);
  parser.on('closetag', (tag) => {
    if (ignored) ignored -= 1;
    else if (tag.local === 'Style') styleId = null;
    else if (inData) inData -= 1;
    else if (tag.local === 'Cell' && cell && sheet) {
      const reading = readCell(cell, sheet.name, formats.get(cell.style));
      put(cell.row, cell.column, reading);
      spread += (cell.across + 1) * (cell.down + 1);
      if (spread > MAX_XLSX_CELLS)
        throw tooManyCells(fileName, `工作表“${sheet.name}”处`, `sheet "${sheet.name}"`, spread);
      // A merged cell shows its text in every cell it covers (its doubt stays with the first).
      for (let r = cell.row; r <= cell.row + cell.down; r += 1) {
        for (let c = cell.column; c <= cell.column + cell.across; c += 1) {
          if (r === cell.row && c === cell.column) continue;
          if (reading.text) put(r, c, { text: reading.text });
          if (r > cell.row) taken.set(r, (taken.get(r) ?? new Set()).add(c));
        }
      }
      column = cell.column + cell.across;
      cell = null;
    }
  });
  parser.write(xml).close();
  if (sheets.length === 0) throw new Error('no Worksheet element');
  return sheets;
}

function readCell(cell: OpenCell, sheet: string, format: string | undefined): CellReading {
  const place = { ref: `${sheet}!${columnLetters(cell.column)}${cell.row}`, row: cell.row, column: cell.column };
  const raw = cell.text.join('');
  let value: unknown;
  if (cell.text.length === 0) value = undefined;
  else if (cell.type === 'Number') value = Number(raw);
  else if (cell.type === 'Boolean') value = raw === '1' || raw.toLowerCase() === 'true';
  else if (cell.type === 'Error') value = { error: raw };
  // "2025-12-31T00:00:00.000": the day as written, whatever the time zone.
  else if (cell.type === 'DateTime') value = new Date(`${raw.slice(0, 10)}T00:00:00Z`);
  else value = raw;
  const reading =
    cell.formula !== null
      ? readCellValue({ formula: cell.formula, result: value } as never, place, format)
      : readCellValue(value as never, place, format);
  return cell.link ? { ...reading, link: cell.link } : reading;
}
