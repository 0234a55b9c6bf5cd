/**
 * The figures a reporter types into the form's metric fields (one per target,
 * in the target's unit) turned into what the status light needs: percent
 * complete (the weakest comparable target, as the narrative reader does), the
 * growth reached, the cause when over 100, and the figures that cannot be set
 * against their target (a rate of change, a figure typed in 万/亿). Targets
 * without a figure are left out; no figure at all answers nulls, and the
 * narrative decides.
 */
import { compareWithTarget, exceededBy, type CompletionReading, type Incomparable } from './completion.js';
import type { Target } from './targets.parser.js';

export interface FigureReading extends CompletionReading {
  /** The growth (%) typed for a growth target; the last one when several. */
  growth: number | null;
}

/**
 * targets: the task's targets, in order; figures: the typed numbers keyed by
 * the target's index ("0", "1", …), in the target's unit (base units, as the
 * target is held). Non-finite or missing figures are ignored. Never throws.
 */
export function readFigures(
  targets: readonly Target[],
  figures: Readonly<Record<string, number | null>>,
): FigureReading {
  const rates: { target: number; rate: number; achieved: number }[] = [];
  const incomparable: Incomparable[] = [];
  let growth: number | null = null;
  targets.forEach((target, index) => {
    const figure = figures[String(index)];
    if (figure === null || figure === undefined || !Number.isFinite(figure)) return;
    if (target.kind === 'growth') {
      growth = figure;
      return;
    }
    const compared = compareWithTarget(target, { value: figure, unit: target.unit });
    if (compared === null) return;
    if ('why' in compared) {
      const { metric, value, unit } = target;
      incomparable.push({ target: index, metric, value, unit, figure: { value: figure, unit }, why: compared.why });
      return;
    }
    rates.push({ target: index, rate: Math.max(0, compared.rate), achieved: figure });
  });
  if (rates.length === 0) return { completion: null, growth, incomparable };
  const weakest = rates.reduce((a, b) => (b.rate < a.rate ? b : a));
  const reading: FigureReading = { completion: weakest.rate, growth, incomparable };
  if (weakest.rate > 100) reading.exceeded = exceededBy(targets, weakest);
  return reading;
}
