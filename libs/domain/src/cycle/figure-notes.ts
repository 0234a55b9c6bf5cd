/**
 * Notes on a report's figures, taken when it is submitted (never a refusal): what a supervisor should look at
 * twice before approving. The reading is the task-cycle's own (readProgress), so the notes replay with it.
 */
import type { ProgressReading } from '../plan/progress.parser.js';
import type { Target } from '../plan/targets.parser.js';

export type FigureNote =
  /** 已完成 declared, but the figures given or read say less than 100%. */
  | { kind: 'declared_done_below_full'; completion: number }
  /** A stated rate (完成率58.8%) far from what the figures against the targets give (± 5 points). */
  | { kind: 'stated_rate_disagrees'; stated: number; computed: number[] }
  /** The task has numeric targets, and the narrative gives no figure at all (空话套话). */
  | { kind: 'no_figure' };

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
