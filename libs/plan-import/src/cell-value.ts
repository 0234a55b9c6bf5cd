/**
 * What one spreadsheet cell says, as text a person would read in Excel or
 * WPS, whatever shape the reader hands it in: plain and rich text, a
 * hyperlink (its text; the URL kept apart), a number (a percentage format
 * shown as 52%), a date (2025-12-31, the same in every time zone), a
 * formula's saved result, an error value. What cannot be read as text is
 * never guessed at: a formula saved without a result, an error such as
 * #N/A, a WPS picture in the cell (=DISPIMG("ID_…",1)) give an empty text
 * and a warning naming the cell and why.
 */
import type { CellValue } from 'exceljs';
import { warning, type ImportWarning } from '#domain';

export interface CellReading {
  text: string;
  /** A hyperlink's address, when the cell is one. */
  link?: string;
  /** Why the cell's text is empty though the cell is not. */
  warning?: ImportWarning;
}

/** Where a cell stands: "Sheet1!F5" and its row and column (1-based). */
export interface CellPlace {
  ref: string;
  row: number;
  column: number;
}

/** WPS keeps a picture placed in a cell as this formula (its cached text repeats it). */
const IN_CELL_PICTURE = /^(?:=?\s*(?:_xlfn\.)?DISPIMG\s*\()/i;

/** Spreadsheet error values, as Excel writes them. */
const ERROR_VALUE = /^#(?:N\/A|REF!|NAME\?|DIV\/0!|NULL!|VALUE!|NUM!|SPILL!|CALC!|GETTING_DATA)$/;

/** 2025-12-31 from a JavaScript date the reader made of a serial (UTC midnight by construction). */
function dayText(date: Date): string {
  return Number.isNaN(date.getTime()) ? '' : date.toISOString().slice(0, 10);
}

/** 0.536 in a 0.0% format → "53.6%"; other numbers as they are written (no float noise: 0.1 + 0.2). */
export function numberText(value: number, numFmt?: string): string {
  if (!Number.isFinite(value)) return '';
  if (numFmt && /%/.test(numFmt.replace(/"[^"]*"|\\./g, ''))) {
    const decimals = /\.(0+)%/.exec(numFmt)?.[1]?.length ?? 0;
    return `${(value * 100).toFixed(decimals)}%`;
  }
  return String(Number(value.toPrecision(15)));
}

function pictureWarning(place: CellPlace): ImportWarning {
  return warning(
    place,
    '该单元格是嵌入的图片（WPS“嵌入单元格图片”），其中的文字未导入，请改为文字填写',
    'the cell holds a picture (WPS "picture in cell"); no text was imported from it, type the text instead',
  );
}

function errorWarning(place: CellPlace, error: string): ImportWarning {
  return warning(
    place,
    `该单元格的值是错误 ${error}（公式未找到或无法计算），已按空白导入`,
    `the cell's value is the error ${error} (the formula found nothing or could not compute); imported as empty`,
  );
}

function noResultWarning(place: CellPlace): ImportWarning {
  return warning(
    place,
    '该单元格是公式，但文件中没有保存计算结果：请在 Excel 或 WPS 中打开并保存后重新导入',
    'the cell is a formula saved without its result: open and save the file in Excel or WPS, then import again',
  );
}

/** A text value: an error or a WPS picture written as text is read as such. */
function fromString(text: string, place: CellPlace): CellReading {
  if (IN_CELL_PICTURE.test(text)) return { text: '', warning: pictureWarning(place) };
  if (ERROR_VALUE.test(text.trim())) return { text: '', warning: errorWarning(place, text.trim()) };
  return { text };
}

function richText(runs: readonly { text?: unknown }[]): string {
  return runs.map((run) => (typeof run.text === 'string' ? run.text : '')).join('');
}

/**
 * The text of an ExcelJS cell value at `place` (numFmt: the cell's number
 * format). Never throws; an unknown shape reads as empty with no warning.
 */
export function readCellValue(value: CellValue, place: CellPlace, numFmt?: string): CellReading {
  if (value === null || value === undefined) return { text: '' };
  if (typeof value === 'string') return fromString(value, place);
  if (typeof value === 'number') return { text: numberText(value, numFmt) };
  if (typeof value === 'boolean') return { text: value ? 'TRUE' : 'FALSE' };
  if (value instanceof Date) return { text: dayText(value) };
  if (typeof value !== 'object') return { text: '' };
  if ('error' in value) return { text: '', warning: errorWarning(place, value.error) };
  if ('richText' in value && Array.isArray(value.richText)) return fromString(richText(value.richText), place);
  if ('hyperlink' in value) {
    // The text may itself be rich text (runs in several fonts) or missing: then the address is the text.
    const shown = value.text as unknown;
    const text =
      typeof shown === 'string'
        ? shown
        : shown && typeof shown === 'object' && Array.isArray((shown as { richText?: unknown }).richText)
          ? richText((shown as { richText: { text?: unknown }[] }).richText)
          : '';
    return { ...fromString(text || String(value.hyperlink ?? ''), place), link: String(value.hyperlink ?? '') };
  }
  if ('formula' in value || 'sharedFormula' in value) {
    const formula = String(('formula' in value ? value.formula : undefined) ?? '');
    if (IN_CELL_PICTURE.test(formula)) return { text: '', warning: pictureWarning(place) };
    const result = value.result;
    if (result === undefined || result === null) return { text: '', warning: noResultWarning(place) };
    return readCellValue(result as CellValue, place, numFmt);
  }
  return { text: '' };
}

/** 2 → "B", 28 → "AB" (a spreadsheet column's letters). */
export function columnLetters(column: number): string {
  let letters = '';
  for (let n = column; n > 0; n = Math.floor((n - 1) / 26))
    letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters;
  return letters;
}

/** "AB" (or "AB12") → 28; 0 when there are no letters. */
export function columnNumber(reference: string): number {
  let n = 0;
  for (const letter of /^[A-Z]*/.exec(reference)![0]) n = n * 26 + letter.charCodeAt(0) - 64;
  return n;
}
