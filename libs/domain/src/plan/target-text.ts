/**
 * A target as people read it, the way the plan itself writes it: 回迁安置1000户以上,
 * 地区生产总值增长6.5%以上, 道路建设94条 — never the parser's "道路建设 = 94条".
 * Pure and without imports of its own, so the web app shares it with the mails and reports.
 */
import type { Target } from './targets.parser.js';

const round2 = (n: number) => Math.round(n * 100) / 100;

/** An amount as people write it: 264200 → "26.42万", 5000000000 → "50亿", 588 → "588". */
export function formatAmount(value: number): string {
  const trim = (n: number) => String(round2(n));
  if (Math.abs(value) >= 1e8) return `${trim(value / 1e8)}亿`;
  if (Math.abs(value) >= 1e4) return `${trim(value / 1e4)}万`;
  return trim(value);
}

/** The words after the figure that say how it compares (以上, 以下, 左右; nothing for an exact figure). */
const AFTER_ZH: Record<Target['comparator'], string> = { '≥': '以上', '≤': '以下', '≈': '左右', '=': '' };
/** The words before the figure for a rate of change. */
const CHANGE_ZH: Record<Target['kind'], string> = { growth: '增长', reduction: '下降', quantity: '', level: '' };
const CHANGE_EN: Record<Target['kind'], string> = {
  growth: ' growth',
  reduction: ' reduction',
  quantity: '',
  level: '',
};

/**
 * One target as a sentence of the plan: zh "回迁安置1000户以上", "地区生产总值增长6.5%以上",
 * "常规税收50亿元以上", "道路建设94条" (an exact figure has no comparator word); en
 * "回迁安置 ≥ 1000户", "地区生产总值 growth ≥ 6.5%", "道路建设 94条". `value` is in base units
 * (万/亿 already applied, as the parser stores it); the Chinese side writes large amounts in 万/亿
 * again. The metric is left out when empty. Never throws.
 */
export function targetText(
  target: Pick<Target, 'metric' | 'value' | 'unit' | 'comparator'> & { kind?: Target['kind'] | string },
  language: 'zh-CN' | 'en',
): string {
  const kind = (target.kind ?? 'quantity') as Target['kind'];
  if (language === 'zh-CN') {
    const change = CHANGE_ZH[kind] ?? '';
    // A metric that already ends with its verb ("…增加值增长") does not say it twice.
    const metric = change && target.metric.endsWith(change) ? target.metric.slice(0, -change.length) : target.metric;
    return `${metric}${change}${formatAmount(target.value)}${target.unit}${AFTER_ZH[target.comparator] ?? ''}`;
  }
  const comparator = target.comparator === '=' ? '' : `${target.comparator} `;
  const metric = `${target.metric}${CHANGE_EN[kind] ?? ''}`.trim();
  return `${metric ? `${metric} ` : ''}${comparator}${target.value}${target.unit}`;
}
