/**
 * Understanding a key-task table: rows become a plan with categories, tasks
 * (lead unit, co-units, leaders, targets, progress and completion), the unit
 * directory entries they mention, and warnings that say where and why.
 * Rows repeated (the whole table printed twice, page-break repeats) are
 * imported once.
 */
import { DomainError } from '../domain-error.js';
import { formatChineseNumeral } from './chinese-numeral.js';
import { periodEndOf } from './columns.js';
import { readProgress, type DeclaredState, type ProgressReading } from './progress.parser.js';
import { warning, type ImportWarning, type SourceTable } from './source-table.js';
import { readTableRows, TableNotRecognisedError, type RawRow } from './table-rows.reader.js';
import { extractTargets, type Target } from './targets.parser.js';
import { datedMilestones, milestoneQuarterOf, readMilestone, type Milestone } from './milestones.js';
import { cleanCellText, compactKey, stripTrailingPunctuation } from './text-normalize.js';
import { mergeUnitColumns, splitUnitNames, unitAliasKeys, type UnitRef } from './units.parser.js';

export interface PlanCategory {
  /** 1-based position in the plan; equals the printed ordinal when there is one. */
  ordinal: number;
  name: string;
  /** As printed in reports: "(十)加快城市开发建设". */
  label: string;
}

export interface PlanTask {
  /** 1-based sequence in the plan. */
  ordinal: number;
  /** 序号 as printed in the source, when it has one. */
  sourceOrdinal: string | null;
  category: string;
  categoryOrdinal: number;
  content: string;
  leadUnit: string;
  coUnits: string[];
  leaders: string[];
  /** The latest progress column. */
  progress: string;
  /** Earlier progress columns, in order. */
  earlierProgress: { period: string; text: string }[];
  targets: Target[];
  /**
   * The quarters' milestones (节点) its quarter columns state, then the dated nodes of its 时间节点 cell for the
   * quarters they leave empty, in quarter order; [] when it has none.
   */
  milestones: Milestone[];
  /**
   * The quarters whose milestone is read from the 时间节点 cell (`datedMilestones`): derived from `deadline`, so
   * they stand in no fingerprint of their own, and give way to milestones a task already has.
   */
  datedQuarters: number[];
  /** Percent complete (stated, declared or computed), or null when nothing says. */
  completion: number | null;
  state: DeclaredState;
  reading: ProgressReading;
  annualTarget: string | null;
  deadline: string | null;
  remarks: string | null;
  /** Where the task's row starts in the source. */
  position: string;
  /** 0–1, for a row of a text copy read by the header's order: how well its cells fit their columns. */
  confidence?: number;
}

export interface ImportedPlan {
  plan: { name: string; year: number | null; quarter: number | null; title: string | null };
  categories: PlanCategory[];
  tasks: PlanTask[];
  units: UnitRef[];
  warnings: ImportWarning[];
}

export interface InterpretOptions {
  /** Overrides the plan name derived from the title. */
  planName?: string;
  /** The name to use when the table has no title (e.g. the file's name). */
  fallbackName?: string;
}

const TITLE_YEAR = /(\d{4})\s*年?/;
/** A progress cell that says nothing: "/", "／", "-", "—", "无". */
const NOTHING_TO_REPORT = /^\s*(?:[/／\\\-－—–]+|无)\s*$/;
const TITLE_QUARTER = /第?\s*([一二三四1-4])\s*季度|[Qq]([1-4])/;
const QUARTER_DIGIT: Record<string, number> = { 一: 1, 二: 2, 三: 3, 四: 4, '1': 1, '2': 2, '3': 3, '4': 4 };

/** "2020第三季度政府工作报告重点任务目标执行情况" → plan 2020年政府工作报告重点任务, 2020-Q3. */
function planFromPreamble(
  preamble: string[],
  override: string | undefined,
  fallback: string | undefined,
): ImportedPlan['plan'] {
  const title =
    [...preamble]
      .reverse()
      .flatMap((line) => line.split(/\s+(?=\d{4})/))
      .find((line) => /\d{4}\s*(年|第)/.test(line) && /(任务|计划|情况|目标|工作)/.test(line)) ?? null;
  const yearMatch = title ? TITLE_YEAR.exec(title) : null;
  const quarterMatch = title ? TITLE_QUARTER.exec(title) : null;
  const year = yearMatch ? Number(yearMatch[1]) : null;
  const quarterText = quarterMatch?.[1] ?? quarterMatch?.[2];
  // "1-9月", "上半年": the quarter the period ends in.
  const periodEnd = title ? periodEndOf(title.replace(TITLE_YEAR, '')) : undefined;
  const quarter = quarterText
    ? QUARTER_DIGIT[quarterText]!
    : periodEnd && periodEnd <= 12
      ? Math.ceil(periodEnd / 3)
      : null;
  let name = override?.trim();
  if (!name && title) {
    name = title
      .replace(TITLE_QUARTER, '')
      .replace(TITLE_YEAR, '')
      .replace(/^\s*(\d{1,2}\s*[-—~至到]\s*\d{1,2}\s*月|上半年|下半年|前三季度)/, '')
      .replace(/(目标)?(执行|完成|推进|进展|落实)情况.*$/, '')
      .trim();
    name = year ? `${year}年${name}` : name;
  }
  return { name: name || fallback || '导入的计划', year, quarter, title };
}

function splitPeople(text: string): string[] {
  return cleanCellText(text)
    .split(/[、，,；;\s]+/)
    .map((p) => p.trim())
    .filter(Boolean);
}

const BARE_PERCENT = /^[+-]?\d+(?:\.\d+)?\s*[%％]$/;

/**
 * The progress of a row's latest period and its earlier ones, from its
 * progress columns in period order. A rate column of the same period beside
 * the narrative ("完成进度" 100% next to "进展情况") is written after the
 * narrative ("均已投入使用\n完成进度100%"), so the rate is read as the unit's
 * own and the report keeps both.
 */
function latestProgress(columns: readonly { header: string; text: string }[]): {
  text: string;
  earlier: { header: string; text: string }[];
} {
  const latest = columns.at(-1);
  if (!latest) return { text: '', earlier: [] };
  // A column naming no period ("完成进度") speaks of the latest period named; a column naming an earlier one does not.
  const ends = columns.map((c) => periodEndOf(c.header)).filter((e): e is number => e !== undefined);
  const end = ends.length ? Math.max(...ends) : undefined;
  const samePeriod = columns.filter((c) => {
    const own = periodEndOf(c.header);
    return own === end || own === undefined;
  });
  const narrative = samePeriod.filter((c) => !BARE_PERCENT.test(c.text)).at(-1);
  // Only rates beside a narrative are written after it; rates alone keep the latest as the progress.
  if (!narrative) return { text: latest.text, earlier: columns.slice(0, -1) };
  const rates = samePeriod.filter((c) => c !== narrative && BARE_PERCENT.test(c.text));
  const label = (header: string) => compactKey(header).replace(/\(.*$/, '');
  return {
    text: [narrative.text, ...rates.map((r) => `${label(r.header)}${r.text}`)].join('\n'),
    earlier: columns.filter((c) => c !== narrative && !rates.includes(c)),
  };
}

/**
 * Unit names that are likely one office written two ways ("拱墅区税务局" and
 * "区税务局", "区委统战部(区民宗局)" and "区民宗局"): each is imported as
 * written, and the second one met is named in a warning at its first row.
 */
function nearDuplicateFinder(): { add(name: string, at: RawRow['at']): ImportWarning[] } {
  const byKey = new Map<string, string>();
  return {
    add(name, at) {
      const keys = unitAliasKeys(name);
      const other = keys.map((k) => byKey.get(k)).find((n) => n !== undefined && n !== name);
      for (const key of keys) if (!byKey.has(key)) byKey.set(key, name);
      return other
        ? [
            warning(
              at,
              `单位“${name}”与“${other}”可能是同一单位，已按所写分别导入；如是同一单位，请统一名称后重新导入`,
              `unit "${name}" may be the same as "${other}": both imported as written; if they are one unit, use one name and import again`,
            ),
          ]
        : [];
    },
  };
}

/**
 * A row's milestones: its quarter columns' (一季度 … 四季度), then for a quarter they leave empty the dated
 * nodes of its 时间节点 / 完成时限 cell ("6月底前完成主体结顶"), in quarter order.
 */
function milestonesOf(
  row: { milestones: { header: string; text: string }[]; deadline: string },
  targets: Target[],
  year: number | null,
): { milestones: Milestone[]; datedQuarters: number[] } {
  const fromColumns = row.milestones
    .map((m) => {
      const quarter = milestoneQuarterOf(m.header);
      return quarter ? readMilestone(quarter, m.text, targets) : null;
    })
    .filter((m): m is Milestone => m !== null);
  const fromNodes = row.deadline
    ? datedMilestones(row.deadline, targets, year).filter((d) => !fromColumns.some((m) => m.quarter === d.quarter))
    : [];
  return {
    milestones: [...fromColumns, ...fromNodes].sort((a, b) => a.quarter - b.quarter),
    datedQuarters: fromNodes.map((m) => m.quarter),
  };
}

export function interpretPlanTable(table: SourceTable, options: InterpretOptions = {}): ImportedPlan {
  let read;
  try {
    read = readTableRows(table);
  } catch (error) {
    if (error instanceof TableNotRecognisedError) {
      const closest = error.closest;
      const needsTask = !closest?.roles.includes('task');
      const needsUnits = !closest?.roles.some((r) => r === 'units' || r === 'leadUnit');
      if (closest && !needsTask && !needsUnits) {
        const position = warning(closest.at, '', '').position;
        const [whereZh, whereEn = whereZh] = position.split(' / ');
        throw new DomainError(
          'IMPORT_NO_HEADER',
          `找不到表头：${whereZh}起有“${closest.labels.join('”“')}”，但中间有无法识别的单元格，连不成一行表头；请检查这些列名之间的单元格`,
          `No header row found: from ${whereEn} there are ${closest.labels.map((l) => `"${l}"`).join(', ')}, but cells between them are not column names, so they form no header; check the cells between them`,
          { position, found: closest.labels },
        );
      }
      const missingZh = [
        needsTask ? '任务列（项目内容、主要任务、工作任务等）' : '',
        needsUnits ? '责任单位列（或牵头单位）' : '',
      ]
        .filter(Boolean)
        .join('和');
      const missingEn = [
        needsTask ? 'a task column (项目内容, 主要任务, …)' : '',
        needsUnits ? 'a responsible-unit column (责任单位 or 牵头单位)' : '',
      ]
        .filter(Boolean)
        .join(' and ');
      // The row that came closest, and what it lacks: the person sees which header cell to fix.
      if (closest) {
        const position = warning(closest.at, '', '').position;
        const [whereZh, whereEn = whereZh] = position.split(' / ');
        throw new DomainError(
          'IMPORT_NO_HEADER',
          `找不到表头：${whereZh}有“${closest.labels.join('”“')}”，但缺少${missingZh}`,
          `No header row found: ${whereEn} has ${closest.labels.map((l) => `"${l}"`).join(', ')} but lacks ${missingEn}`,
          { position, found: closest.labels },
        );
      }
      throw new DomainError(
        'IMPORT_NO_HEADER',
        '找不到表头：没有一行写有列名；需要“项目内容”（或主要任务、工作任务等）和“责任单位”（或牵头单位）两列',
        'No header row found: no row names any column; the table needs a task column (项目内容, 主要任务, …) and a responsible-unit column (责任单位 or 牵头单位)',
      );
    }
    throw error;
  }
  const warnings = [...(table.kind === 'grid' ? (table.warnings ?? []) : []), ...read.warnings];
  const categories: PlanCategory[] = [];
  const categoryIndex = new Map<string, PlanCategory>();
  const tasks: PlanTask[] = [];
  const units = new Map<string, UnitRef>();
  const seen = new Set<string>();
  const nearDuplicates = nearDuplicateFinder();
  let repeated: RawRow[] = [];

  // Categories are numbered by position, so two levels that both start at (一) stay apart;
  // the label keeps the numeral as printed.
  const latestByPrinted = new Map<number, PlanCategory>();
  const categoryOf = (row: RawRow): PlanCategory => {
    const raw = row.category;
    const name = raw?.name ? stripTrailingPunctuation(raw.name) : '';
    if (raw?.ordinal !== undefined && !name && latestByPrinted.has(raw.ordinal))
      return latestByPrinted.get(raw.ordinal)!;
    const key = `${raw?.ordinal ?? ''}|${compactKey(name)}`;
    let category = categoryIndex.get(key);
    if (!category) {
      const ordinal = categories.length + 1;
      const shown = name || '未分类';
      category = { ordinal, name: shown, label: `(${formatChineseNumeral(raw?.ordinal ?? ordinal)})${shown}` };
      categoryIndex.set(key, category);
      categories.push(category);
    }
    if (raw?.ordinal !== undefined) latestByPrinted.set(raw.ordinal, category);
    return category;
  };

  // The plan's year, for the dated nodes of a 时间节点 column that name one.
  const planYear = planFromPreamble(read.preamble, options.planName, options.fallbackName).year;
  for (const row of read.rows) {
    const category = categoryOf(row);
    const content = stripTrailingPunctuation(cleanCellText(row.task));
    const unitList = mergeUnitColumns(row.units, row.coUnits);
    const key = `${category.ordinal}|${compactKey(content)}|${splitUnitNames(`${row.units}、${row.coUnits}`).join('、')}`;
    if (seen.has(key)) {
      repeated.push(row);
      continue;
    }
    seen.add(key);
    if (!unitList.lead) {
      warnings.push(warning(row.at, '缺少责任单位，本行已跳过', 'no responsible unit; row skipped'));
      continue;
    }
    for (const duplicate of unitList.duplicates) {
      warnings.push(
        warning(row.at, `责任单位“${duplicate}”重复列出，只保留一次`, `unit "${duplicate}" is listed twice; kept once`),
      );
    }
    for (const unit of [unitList.lead, ...unitList.coUnits]) {
      if (units.has(unit.name)) continue;
      units.set(unit.name, unit);
      if (!unit.group) warnings.push(...nearDuplicates.add(unit.name, row.at));
    }
    if (unitList.lead.group) {
      warnings.push(
        warning(
          row.at,
          `牵头单位“${unitList.lead.name}”是集合称谓，不是一个单位：其成员单位在单位名录中指定，请确认由谁牵头`,
          `the lead "${unitList.lead.name}" is a collective phrase, not one unit: its members come from the directory; please say who leads`,
        ),
      );
    }

    // The latest period's column ("1-9月完成情况" after "上半年"), whatever the column order.
    // A cell holding only "/" (or a dash) says "nothing to report", as an empty one does.
    const progressColumns = row.progress
      .filter((p) => p.text && !NOTHING_TO_REPORT.test(p.text))
      .map((p, i) => ({ ...p, end: periodEndOf(p.header) ?? 100 + i }))
      .sort((a, b) => a.end - b.end);
    const { text: progress, earlier } = latestProgress(progressColumns);
    const targets = extractTargets(content);
    const reading = readProgress(progress, targets);
    if (reading.rateMismatch) {
      warnings.push(
        warning(
          row.at,
          `进展中写明的比例 ${reading.rateMismatch.stated}% 与按目标计算的 ${reading.rateMismatch.computed.join('%、')}% 不一致`,
          `stated rate ${reading.rateMismatch.stated}% differs from the computed ${reading.rateMismatch.computed.join('%, ')}%`,
        ),
      );
    }
    tasks.push({
      ordinal: tasks.length + 1,
      sourceOrdinal: row.ordinal ?? null,
      category: category.name,
      categoryOrdinal: category.ordinal,
      content,
      leadUnit: unitList.lead.name,
      coUnits: unitList.coUnits.map((u) => u.name),
      leaders: splitPeople(row.leaders),
      progress,
      earlierProgress: earlier.map((p) => ({ period: p.header, text: p.text })),
      targets,
      ...milestonesOf(row, targets, planYear),
      completion: reading.completion,
      state: reading.state,
      reading,
      annualTarget: row.annualTarget || null,
      deadline: row.deadline || null,
      remarks: row.remarks || null,
      position: warning(row.at, '', '').position,
      ...(row.confidence === undefined ? {} : { confidence: row.confidence }),
    });
  }
  if (repeated.length) {
    warnings.push(
      warning(
        repeated[0]!.at,
        `表格内容重复出现，${repeated.length} 行重复的任务只导入一次`,
        `the table appears again: ${repeated.length} repeated rows imported once`,
      ),
    );
    repeated = [];
  }
  if (tasks.length === 0) {
    throw new DomainError('IMPORT_NO_TASKS', '表格中没有可导入的任务行', 'The table has no task rows to import', {
      warnings,
    });
  }
  return {
    plan: planFromPreamble(read.preamble, options.planName, options.fallbackName),
    categories: categories.filter((c) => tasks.some((t) => t.categoryOrdinal === c.ordinal)),
    tasks,
    units: [...units.values()],
    warnings,
  };
}
