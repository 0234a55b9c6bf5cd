/**
 * What the format readers hand to the interpreter: cells with their position
 * in the source, either as a grid (HTML, XLSX, CSV) or as a stream of cells
 * (text copied from a web page, one cell per blank-line-separated block).
 */
export interface SourceCell {
  text: string;
  /** 1-based line in a text file, or row in a grid. */
  row: number;
  /** 1-based column in a grid; absent for text. */
  column?: number;
  /** A spreadsheet reference such as "B7", when the source has one. */
  ref?: string;
}

/** One table of a grid source: an HTML <table>, an XLSX sheet, a CSV file. */
export interface GridTable {
  /** How warnings name it: "表格2" / "table 2", "工作表“汇总”" / 'sheet "汇总"'. */
  name: string;
  nameEn: string;
  rows: SourceCell[][];
}

export type SourceTable =
  | {
      kind: 'grid';
      tables: GridTable[];
      /** Titles found outside the tables (HTML <title>, headings). */ preamble?: string[];
      /** What the file's reader doubted, positioned (a formula without a result, a picture in a cell…). */
      warnings?: ImportWarning[];
    }
  | { kind: 'cells'; cells: SourceCell[] };

export interface ImportWarning {
  /** "第12行 / line 12", "B7", "第3行第2列 / row 3, column 2". */
  position: string;
  message: string;
}

export function positionOf(cell: Pick<SourceCell, 'row' | 'column' | 'ref'>): string {
  if (cell.ref) return cell.ref;
  if (cell.column !== undefined) return `第${cell.row}行第${cell.column}列 / row ${cell.row}, column ${cell.column}`;
  return `第${cell.row}行 / line ${cell.row}`;
}

export function warning(cell: Pick<SourceCell, 'row' | 'column' | 'ref'>, zh: string, en: string): ImportWarning {
  return { position: positionOf(cell), message: `${zh} / ${en}` };
}
