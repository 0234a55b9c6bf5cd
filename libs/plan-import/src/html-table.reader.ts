/**
 * HTML pages: every <table> that has a recognisable header becomes part of
 * one grid (a page may print the table twice; the interpreter imports it
 * once). rowspan/colspan are expanded so each row has its cells in place;
 * the page title and headings before the table become the preamble.
 */
import { parse } from 'parse5';
import type { DefaultTreeAdapterMap } from 'parse5';
import { columnRoleOf, type SourceCell } from '#domain';

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
function tableRows(table: Element, rowOffset: number): SourceCell[][] {
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
        row[column] = { ...span.cell, row: rowOffset + r + 1, column: column + 1 };
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
        const cell = { text, row: rowOffset + r + 1, column: column + 1 };
        row[column] = cell;
        if (rowspan > 1) carried.set(column, { cell, left: rowspan - 1 });
        column += 1;
      }
    }
    place();
    grid.push(Array.from(row, (cell, i) => cell ?? { text: '', row: rowOffset + r + 1, column: i + 1 }));
  });
  return grid;
}

function hasHeader(rows: SourceCell[][]): boolean {
  return rows.slice(0, 10).some((row) => {
    const roles = row.map((c) => columnRoleOf(c.text));
    return roles.includes('task') && (roles.includes('units') || roles.includes('leadUnit'));
  });
}

export function htmlToGrid(html: string): SourceCell[][] {
  const document = parse(html);
  const elements = [...walk(document)];
  const title = elements.find((e) => e.tagName === 'title');
  const headings = elements.filter((e) => /^h[1-3]$/.test(e.tagName));
  const grid: SourceCell[][] = [];
  for (const text of [title, ...headings].filter((e): e is Element => !!e).map((e) => textOf(e).trim())) {
    if (text) grid.push([{ text, row: 0, column: 1 }]);
  }
  // A layout table that wraps the real one has no header row of its own and is passed over.
  const tables = elements.filter((e) => e.tagName === 'table');
  let offset = 0;
  for (const table of tables) {
    const rows = tableRows(table, offset);
    if (!hasHeader(rows)) continue;
    grid.push(...rows);
    offset += rows.length;
  }
  return grid;
}
