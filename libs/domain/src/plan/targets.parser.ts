/**
 * Targets (目标) in a task's content: "回迁安置1000户以上" →
 * {metric 回迁安置, value 1000, unit 户, comparator ≥}; several per task;
 * growth-rate targets ("地区生产总值增长6.5%以上"); none for
 * "确保完成市下达目标任务".
 */
import { findQuantities, type Quantity } from './quantities.js';
import { stripTrailing } from './text-normalize.js';

export type Comparator = '≥' | '≤' | '≈' | '=';
/** quantity: a count or amount; growth / reduction: a rate of change; level: a rate or share to reach. */
export type TargetKind = 'quantity' | 'growth' | 'reduction' | 'level';

export interface Target {
  metric: string;
  value: number;
  unit: string;
  comparator: Comparator;
  kind: TargetKind;
}

const AT_LEAST_AFTER = /^(及以上|以上|多)/;
const AT_MOST_AFTER = /^(以下|以内)/;
const ABOUT_AFTER = /^左右/;
const AT_LEAST_BEFORE = /(不少于|不低于|至少|超过|达到|提升至|提升到|提高至|提高到|增至|增加到|突破|达)$/;
const AT_MOST_BEFORE =
  /(不高于|不超过|不得高于|控制在|最多|低于|少于|下降至|下降到|降至|降到|压缩至|压缩到|缩短至|缩短到|减少至|减少到|减至)$/;
// 约 alone is "about"; 签约, 节约, 制约, 合约… are words of their own.
const ABOUT_BEFORE = /((?<![签节制合预特履违公条邀契缔守])约|大约)$/;
const GROWTH_BEFORE = /(增长|增速|增幅|提高|提升)$/;
const REDUCTION_BEFORE = /(下降|降低|减少)$/;
const LEADING_FILLER = /^(其中|并|全年|确保|力争|实现|实施|深入实施|累计)+/;
const TRAILING_FILLERS = ['均', '共', '合计', '累计', '等', '为'];

function clauses(text: string): string[] {
  const parts: string[] = [];
  // An ASCII comma before three digits is a thousands separator ("2,000家"), not a clause break.
  for (const clause of text.split(/[，；;。：:！!？?\n]|,(?!\d{3}(?!\d))/)) {
    // "开工18条、完工10条" lists several targets; "安排省、市、区重点项目90个" lists one.
    const pieces = clause.split('、').map((piece) => ({ piece, figures: findQuantities(piece).length }));
    const withQuantity = pieces.filter((p) => p.figures > 0).length;
    if (withQuantity >= 2 && pieces.every((p) => p.figures > 0 || p.piece.length <= 8)) {
      let carry = '';
      for (const { piece, figures } of pieces) {
        if (figures === 0) carry += `${piece}、`;
        else {
          parts.push(carry + piece);
          carry = '';
        }
      }
    } else {
      parts.push(clause);
    }
  }
  return parts.map((p) => p.trim()).filter(Boolean);
}

/** The longest word that sets a comparator, before or after the figure ("提高到", "不得高于", "及以上"). */
const COMPARATOR_REACH = 8;

function comparatorFor(before: string, after: string): Comparator {
  // Only the words next to the figure count: the rest of the clause is not looked at (linear, however long).
  const near = before.slice(-COMPARATOR_REACH);
  const next = after.slice(0, COMPARATOR_REACH);
  if (AT_LEAST_AFTER.test(next) || AT_LEAST_BEFORE.test(near)) return '≥';
  if (AT_MOST_AFTER.test(next) || AT_MOST_BEFORE.test(near)) return '≤';
  if (ABOUT_AFTER.test(next) || ABOUT_BEFORE.test(near)) return '≈';
  return '=';
}

/**
 * Drops quotation marks left open or closed by the cut: "“美丽河道" → "美丽河道",
 * but keeps "“旭日”企业". While opening marks outnumber closing ones, trailing
 * “ go first, then those after the last ”, then the earliest; while closing
 * marks outnumber opening ones, the earliest ” go. One pass, O(n).
 */
function balanceQuotes(text: string): string {
  const opens: number[] = [];
  const closes: number[] = [];
  for (let i = 0; i < text.length; i += 1) {
    if (text[i] === '“') opens.push(i);
    else if (text[i] === '”') closes.push(i);
  }
  let excess = opens.length - closes.length;
  const drop = new Set<number>(excess < 0 ? closes.slice(0, -excess) : []);
  for (let end = text.length - 1; excess > 0 && text[end] === '“'; end -= 1, excess -= 1) drop.add(end);
  const lastClose = closes.at(-1) ?? -1;
  for (const i of [...opens.filter((o) => o > lastClose), ...opens.filter((o) => o < lastClose)]) {
    if (excess <= 0) break;
    if (drop.has(i)) continue;
    drop.add(i);
    excess -= 1;
  }
  if (drop.size === 0) return text;
  let kept = '';
  for (let i = 0; i < text.length; i += 1) if (!drop.has(i)) kept += text[i];
  return kept;
}

function tidyMetric(text: string): string {
  let metric = stripTrailing(text.trim().replace(/^[‘'（(]+/, ''), ['’', "'", '（', '(']);
  metric = metric.replace(AT_LEAST_BEFORE, '').replace(AT_MOST_BEFORE, '').replace(ABOUT_BEFORE, '');
  metric = metric.replace(GROWTH_BEFORE, '').replace(REDUCTION_BEFORE, '');
  metric = stripTrailing(metric, TRAILING_FILLERS).replace(LEADING_FILLER, '');
  return balanceQuotes(metric).trim();
}

/** Runs of quantities with nothing between them: "12宗450亩", "94条53公里". */
function groupAdjacent(clause: string, quantities: Quantity[]): Quantity[][] {
  const groups: Quantity[][] = [];
  for (const q of quantities) {
    const last = groups.at(-1);
    if (last && /^[\s和及、]*$/.test(clause.slice(last.at(-1)!.end, q.index))) last.push(q);
    else groups.push([q]);
  }
  return groups;
}

/**
 * Every target in a task's content, in order of appearance: metric, value in
 * base units (万/亿 applied), unit, comparator and kind. O(n) in the content's
 * length: clauses are cut once, and a comparator is read from the few
 * characters beside its figure. Never throws.
 */
export function extractTargets(content: string): Target[] {
  const targets: Target[] = [];
  for (const clause of clauses(content)) {
    const quantities = findQuantities(clause).filter((q) => q.value >= 0);
    const groups = groupAdjacent(clause, quantities);
    groups.forEach((group, g) => {
      const first = group[0]!;
      const last = group.at(-1)!;
      const previousEnd = g > 0 ? groups[g - 1]!.at(-1)!.end : 0;
      const rawBefore = clause.slice(previousEnd, first.index);
      const nextStart = g + 1 < groups.length ? groups[g + 1]![0]!.index : clause.length;
      const rawAfter = clause.slice(last.end, nextStart);
      const afterWords = rawAfter.replace(/^(及以上|以上|以下|以内|左右)/, '').trim();
      const growth = first.unit === '%' && GROWTH_BEFORE.test(rawBefore.trim());
      const reduction = first.unit === '%' && REDUCTION_BEFORE.test(rawBefore.trim());
      let metric = tidyMetric(rawBefore);
      // "实施131个大城北开发建设项目", "创建44个生活垃圾分类示范小区": the object follows the number.
      if (!growth && !reduction && metric.length <= 4 && afterWords && !/^[的之]/.test(afterWords)) {
        metric = tidyMetric(metric + afterWords.replace(/[”"]$/, ''));
      }
      for (const q of group) {
        const before = clause.slice(Math.max(previousEnd, q.index - 2 * COMPARATOR_REACH), q.index).trim();
        const after = clause.slice(q.end, q.end + COMPARATOR_REACH);
        targets.push({
          metric,
          value: q.value,
          unit: q.unit,
          comparator: q.over ? '≥' : comparatorFor(before, after),
          kind: growth ? 'growth' : reduction ? 'reduction' : q.unit === '%' ? 'level' : 'quantity',
        });
      }
    });
  }
  return targets;
}
