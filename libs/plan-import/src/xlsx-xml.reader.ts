/**
 * The tolerant path for workbooks the main reader (ExcelJS) refuses though
 * Excel and WPS open them — e.g. a non-Excel tool's XML with every element
 * prefixed (`<x:worksheet>`), which is valid SpreadsheetML. The parts are
 * read with a namespace-aware XML parser (saxes), elements matched by their
 * local name: the workbook's sheets and their relationships, shared strings
 * (rich text runs joined, phonetic runs left out), each sheet's cells (text,
 * numbers, dates and percentages by the cell's number format, booleans,
 * formula results, errors), merged ranges and hidden columns. Every cell goes
 * through `readCellValue`, as the main path's do.
 */
import JSZip from 'jszip';
import { SaxesParser, type SaxesAttributeNS } from 'saxes';
import { columnLetters, columnNumber, readCellValue, type CellReading } from './cell-value.js';
import type { SheetCells } from './xlsx.reader.js';

type Attributes = Record<string, string>;

/** The most cells one merged range is spread over here (checkWorkbookSize bounds the whole workbook). */
const MAX_MERGED_CELLS = 1_000_000;

/** Calls `open`, `text` and `close` for each element, by local name; attributes by local name too. */
function walk(
  xml: string,
  handlers: {
    open?: (name: string, attributes: Attributes) => void;
    text?: (text: string) => void;
    close?: (name: string) => void;
  },
): void {
  const parser = new SaxesParser({ xmlns: true });
  parser.on('opentag', (tag) => {
    const attributes: Attributes = {};
    for (const attribute of Object.values(tag.attributes) as SaxesAttributeNS[])
      attributes[attribute.local] = attribute.value;
    handlers.open?.(tag.local, attributes);
  });
  if (handlers.text) parser.on('text', handlers.text);
  if (handlers.close) parser.on('closetag', (tag) => handlers.close!(tag.local));
  parser.write(xml).close();
}

async function part(zip: JSZip, path: string): Promise<string | undefined> {
  const file = zip.file(path) ?? zip.file(path.replace(/^\//, ''));
  return file ? file.async('string') : undefined;
}

/** "worksheets/sheet1.xml" relative to "xl/workbook.xml" → "xl/worksheets/sheet1.xml"; "/xl/…" stays. */
function resolve(from: string, target: string): string {
  if (target.startsWith('/')) return target.slice(1);
  const parts = from.split('/').slice(0, -1);
  for (const piece of target.split('/')) {
    if (piece === '..') parts.pop();
    else if (piece !== '.') parts.push(piece);
  }
  return parts.join('/');
}

/** The relationships of a part: id → { target path, type }. */
async function relationships(zip: JSZip, of: string): Promise<Map<string, { path: string; type: string }>> {
  const slash = of.lastIndexOf('/');
  const xml = await part(zip, `${of.slice(0, slash + 1)}_rels/${of.slice(slash + 1)}.rels`);
  const found = new Map<string, { path: string; type: string }>();
  if (!xml) return found;
  walk(xml, {
    open: (name, a) => {
      if (name === 'Relationship' && a.Id && a.Target)
        found.set(a.Id, { path: resolve(of, a.Target), type: a.Type ?? '' });
    },
  });
  return found;
}

function sharedStrings(xml: string | undefined): string[] {
  const strings: string[] = [];
  if (!xml) return strings;
  let current: string[] | null = null;
  let inText = false;
  let phonetic = 0;
  walk(xml, {
    open: (name) => {
      if (name === 'si') current = [];
      else if (name === 'rPh') phonetic += 1;
      else if (name === 't' && phonetic === 0) inText = true;
    },
    text: (text) => {
      if (inText && current) current.push(text);
    },
    close: (name) => {
      if (name === 'si') {
        strings.push((current ?? []).join(''));
        current = null;
      } else if (name === 'rPh') phonetic -= 1;
      else if (name === 't') inText = false;
    },
  });
  return strings;
}

/**
 * Built-in number formats that are percentages or dates (ECMA-376 §18.8.30,
 * with the ids a Chinese Excel or WPS uses for its 年月日 dates: 27–36, 50–58).
 */
const BUILTIN_FORMATS: Record<string, string> = {
  '9': '0%',
  '10': '0.00%',
  '14': 'yyyy-mm-dd',
  '15': 'd-mmm-yy',
  '16': 'd-mmm',
  '17': 'mmm-yy',
  '22': 'yyyy-mm-dd h:mm',
  ...Object.fromEntries(
    [27, 28, 29, 30, 31, 34, 35, 36, 50, 51, 52, 53, 54, 57, 58].map((id) => [String(id), 'yyyy"年"m"月"d"日"']),
  ),
};

/** Each cell style's number format (index of cellXfs → format code). */
function cellFormats(xml: string | undefined): string[] {
  const formats = new Map<string, string>(Object.entries(BUILTIN_FORMATS));
  const styles: string[] = [];
  if (!xml) return styles;
  let inCellXfs = false;
  walk(xml, {
    open: (name, a) => {
      if (name === 'numFmt' && a.numFmtId) formats.set(a.numFmtId, a.formatCode ?? '');
      else if (name === 'cellXfs') inCellXfs = true;
      else if (name === 'xf' && inCellXfs) styles.push(formats.get(a.numFmtId ?? '0') ?? '');
    },
    close: (name) => {
      if (name === 'cellXfs') inCellXfs = false;
    },
  });
  return styles;
}

/** A format that shows a date: y, m or d outside quotes and brackets (minutes and AM/PM are no date). */
function isDateFormat(format: string): boolean {
  const bare = format.replace(/"[^"]*"|\[[^\]]*\]|\\.|AM\/PM|A\/P/gi, '');
  return /[yd]/i.test(bare) || /m/i.test(bare.replace(/h+:?m+|m+:?s+/gi, ''));
}

/** A serial as a UTC date: the 1900 system (25569 = 1970-01-01), or the 1904 system (24107 = 1970-01-01). */
function serialDate(serial: number, date1904: boolean): Date {
  return new Date(Math.round((serial - (date1904 ? 24107 : 25569)) * 86_400_000));
}

interface RawCell {
  row: number;
  column: number;
  type: string;
  style: number;
  value: string | null;
  formula: string | null;
  inline: string[];
}

function sheetCells(xml: string, name: string, strings: string[], formats: string[], date1904: boolean): SheetCells {
  const cells = new Map<number, Map<number, CellReading>>();
  const hidden = new Set<number>();
  const merges: string[] = [];
  let row = 0;
  let column = 0;
  let cell: RawCell | null = null;
  let reading: 'v' | 'f' | 't' | null = null;
  const put = (r: number, c: number, value: CellReading) => {
    let line = cells.get(r);
    if (!line) cells.set(r, (line = new Map()));
    line.set(c, value);
  };
  walk(xml, {
    open: (tag, a) => {
      if (tag === 'col' && a.hidden && a.hidden !== '0' && a.hidden !== 'false') {
        for (let c = Number(a.min); c <= Number(a.max) && c - Number(a.min) < 16384; c += 1) hidden.add(c);
      } else if (tag === 'row') {
        row = a.r ? Number(a.r) : row + 1;
        column = 0;
      } else if (tag === 'c') {
        column = a.r ? columnNumber(a.r) : column + 1;
        const r = a.r ? Number(/\d+$/.exec(a.r)?.[0] ?? row) : row;
        cell = { row: r, column, type: a.t ?? 'n', style: Number(a.s ?? 0), value: null, formula: null, inline: [] };
      } else if (cell && (tag === 'v' || tag === 'f')) {
        reading = tag;
        if (tag === 'f') cell.formula ??= '';
      } else if (cell && tag === 't') reading = 't';
      else if (tag === 'mergeCell' && a.ref) merges.push(a.ref);
    },
    text: (text) => {
      if (!cell || !reading) return;
      if (reading === 'v') cell.value = (cell.value ?? '') + text;
      else if (reading === 'f') cell.formula = (cell.formula ?? '') + text;
      else cell.inline.push(text);
    },
    close: (tag) => {
      if (tag === 'v' || tag === 'f' || tag === 't') reading = null;
      else if (tag === 'c' && cell) {
        put(cell.row, cell.column, readRawCell(cell, name, strings, formats, date1904));
        cell = null;
      }
    },
  });
  // A merged range shows its first cell's text in every cell it covers (its warning stays with the first).
  for (const range of merges) {
    const m = /^([A-Z]+)(\d+):([A-Z]+)(\d+)$/.exec(range);
    if (!m) continue;
    const [top, left, bottom, right] = [Number(m[2]), columnNumber(m[1]!), Number(m[4]), columnNumber(m[3]!)];
    const master = cells.get(top)?.get(left);
    // (The size check refused a workbook whose merges cover more cells than it allows.)
    if (!master?.text || (bottom - top + 1) * (right - left + 1) > MAX_MERGED_CELLS) continue;
    for (let r = top; r <= bottom; r += 1)
      for (let c = left; c <= right; c += 1) if (r !== top || c !== left) put(r, c, { text: master.text });
  }
  return { name, cells, hidden };
}

function readRawCell(
  cell: RawCell,
  sheet: string,
  strings: string[],
  formats: string[],
  date1904: boolean,
): CellReading {
  const place = { ref: `${sheet}!${columnLetters(cell.column)}${cell.row}`, row: cell.row, column: cell.column };
  const format = formats[cell.style] ?? '';
  let value: unknown;
  if (cell.value === null && cell.type !== 'inlineStr') value = undefined;
  else if (cell.type === 's') value = strings[Number(cell.value)] ?? '';
  else if (cell.type === 'inlineStr') value = cell.inline.join('');
  else if (cell.type === 'str') value = cell.value ?? '';
  else if (cell.type === 'b') value = cell.value === '1';
  else if (cell.type === 'e') value = { error: cell.value };
  // An ISO 8601 date cell (t="d"): read as written, the day in UTC.
  else if (cell.type === 'd') value = new Date(`${(cell.value ?? '').slice(0, 10)}T00:00:00Z`);
  else {
    const number = Number(cell.value);
    value = isDateFormat(format) && Number.isFinite(number) ? serialDate(number, date1904) : number;
  }
  if (cell.formula !== null) {
    return readCellValue({ formula: cell.formula, result: value } as never, place, format);
  }
  return readCellValue(value as never, place, format);
}

/**
 * The sheets of a workbook read from its XML parts (see the file's comment).
 * Throws when the parts cannot be found or parsed (the caller says so in
 * words a person can act on).
 */
export async function xlsxXmlSheets(bytes: Uint8Array): Promise<SheetCells[]> {
  const zip = await JSZip.loadAsync(bytes);
  const rootRelations = await relationships(zip, '');
  const workbookPath =
    [...rootRelations.values()].find((r) => r.type.endsWith('/officeDocument'))?.path ?? 'xl/workbook.xml';
  const workbook = await part(zip, workbookPath);
  if (!workbook) throw new Error(`no workbook part ${workbookPath}`);
  const related = await relationships(zip, workbookPath);
  const ofType = (type: string) => [...related.values()].find((r) => r.type.endsWith(`/${type}`))?.path;
  const strings = sharedStrings(await part(zip, ofType('sharedStrings') ?? 'xl/sharedStrings.xml'));
  const formats = cellFormats(await part(zip, ofType('styles') ?? 'xl/styles.xml'));
  const sheets: { name: string; path: string }[] = [];
  let date1904 = false;
  walk(workbook, {
    open: (name, a) => {
      if (name === 'workbookPr') date1904 = a.date1904 === '1' || a.date1904 === 'true';
      if (name !== 'sheet' || !a.name) return;
      const path = a.id ? related.get(a.id)?.path : undefined;
      if (path) sheets.push({ name: a.name, path });
    },
  });
  const read: SheetCells[] = [];
  for (const sheet of sheets) {
    const xml = await part(zip, sheet.path);
    if (xml) read.push(sheetCells(xml, sheet.name, strings, formats, date1904));
  }
  if (read.length === 0) throw new Error('no worksheet found');
  return read;
}
