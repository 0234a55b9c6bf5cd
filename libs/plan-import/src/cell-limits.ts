/**
 * What every cell of an imported table must be before it is interpreted: no
 * longer than a narrative a unit could type (MAX_CELL_CHARS), and text — no
 * NUL or other control character, which PostgreSQL refuses or no one meant.
 * A refusal names the cell (and, for a character, where in it).
 */
import {
  codePointName,
  DomainError,
  firstNonText,
  MAX_NARRATIVE,
  positionOf,
  type SourceCell,
  type SourceTable,
} from '#domain';

/**
 * The longest cell, in characters (UTF-16 code units): the longest narrative
 * the progress form takes, as an imported progress cell becomes one.
 */
export const MAX_CELL_CHARS = MAX_NARRATIVE;

/** "第12行第3列 / line 12, column 3" for a text block; the cell's position and the character otherwise. */
function characterPosition(cell: SourceCell, at: number): { zh: string; en: string } {
  if (cell.column === undefined && cell.ref === undefined) {
    const head = cell.text.slice(0, at);
    const lineStart = head.lastIndexOf('\n') + 1;
    const line = cell.row + (head.match(/\n/g)?.length ?? 0);
    const column = at - lineStart + 1;
    return { zh: `第${line}行第${column}列`, en: `line ${line}, column ${column}` };
  }
  const [zh, en = zh] = positionOf(cell).split(' / ');
  return { zh: `${zh}第${at + 1}个字符`, en: `${en}, character ${at + 1}` };
}

/**
 * Throws DomainError IMPORT_CELL_TOO_LONG (details: position, length,
 * maxChars) for the first cell over `maxChars`, or IMPORT_NOT_TEXT (details:
 * position, character) for the first character that is no text. O(total
 * characters).
 */
export function checkCells(table: SourceTable, fileName: string, maxChars = MAX_CELL_CHARS): void {
  const cells = table.kind === 'grid' ? table.tables.flatMap((t) => t.rows.flat()) : table.cells;
  for (const cell of cells) {
    if (cell.text.length > maxChars) {
      const position = positionOf(cell);
      throw new DomainError(
        'IMPORT_CELL_TOO_LONG',
        `文件 ${fileName} 的单元格 ${position.split(' / ')[0]} 有 ${cell.text.length} 个字符，超过上限 ${maxChars}：请缩短后重新导入`,
        `${fileName}: the cell at ${position.split(' / ').at(-1)} has ${cell.text.length} characters, over the limit of ${maxChars}; shorten it and import again`,
        { position, length: cell.text.length, maxChars },
      );
    }
    const at = firstNonText(cell.text);
    if (at >= 0) {
      const where = characterPosition(cell, at);
      const character = codePointName(cell.text, at);
      throw new DomainError(
        'IMPORT_NOT_TEXT',
        `文件 ${fileName} ${where.zh}有不可用的字符 ${character}（控制字符或残缺的字符），请删除后重新导入`,
        `${fileName}, ${where.en}: ${character} is not text (a control character or half a character); remove it and import again`,
        { position: `${where.zh} / ${where.en}`, character },
      );
    }
  }
}
