/**
 * From cells to task rows. A grid (HTML, XLSX, CSV) has its columns; a text
 * copy is a stream of cells whose rows must be found again. In both, the
 * header is found by name, categories may stand on a group's first row only
 * or in rows of their own, and the responsible-units cell anchors each row.
 */
import { parseCategoryCell } from './category.parser.js';
import { columnRoleOf, isUsableHeader, type ColumnRole } from './columns.js';
import { warning, type GridTable, type ImportWarning, type SourceCell, type SourceTable } from './source-table.js';
import { cleanCellLines, cleanCellText } from './text-normalize.js';
import { continuesUnitList, looksLikeUnitList, splitUnitNames } from './units.parser.js';

export interface RawCategory {
  ordinal?: number;
  name: string;
  at: SourceCell;
}

export interface RawRow {
  at: SourceCell;
  category?: RawCategory;
  ordinal?: string;
  task: string;
  /** The single 责任单位 cell, or lead and co-units from separate columns. */
  units: string;
  coUnits: string;
  leaders: string;
  /** Every progress column, in column order; the last one is the latest. */
  progress: { header: string; text: string }[];
  annualTarget: string;
  deadline: string;
  remarks: string;
}

export interface TableRows {
  /** Text found above the table, e.g. "2020第三季度政府工作报告重点任务目标执行情况". */
  preamble: string[];
  rows: RawRow[];
  warnings: ImportWarning[];
}

export class TableNotRecognisedError extends Error {
  constructor() {
    super('no header row naming the task and responsible-unit columns');
  }
}

interface Header {
  roles: (ColumnRole | undefined)[];
  labels: string[];
}

const ORDINAL = /^\d{1,4}[.、．]?$/;
/** The most columns a header of a text copy is read for. */
const MAX_HEADER_COLUMNS = 32;
// Labels of a government web page's metadata block (信息公开), each followed by its value.
const PAGE_METADATA_LABEL =
  /^(信息)?(索引号|文号|备注\/文号|公布日期|发布日期|生成日期|成文日期|公开方式|公开范围|公开时限|发布单位|发布机构|主题分类|来源|点击率|浏览次数)[:：]?$/;

export function readTableRows(table: SourceTable): TableRows {
  return table.kind === 'grid' ? readGrids(table.tables, table.preamble ?? []) : readCellStream(table.cells);
}

function emptyRow(at: SourceCell, task: string): RawRow {
  return { at, task, units: '', coUnits: '', leaders: '', progress: [], annualTarget: '', deadline: '', remarks: '' };
}

function assign(row: RawRow, role: ColumnRole | undefined, label: string, text: string): void {
  switch (role) {
    case 'units':
    case 'leadUnit':
      if (row.units) row.coUnits = [row.coUnits, text].filter(Boolean).join('、');
      else row.units = text;
      return;
    case 'coUnits':
      row.coUnits = [row.coUnits, text].filter(Boolean).join('、');
      return;
    case 'leaders':
      row.leaders = text;
      return;
    case 'progress':
      row.progress.push({ header: label, text });
      return;
    case 'annualTarget':
      row.annualTarget = text;
      return;
    case 'deadline':
      row.deadline = text;
      return;
    case 'remarks':
      row.remarks = text;
      return;
    case 'ordinal':
      row.ordinal = text;
      return;
    case 'task':
      row.task = text;
      return;
    case 'category':
    case undefined:
      return;
  }
}

/**
 * One responsible-unit column leads: with 牵头单位 beside 责任单位, or 责任单位
 * twice (a two-row header), the others list co-units.
 */
function normaliseRoles(roles: (ColumnRole | undefined)[]): (ColumnRole | undefined)[] {
  const hasLead = roles.includes('leadUnit');
  let leadSeen = false;
  return roles.map((role) => {
    if (role === 'units' && hasLead) return 'coUnits';
    if (role === 'units' || role === 'leadUnit') {
      if (leadSeen) return 'coUnits';
      leadSeen = true;
    }
    return role;
  });
}

// ---------------------------------------------------------------- grid

function gridHeader(rows: SourceCell[][]): { index: number; span: number; header: Header } | undefined {
  for (let r = 0; r < rows.length; r += 1) {
    const row = rows[r]!;
    const roles = row.map((c) => columnRoleOf(c.text));
    if (isUsableHeader(roles))
      return {
        index: r,
        span: 1,
        header: { roles: normaliseRoles(roles), labels: row.map((c) => cleanCellText(c.text)) },
      };
    // A header wrapped over two rows: "项目" above "内容" (unless the next row is a header by itself).
    const next = rows[r + 1];
    if (next && !isUsableHeader(next.map((c) => columnRoleOf(c.text)))) {
      const labels = row.map((c, i) => cleanCellText(`${c.text}${next[i]?.text ?? ''}`));
      // 责任单位 spanning 牵头单位 | 配合单位 below it: the lower row names the column.
      const merged = labels.map((l, i) => columnRoleOf(next[i]?.text ?? '') ?? roles[i] ?? columnRoleOf(l));
      if (isUsableHeader(merged)) return { index: r, span: 2, header: { roles: normaliseRoles(merged), labels } };
    }
  }
  return undefined;
}

/** Each table or sheet with its own header; one without a header is named in a warning, never read blindly. */
function readGrids(tables: GridTable[], preamble: string[]): TableRows {
  const result: TableRows = { preamble: [...preamble], rows: [], warnings: [] };
  let found = 0;
  for (const table of tables) {
    const read = readGrid(table.rows);
    if (!read) {
      const filled = table.rows.flat().filter((c) => cleanCellText(c.text));
      if (filled.length > 1) {
        result.warnings.push(
          warning(
            filled[0]!,
            `${table.name}没有可识别的表头，未导入`,
            `${table.nameEn} has no header naming the task and unit columns; not imported`,
          ),
        );
      } else if (filled.length === 1 && found === 0) {
        result.preamble.push(cleanCellText(filled[0]!.text));
      }
      continue;
    }
    if (found === 0) result.preamble.push(...read.preamble);
    found += 1;
    result.rows.push(...read.rows);
    result.warnings.push(...read.warnings);
  }
  if (found === 0) throw new TableNotRecognisedError();
  return result;
}

function readGrid(rows: SourceCell[][]): TableRows | undefined {
  const found = gridHeader(rows);
  if (!found) return undefined;
  const { header } = found;
  const warnings: ImportWarning[] = [];
  const preamble = rows
    .slice(0, found.index)
    .flat()
    .map((c) => cleanCellText(c.text))
    .filter(Boolean);
  const result: RawRow[] = [];
  let category: RawCategory | undefined;
  const categoryColumn = header.roles.indexOf('category');
  for (const row of rows.slice(found.index + found.span)) {
    const texts = row.map((c) => cleanCellText(c.text));
    if (texts.every((t) => !t)) continue;
    if (isUsableHeader(texts.map((t) => columnRoleOf(t)))) continue; // header repeated after a page break
    const byRole = (role: ColumnRole) => {
      const i = header.roles.indexOf(role);
      return i >= 0 ? (texts[i] ?? '') : '';
    };
    const task = byRole('task');
    const units = byRole('units') || byRole('leadUnit');
    const filled = texts.filter(Boolean);
    if (filled.length > 1 && new Set(filled).size === 1) {
      // One cell merged across the row (colspan): a category heading.
      category = toCategory(
        filled[0]!,
        row.find((c) => cleanCellText(c.text))!,
        category,
      );
      continue;
    }
    const categoryText = categoryColumn >= 0 ? (texts[categoryColumn] ?? '') : '';
    if (categoryText) category = toCategory(categoryText, row[categoryColumn]!, category);
    if (!task && !units) {
      // A category in a row of its own (often one merged cell across the table).
      const distinct = [...new Set(texts.filter(Boolean))];
      if (categoryText) continue;
      if (distinct.length === 1 && distinct[0]!.length <= 40) {
        category = toCategory(
          distinct[0]!,
          row.find((c) => cleanCellText(c.text))!,
          category,
        );
      } else {
        warnings.push(warning(row[0]!, '无法识别的行，已跳过', 'row not understood, skipped'));
      }
      continue;
    }
    const taskCell = row[header.roles.indexOf('task')] ?? row[0]!;
    if (!task) {
      warnings.push(warning(taskCell, '缺少任务内容，本行已跳过', 'the task cell is empty; row skipped'));
      continue;
    }
    if (!units) {
      // "(一)经济发展" typed into the task column: a category, not a task without a unit.
      if (categoryColumn < 0 || !categoryText) {
        const parsed = parseCategoryCell(task);
        if (parsed && row.every((c, i) => !texts[i] || c === taskCell)) {
          category = toCategory(task, taskCell, category);
          continue;
        }
      }
      warnings.push(warning(taskCell, '缺少责任单位，本行已跳过', 'no responsible unit; row skipped'));
      continue;
    }
    const raw = emptyRow(taskCell, task);
    raw.category = category;
    header.roles.forEach((role, i) => {
      if (role === 'task' || role === 'category') return;
      // A progress narrative keeps the lines its cell was written in.
      assign(raw, role, header.labels[i]!, role === 'progress' ? cleanCellLines(row[i]?.text ?? '') : (texts[i] ?? ''));
    });
    result.push(raw);
  }
  return { preamble, rows: result, warnings };
}

function toCategory(text: string, at: SourceCell, previous: RawCategory | undefined): RawCategory {
  const parsed = parseCategoryCell(text);
  if (!parsed) return { name: text, at };
  // "(一)" alone in the cell: the name is in a following cell or unchanged from before.
  const name = parsed.name || (previous?.ordinal === parsed.ordinal ? previous.name : '');
  return { ordinal: parsed.ordinal, name, at };
}

// ---------------------------------------------------------------- text

function textHeaderAt(cells: SourceCell[], start: number): { end: number; header: Header } | undefined {
  const roles: ColumnRole[] = [];
  const labels: string[] = [];
  let j = start;
  // A header has a few columns; the bound keeps a run of header-like cells from being read again from each cell.
  while (j < cells.length && cells[j]!.text.length <= 40 && roles.length < MAX_HEADER_COLUMNS) {
    const text = cleanCellText(cells[j]!.text);
    const role = columnRoleOf(text);
    if (role) {
      roles.push(role);
      labels.push(text);
      j += 1;
      continue;
    }
    // A header broken across two cells: "项目" / "内容".
    const joined = text + cleanCellText(cells[j + 1]?.text ?? '');
    const joinedRole = j + 1 < cells.length ? columnRoleOf(joined) : undefined;
    if (joinedRole && text.length <= 6) {
      roles.push(joinedRole);
      labels.push(joined);
      j += 2;
      continue;
    }
    break;
  }
  return roles.length >= 2 && isUsableHeader(roles)
    ? { end: j, header: { roles: normaliseRoles(roles), labels } }
    : undefined;
}

function readCellStream(all: SourceCell[]): TableRows {
  const cells = all.filter((c) => c.text.length > 0);
  const headers: { start: number; end: number; header: Header }[] = [];
  for (let i = 0; i < cells.length; i += 1) {
    const found = textHeaderAt(cells, i);
    if (found) {
      headers.push({ start: i, ...found });
      i = found.end - 1;
    }
  }
  if (headers.length === 0) throw new TableNotRecognisedError();
  const warnings: ImportWarning[] = [];
  const preamble = cells
    .slice(0, headers[0]!.start)
    .map((c) => cleanCellText(c.text))
    .filter(Boolean);
  const rows: RawRow[] = [];
  const knownUnits = new Set<string>();
  headers.forEach((h, n) => {
    const end = n + 1 < headers.length ? headers[n + 1]!.start : cells.length;
    rows.push(...readSegment(cells, h.end, end, h.header, knownUnits, warnings));
  });
  return { preamble, rows, warnings };
}

function readSegment(
  cells: SourceCell[],
  start: number,
  end: number,
  header: Header,
  knownUnits: Set<string>,
  warnings: ImportWarning[],
): RawRow[] {
  // Cleaned once: the row finder looks at each cell many times.
  const cleaned = cells.slice(0, end).map((c, i) => (i >= start ? cleanCellText(c.text) : ''));
  const text = (i: number) => (i < end ? cleaned[i]! : '');
  const nextFilled = (i: number) => {
    let j = i;
    while (j < end && !text(j)) j += 1;
    return j;
  };
  // Memoised per cell; a unit learnt later can turn a "no" into a "yes", so the directory size is part of the key.
  const unitMemo = new Map<number, { known: number; result: boolean }>();
  const isUnits = (i: number) => {
    if (i >= end) return false;
    const memo = unitMemo.get(i);
    if (memo && memo.known === knownUnits.size) return memo.result;
    const result = looksLikeUnitList(text(i), knownUnits);
    unitMemo.set(i, { known: knownUnits.size, result });
    return result;
  };
  const hasCategory = header.roles.includes('category');
  const hasOrdinal = header.roles.includes('ordinal');
  const isCategory = (i: number) => hasCategory && i < end && parseCategoryCell(text(i)) !== undefined;
  const isRowStart = (i: number) =>
    i >= end ||
    isCategory(i) ||
    (hasOrdinal && ORDINAL.test(text(i))) ||
    (!!text(i) && !isUnits(i) && isUnits(nextFilled(i + 1)));
  const unitRoles = header.roles.filter((r) => r === 'units' || r === 'leadUnit' || r === 'coUnits');
  const lastUnitIndex = Math.max(...unitRoles.map((r) => header.roles.indexOf(r)));
  const trailing = header.roles
    .map((role, i) => ({ role, label: header.labels[i]! }))
    .slice(lastUnitIndex + 1)
    .filter(({ role }) => role !== 'category' && role !== 'ordinal' && role !== 'task');

  const rows: RawRow[] = [];
  let category: RawCategory | undefined;
  let pendingCategory: RawCategory | undefined;
  let ordinal: string | undefined;
  let i = nextFilled(start);
  while (i < end) {
    const current = text(i);
    const parsedCategory = hasCategory ? parseCategoryCell(current) : undefined;
    if (parsedCategory) {
      let name = parsedCategory.name;
      let next = nextFilled(i + 1);
      if (!name && next < end && !isUnits(nextFilled(next + 1))) {
        name = text(next);
        next = nextFilled(next + 1);
      }
      category = { ordinal: parsedCategory.ordinal, name, at: cells[i]! };
      pendingCategory = undefined;
      i = next;
      continue;
    }
    if (PAGE_METADATA_LABEL.test(current)) {
      i = nextFilled(nextFilled(i + 1) + 1); // the label and its value
      continue;
    }
    if (hasOrdinal && ORDINAL.test(current)) {
      ordinal = current.replace(/[.、．]$/, '');
      i = nextFilled(i + 1);
      continue;
    }
    const unitsAt = nextFilled(i + 1);
    if (unitsAt >= end) {
      warnings.push(warning(cells[i]!, '表格后的文字未导入', 'text after the table was not imported'));
      break;
    }
    if (!isUnits(unitsAt)) {
      if (hasCategory && current.length <= 40 && isUnits(nextFilled(unitsAt + 1))) {
        category = { name: current, at: cells[i]! }; // a category heading without an ordinal
      } else {
        warnings.push(
          warning(cells[i]!, `无法识别的单元格，已跳过：“${current.slice(0, 20)}”`, 'cell not understood, skipped'),
        );
      }
      i = unitsAt;
      continue;
    }
    if (pendingCategory) {
      category = pendingCategory;
      pendingCategory = undefined;
    }
    const row = emptyRow(cells[i]!, current);
    row.category = category;
    if (ordinal) row.ordinal = ordinal;
    ordinal = undefined;
    row.units = text(unitsAt);
    let next = unitsAt + 1;
    const continuation = nextFilled(next);
    if (continuation < end && continuesUnitList(row.units, text(continuation))) {
      row.units += text(continuation);
      next = continuation + 1;
    }
    if (unitRoles.includes('coUnits') && unitRoles.includes('leadUnit')) {
      const co = nextFilled(next);
      if (isUnits(co) && !isUnits(nextFilled(co + 1))) {
        row.coUnits = text(co);
        next = co + 1;
      }
    }
    for (const name of splitUnitNames(`${row.units}、${row.coUnits}`)) knownUnits.add(name);
    let rowEnd = next;
    while (!isRowStart(rowEnd)) rowEnd += 1;
    // Cells up to the next row are the remaining columns; blank blocks stand for empty cells.
    const values = cells.slice(next, rowEnd).map((c) => cleanCellText(c.text));
    while (values.length > trailing.length && values.at(-1) === '') values.pop();
    values.forEach((value, k) => {
      const column = trailing[k];
      if (column) assign(row, column.role, column.label, value);
    });
    const extra = values.slice(trailing.length).filter(Boolean);
    // A short heading just before the next row: a category without an ordinal ("乡村振兴").
    const heading = extra.at(-1);
    if (hasCategory && heading && heading.length <= 30 && !/[\d，,；;。：:“”%]/.test(heading) && rowEnd < end) {
      extra.pop();
      pendingCategory = { name: heading, at: cells[rowEnd - 1]! };
    }
    if (extra.length) {
      const from = cells[next + trailing.length]!;
      const lastLine = cells[rowEnd - 1]!.row;
      warnings.push(
        warning(
          from,
          `${extra.length} 个多余的单元格未导入（至第${lastLine}行）：“${extra[0]!.slice(0, 20)}”…`,
          `${extra.length} extra cell(s) not imported (through line ${lastLine})`,
        ),
      );
    }
    rows.push(row);
    i = nextFilled(rowEnd);
  }
  return rows;
}
