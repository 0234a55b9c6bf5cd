/**
 * Plain text copied from a web page: table cells separated by blank lines.
 * Lines of one block belong to one cell (text wrapped over lines). A copy
 * without blank lines at all (some browsers and PDF readers put each cell on
 * a line of its own) is read one cell per line.
 */
import type { SourceCell, SourceTable } from './source-table.js';

export function textToCells(text: string): SourceTable {
  const cells: SourceCell[] = [];
  let block: string[] = [];
  let blockStart = 0;
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  const flush = () => {
    if (block.length) cells.push({ text: block.join('\n'), row: blockStart });
    block = [];
  };
  lines.forEach((line, index) => {
    if (line.trim() === '') {
      flush();
    } else {
      if (block.length === 0) blockStart = index + 1;
      block.push(line);
    }
  });
  flush();
  const filled = lines.filter((line) => line.trim() !== '').length;
  if (cells.length <= 2 && filled >= 8) {
    return {
      kind: 'cells',
      cells: lines.flatMap((line, index) => (line.trim() === '' ? [] : [{ text: line, row: index + 1 }])),
    };
  }
  return { kind: 'cells', cells };
}
