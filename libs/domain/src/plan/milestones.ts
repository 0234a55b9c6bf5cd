/**
 * Milestones (节点): what a task should have reached by the end of a quarter, as a plan table states it in
 * its quarter columns (一季度 … 四季度, 三季度目标, 第二季度节点). The status light judges a quarter by its
 * milestone where the task has one (`evaluateLight`'s `milestone`), else by the plan's default curve.
 */
import type { Target } from './targets.parser.js';
import { readProgress } from './progress.parser.js';
import { formatAmount } from './target-text.js';

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
