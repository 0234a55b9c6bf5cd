/**
 * From cells to task rows. A grid (HTML, XLSX, CSV) has its columns; a text
 * copy is a stream of cells whose rows must be found again, by aligning the
 * cells to the header's columns in order (text-alignment.ts). In both, the
 * header is found by name, and categories may stand on a group's first row
 * only or in rows of their own.
 */
import { parseCategoryCell } from './category.parser.js';
import { CHINESE_NUMERAL_CHARS, parseChineseNumeral } from './chinese-numeral.js';
import { columnRoleOf, isUsableHeader, type ColumnRole } from './columns.js';
import { warning, type GridTable, type ImportWarning, type SourceCell, type SourceTable } from './source-table.js';
import { cleanCellLines, cleanCellText, stripTrailingPunctuation } from './text-normalize.js';
import { alignCells, type AlignColumn } from './text-alignment.js';
import { continuesUnitList, looksLikeUnitList, NARRATIVE_START, splitUnitNames } from './units.parser.js';

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
  /** Every quarter column (一季度 … 四季度: milestones), in column order. */
  milestones: { header: string; text: string }[];
  annualTarget: string;
  deadline: string;
  remarks: string;
  /** 0–1, for a row of a text copy: how well its cells fit the header's columns (text-alignment.ts). */
  confidence?: number;
}

export interface TableRows {
  /** Text found above the table, e.g. "2020第三季度政府工作报告重点任务目标执行情况". */
  preamble: string[];
  rows: RawRow[];
  warnings: ImportWarning[];
}

export class TableNotRecognisedError extends Error {
  /**
   * `closest`: the row (or run of text cells) naming the most columns, where it
   * starts and the column names it has, so a refusal can say what is missing.
   */
  constructor(readonly closest?: { at: SourceCell; labels: string[]; roles: ColumnRole[] }) {
    super('no header row naming the task and responsible-unit columns');
  }
}

/** The candidate naming the most columns: a grid's rows, or runs of a text copy's cells. */
function closestHeader(
  candidates: Iterable<SourceCell[]>,
): { at: SourceCell; labels: string[]; roles: ColumnRole[] } | undefined {
  let best: { at: SourceCell; labels: string[]; roles: ColumnRole[] } | undefined;
  for (const cells of candidates) {
    const named = cells.flatMap((c) => {
      const role = c.text.length <= 64 ? columnRoleOf(c.text) : undefined;
      return role ? [{ cell: c, role }] : [];
    });
    if (named.length > (best?.roles.length ?? 0))
      best = {
        at: named[0]!.cell,
        labels: named.map((n) => cleanCellText(n.cell.text)),
        roles: named.map((n) => n.role),
      };
  }
  return best;
}

interface Header {
  roles: (ColumnRole | undefined)[];
  labels: string[];
}

/** The most columns a header of a text copy is read for. */
const MAX_HEADER_COLUMNS = 32;
// Labels of a government web page's metadata block (信息公开), each followed by its value.
const PAGE_METADATA_LABEL =
  /^(信息)?(索引号|文号|备注\/文号|公布日期|发布日期|生成日期|成文日期|公开方式|公开范围|公开时限|发布单位|发布机构|主题分类|来源|点击率|浏览次数)[:：]?$/;

export function readTableRows(table: SourceTable): TableRows {
  return table.kind === 'grid' ? readGrids(table.tables, table.preamble ?? []) : readCellStream(table.cells);
}

function emptyRow(at: SourceCell, task: string): RawRow {
  return {
    at,
    task,
    units: '',
    coUnits: '',
    leaders: '',
    progress: [],
    milestones: [],
    annualTarget: '',
    deadline: '',
    remarks: '',
  };
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
    case 'milestone':
      row.milestones.push({ header: label, text });
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
  if (found === 0) throw new TableNotRecognisedError(closestHeader(tables.flatMap((t) => t.rows)));
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
    // "一" (or "（一）", "一、") in one cell and the group's name beside it, merged or not: a category row.
    const numbered = numberedCategory([...new Set(filled)]);
    if (numbered) {
      category = { ...numbered, at: row.find((c) => cleanCellText(c.text))! };
      continue;
    }
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

const NUMERAL_ALONE = new RegExp(`^[(（]?\\s*([${CHINESE_NUMERAL_CHARS}]+)\\s*[)）、.．]?$`);

/**
 * A grid row that is a category: a Chinese numeral alone in a cell and, in
 * the others, one short name ("一" | "经济发展" merged over the rest). Undefined
 * for anything else (a task row, a row of figures).
 */
function numberedCategory(distinct: string[]): { ordinal: number; name: string } | undefined {
  if (distinct.length !== 2) return undefined;
  const [first, second] = distinct as [string, string];
  const numeral = NUMERAL_ALONE.exec(first);
  const ordinal = numeral ? parseChineseNumeral(numeral[1]!) : undefined;
  // A short task without its unit ("一" | "新建学校两所") stays a task row, to be refused as one.
  if (!ordinal || second.length > 30 || /[\d，,。；;：:%]/.test(second) || NARRATIVE_START.test(second))
    return undefined;
  return { ordinal, name: stripTrailingPunctuation(second) };
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
  const roles: (ColumnRole | undefined)[] = [];
  const labels: string[] = [];
  let j = start;
  const roleAt = (at: number) => (at < cells.length ? columnRoleOf(cleanCellText(cells[at]!.text)) : undefined);
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
    // Not when the next cell names a column by itself ("联系人" then "进展情况" are two columns).
    if (joinedRole && text.length <= 6 && !roleAt(j + 1)) {
      roles.push(joinedRole);
      labels.push(joined);
      j += 2;
      continue;
    }
    // A column Duban does not read ("总投资（亿元）", "联系人") between columns it does: kept, so the order holds.
    if (roles.length > 0 && isOtherHeaderLabel(text) && (roleAt(j + 1) || roleAt(j + 2))) {
      roles.push(undefined);
      labels.push(text);
      j += 1;
      continue;
    }
    break;
  }
  return roles.filter(Boolean).length >= 2 && isUsableHeader(roles)
    ? { end: j, header: { roles: normaliseRoles(roles), labels } }
    : undefined;
}

/** A short label that could head a column: no figures or sentence marks, not an ordinal or a category. */
function isOtherHeaderLabel(text: string): boolean {
  // "2021年投资", "总投资（亿元）": figures may stand in a label, but a label is no figure or sentence.
  return (
    text.length >= 2 &&
    text.length <= 12 &&
    !/^[\d.,%]+$/.test(text) &&
    !/[，,。；;：:“”%、]/.test(text) &&
    !parseCategoryCell(text)
  );
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
  if (headers.length === 0) {
    // Runs of consecutive cells, each up to a header's width, as a text copy's header would stand.
    const runs = cells.slice(0, 2000).map((_, i) => {
      const run = cells.slice(i, i + MAX_HEADER_COLUMNS);
      const long = run.findIndex((c) => c.text.length > 40);
      return long < 0 ? run : run.slice(0, long);
    });
    throw new TableNotRecognisedError(closestHeader(runs));
  }
  const preamble = cells
    .slice(0, headers[0]!.start)
    .map((c) => cleanCellText(c.text))
    .filter(Boolean);
  const segments = headers.map((h, n) => ({
    header: h.header,
    cells: segmentCells(cells.slice(h.end, n + 1 < headers.length ? headers[n + 1]!.start : cells.length)),
  }));
  let warnings: ImportWarning[] = [];
  const notUnits: string[] = [];
  let rows = segments.flatMap((segment) => readSegment(segment.cells, segment.header, new Set(), warnings, notUnits));
  // Names read as units count as units wherever they stand, however they end ("拱墅区"):
  // read again when that turns some other cell into a unit list (known names only ever add lists).
  const knownUnits = new Set(rows.flatMap((row) => splitUnitNames(`${row.units}、${row.coUnits}`)));
  if (notUnits.some((text) => looksLikeUnitList(text, knownUnits))) {
    warnings = [];
    rows = segments.flatMap((segment) => readSegment(segment.cells, segment.header, knownUnits, warnings, []));
  }
  return { preamble, rows, warnings };
}

/** A segment's cells with their cleaned text; empty blocks and a page's metadata (索引号 and its value) left out. */
function segmentCells(cells: SourceCell[]): { cell: SourceCell; text: string }[] {
  const kept: { cell: SourceCell; text: string }[] = [];
  for (let i = 0; i < cells.length; i += 1) {
    const text = cleanCellText(cells[i]!.text);
    if (!text) continue;
    if (PAGE_METADATA_LABEL.test(text)) {
      // The label and its value, unless the value is missing and the next cell is the next label.
      if (i + 1 < cells.length && !PAGE_METADATA_LABEL.test(cleanCellText(cells[i + 1]!.text))) i += 1;
      continue;
    }
    kept.push({ cell: cells[i]!, text });
  }
  return kept;
}

/** Below this a row's reading is doubtful enough to say what was assumed. */
const CONFIDENT = 0.6;

/**
 * The rows of one header's segment, by header-driven alignment (text-alignment.ts):
 * every cell placed in a column of the header, in its order; a category carried
 * down to the rows after it; each doubt a positioned warning.
 */
function readSegment(
  cells: { cell: SourceCell; text: string }[],
  header: Header,
  knownUnits: ReadonlySet<string>,
  warnings: ImportWarning[],
  /** Collects the texts of short cells without sentence marks that did not read as units. */
  notUnits: string[],
): RawRow[] {
  // A table without a category column may still have category rows ("(一)经济发展" across it).
  const columns: AlignColumn[] = header.roles.map((role, i) => ({ role, label: header.labels[i]! }));
  if (!header.roles.includes('category')) columns.unshift({ role: 'category', label: '类别' });
  const alignment = alignCells(
    cells.map((c) => ({ text: c.text, raw: c.cell.text })),
    columns,
    knownUnits,
  );
  alignment.unitLists.forEach((isList, i) => {
    const text = cells[i]!.text;
    // A narrative is refused as a unit list whatever names are known (looksLikeUnitList's first test).
    if (!isList && text.length <= 400 && !/[。：:！？!?“”"%\d]/.test(text)) notUnits.push(text);
  });
  const rows: RawRow[] = [];
  let category: RawCategory | undefined;
  for (const aligned of alignment.rows) {
    const first = cells[aligned.cells[0]!.index]!.cell;
    const pieces = new Map<number, { text: string; raw: string; continues: boolean }[]>();
    for (const placed of aligned.cells) {
      const list = pieces.get(placed.column) ?? [];
      list.push({ text: cells[placed.index]!.text, raw: cells[placed.index]!.cell.text, continues: placed.continues });
      pieces.set(placed.column, list);
    }
    const columnOf = (role: ColumnRole) => columns.findIndex((c) => c.role === role);
    const categoryPieces = pieces.get(columnOf('category'));
    if (categoryPieces) {
      const at = cells[aligned.cells.find((c) => c.column === columnOf('category'))!.index]!.cell;
      category = toCategory(categoryPieces.map((p) => p.text).join(''), at, category);
    }
    const taskColumn = columnOf('task');
    const taskAt = aligned.cells.find((c) => c.column === taskColumn);
    const task = (pieces.get(taskColumn) ?? []).map((p) => p.text).join('\n');
    const hasUnits = columns.some((c, i) => (c.role === 'units' || c.role === 'leadUnit') && pieces.has(i));
    if (!task && !hasUnits) {
      if (categoryPieces) continue; // a category row
      const text = cells[aligned.cells[0]!.index]!.text;
      warnings.push(warning(first, `无法识别的单元格，已跳过：“${text.slice(0, 20)}”`, 'cell not understood, skipped'));
      continue;
    }
    if (!task) {
      warnings.push(warning(first, '缺少任务内容，本行已跳过', 'the task cell is empty; row skipped'));
      continue;
    }
    const at = taskAt ? cells[taskAt.index]!.cell : first;
    const row = emptyRow(at, task);
    row.category = category;
    row.confidence = aligned.confidence;
    columns.forEach((column, i) => {
      const list = pieces.get(i);
      if (!list || column.role === 'task' || column.role === 'category') return;
      if (column.role === 'units' || column.role === 'leadUnit' || column.role === 'coUnits') {
        // A name wrapped over two blocks is one name; a second list is more units.
        const text = list.reduce(
          (joined, p) =>
            !joined
              ? p.text
              : p.continues && continuesUnitList(joined, p.text)
                ? joined + p.text
                : `${joined}、${p.text}`,
          '',
        );
        assign(row, column.role, column.label, text);
        return;
      }
      if (column.role === 'ordinal') {
        assign(row, 'ordinal', column.label, list[0]!.text.replace(/[.、．]$/, ''));
        return;
      }
      const text =
        column.role === 'progress'
          ? list.map((p) => cleanCellLines(p.raw)).join('\n')
          : list.map((p) => p.text).join(column.role === 'leaders' ? '、' : '\n');
      assign(row, column.role, column.label, text);
    });
    if ((aligned.confidence < CONFIDENT && aligned.assumptions.length) || aligned.assumptions.some((a) => a.always)) {
      warnings.push(
        warning(
          at,
          `本行按表头推断（把握 ${Math.round(aligned.confidence * 100)}%），请核对：${aligned.assumptions.map((a) => a.zh).join('；')}`,
          `row read by the header's order (confidence ${Math.round(aligned.confidence * 100)}%), please check: ${aligned.assumptions.map((a) => a.en).join('; ')}`,
        ),
      );
    }
    rows.push(row);
  }
  const after = alignment.after.map((i) => cells[i]!);
  if (after.length) {
    warnings.push(
      warning(
        after[0]!.cell,
        `表格后的文字未导入（${after.length} 个单元格）：“${after[0]!.text.slice(0, 20)}”`,
        `text after the table was not imported (${after.length} cell(s)): "${after[0]!.text.slice(0, 20)}"`,
      ),
    );
  }
  return rows;
}
