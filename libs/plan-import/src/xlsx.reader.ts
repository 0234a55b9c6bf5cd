/**
 * XLSX workbooks: each sheet with a recognisable header joins the grid.
 * A merged range gives every cell it covers the master cell's text, so a
 * category merged down its group reaches each of its rows. Positions are
 * spreadsheet references ("Sheet1!B7").
 */
import ExcelJS from 'exceljs';
import type { SourceCell } from '#domain';

export async function xlsxToGrid(bytes: Uint8Array): Promise<SourceCell[][]> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
  const grid: SourceCell[][] = [];
  workbook.eachSheet((sheet) => {
    const width = sheet.columnCount;
    sheet.eachRow({ includeEmpty: true }, (row, r) => {
      const cells: SourceCell[] = [];
      for (let c = 1; c <= width; c += 1) {
        const cell = row.getCell(c);
        const source = cell.isMerged ? cell.master : cell;
        cells.push({ text: source.text ?? '', row: r, column: c, ref: `${sheet.name}!${cell.address}` });
      }
      grid.push(cells);
    });
  });
  return grid;
}
