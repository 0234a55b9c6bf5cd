/**
 * Notes on a report's figures, taken when it is submitted (never a refusal): what a supervisor should look at
 * twice before approving. The reading is the task-cycle's own (readProgress), so the notes replay with it.
 */
import type { ProgressReading } from '../plan/progress.parser.js';
import { figureBasisOf, type TargetFigure } from '../plan/target-figures.js';
import type { Target } from '../plan/targets.parser.js';
import { periodEnd } from '../quarter.js';

export type FigureNote =
  /** 已完成 declared, but the figures given or read say less than 100%. */
  | { kind: 'declared_done_below_full'; completion: number }
  /** A stated rate (完成率58.8%) far from what the figures against the targets give (± 5 points). */
  | { kind: 'stated_rate_disagrees'; stated: number; computed: number[] }
  /** The task has numeric targets, and the narrative gives no figure at all (空话套话). */
  | { kind: 'no_figure' }
  /**
   * A year's amount so far (a cumulative figure) lower than the one approved for an earlier quarter of the same
   * year: 588户 after 600户. Taken against the approved report, not a returned one.
   */
  | {
      kind: 'below_previous';
      /** Index into the task's targets. */
      target: number;
      metric: string;
      /** This report's figure and the earlier quarter's, in the target's unit (base units). */
      achieved: number;
      previous: number;
      unit: string;
      /** The earlier quarter, e.g. "2020Q2". */
      quarter: string;
    };

/**
 * @param request what the reporter sent: the declared state and the completion typed in (percent), if any
 * @param reading the narrative read against the task's targets
 * @param targets the task's targets (each has a value: a task with any is one with numeric targets)
 * @returns the notes, in the order above; [] when the figures hold together
 */
export function figureNotes(
  request: { declaredState?: ProgressReading['state']; completion?: number | null },
  reading: Pick<ProgressReading, 'readings' | 'rateMismatch' | 'statedRate' | 'growth' | 'limits'>,
  targets: readonly Target[],
): FigureNote[] {
  const notes: FigureNote[] = [];
  const rates = reading.readings.flatMap((r) => (r.rate === null ? [] : [r.rate]));
  const figured = request.completion ?? reading.statedRate ?? (rates.length > 0 ? Math.min(...rates) : null);
  if (request.declaredState === 'completed' && figured !== null && figured < 100) {
    notes.push({ kind: 'declared_done_below_full', completion: figured });
  }
  if (reading.rateMismatch) {
    notes.push({
      kind: 'stated_rate_disagrees',
      stated: reading.rateMismatch.stated,
      computed: reading.rateMismatch.computed,
    });
  }
  const anyFigure =
    reading.readings.length > 0 || reading.statedRate !== null || reading.growth !== null || reading.limits.length > 0;
  if (targets.length > 0 && !anyFigure && request.completion == null) notes.push({ kind: 'no_figure' });
  return notes;
}

/** The year of a quarter as Duban writes it ("2020Q3" → "2020"). */
const yearOf = (quarter: string) => quarter.slice(0, 4);

/**
 * The targets whose year-so-far figure fell since an earlier quarter's approved report: a cumulative figure
 * (figureBasisOf: a quantity) only grows within a year, so a lower one is a slip of the pen or a recount the
 * supervisor should hear about. Levels and rates of change may fall; they are not compared. Nor are figures in
 * another unit, incomparable ones, or an earlier year's (the year's amounts start again in January).
 * @param quarter this report's period, e.g. "2020Q3" or "2020M07" (compared by the month each ends in)
 * @param current every target against this report (targetFigures), in target order
 * @param previous the newest approved progress of an earlier quarter with its figures, or null
 * @returns one `below_previous` note per target that fell, in target order; [] otherwise. Pure; never throws.
 */
export function figuresBelowPrevious(
  quarter: string,
  current: readonly TargetFigure[],
  previous: { quarter: string; targetFigures: readonly TargetFigure[] } | null,
  targets: readonly Target[],
): FigureNote[] {
  if (!previous || periodEnd(previous.quarter) >= periodEnd(quarter) || yearOf(previous.quarter) !== yearOf(quarter)) {
    return [];
  }
  return current.flatMap((now): FigureNote[] => {
    const target = targets[now.target];
    const before = previous.targetFigures.find((f) => f.target === now.target);
    if (!target || figureBasisOf(target) !== 'cumulative' || !before) return [];
    if (now.achieved === null || before.achieved === null || now.incomparable || before.incomparable) return [];
    if (now.unit !== before.unit || now.achieved >= before.achieved) return [];
    return [
      {
        kind: 'below_previous',
        target: now.target,
        metric: now.metric,
        achieved: now.achieved,
        previous: before.achieved,
        unit: now.unit,
        quarter: previous.quarter,
      },
    ];
  });
}
