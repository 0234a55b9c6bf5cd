/**
 * Targets (目标) in a task's content: "回迁安置1000户以上" →
 * {metric 回迁安置, value 1000, unit 户, comparator ≥}; several per task;
 * growth-rate targets ("地区生产总值增长6.5%以上"); none for
 * "确保完成市下达目标任务".
 */
import { findQuantities, type Quantity } from './quantities.js';

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
const AT_MOST_BEFORE = /(不高于|不超过|不得高于|控制在|最多|低于|少于)$/;
const ABOUT_BEFORE = /(约|大约)$/;
const GROWTH_BEFORE = /(增长|增速|增幅|提高|提升)$/;
const REDUCTION_BEFORE = /(下降|降低|减少)$/;
const LEADING_FILLER = /^(其中|并|全年|确保|力争|实现|实施|深入实施|累计)+/;
const TRAILING_FILLER = /(均|共|合计|累计|等|为)+$/;

function clauses(text: string): string[] {
  const parts: string[] = [];
  // An ASCII comma before three digits is a thousands separator ("2,000家"), not a clause break.
  for (const clause of text.split(/[，；;。：:！!？?\n]|,(?!\d{3}(?!\d))/)) {
    // "开工18条、完工10条" lists several targets; "安排省、市、区重点项目90个" lists one.
    const pieces = clause.split('、');
    const withQuantity = pieces.filter((p) => findQuantities(p).length > 0).length;
    if (withQuantity >= 2 && pieces.every((p) => findQuantities(p).length > 0 || p.length <= 8)) {
      let carry = '';
      for (const piece of pieces) {
        if (findQuantities(piece).length === 0) carry += `${piece}、`;
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

function comparatorFor(before: string, after: string): Comparator {
  if (AT_LEAST_AFTER.test(after) || AT_LEAST_BEFORE.test(before)) return '≥';
  if (AT_MOST_AFTER.test(after) || AT_MOST_BEFORE.test(before)) return '≤';
  if (ABOUT_AFTER.test(after) || ABOUT_BEFORE.test(before)) return '≈';
  return '=';
}

/** Drops a quotation mark left open or closed by the cut: "“美丽河道" → "美丽河道", but keeps "“旭日”企业". */
function balanceQuotes(text: string): string {
  let result = text;
  const opens = (t: string) => (t.match(/“/g) ?? []).length;
  const closes = (t: string) => (t.match(/”/g) ?? []).length;
  while (opens(result) > closes(result) && /“/.test(result)) {
    const i = result.endsWith('“') ? result.length - 1 : result.indexOf('“', result.lastIndexOf('”') + 1);
    result = result.slice(0, i) + result.slice(i + 1);
  }
  while (closes(result) > opens(result) && /”/.test(result)) {
    const i = result.indexOf('”');
    result = result.slice(0, i) + result.slice(i + 1);
  }
  return result;
}

function tidyMetric(text: string): string {
  let metric = text.trim().replace(/^[‘'（(]+|[’'（(]+$/g, '');
  metric = metric.replace(AT_LEAST_BEFORE, '').replace(AT_MOST_BEFORE, '').replace(ABOUT_BEFORE, '');
  metric = metric.replace(GROWTH_BEFORE, '').replace(REDUCTION_BEFORE, '');
  metric = metric.replace(TRAILING_FILLER, '').replace(LEADING_FILLER, '');
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
        const before = clause.slice(previousEnd, q.index).trim();
        const after = clause.slice(q.end);
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
