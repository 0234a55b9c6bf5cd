/**
 * The status light on approval (docs/architecture.md, cycle step 7): expected progress at the
 * quarter is the task's milestone or linear (25/50/75/100%); completed or
 * within 5 points of expected → green; within 20 → yellow; below that,
 * declared suspended, or growth below its target → red. Over 100 is green
 * and said to be exceeded (超额), with its cause when the caller has it.
 */
import { exceededText, incomparableWhyText, type Exceeded, type Incomparable } from '../plan/completion.js';
import type { DeclaredState, LimitReading } from '../plan/progress.parser.js';
import type { Target } from '../plan/targets.parser.js';
import type { CycleConfig } from './cycle-config.js';

export type StatusLight = 'green' | 'yellow' | 'red';

export interface LightInput {
  quarter: 1 | 2 | 3 | 4;
  /** The month (1–12) of the quarter when the period is one month (a plan reporting monthly). */
  month?: number;
  state: DeclaredState;
  /** Percent complete, if the submission gives or implies one. */
  completion: number | null;
  /** Actual growth (%), for growth targets. */
  growth: number | null;
  targets: readonly Target[];
  /** The task's own expected progress for this quarter, when its plan sets one. */
  milestone?: number;
  /** Why completion is over 100, when the reading says (the reason names it). */
  exceeded?: Exceeded;
  /** Figures the reading could not set against their targets (the reason says so when no completion). */
  incomparable?: readonly Incomparable[];
  /** The levels limit targets (≤) stand at (the reading's `limits`), judged when `directions` is on. */
  limits?: readonly LimitReading[];
}

export interface LightOptions {
  /**
   * Judge each target by its direction: a limit (≤, 控制在…以内) exceeded is
   * red whatever the quarter, and a reduction ("下降3%以上") short of its
   * rate is red, as growth below its target is. On for the import's reading
   * and for task-cycles of reading edition 2 (started after READING_PATCH).
   */
  directions?: boolean;
}

export interface LightResult {
  light: StatusLight;
  expected: number;
  /** Why, in a few words a coordinator can read (zh / en). */
  reason: string;
}

/**
 * The progress (%) expected at a period's end: for a quarter, its milestone or the plan's curve
 * (`expectedProgressByQuarter`); for a month, the way from the previous quarter's end (its curve value, 0 at
 * the year's start) to this quarter's (milestone or curve) in thirds, rounded to one decimal: 25/50/75/100
 * gives July 58.3, August 66.7, September 75.
 */
export function expectedProgress(
  period: { quarter: 1 | 2 | 3 | 4; month?: number; milestone?: number },
  config: Pick<CycleConfig, 'expectedProgressByQuarter'>,
): number {
  const end = period.milestone ?? config.expectedProgressByQuarter[period.quarter - 1];
  if (!period.month) return end;
  const start = period.quarter > 1 ? config.expectedProgressByQuarter[period.quarter - 2] : 0;
  const within = period.month - (period.quarter - 1) * 3;
  return Math.round((start + ((end - start) * within) / 3) * 10) / 10;
}

export function evaluateLight(input: LightInput, config: CycleConfig, options: LightOptions = {}): LightResult {
  const expected = expectedProgress(input, config);
  if (input.state === 'suspended') return { light: 'red', expected, reason: '已停办或暂停 / suspended' };
  if (options.directions) {
    const judged = byDirection(input, expected);
    if (judged) return judged;
  }
  const growthTarget = input.targets.find((t) => t.kind === 'growth');
  if (growthTarget && input.growth !== null && input.growth < growthTarget.value) {
    return {
      light: 'red',
      expected,
      reason: `增速 ${input.growth}% 低于目标 ${growthTarget.value}% / growth ${input.growth}% below the ${growthTarget.value}% target`,
    };
  }
  if (input.completion !== null && input.completion > 100) {
    // Past the target: green, and said so with the cause, so a coordinator can check it is real.
    const cause = input.exceeded
      ? exceededText(input.exceeded)
      : { zh: `完成率 ${input.completion}%`, en: `${input.completion}%` };
    return { light: 'green', expected, reason: `超额完成：${cause.zh} / exceeded: ${cause.en}` };
  }
  if (input.state === 'completed' || (input.completion !== null && input.completion >= 100)) {
    return { light: 'green', expected, reason: '已完成 / completed' };
  }
  if (input.completion === null) {
    // No figure to judge by: a declared state decides, else the unit's word stands.
    if (input.state === 'behind' || input.state === 'delayed')
      return { light: 'yellow', expected, reason: '自报滞后或延期 / reported behind or delayed' };
    const flagged = input.incomparable?.[0];
    if (flagged) {
      // A figure was given but measures something else than its target: say so, rather than "no figure".
      const why = incomparableWhyText(flagged.why);
      return {
        light: 'green',
        expected,
        reason: `进度数字无法与目标相比（${why.zh}），按自报状态 / the figure cannot be set against its target (${why.en}); as reported`,
      };
    }
    return { light: 'green', expected, reason: '无量化进度，按自报状态 / no figure; as reported' };
  }
  const gap = expected - input.completion;
  if (gap <= config.greenTolerance)
    return {
      light: 'green',
      expected,
      reason: `完成 ${input.completion}%，应达 ${expected}% / ${input.completion}% of ${expected}% expected`,
    };
  if (gap <= config.yellowTolerance)
    return {
      light: 'yellow',
      expected,
      reason: `完成 ${input.completion}%，应达 ${expected}% / ${input.completion}% of ${expected}% expected`,
    };
  return {
    light: 'red',
    expected,
    reason: `完成 ${input.completion}%，远低于应达 ${expected}% / ${input.completion}%, far below ${expected}% expected`,
  };
}

/**
 * The light a limit or a reduction gives (LightOptions.directions): red for a
 * limit exceeded or a reduction short of its rate; green for every limit
 * within when no completion speaks; undefined to judge by the other rules.
 */
function byDirection(input: LightInput, expected: number): LightResult | undefined {
  const limits = (input.limits ?? []).filter((l) => input.targets[l.target]);
  const over = limits.find((l) => !l.within);
  if (over) {
    const { metric, value, unit } = input.targets[over.target]!;
    return {
      light: 'red',
      expected,
      reason: `超出上限：${metric} ${over.achieved}${unit}，上限 ${value}${unit} / over the limit: ${metric} ${over.achieved}${unit}, limit ${value}${unit}`,
    };
  }
  const reduction = input.targets.find((t) => t.kind === 'reduction');
  if (reduction && input.growth !== null) {
    const achieved = -input.growth;
    if (achieved < reduction.value)
      return {
        light: 'red',
        expected,
        reason: `降幅 ${achieved}% 低于目标 ${reduction.value}% / reduction ${achieved}% below the ${reduction.value}% target`,
      };
  }
  if (limits.length > 0 && input.completion === null) {
    const { metric, value, unit } = input.targets[limits[0]!.target]!;
    return {
      light: 'green',
      expected,
      reason: `在上限以内：${metric} ${limits[0]!.achieved}${unit}，上限 ${value}${unit} / within the limit: ${metric} ${limits[0]!.achieved}${unit}, limit ${value}${unit}`,
    };
  }
  return undefined;
}
