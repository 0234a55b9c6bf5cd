/**
 * Milestones (节点): what a task should have reached by the end of a quarter, as a plan table states it in
 * its quarter columns (一季度 … 四季度, 三季度目标, 第二季度节点). The status light judges a quarter by its
 * milestone where the task has one (`evaluateLight`'s `milestone`), else by the plan's default curve.
 */
import type { Target } from './targets.parser.js';
import { readProgress } from './progress.parser.js';
import { formatAmount } from './target-text.js';
import { parseChineseNumeral } from './chinese-numeral.js';

/** One quarter's milestone of a task. */
export interface Milestone {
  /** The quarter of the year it falls due at the end of (1–4). */
  quarter: 1 | 2 | 3 | 4;
  /** As the plan states it: "完成总工程量的40%", "回迁安置600户", "6月底前完成主体结顶". */
  text: string;
  /**
   * The progress expected by then, in percent of the year's targets (0–100): a rate the text states, or its
   * figures against the task's targets; null when it states a node in words only (judged by the default curve).
   */
  expected: number | null;
}

/** A cell that says nothing is due ("/", "—", "无"). */
const NOTHING = /^[\s/／\\—–\-－无]*$/;
/** A rate standing alone or after a verb of doing: "40%", "完成40%", "累计完成总工程量的40%", "形象进度40%". */
const RATE = /(\d+(?:\.\d+)?)\s*[%％]/;

const QUARTERS: Record<string, 1 | 2 | 3 | 4> = { 一: 1, 二: 2, 三: 3, 四: 4, '1': 1, '2': 2, '3': 3, '4': 4 };

/** The quarter a milestone column's header names ("三季度", "第二季度目标", "Q3"), or undefined. */
export function milestoneQuarterOf(header: string): 1 | 2 | 3 | 4 | undefined {
  const match = /([一二三四1-4])\s*季度|^Q([1-4])$/i.exec(header);
  return match ? QUARTERS[match[1] ?? match[2]!] : undefined;
}

/**
 * A task's milestone from one quarter column: its text, and the progress it expects — a stated rate, else
 * its figures against `targets` (回迁安置600户 of 1000户 → 60; the target's own amount → 100), capped at
 * 100; a node in words only expects
 * nothing in numbers. Null for an empty cell or one saying nothing is due. O(n) in the cell's length.
 */
export function readMilestone(quarter: 1 | 2 | 3 | 4, text: string, targets: readonly Target[]): Milestone | null {
  const cell = text.trim();
  if (NOTHING.test(cell)) return null;
  const reading = readProgress(cell, targets);
  let expected: number | null = null;
  if (reading.completionSource === 'stated' || reading.completionSource === 'computed') expected = reading.completion;
  else {
    const rate = RATE.exec(cell);
    if (rate) expected = Number(rate[1]);
    // The year's target itself by then ("回迁安置1000户" of 1000户), which a report's reading takes as the target restated.
    else if (targets.some((t) => t.kind === 'quantity' && cell.includes(`${formatAmount(t.value)}${t.unit}`)))
      expected = 100;
  }
  return { quarter, text: cell, expected: expected === null ? null : Math.min(100, Math.max(0, expected)) };
}

/** The milestone of `quarter` among a task's, or undefined. */
export function milestoneOf(milestones: readonly Milestone[] | undefined, quarter: number): Milestone | undefined {
  return milestones?.find((m) => m.quarter === quarter);
}

/**
 * A node's date: an optional year, a month (6 or 六; not the tail of a longer number, nor 一月一 as in
 * "一月一调度", once a month), and how it is bounded (底前, 中下旬, 30日前, 三十号前 …).
 */
const NODE_DATE =
  /(?:(\d{4})\s*年\s*)?(?<![\d一二三四五六七八九十两])(1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])\s*月(?!一[^日号])(?:份|底|末|初|[上中下]{1,2}旬|\s*(?:\d{1,2}|[一二三]?十[一二三四五六七八九]?|[一二三四五六七八九])\s*[日号])?(?:前|以前|之前|前后|内)?/gu;
/** What ends a node before the next one's date: separators and the next item's number ("；（2）", "，2、"). */
const NODE_TAIL = /[\s，,、；;。：:]*(?:[（(]?[0-9一二三四五六七八九十]{1,2}[)）、．.]?)?[\s，,、；;。：:]*$/u;

/**
 * The dated nodes of a 时间节点 cell as milestones ("6月底前完成主体结顶，9月底前竣工" → Q2 and Q3): each node runs
 * from its date to the next node's date, and needs something to do besides the date; it falls in the quarter
 * its month ends and is read as `readMilestone` reads a quarter column; two nodes of one quarter join
 * ("；"), the higher expectation kept. A date alone ("2020年12月底前", "6月30号前") is the deadline, no
 * milestone; a node of another year than `year` (when known; named, or the last named before it) is left
 * out. O(n) in the cell's length.
 */
export function datedMilestones(cell: string, targets: readonly Target[], year: number | null): Milestone[] {
  const dates = [...cell.matchAll(NODE_DATE)];
  const byQuarter = new Map<1 | 2 | 3 | 4, Milestone>();
  // A node without a year is of the last year named before it ("2021年3月底前立项，6月底前开工": 2021).
  let named: number | null = null;
  dates.forEach((date, i) => {
    const end = i + 1 < dates.length ? dates[i + 1]!.index : cell.length;
    const node = cell.slice(date.index, end).replace(NODE_TAIL, '').trim();
    if (date[1]) named = Number(date[1]);
    if (named !== null && year !== null && named !== year) return;
    // Something to do besides the date: "6月底前" alone is a deadline.
    if (node.slice(date[0].length).replace(/[\s，,、：:]/g, '').length < 2) return;
    const month = /^\d+$/.test(date[2]!) ? Number(date[2]) : parseChineseNumeral(date[2]!);
    if (!month || month < 1 || month > 12) return;
    const quarter = Math.ceil(month / 3) as 1 | 2 | 3 | 4;
    const read = readMilestone(quarter, node, targets);
    if (!read) return;
    const earlier = byQuarter.get(quarter);
    byQuarter.set(
      quarter,
      earlier
        ? {
            quarter,
            text: `${earlier.text}；${read.text}`,
            expected:
              earlier.expected === null ? read.expected : Math.max(earlier.expected, read.expected ?? earlier.expected),
          }
        : read,
    );
  });
  return [...byQuarter.values()].sort((a, b) => a.quarter - b.quarter);
}
