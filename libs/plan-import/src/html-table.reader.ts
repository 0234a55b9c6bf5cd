/**
 * HTML pages: every <table> is read with its own header (a page may print
 * the table twice; the interpreter imports it once; a table without a
 * header is named in a warning). rowspan/colspan are expanded so each row
 * has its cells in place; the page title, captions and headings become the
 * preamble.
 */
import { parse } from 'parse5';
import type { DefaultTreeAdapterMap } from 'parse5';
import type { GridTable, SourceCell } from '#domain';

type Node = DefaultTreeAdapterMap['node'];
type Element = DefaultTreeAdapterMap['element'];

const BLOCK = new Set(['p', 'div', 'li', 'tr', 'br', 'h1', 'h2', 'h3', 'h4']);

function isElement(node: Node): node is Element {
  return 'tagName' in node;
}

function textOf(node: Node): string {
  if (node.nodeName === '#text') return (node as DefaultTreeAdapterMap['textNode']).value;
  if (!isElement(node) && !('childNodes' in node)) return '';
  if (isElement(node) && (node.tagName === 'script' || node.tagName === 'style')) return '';
  if (isElement(node) && node.tagName === 'br') return '\n';
  const inner = ((node as Element).childNodes ?? []).map(textOf).join('');
  return isElement(node) && BLOCK.has(node.tagName) ? `${inner}\n` : inner;
}

function* walk(node: Node): Generator<Element> {
  if (isElement(node)) yield node;
  for (const child of ('childNodes' in node ? node.childNodes : []) as Node[]) yield* walk(child);
}

function attribute(element: Element, name: string): number {
  const value = Number(element.attrs.find((a) => a.name === name)?.value ?? '1');
  return Number.isInteger(value) && value > 0 && value < 1000 ? value : 1;
}

/** The table's rows with rowspan/colspan expanded; nested tables belong to their own cell. */
function tableRows(table: Element, tableNumber: number): SourceCell[][] {
  const rows: Element[] = [];
  const collect = (node: Element) => {
    for (const child of node.childNodes.filter(isElement)) {
      if (child.tagName === 'tr') rows.push(child);
      else if (['thead', 'tbody', 'tfoot'].includes(child.tagName)) collect(child);
    }
  };
  collect(table);
  const grid: SourceCell[][] = [];
  const carried = new Map<number, { cell: SourceCell; left: number }>(); // column → rowspan still to fill
  rows.forEach((tr, r) => {
    const row: SourceCell[] = [];
    let column = 0;
    const place = () => {
      while (carried.has(column)) {
        const span = carried.get(column)!;
        row[column] = { ...span.cell, row: r + 1, column: column + 1 };
        if (--span.left === 0) carried.delete(column);
        column += 1;
      }
    };
    for (const td of tr.childNodes.filter(isElement).filter((c) => c.tagName === 'td' || c.tagName === 'th')) {
      place();
      const text = textOf(td).trim();
      const rowspan = attribute(td, 'rowspan');
      const colspan = attribute(td, 'colspan');
      for (let c = 0; c < colspan; c += 1) {
        const cell = { text, row: r + 1, column: column + 1 };
        row[column] = cell;
        if (rowspan > 1) carried.set(column, { cell, left: rowspan - 1 });
        column += 1;
      }
    }
    place();
    grid.push(
      Array.from(row, (cell, i) => ({
        ...(cell ?? { text: '' }),
        row: r + 1,
        column: i + 1,
        // Positions name the table: a page may hold several.
        ref: `表格${tableNumber}第${r + 1}行第${i + 1}列 / table ${tableNumber}, row ${r + 1}, column ${i + 1}`,
      })),
    );
  });
  return grid;
}

/** Every <table> of the page as its own table; titles (<title>, <caption>, headings) as the preamble. */
export function htmlToTables(html: string): { tables: GridTable[]; preamble: string[] } {
  const document = parse(html);
  const elements = [...walk(document)];
  const titled = elements
    .filter((e) => e.tagName === 'title' || e.tagName === 'caption' || /^h[1-3]$/.test(e.tagName))
    .map((e) => textOf(e).trim());
  // Offices also put the title in a plain <p> or <div> above the table.
  const paragraphs = elements
    .filter((e) => (e.tagName === 'p' || e.tagName === 'div') && ![...walk(e)].some((x) => x.tagName === 'table'))
    .map((e) => textOf(e).trim())
    .filter((t) => t.length <= 60 && /\d{4}/.test(t) && /(任务|计划|情况|工作)/.test(t));
  const preamble = [...titled, ...paragraphs].filter(Boolean);
  const tables: GridTable[] = [];
  elements
    .filter((e) => e.tagName === 'table')
    .forEach((table, n) =>
      tables.push({ name: `表格${n + 1}`, nameEn: `table ${n + 1}`, rows: tableRows(table, n + 1) }),
    );
  return { tables, preamble };
}
