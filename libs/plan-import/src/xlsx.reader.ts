/**
 * XLSX workbooks: each sheet is read with its own header (a sheet without
 * one, such as a summary, is named in a warning).
 * A merged range gives every cell it covers the master cell's text, so a
 * category merged down its group reaches each of its rows. Positions are
 * spreadsheet references ("Sheet1!B7").
 */
import ExcelJS from 'exceljs';
import type { GridTable, SourceCell } from '#domain';

export async function xlsxToTables(bytes: Uint8Array): Promise<GridTable[]> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
  const tables: GridTable[] = [];
  workbook.eachSheet((sheet) => {
    const grid: SourceCell[][] = [];
    tables.push({ name: `工作表“${sheet.name}”`, nameEn: `sheet "${sheet.name}"`, rows: grid });
    const width = sheet.columnCount;
    sheet.eachRow({ includeEmpty: true }, (row, r) => {
      const cells: SourceCell[] = [];
      for (let c = 1; c <= width; c += 1) {
        const cell = row.getCell(c);
        const source = cell.isMerged ? cell.master : cell;
        cells.push({ text: cellText(source), row: r, column: c, ref: `${sheet.name}!${cell.address}` });
      }
      grid.push(cells);
    });
  });
  return tables;
}

/** Dates as 2021-12-31 (not a JavaScript date string), everything else as Excel shows it. */
function cellText(cell: ExcelJS.Cell): string {
  if (cell.value instanceof Date) return cell.value.toISOString().slice(0, 10);
  return cell.text ?? '';
}
