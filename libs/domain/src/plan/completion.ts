/**
 * Completion (完成率): a figure set against a target (目标) that measures the
 * same thing — the same unit after 万/亿 scaling, a percent against a percent,
 * a count against a count. A figure that does not is incomparable: it is
 * flagged with why, and never turned into a rate. A completion over 100 is
 * exceeded (超额) and carries its cause; averages count it as 100.
 */
import { sameMeasure } from './quantities.js';
import type { Target } from './targets.parser.js';
import { formatAmount } from './target-text.js';

export { formatAmount };

/**
 * Why a figure cannot be set against its target:
 * - unit: another measure (亿元 against 个, 套 against 平方米);
 * - percent: a percent against an amount, or an amount against a percent;
 * - change: a rate of change (增长/下降 x%) against a level or an amount, or
 *   any figure against a rate-of-change target (增长/下降 targets are judged as
 *   growth, not as a completion);
 * - scale: the figure is 万 or 亿 times too small for its target, as when
 *   42 (亿元) is typed against a target held as 5000000000 元.
 */
export type IncomparableWhy = 'unit' | 'percent' | 'change' | 'scale';

export const INCOMPARABLE_WHYS: readonly IncomparableWhy[] = ['unit', 'percent', 'change', 'scale'];

/** A figure as reported: its value in base units (万/亿 already applied) and its unit. */
export interface Figure {
  value: number;
  unit: string;
  /** The figure is a rate of change ("增长12%"), not a level ("占比75%"). */
  change?: boolean;
}

/** A figure set against its target: the rate, or why there is none. */
export type Comparison = { rate: number } | { why: IncomparableWhy };

/** Why a completion is over 100: a target's figure past the target, or a rate the unit stated. */
export type Exceeded =
  | {
      by: 'target';
      /** Index into the task's targets. */
      target: number;
      metric: string;
      /** The figure reached, in the target's unit (base units). */
      achieved: number;
      /** The target's value, in the same unit. */
      value: number;
      unit: string;
      /** achieved ÷ value × 100, two decimals (> 100). */
      rate: number;
    }
  | { by: 'stated'; rate: number };

/** A figure that could not be set against a target, with the target it was about. */
export interface Incomparable {
  /** Index into the task's targets. */
  target: number;
  metric: string;
  /** The target's value and unit (base units). */
  value: number;
  unit: string;
  figure: { value: number; unit: string };
  why: IncomparableWhy;
}

/**
 * What a reading says about completion: a percent (null when no comparable
 * figure says), the cause when it is over 100, and the figures left out.
 */
export interface CompletionReading {
  completion: number | null;
  /** Present exactly when completion > 100. */
  exceeded?: Exceeded;
  incomparable: Incomparable[];
}

/** What one task adds to an average: at most this, however far past its target it went. */
export const COMPLETION_CAP = 100;

const round2 = (n: number) => Math.round(n * 100) / 100;

/**
 * Sets a figure against a target. Returns `{ rate }` (percent, two decimals)
 * when they measure the same thing, `{ why }` when they do not, and null when
 * the target gives no rate (a zero target: "零事故" is met or not, not a share).
 * A ceiling (≤, 控制在…以内) counts 100 while the figure is at or under it, and
 * target ÷ figure above it. Never throws.
 */
export function compareWithTarget(target: Target, figure: Figure): Comparison | null {
  if (target.kind === 'growth' || target.kind === 'reduction') return { why: 'change' };
  if (figure.change) return { why: 'change' };
  const percentTarget = target.unit === '%';
  const percentFigure = figure.unit === '%';
  if (percentTarget !== percentFigure) return { why: 'percent' };
  if (!sameMeasure(figure.unit, target.unit)) return { why: 'unit' };
  if (!Number.isFinite(figure.value) || !(target.value > 0)) return null;
  if (target.comparator === '≤') {
    if (figure.value <= target.value) return { rate: 100 };
    return { rate: round2((target.value / figure.value) * 100) };
  }
  if (!percentTarget && slippedScale(figure.value, target.value)) return { why: 'scale' };
  return { rate: round2((figure.value / target.value) * 100) };
}

/**
 * A figure under a thousandth of a target of at least 1万 that would be a
 * plausible share of it (a tenth to ten times) once multiplied by 万 or 亿:
 * typed in 万 or 亿 while the target is held in base units. No real progress
 * is a thousandth of a target, so nothing true is lost.
 */
function slippedScale(value: number, target: number): boolean {
  if (target < 1e4 || value <= 0 || value / target >= 1e-3) return false;
  return [1e4, 1e8].some((scale) => {
    const share = (value * scale) / target;
    return share >= 0.1 && share <= 10;
  });
}

/**
 * The cause of an exceeded completion: the target that set it, with the
 * figure reached there (base units, the target's unit) and its rate.
 */
export function exceededBy(
  targets: readonly Target[],
  reached: { target: number; rate: number; achieved: number },
): Exceeded {
  const { metric, value, unit } = targets[reached.target]!;
  return { by: 'target', target: reached.target, metric, achieved: reached.achieved, value, unit, rate: reached.rate };
}

/**
 * The cause of an exceeded completion, as the coordinator reads it:
 * by target "回迁安置 1200/1000户" (the same in both languages);
 * stated zh "自报完成率 112.47%", en "stated 112.47%".
 */
export function exceededText(exceeded: Exceeded): { zh: string; en: string } {
  if (exceeded.by === 'stated') return { zh: `自报完成率 ${exceeded.rate}%`, en: `stated ${exceeded.rate}%` };
  const text = `${exceeded.metric} ${formatAmount(exceeded.achieved)}/${formatAmount(exceeded.value)}${exceeded.unit}`;
  return { zh: text, en: text };
}

const WHY_TEXT: Record<IncomparableWhy, { zh: string; en: string }> = {
  unit: { zh: '计量单位不同', en: 'a different unit' },
  percent: { zh: '百分比与数量不能相比', en: 'a percent against an amount' },
  change: { zh: '增减幅不是完成率', en: 'a rate of change is not a completion' },
  scale: { zh: '数值疑按万或亿填写', en: 'the figure looks typed in ten-thousands (万) or hundred-millions (亿)' },
};

/** Why, in a few words (zh / en): 'unit' → 计量单位不同 / a different unit. */
export function incomparableWhyText(why: IncomparableWhy): { zh: string; en: string } {
  return WHY_TEXT[why];
}

/**
 * An incomparable figure as the coordinator reads it:
 * zh "交付安置房 3200套 无法与目标 57万平方米 相比（计量单位不同）",
 * en "交付安置房: 3200套 cannot be set against the target 57万平方米 (a different unit)".
 */
export function incomparableText(incomparable: Incomparable): { zh: string; en: string } {
  const figure = `${formatAmount(incomparable.figure.value)}${incomparable.figure.unit}`;
  const target = `${formatAmount(incomparable.value)}${incomparable.unit}`;
  const why = WHY_TEXT[incomparable.why];
  return {
    zh: `${incomparable.metric} ${figure} 无法与目标 ${target} 相比（${why.zh}）`,
    en: `${incomparable.metric}: ${figure} cannot be set against the target ${target} (${why.en})`,
  };
}

/** Completions summed for an average: how many, the capped sum, how many exceeded. */
export interface CompletionSummary {
  /** Mean of the capped completions, one decimal; null when none counted. */
  average: number | null;
  /** Completions in the average. */
  counted: number;
  /** Of those, how many were over 100 (each counted as 100). */
  exceeded: number;
}

/**
 * The average completion of a group (a unit, a cycle): only comparable
 * completions (null ones are not there to average), each capped at 100, so one
 * task far past its target cannot lift a unit above tasks that are behind.
 */
export function averageCompletion(completions: readonly (number | null)[]): CompletionSummary {
  let sum = 0;
  let counted = 0;
  let exceeded = 0;
  for (const completion of completions) {
    if (completion === null || !Number.isFinite(completion)) continue;
    counted += 1;
    if (completion > COMPLETION_CAP) exceeded += 1;
    sum += Math.min(completion, COMPLETION_CAP);
  }
  return { average: counted > 0 ? Math.round((sum / counted) * 10) / 10 : null, counted, exceeded };
}
