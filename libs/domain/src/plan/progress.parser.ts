/**
 * Progress narratives (进展情况): stated rates ("完成率58.8%"), achieved values
 * in a target's unit ("已完成回迁安置588户"), completion computed as achieved ÷
 * target where no rate is stated, a stated rate that disagrees with every
 * computed one flagged, and the declared state (已完成, 正常推进, 停办, 延期 …).
 * A figure plainly about a target but in another measure (3200套 against
 * 57万平方米, 增长12% against 占比80%) is flagged as incomparable, never made a
 * rate; a completion over 100 carries the target (or stated rate) behind it.
 */
import {
  compareWithTarget,
  exceededBy,
  type CompletionReading,
  type Exceeded,
  type Incomparable,
  type IncomparableWhy,
} from './completion.js';
import {
  findQuantities,
  LATEST_READING_EDITION,
  sameMeasure,
  type Quantity,
  type ReadingEdition,
} from './quantities.js';
import type { Target } from './targets.parser.js';

export type DeclaredState = 'completed' | 'on_track' | 'behind' | 'delayed' | 'suspended' | 'in_progress' | 'none';

/** What the narrative gives for one target; stored as is (submission.readings). */
export interface LimitReading {
  /** Index into the task's targets. */
  target: number;
  achieved: number;
  unit: string;
  within: boolean;
}

export interface TargetReading {
  /** Index into the task's targets. */
  target: number;
  /** The figure read for it, in base units (万/亿 applied). */
  achieved: number;
  /** The target's unit when comparable (万方 read as 平方米), else the figure's own. */
  unit: string;
  /** achieved ÷ target × 100, two decimals; null when the figure cannot be set against the target. */
  rate: number | null;
  /** Why not, when rate is null. */
  incomparable?: IncomparableWhy;
}

export interface ProgressReading extends CompletionReading {
  state: DeclaredState;
  /** The first completion-type rate the narrative states, e.g. 完成率58.8% → 58.8. */
  statedRate: number | null;
  /** One per target read: comparable (with a rate) or incomparable (with why), in target order. */
  readings: TargetReading[];
  /** Actual growth stated for growth targets: "增速-2.2%" → -2.2 (a reduction, "下降1.2%", as -1.2). */
  growth: number | null;
  /**
   * The level a limit target (≤: "控制在5.5%以内", "30微克/立方米以下") stands
   * at, in the target's unit, and whether it is within: "失业率为6.1%" against
   * ≤ 5.5% → { achieved: 6.1, within: false }. A limit is met or not; it never
   * makes a completion.
   */
  limits: LimitReading[];
  /**
   * Percent complete: the stated rate, else 100 if declared completed, else the
   * weakest comparable target; never from an incomparable figure.
   */
  completion: number | null;
  completionSource: 'stated' | 'declared' | 'computed' | null;
  /** Present when the stated rate matches none of the computed ones. */
  rateMismatch: { stated: number; computed: number[] } | null;
}

const RATE_VALUE = String.raw`\s*(?:为|达|达到|已达)?\s*(-?\d+(?:\.\d+)?)\s*%`;
/** Rates that speak for the whole task: 完成率, 开工率, "完成年度任务的74.89%". */
const STRONG_RATE = new RegExp(
  `(?:完成率|开工率|完工率|实现率|执行率|到位率)${RATE_VALUE}|完成[^，,；;。]{0,14}?的\\s*(\\d+(?:\\.\\d+)?)\\s*%`,
  'g',
);
/**
 * The growth (a reduction negative) the narrative states: the first one; in
 * edition 2 the first that does not restate a rate-of-change target
 * ("目标下降3%，1-9月下降1.2%" → -1.2), else the first.
 */
function growthOf(text: string, targets: readonly Target[], edition: ReadingEdition): number | null {
  const valueOf = (m: RegExpMatchArray) => (m[2] !== undefined ? Number(m[2]) : -Number(m[4]));
  if (edition < 2) {
    const first = GROWTH.exec(text);
    return first ? valueOf(first) : null;
  }
  const all = [...text.matchAll(GROWTH_ALL)].slice(0, MAX_READ_FIGURES);
  const asked = new Set(targets.filter((t) => t.kind === 'growth' || t.kind === 'reduction').map((t) => t.value));
  const own = all.find((m) => !asked.has(Math.abs(valueOf(m))));
  const chosen = own ?? all[0];
  return chosen ? valueOf(chosen) : null;
}

/** A narrative that is only a percentage: the completion. */
const BARE_RATE = /^(\d{1,3}(?:\.\d+)?)\s*[%％]$/;
/** Rates that may speak for one part only (施工进度20%); taken when the narrative has just one, or an overall one. */
const WEAK_RATE = new RegExp(`(总体进度|工程进度|完成进度|进度)${RATE_VALUE}`, 'g');
const COMPLETION_RATE = new RegExp(
  `(完成率|开工率|完工率|实现率|执行率|到位率|完成进度|总体进度|工程进度|进度)${RATE_VALUE}`,
);
const GROWTH = /(增速|增幅|同比增长|增长)\s*(?:为|达|达到)?\s*(-?\d+(?:\.\d+)?)\s*%|(下降|降低)\s*(\d+(?:\.\d+)?)\s*%/;
const GROWTH_ALL = new RegExp(GROWTH.source, 'g');
/** "完成年度任务的" before a percent, or before a list of them ("…的74.89%、77.08%"): stated shares. */
const STATED_SHARE = /完成[^，,；;。]{0,14}?的\s*(?:-?\d+(?:\.\d+)?\s*%\s*[、和及]\s*)*$/;
/** A percent that is a rate of change ("同比增长12%", "下降3%"), not a level reached ("占比75%"). */
const CHANGE_BEFORE = /(增长|增速|增幅|下降|降低|减少|提高|提升|上升|回落)\s*(?:了)?\s*(?:为|达|达到)?\s*$/;
const TOTAL_MARKER = /(共计|合计|累计|总计|共)\s*$/;
const DONE_MARKER = /(已完成|已开工|已完工|已竣工|已投用|完成|已)\s*[^，,；;。]{0,12}$/;
/** Edition 3: work finished, said without 已 ("完工19个", "建成通车6条"); started (开工) is not among them. */
const DONE_MARKER_3 = /(已完成|已完工|已竣工|已投用|完成|完工|竣工|建成|投用|交付|已)\s*[^，,；;。]{0,12}$/;
/** Edition 3: a plan or a forecast in the clause ("计划年内建成10所", "预计年底竣工"): nothing done yet. */
const PLANNED = /(计划|预计|力争|争取|拟|将|确保|目标|预期)/;
/** Edition 3: work started, not done ("已开工28个", "在建3个"): no figure of a target to complete. */
const STARTED_MARKER = /(开工|动工|开建|在建|启动|招标|立项|进场|开始)\s*[^，,；;。完竣]{0,6}$/;
/** Edition 3: started, said after the figure ("94条道路已开工", "3个正在建设"). */
const STARTED_AFTER = /^[^，,；;。]{0,8}?(已|正在|均已)?(开工|动工|开建|在建|启动)/;
const DONE_AFTER_3 = /^[^，,；;。]{0,8}?(已|基本)(完工|完成|竣工|投用|交付|签约|落地|接入)/;
const STARTED_WORDS = /开工|动工|开建|在建|启动|招标|立项|进场/;
const DONE_AFTER = /^[^，,；;。]{0,8}?(已|基本)(开工|完工|完成|竣工|投用|交付|签约|落地|接入)/;
/** "其中新建6处": a part of an amount already given. */
const PART_MARKER = /(其中|含)/;
/** Words too common to show that a mention is about a target's metric. */
const COMMON_BIGRAMS = new Set([
  '企业',
  '项目',
  '建设',
  '工作',
  '推进',
  '完成',
  '实施',
  '开展',
  '以上',
  '新增',
  '单位',
]);
const RATE_MISMATCH_TOLERANCE = 1;
/**
 * Distinct metric bigrams a figure's context must share with a target to be
 * flagged as incomparable with it: a lone word in common is how unrelated
 * amounts in other units sit beside a target in most narratives.
 */
const FLAG_OVERLAP = 2;

const STATES: [RegExp, DeclaredState][] = [
  [/停办|暂停|取消|停止|暂缓/, 'suspended'],
  [/延期|推迟|顺延/, 'delayed'],
  // "已完成。…" or "已完成" alone; "已完成回迁安置588户" reports an amount, not completion.
  [/^(已全部完成|已完成|已完工|已全部完工|已竣工|已办结|全面完成|已正常开放|已超额完成)([。；;，,！!]|$)/, 'completed'],
  [/(全年|年度)(目标|任务|目标任务)已(全部|超额)?完成|已(全部|超额)?完成(全年|年度)(目标|任务|目标任务)/, 'completed'],
  [/滞后|未完成|进度慢|落后/, 'behind'],
  [/正常(进行|推进|开放|运行)|有序推进|按计划|进展顺利|推进中|进行中/, 'on_track'],
];

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

function declaredState(narrative: string): DeclaredState {
  if (!narrative.trim()) return 'none';
  for (const [pattern, state] of STATES) if (pattern.test(narrative)) return state;
  return 'in_progress';
}

/**
 * The most a narrative is read for: its first figures and the task's first
 * targets. Real narratives have a handful of each; the bound keeps pairing
 * them linear in the text however many a pasted cell holds.
 */
export const MAX_READ_FIGURES = 200;
export const MAX_READ_TARGETS = 50;
/** How far back a figure's clause is read (characters); the clause starts at the last separator within it. */
const CONTEXT_REACH = 80;

/** The distinct two-character runs of a text, each with how often it occurs. */
function bigramCounts(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (let i = 0; i + 2 <= text.length; i += 1) {
    const bigram = text.slice(i, i + 2);
    counts.set(bigram, (counts.get(bigram) ?? 0) + 1);
  }
  return counts;
}

/**
 * Shared two-character runs: how much a mention's context talks about a
 * target's metric — each run of the metric that also stands in the context,
 * common words left out. O(context) with the metric's runs counted once.
 */
function overlap(metric: Map<string, number>, context: string): number {
  let score = 0;
  for (const bigram of bigramCounts(context).keys()) {
    if (!COMMON_BIGRAMS.has(bigram)) score += metric.get(bigram) ?? 0;
  }
  return score;
}

/** The task's own stated rate: its one strong rate, else its only (or overall) weak rate. */
function statedRateOf(text: string): number | null {
  const strong = [...text.matchAll(STRONG_RATE)].map((m) => Number(m[1] ?? m[2]));
  if (strong.length) return strong[0]!;
  const weak = [...text.matchAll(WEAK_RATE)];
  const overall = weak.find((m) => m[1] === '总体进度' || m[1] === '工程进度');
  if (overall) return Number(overall[2]);
  return new Set(weak.map((m) => m[2])).size === 1 ? Number(weak[0]![2]) : null;
}

/**
 * The clause a mention stands in, up to the mention: "已开工及续建11个项目3207个"
 * for 3207; at most CONTEXT_REACH characters back.
 */
function contextBefore(narrative: string, mention: Quantity): string {
  const head = narrative.slice(Math.max(0, mention.index - CONTEXT_REACH), mention.index);
  const start = Math.max(...['；', ';', '，', ',', '。', '：', ':'].map((s) => head.lastIndexOf(s) + 1));
  return head.slice(start);
}

/**
 * Reads a progress narrative against the task's targets, figures as
 * `edition` reads them (a task-cycle passes the edition it judges by). Pure; never throws:
 * an empty narrative answers state 'none' and nulls. Figures are in base units
 * (万/亿 applied); rates are percents with two decimals.
 * Cost: O(n) in the narrative's length n, plus pairing at most
 * MAX_READ_FIGURES figures with MAX_READ_TARGETS targets over a context of at
 * most CONTEXT_REACH characters each (a bounded term); figures and targets
 * past those bounds are not read.
 */
export function readProgress(
  narrative: string,
  targets: readonly Target[],
  edition: ReadingEdition = LATEST_READING_EDITION,
): ProgressReading {
  // One space for every run of white space: no pattern below then meets more than one in a row.
  const written = narrative.trim().replace(/\s+/g, ' ');
  // A bare percentage ("52%", "53.6%"; edition 2) is the completion, unless a target is itself a
  // percentage: then it is that target's level, rate or change ("5.2%" against 控制在5.5%以内),
  // read as if the metric were written before it.
  const bare = edition >= 2 ? BARE_RATE.exec(written) : null;
  const percentTargets = targets.filter((t) => t.unit === '%');
  const only = bare && percentTargets.length === 1 ? percentTargets[0]! : undefined;
  const text = only
    ? `${only.metric}${only.kind === 'growth' ? '增长' : only.kind === 'reduction' ? '下降' : ''}${written}`
    : written;
  const state = declaredState(text);
  const statedRate = bare && percentTargets.length === 0 ? Number(bare[1]) : statedRateOf(text);
  const growth = growthOf(text, targets, edition);

  const readTargets = targets.slice(0, MAX_READ_TARGETS);
  // Each achieved amount counts for at most one target: the one its context talks about.
  const mentions = findQuantities(text, edition)
    .slice(0, MAX_READ_FIGURES)
    .map((m, i, all) => {
      const before = contextBefore(text, m);
      const after = text.slice(m.end, Math.min(all[i + 1]?.index ?? text.length, m.end + 8)).split(/[，,；;。]/)[0]!;
      return {
        m,
        // A completion rate ("完成率58.8%", "完成年度任务的74.89%", "施工进度20%") is the stated rate or a part's,
        // not a figure for a target.
        isRate: m.unit === '%' && (COMPLETION_RATE.test(before + m.raw) || STATED_SHARE.test(before)),
        change: m.unit === '%' && CHANGE_BEFORE.test(before),
        context: before + after,
        done:
          edition >= 3
            ? !PLANNED.test(before) && (DONE_MARKER_3.test(before) || DONE_AFTER_3.test(after))
            : DONE_MARKER.test(before) || DONE_AFTER.test(after),
        started:
          edition >= 3 && (STARTED_MARKER.test(before) || (STARTED_AFTER.test(after) && !DONE_AFTER_3.test(after))),
        // Edition 3: the targets (of those read) whose value this figure equals, in its measure.
        equals:
          edition >= 3
            ? readTargets.flatMap((o, t) => (o.value === m.value && sameMeasure(o.unit, m.unit) ? [t] : []))
            : [],
        total: TOTAL_MARKER.test(before),
        part: PART_MARKER.test(before),
        // "推进94条道路建设" restates a sibling target (94条 of "94条53公里"), it is no figure for 53公里.
        restated: targets.some((o) => o.value === m.value && sameMeasure(o.unit, m.unit)),
      };
    });
  const pairs: { target: number; mention: number; score: number }[] = [];
  const flags: { target: number; mention: number; why: IncomparableWhy; score: number }[] = [];
  const metrics = readTargets.map((o) => bigramCounts(o.metric));
  readTargets.forEach((target, t) => {
    // A limit ("最多80天", ≤) is not completed by parts, and a zero target gives no share.
    if (target.comparator === '≤' || target.value === 0) return;
    const metric = metrics[t]!;
    // A target about starting work ("新开工项目20个") is met by what started; any other is not.
    const aboutStarting = STARTED_WORDS.test(target.metric);
    mentions.forEach(({ m, isRate, change, context, done, started, equals, total, part, restated }, k) => {
      if (isRate) return;
      if (started && !aboutStarting) return;
      // A part of an amount ("其中新建6处") or the target restated ("计划开工的10所") is not what was achieved.
      if (!total && (part || (m.value === target.value && !done))) return;
      const compared = compareWithTarget(target, { value: m.value, unit: m.unit, change });
      if (compared === null) return;
      const talk = overlap(metric, context);
      // Edition 3: a figure equal to another target's, in words at least as close to that one's
      // ("完工(10条)" beside 94条 and 完工10条), speaks of that one.
      if (equals.some((o) => o !== t && overlap(metrics[o]!, context) >= talk) && !equals.includes(t)) return;
      if ('why' in compared) {
        if (talk >= FLAG_OVERLAP && !(restated && !done))
          flags.push({ target: t, mention: k, why: compared.why, score: talk - m.index / 10_000 });
        return;
      }
      const evidence = (total ? 1000 : 0) + talk * 10 + (done ? 5 : 0);
      // Without any word in common or a "done" marker, the same unit alone is a coincidence (设备安装610个).
      // Among equals, the amount nearest the target's size (3207 of 3000, not 11), then the earliest.
      const magnitude = Math.abs(Math.log10(Math.max(m.value, 1e-9) / target.value));
      if (evidence > 0) pairs.push({ target: t, mention: k, score: evidence - magnitude - m.index / 10_000 });
    });
  });
  const limits = readLimits(targets, mentions, text);
  pairs.sort((a, b) => b.score - a.score);
  const usedTargets = new Set<number>();
  const usedMentions = new Set<number>();
  const readings: TargetReading[] = [];
  for (const pair of pairs) {
    if (usedTargets.has(pair.target) || usedMentions.has(pair.mention)) continue;
    usedTargets.add(pair.target);
    usedMentions.add(pair.mention);
    const target = targets[pair.target]!;
    const achieved = mentions[pair.mention]!.m.value;
    readings.push({ target: pair.target, achieved, unit: target.unit, rate: round2((achieved / target.value) * 100) });
  }
  // A target no comparable figure speaks for, but one in another measure plainly does: flagged, not read.
  // A rate-of-change target whose growth was stated is read (as growth), so nothing about it is flagged.
  flags.sort((a, b) => b.score - a.score);
  for (const flag of flags) {
    if (usedTargets.has(flag.target) || usedMentions.has(flag.mention)) continue;
    const kind = targets[flag.target]!.kind;
    if (growth !== null && (kind === 'growth' || kind === 'reduction')) continue;
    usedTargets.add(flag.target);
    usedMentions.add(flag.mention);
    const { value, unit } = mentions[flag.mention]!.m;
    readings.push({ target: flag.target, achieved: value, unit, rate: null, incomparable: flag.why });
  }
  readings.sort((a, b) => a.target - b.target);

  const comparable = readings.filter((r): r is TargetReading & { rate: number } => r.rate !== null);
  const computed = comparable.map((r) => r.rate);
  const rateMismatch =
    statedRate !== null &&
    computed.length > 0 &&
    computed.every((c) => Math.abs(c - statedRate) > RATE_MISMATCH_TOLERANCE)
      ? { stated: statedRate, computed }
      : null;
  let completion: number | null = null;
  let completionSource: ProgressReading['completionSource'] = null;
  let exceeded: Exceeded | undefined;
  if (statedRate !== null) {
    completion = statedRate;
    completionSource = 'stated';
    if (statedRate > 100) {
      // The stated rate is a target's when it matches one ("完成率104.5%(按面积)": 470.25 of 450亩).
      const match = comparable.find((r) => r.rate > 100 && Math.abs(r.rate - statedRate) <= RATE_MISMATCH_TOLERANCE);
      exceeded = match ? exceededBy(targets, match) : { by: 'stated', rate: statedRate };
    }
  } else if (state === 'completed') {
    completion = 100;
    completionSource = 'declared';
  } else if (comparable.length > 0) {
    const weakest = comparable.reduce((a, b) => (b.rate < a.rate ? b : a));
    completion = weakest.rate;
    completionSource = 'computed';
    if (weakest.rate > 100) exceeded = exceededBy(targets, weakest);
  }
  const { incomparable } = explainCompletion(null, readings, targets);
  const reading: ProgressReading = {
    state,
    statedRate,
    readings,
    growth,
    limits,
    completion,
    completionSource,
    rateMismatch,
    incomparable,
  };
  if (exceeded) reading.exceeded = exceeded;
  return reading;
}

/**
 * Each limit target (≤, value > 0) with the level its narrative states: the
 * mention of the same measure whose words share most with the target's
 * metric (at least FLAG_OVERLAP bigrams; the later among equals), not a rate
 * of change, a completion rate or the limit restated; else the one such
 * mention in a narrative about the metric. Bounded like the pairing above.
 */
function readLimits(
  targets: readonly Target[],
  mentions: readonly { m: Quantity; isRate: boolean; change: boolean; context: string; done: boolean }[],
  text: string,
): LimitReading[] {
  const limits: LimitReading[] = [];
  targets.slice(0, MAX_READ_TARGETS).forEach((target, t) => {
    if (target.comparator !== '≤' || !(target.value > 0) || target.kind === 'growth' || target.kind === 'reduction')
      return;
    const metric = bigramCounts(target.metric);
    let best: { achieved: number; score: number } | undefined;
    const candidates: number[] = [];
    for (const { m, isRate, change, context, done } of mentions) {
      if (isRate || change || (m.unit === '%') !== (target.unit === '%') || !sameMeasure(m.unit, target.unit)) continue;
      // The limit restated ("控制在5.5%以内，1-9月为5.8%") is not the level reached.
      if (m.value === target.value && !done && /控制|以内|以下|不超过|不高于/.test(context)) continue;
      candidates.push(m.value);
      const talk = overlap(metric, context);
      // Among equals the later figure: a narrative names the metric, then the level it reached.
      if (talk >= FLAG_OVERLAP && (!best || talk >= best.score)) best = { achieved: m.value, score: talk };
    }
    // "城镇调查失业率控制在5.5%以内，1-9月为5.8%": the one figure left, in a narrative about the metric.
    if (!best && candidates.length === 1 && overlap(metric, text.slice(0, CONTEXT_REACH * 4)) >= FLAG_OVERLAP)
      best = { achieved: candidates[0]!, score: 0 };
    if (best)
      limits.push({ target: t, achieved: best.achieved, unit: target.unit, within: best.achieved <= target.value });
  });
  return limits;
}

/**
 * The cause and the flags of a completion already stored, from the readings
 * stored beside it (submission.readings) and the task's targets: exceeded when
 * completion > 100 — the comparable reading that matches it (within 1 point),
 * else the completion as the unit stated or typed it; incomparable — each
 * flagged reading, with its target. Readings naming a target the task no
 * longer has are skipped. Pure; never throws.
 */
export function explainCompletion(
  completion: number | null,
  readings: readonly TargetReading[],
  targets: readonly Target[],
): Omit<CompletionReading, 'completion'> {
  const known = readings.filter((r) => targets[r.target] !== undefined);
  const incomparable: Incomparable[] = known
    .filter((r) => r.incomparable !== undefined)
    .map((r) => {
      const { metric, value, unit } = targets[r.target]!;
      return {
        target: r.target,
        metric,
        value,
        unit,
        figure: { value: r.achieved, unit: r.unit },
        why: r.incomparable!,
      };
    });
  if (completion === null || completion <= 100) return { incomparable };
  const match = known.find(
    (r) => r.rate !== null && r.rate > 100 && Math.abs(r.rate - completion) <= RATE_MISMATCH_TOLERANCE,
  );
  const exceeded: Exceeded =
    match && match.rate !== null
      ? exceededBy(targets, { target: match.target, rate: match.rate, achieved: match.achieved })
      : { by: 'stated', rate: completion };
  return { exceeded, incomparable };
}
