/**
 * Each target of a task set against what one report gives for it, as the
 * supervisor reads it on the review desk: "道路建设：目标 ≥94条，已完成 52条，55.3%"
 * — every target, not only the one completion rate the light is judged by —
 * and how a figure for a target is meant in a quarter's report (its basis):
 * the plan's targets are the year's, so an amount is cumulative to the
 * quarter's end, a level is where it stands at the quarter's end, and a rate
 * of change runs from the year's start (同比, 1—9月 for Q3).
 */
import { compareWithTarget, formatAmount, incomparableWhyText, type IncomparableWhy } from './completion.js';
import type { TargetReading } from './progress.parser.js';
import type { Target } from './targets.parser.js';

/**
 * How a quarter's figure for an annual target is meant:
 * - cumulative: the year's amount so far, to the quarter's end (累计至本季度末), for a quantity;
 * - level: the rate or share reached at the quarter's end (本季度末达到), for a level;
 * - change: the rate of change from the year's start to the quarter's end, year on year
 *   (年初至本季度末累计增速/降幅), for a growth or a reduction target.
 */
export type FigureBasis = 'cumulative' | 'level' | 'change';

/** The basis of a figure for `target` in a quarter's report (see FigureBasis). Pure; never throws. */
export function figureBasisOf(target: Pick<Target, 'kind'>): FigureBasis {
  switch (target.kind) {
    case 'quantity':
      return 'cumulative';
    case 'level':
      return 'level';
    case 'growth':
    case 'reduction':
      return 'change';
  }
}

/** One target against what a report gives for it. */
export interface TargetFigure {
  /** Index into the task's targets. */
  target: number;
  metric: string;
  /** The figure given, in base units (万/亿 applied); for a rate of change, the percent; null: nothing given. */
  achieved: number | null;
  /** The figure's unit: the target's, or the narrative's own when it measures something else. */
  unit: string;
  /** achieved against the target in percent, one decimal; null for a rate of change, an incomparable figure or none. */
  rate: number | null;
  /** Where the figure came from: typed in the form's field (figures), read from the narrative, or none. */
  source: 'figures' | 'narrative' | null;
  /** Why the figure cannot be set against its target; null when it can (or there is none). */
  incomparable: IncomparableWhy | null;
  /** The line as people read it, e.g. zh "道路建设：目标 ≥94条，已完成 52条，55.3%", en "道路建设: target ≥94条, done 52条, 55.3%". */
  text: { zh: string; en: string };
}

const round1 = (n: number) => Math.round(n * 10) / 10;
const isChange = (target: Target) => target.kind === 'growth' || target.kind === 'reduction';

/** "≥94条", "3所" (an exact target shows no sign), "≥6.5%". */
function targetAmount(target: Target): string {
  return `${target.comparator === '=' ? '' : target.comparator}${formatAmount(target.value)}${target.unit}`;
}

/**
 * Every target of a task, in order, against one report:
 * - targets: the task's targets (base units, as stored);
 * - figures: the figures typed per target in the form, keyed by the target's index ("0", "1", …), or null;
 * - readings: what the narrative reader found per target (submission.readings);
 * - growth: the growth the report states or the form gives (percent), for a rate-of-change target given no figure.
 * A typed figure wins over the narrative's. Readings naming a target the task no longer has are ignored.
 * Pure; never throws.
 */
export function targetFigures(
  targets: readonly Target[],
  figures: Readonly<Record<string, number | null>> | null,
  readings: readonly TargetReading[],
  growth: number | null = null,
): TargetFigure[] {
  return targets.map((target, index) => {
    const typed = figures?.[String(index)];
    const reading = readings.find((r) => r.target === index);
    let line: Omit<TargetFigure, 'text'>;
    const base = { target: index, metric: target.metric, unit: target.unit };
    if (typeof typed === 'number' && Number.isFinite(typed)) {
      const compared = isChange(target) ? null : compareWithTarget(target, { value: typed, unit: target.unit });
      line = {
        ...base,
        achieved: typed,
        rate: compared && 'rate' in compared ? round1(compared.rate) : null,
        source: 'figures',
        incomparable: compared && 'why' in compared ? compared.why : null,
      };
    } else if (reading) {
      line = {
        ...base,
        achieved: reading.achieved,
        unit: reading.unit,
        rate: reading.rate === null ? null : round1(reading.rate),
        source: 'narrative',
        incomparable: reading.incomparable ?? null,
      };
    } else if (isChange(target) && growth !== null) {
      line = { ...base, achieved: growth, rate: null, source: 'narrative', incomparable: null };
    } else {
      line = { ...base, achieved: null, rate: null, source: null, incomparable: null };
    }
    return { ...line, text: lineText(target, line) };
  });
}

function lineText(target: Target, line: Omit<TargetFigure, 'text'>): { zh: string; en: string } {
  const goal = targetAmount(target);
  if (line.achieved === null) {
    return { zh: `${target.metric}：目标 ${goal}，未填报`, en: `${target.metric}: target ${goal}, not reported` };
  }
  const figure = `${formatAmount(line.achieved)}${line.unit}`;
  if (line.incomparable) {
    const why = incomparableWhyText(line.incomparable);
    return {
      zh: `${target.metric}：目标 ${goal}，填报 ${figure}（${why.zh}，未计入完成率）`,
      en: `${target.metric}: target ${goal}, reported ${figure} (${why.en}; left out of completion)`,
    };
  }
  if (isChange(target) || line.rate === null) {
    return {
      zh: `${target.metric}：目标 ${goal}，实际 ${figure}`,
      en: `${target.metric}: target ${goal}, actual ${figure}`,
    };
  }
  // A ceiling (≤) is kept, not completed; a level (a share, a rate) is reached.
  const [zh, en] =
    target.comparator === '≤' ? ['实际', 'actual'] : target.kind === 'level' ? ['已达', 'reached'] : ['已完成', 'done'];
  return {
    zh: `${target.metric}：目标 ${goal}，${zh} ${figure}，${line.rate}%`,
    en: `${target.metric}: target ${goal}, ${en} ${figure}, ${line.rate}%`,
  };
}
