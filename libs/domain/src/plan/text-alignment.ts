/**
 * Header-driven alignment of a text copy's cells (a table pasted from a web
 * page: one cell per blank-line-separated block, empty cells gone) to the
 * header's columns, in the header's order, whatever that order is.
 *
 * Each cell has kind evidence (ordinal, category, person's name, unit list,
 * narrative, percentage, date, "nothing") that fits some columns better than
 * others; a row may miss columns (an empty cell leaves no block), a cell may
 * be wrapped over two blocks ("生态环境" / "拱墅分局"), a category may stand
 * on a group's first row only or in a row of its own. The most likely
 * reading is found as a hidden-Markov path (Viterbi): states are the header's
 * columns plus "after the table"; costs are negative log-likelihoods set by
 * hand from real tables (docs/architecture.md, "Importing a plan").
 * O(cells × columns) time and memory.
 */
import { parseCategoryCell } from './category.parser.js';
import type { ColumnRole } from './columns.js';
import { looksLikePeople } from './people.js';
import { continuesUnitList, looksLikeUnitList, NARRATIVE_START } from './units.parser.js';

/** What the aligner knows of a column: its role (undefined: a column Duban does not read) and label. */
export interface AlignColumn {
  role: ColumnRole | undefined;
  label: string;
}

/** A cell to align: its text cleaned (cleanCellText) and as written (line breaks kept). */
export interface CellToAlign {
  text: string;
  raw: string;
}

/** Where the aligner put a cell. */
export interface AlignedCell {
  /** Index of the cell in the input. */
  index: number;
  /** Column index in the header, or -1 for text after the table. */
  column: number;
  /** The cell continues the one before it in the same column (a wrapped cell). */
  continues: boolean;
}

export interface AlignedRow {
  cells: AlignedCell[];
  /** 0–1: how well the cells fit the columns they were given (1: every cell where its kind belongs). */
  confidence: number;
  /**
   * What was assumed, for a warning: cells read where their kind does not usually stand, cells joined.
   * `always`: worth a warning however confident the row (a unit name made of two cells).
   */
  assumptions: { index: number; zh: string; en: string; always?: boolean }[];
}

export interface Alignment {
  rows: AlignedRow[];
  /** Cells read as text after the table (a page footer). */
  after: number[];
  /** Whether each cell read as a list of units (with the known names given). */
  unitLists: boolean[];
}

interface CellEvidence {
  text: string;
  ordinal: boolean;
  category: boolean;
  /** "(一)" alone: its name follows in the next cell. */
  categoryNumeral: boolean;
  heading: boolean;
  person: boolean;
  units: boolean;
  unitPart: boolean;
  percent: boolean;
  date: boolean;
  nothing: boolean;
  footer: boolean;
  /** Says something a progress report says (a figure, 已, 推进, 正常…). */
  progressWord: boolean;
  /** Starts with a verb (新建, 推进, 完成…): a task or a report, never a category heading. */
  verb: boolean;
  /** Reads as a report of what was done (已…, 截至…, 完成率). */
  report: boolean;
  /** Completes the unit name the cell before it began ("生态环境" / "拱墅分局"). */
  wrapsUnit: boolean;
  /** Short lines without a sentence mark, one a title ("2020第三季度…执行情况"): a page's heading, not a narrative. */
  title: boolean;
}

const ORDINAL = /^\d{1,4}[.、．]?$/;
const PERCENT = /^[+-]?\d+(?:\.\d+)?\s*[%％]$/;
const DATE =
  /^(?:\d{4}\s*[年.\-/]\s*\d{1,2}(?:\s*[月.\-/]\s*\d{1,2}\s*日?|\s*月(?:底|末|前)?)?|\d{4}\s*年(?:底|末|内)?|\d{1,2}\s*月(?:底|末|前)?|年底|年内|长期|持续推进)$/;
const NOTHING = /^(?:[/／\\\-－—–]+|无)$/;
const FOOTER =
  /^(?:【?(?:打印|关闭|打印本页|关闭窗口|返回顶部|分享到?|扫一扫.*|相关链接|附件[:：]?.*|责任编辑.*|来源[:：].*)】?)$/;
const SENTENCE_MARKS = /[，,；;。：:“”"%！？!?]|\d/;
// Words of a progress or task narrative; a category heading has none of them.
const NARRATIVE_WORD =
  /^(已|正在|目前|截至|累计|计划|预计|完成|开展|推进|推动|启动|实施|召开|组织)|(中|了|已完成|进行|推进|开工|竣工|完成|落实)$/;
// What a progress report says (a figure, a state, a step); a category heading says none of it.
const PROGRESS_WORD =
  /[\d%％]|已|正在|完成|推进|进行|开工|竣工|完工|启动|实施|开展|落实|到位|序时|滞后|正常|计划|超额|签约|招标|审批|建成|投用|达到|累计|新增|暂无|尚未|中$/;
// How a report of what was done reads ("已完工30个", "1-9月新增…", "完成率80%", "正在推进中"); a task states a plan.
const REPORT_WORD =
  /^(截至|截止|目前|前三季度|上半年|\d{1,2}\s*[-—~至到]\s*\d{1,2}\s*月|\d{1,2}月)|已|完成率|累计|正在|均|中[。，,]?$/;
function isPageTitle(raw: string): boolean {
  const lines = raw
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
  return (
    lines.every((l) => l.length <= 40 && !/[，,。；;：:]/.test(l)) &&
    lines.some((l) => /^\d{4}\s*(年|第).{2,}(情况|任务|计划|清单|报告)$/.test(l))
  );
}

/** The longest cell that can be a heading, a name, a date or a category (a narrative is longer). */
const SHORT = 60;

function evidenceOf(text: string, raw: string, knownUnits: ReadonlySet<string>): CellEvidence {
  // A long cell is a narrative: only the tests that can still say yes run on it (cells are many, narratives long).
  const short = text.length <= SHORT;
  const category = short ? parseCategoryCell(text) : undefined;
  const units = !category && looksLikeUnitList(text, knownUnits);
  const person = short && !units && looksLikePeople(text);
  const marks = SENTENCE_MARKS.test(text);
  const unitPart = !units && !person && text.length <= 8 && !marks && !/[、，,]/.test(text);
  const heading = !units && !person && text.length <= 20 && !marks && !NARRATIVE_WORD.test(text);
  return {
    text,
    ordinal: short && ORDINAL.test(text),
    category: !!category,
    categoryNumeral: !!category && category.name === '',
    heading,
    person,
    units,
    unitPart,
    percent: short && PERCENT.test(text),
    date: short && DATE.test(text),
    nothing: short && NOTHING.test(text),
    footer: short && FOOTER.test(text),
    title: !/[，,。；;]/.test(raw) && isPageTitle(raw),
    // Only a heading is asked whether it says what a report says.
    progressWord: heading && PROGRESS_WORD.test(text),
    report: REPORT_WORD.test(text),
    verb: NARRATIVE_START.test(text),
    wrapsUnit: false,
  };
}

// ----------------------------------------------------------------- costs

const IMPOSSIBLE = 9;

/** Cost (−log likelihood, by hand) of a cell of this evidence standing in a column of this role. */
function emission(role: ColumnRole | undefined, e: CellEvidence): number {
  switch (role) {
    case 'ordinal':
      return e.ordinal ? 0 : IMPOSSIBLE;
    case 'category':
      if (e.category) return 0;
      if (!e.heading) return IMPOSSIBLE;
      return e.verb ? 3 : 1.5;
    case 'task':
      if (e.ordinal) return 8;
      if (e.units) return 7;
      if (e.person || e.percent || e.date || e.nothing) return 6;
      if (e.category) return 3;
      if (e.report) return 1.2;
      // A short noun phrase ("城市更新") heads a group more often than it states a task.
      return e.heading && !e.verb ? 1.8 : 0.5;
    case 'units':
    case 'leadUnit':
    case 'coUnits':
      if (e.units) return 0;
      if (e.unitPart) return 2;
      return e.person ? 6 : IMPOSSIBLE;
    case 'leaders':
      if (e.person) return 0;
      if (e.units) return 5;
      return e.heading ? 3 : 8;
    case 'progress':
      if (e.percent || e.nothing) return 0.2;
      if (e.title) return 3;
      if (e.units || e.person || e.ordinal || e.category) return 6;
      if (e.heading && !e.progressWord) return 2.5;
      if (e.report) return 0.3;
      if (e.date || e.heading) return 1.5;
      // A narrative that reports nothing done reads more like a task.
      return 1.5;
    case 'deadline':
      if (e.date) return 0;
      if (e.nothing) return 0.5;
      return e.heading && e.text.length <= 12 ? 2.5 : 5;
    case 'remarks':
      if (e.nothing) return 0.5;
      return e.units ? 3 : 2;
    case 'annualTarget':
    case 'milestone':
      if (e.percent) return 0.5;
      if (e.units || e.person || e.ordinal) return 6;
      return e.heading ? 1.5 : 0.5;
    case undefined:
      if (e.category) return 5;
      return e.ordinal ? 2.5 : e.units ? 3 : 1.5;
  }
}

/** Cost of a column left empty in a row (its cell is simply not there). */
function skipCost(role: ColumnRole | undefined): number {
  switch (role) {
    case 'task':
    case 'units':
    case 'leadUnit':
      return 6;
    case 'ordinal':
      return 1.5;
    case 'category':
      return 0.1;
    case 'coUnits':
      return 0.5;
    case 'leaders':
    case 'progress':
    case 'annualTarget':
    case 'milestone':
      return 0.8;
    case 'deadline':
      return 0.6;
    case 'remarks':
    case undefined:
      return 0.3;
  }
}

/** Cost of a second block in the same column: a wrapped cell. */
function continuationCost(role: ColumnRole | undefined, previous: CellEvidence, e: CellEvidence): number {
  switch (role) {
    case 'units':
    case 'leadUnit':
    case 'coUnits':
      if (e.wrapsUnit) return 0.5;
      return e.units ? 2.5 : IMPOSSIBLE;
    case 'category':
      if (previous.categoryNumeral) return e.heading ? 0 : 2;
      return 4 + emission(role, e);
    case 'progress':
      // A second paragraph is a sentence; a short heading after a progress starts the next group.
      return 1.5 + emission(role, e) + (e.heading ? 1 : 0);
    case 'task':
    case 'remarks':
    case 'annualTarget':
    case 'milestone':
      return 3 + emission(role, e);
    default:
      return 5 + emission(role, e);
  }
}

/** A row holding only a category ("(二)支持实体企业发展" across the table) ends without its task or units. */
const CATEGORY_ROW_END = 0.5;
/** A cell after the table (a page's footer, a note); its own words ("打印本页") cost nothing. */
const AFTER_TABLE = 2.5;

// ----------------------------------------------------------------- Viterbi

const NEW_ROW = 1;
const CONTINUES = 2;

/**
 * The most likely reading of `cells` (empty ones left out by the caller)
 * under `columns`. `knownUnits`: names already read as units
 * elsewhere, which count as unit names however they end.
 */
export function alignCells(
  cells: readonly CellToAlign[],
  columns: readonly AlignColumn[],
  knownUnits: ReadonlySet<string> = new Set(),
): Alignment {
  const n = cells.length;
  const k = columns.length;
  if (n === 0 || k === 0) return { rows: [], after: [], unitLists: [] };
  const evidence = cells.map((c) => evidenceOf(c.text, c.raw, knownUnits));
  // Once per cell, not per column: only a short piece after a unit list or a piece of one can complete it.
  evidence.forEach((e, i) => {
    const previous = evidence[i - 1];
    e.wrapsUnit =
      !!previous &&
      (previous.units || previous.unitPart) &&
      e.text.length <= 8 &&
      continuesUnitList(previous.text, e.text);
  });
  const skip = columns.map((c) => skipCost(c.role));
  // before[j]: cost of skipping columns 0..j-1 at a row's start; endFrom[j]: columns j+1.. at its end.
  const before = [0];
  for (let j = 0; j < k; j += 1) before.push(before[j]! + skip[j]!);
  const endFrom = columns.map((c, j) => {
    const rest = before[k]! - before[j + 1]!;
    return c.role === 'category' ? Math.min(rest, CATEGORY_ROW_END) : rest;
  });
  const END = k;
  const states = k + 1;
  let score = new Float64Array(states).fill(Infinity);
  let next = new Float64Array(states);
  const back = new Int32Array(n * states).fill(-1);
  const how = new Uint8Array(n * states);
  const emit = evidence.map((e) => columns.map((c) => emission(c.role, e)));
  for (let j = 0; j < k; j += 1) score[j] = before[j]! + emit[0]![j]!;
  score[END] = (evidence[0]!.footer ? 0 : AFTER_TABLE) + before[k]!;
  for (let i = 1; i < n; i += 1) {
    const e = evidence[i]!;
    // The cheapest way to have ended the previous row, for any new row.
    let rowEnd = Infinity;
    let rowEndFrom = -1;
    for (let j = 0; j < k; j += 1) {
      const cost = score[j]! + endFrom[j]!;
      if (cost < rowEnd) {
        rowEnd = cost;
        rowEndFrom = j;
      }
    }
    // Same row, a later column: running minimum of score[j] − before[j+1] over j < j'.
    let bestEarlier = Infinity;
    let bestEarlierFrom = -1;
    for (let to = 0; to < k; to += 1) {
      const stay = score[to]! + continuationCost(columns[to]!.role, evidence[i - 1]!, e);
      const later = bestEarlier + before[to]!;
      const fresh = rowEnd + before[to]!;
      let cost = stay;
      let from = to;
      let kind = CONTINUES;
      if (later + emit[i]![to]! < cost) {
        cost = later + emit[i]![to]!;
        from = bestEarlierFrom;
        kind = 0;
      }
      if (fresh + emit[i]![to]! < cost) {
        cost = fresh + emit[i]![to]!;
        from = rowEndFrom;
        kind = NEW_ROW;
      }
      next[to] = cost;
      back[i * states + to] = from;
      how[i * states + to] = kind;
      const candidate = score[to]! - before[to + 1]!;
      if (candidate < bestEarlier) {
        bestEarlier = candidate;
        bestEarlierFrom = to;
      }
    }
    const afterCost = e.footer ? 0 : AFTER_TABLE;
    if (score[END]! <= rowEnd) {
      next[END] = score[END]! + afterCost;
      back[i * states + END] = END;
    } else {
      next[END] = rowEnd + afterCost;
      back[i * states + END] = rowEndFrom;
    }
    [score, next] = [next, score];
  }
  let state = END;
  let best = score[END]!;
  for (let j = 0; j < k; j += 1) {
    if (score[j]! + endFrom[j]! < best) {
      best = score[j]! + endFrom[j]!;
      state = j;
    }
  }
  const path = new Int32Array(n);
  const kinds = new Uint8Array(n);
  for (let i = n - 1; i >= 0; i -= 1) {
    path[i] = state;
    kinds[i] = i === 0 ? NEW_ROW : how[i * states + state]!;
    if (i > 0) state = back[i * states + state]!;
  }
  return { ...rowsOf(path, kinds, END, evidence, emit, columns), unitLists: evidence.map((e) => e.units) };
}

function rowsOf(
  path: Int32Array,
  kinds: Uint8Array,
  end: number,
  evidence: CellEvidence[],
  emit: number[][],
  columns: readonly AlignColumn[],
): Omit<Alignment, 'unitLists'> {
  const rows: AlignedRow[] = [];
  const after: number[] = [];
  let current: AlignedRow | undefined;
  let doubt = 0;
  const close = () => {
    if (current) rows.push({ ...current, confidence: Math.round(Math.exp(-doubt / 3) * 100) / 100 });
    current = undefined;
    doubt = 0;
  };
  const quote = (i: number) => evidence[i]!.text.slice(0, 20);
  for (let i = 0; i < path.length; i += 1) {
    const column = path[i]!;
    if (column === end) {
      close();
      after.push(i);
      continue;
    }
    const continues = kinds[i] === CONTINUES;
    if (kinds[i] === NEW_ROW || !current) {
      close();
      current = { cells: [], confidence: 1, assumptions: [] };
    }
    current.cells.push({ index: i, column, continues });
    const label = columns[column]!.label;
    if (continues) {
      const role = columns[column]!.role;
      const unitWrap = (role === 'units' || role === 'leadUnit' || role === 'coUnits') && evidence[i]!.wrapsUnit;
      if (!(role === 'category' && evidence[i - 1]!.categoryNumeral)) {
        doubt += unitWrap ? 1 : 1.5;
        current.assumptions.push({
          index: i,
          zh: `“${quote(i - 1)}”与“${quote(i)}”${unitWrap ? '合为一个单位名' : `同属“${label}”一格`}`,
          en: `"${quote(i - 1)}" and "${quote(i)}" ${unitWrap ? 'joined as one unit name' : `read as one ${label} cell`}`,
          ...(unitWrap ? { always: true } : {}),
        });
      }
      continue;
    }
    // How far this cell stands from where its kind belongs best.
    const excess = emit[i]![column]! - Math.min(...emit[i]!);
    if (excess >= 1) {
      // A column Duban does not read costs a doubt only about its neighbours.
      doubt += columns[column]!.role === undefined ? excess / 2 : excess;
      current.assumptions.push({
        index: i,
        zh: `“${quote(i)}”按位置读作“${label}”`,
        en: `"${quote(i)}" read as ${label} by its position`,
      });
    }
  }
  close();
  return { rows, after };
}
