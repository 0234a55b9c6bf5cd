/**
 * The figures a reporter types into the form's metric fields (one per target)
 * turned into what the status light needs: percent complete (the weakest
 * target, as the narrative reader does) and the growth reached. Targets
 * without a figure are left out; no figure at all answers nulls, and the
 * narrative decides.
 */
import type { Target } from './targets.parser.js';

export interface FigureReading {
  completion: number | null;
  growth: number | null;
}

const round2 = (n: number) => Math.round(n * 100) / 100;

export function readFigures(
  targets: readonly Target[],
  figures: Readonly<Record<string, number | null>>,
): FigureReading {
  const rates: number[] = [];
  let growth: number | null = null;
  targets.forEach((target, index) => {
    const figure = figures[String(index)];
    if (figure === null || figure === undefined || !Number.isFinite(figure)) return;
    if (target.kind === 'growth') {
      growth = figure;
      return;
    }
    if (target.comparator === '≤') {
      // A ceiling (控制在…以内): met while at or under it.
      rates.push(figure <= target.value ? 100 : figure > 0 ? round2((target.value / figure) * 100) : 0);
      return;
    }
    if (target.value > 0) rates.push(round2((figure / target.value) * 100));
  });
  return { completion: rates.length > 0 ? Math.max(0, Math.min(...rates)) : null, growth };
}
