/**
 * A contact list (通讯录) file in: XLSX (or XML Spreadsheet 2003, HTML
 * tables, CSV or TAB-separated text, as OA systems export them, told apart as
 * readPlanFile tells them) → the directory of libs/domain's readContactList.
 */
import { DomainError, readContactList, type ContactList, type GridTable } from '#domain';
import { checkCells } from './cell-limits.js';
import { csvToGrid } from './csv.reader.js';
import { decodeText } from './decode-text.js';
import { htmlToTables } from './html-table.reader.js';
import { DEFAULT_MAX_IMPORT_BYTES, detectFormat, refuseLegacyBinary } from './read-plan-file.js';
import { spreadsheetMlSheets } from './spreadsheetml.reader.js';
import { sheetsToTables, xlsxToTables } from './xlsx.reader.js';

/**
 * The directory a contact list file holds, `{ units, people, groups, warnings }`.
 * Errors (DomainError): IMPORT_TOO_LARGE (over 20 MB), IMPORT_EMPTY, IMPORT_UNSUPPORTED_FORMAT,
 * the readers' own (IMPORT_BAD_ENCODING, IMPORT_UNREADABLE, IMPORT_CELL_TOO_LONG, …), DIRECTORY_NO_HEADER.
 */
export async function readContactFile(bytes: Uint8Array, fileName: string): Promise<ContactList> {
  if (bytes.length > DEFAULT_MAX_IMPORT_BYTES) {
    throw new DomainError(
      'IMPORT_TOO_LARGE',
      `文件 ${fileName} 超过上限 ${DEFAULT_MAX_IMPORT_BYTES / 1048576} MB`,
      `File ${fileName} is over the ${DEFAULT_MAX_IMPORT_BYTES / 1048576} MB limit`,
    );
  }
  if (bytes.length === 0) throw new DomainError('IMPORT_EMPTY', `文件 ${fileName} 是空的`, `File ${fileName} is empty`);
  refuseLegacyBinary(bytes, fileName);
  const format = detectFormat(bytes, fileName);
  let tables: GridTable[];
  if (format === 'xlsx') {
    tables = (await xlsxToTables(bytes, fileName)).tables;
  } else {
    const text = decodeText(bytes, fileName).text;
    if (format === 'spreadsheetml') tables = sheetsToTables(spreadsheetMlSheets(text, fileName), fileName).tables;
    else if (format === 'html') tables = htmlToTables(text).tables;
    else if (format === 'mht') {
      throw new DomainError(
        'IMPORT_UNSUPPORTED_FORMAT',
        `通讯录 ${fileName} 是网页存档（MHT）：请另存为 XLSX 或 CSV 后导入`,
        `Contact list ${fileName} is a web archive (MHT): save it as XLSX or CSV first`,
      );
    } else {
      const tab = text.split(/\r?\n/, 1)[0]!.includes('\t');
      tables = [{ name: fileName, nameEn: fileName, rows: csvToGrid(text, tab ? '\t' : undefined) }];
    }
  }
  checkCells({ kind: 'grid', tables }, fileName);
  return readContactList(tables);
}
