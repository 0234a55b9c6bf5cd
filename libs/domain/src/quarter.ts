/**
 * A reporting period (填报期): a quarter such as 2020-Q3, or for a plan that reports monthly (月度填报) one
 * month such as 2020-07 (code `2020M07`; its `quarter` is the quarter it falls in). Cycles, workflow ids and
 * reports are keyed by its text form (`2020Q3`, `2020M07`), so that form is stable.
 */
import { DomainError } from './domain-error.js';

export interface Quarter {
  readonly year: number;
  /** The quarter of the year; for a month, the quarter it falls in. */
  readonly quarter: 1 | 2 | 3 | 4;
  /** The month (1–12) when the period is one month (a plan reporting monthly); absent for a quarter. */
  readonly month?: number;
}

const QUARTER_PATTERN = /^\s*(\d{4})\s*-?\s*[Qq]\s*([1-4])\s*$/;
const MONTH_PATTERN = /^\s*(\d{4})\s*-?\s*[Mm]\s*(0?[1-9]|1[0-2])\s*$/;

function read(text: string): Quarter | null {
  const quarter = QUARTER_PATTERN.exec(text);
  if (quarter) return { year: Number(quarter[1]), quarter: Number(quarter[2]) as Quarter['quarter'] };
  const month = MONTH_PATTERN.exec(text);
  if (!month) return null;
  const m = Number(month[2]);
  return { year: Number(month[1]), quarter: Math.ceil(m / 3) as Quarter['quarter'], month: m };
}

/**
 * Parses a period: a quarter `2020Q3` (`2020-Q3`, `2020q3`) or a month `2020M07` (`2020-M7`).
 * @throws DomainError INVALID_QUARTER naming the text, in Chinese and English
 */
export function parseQuarter(text: string): Quarter {
  const period = read(text);
  if (!period) {
    throw new DomainError(
      'INVALID_QUARTER',
      `季度格式无效：“${text}”，应为 2020Q3 这样的形式（按月填报的计划为 2020M07）`,
      `Invalid quarter "${text}": expected a form like 2020Q3 (2020M07 for a plan reporting monthly)`,
    );
  }
  return period;
}

/** The business-key form: `2020Q3`, or `2020M07` for a month. */
export function formatQuarter(q: Quarter): string {
  return q.month ? `${q.year}M${String(q.month).padStart(2, '0')}` : `${q.year}Q${q.quarter}`;
}

/**
 * The last month of a period as `YYYYMM` (2020Q3 → 202009, 2020M07 → 202007), so periods of either kind
 * order by when they end; text that is no period is answered as given.
 */
export function periodEnd(text: string): string {
  const period = read(text);
  if (!period) return text;
  return `${period.year}${String(period.month ?? period.quarter * 3).padStart(2, '0')}`;
}

const QUARTER_NUMERALS = ['一', '二', '三', '四'] as const;

/**
 * A period as people read it: `2020Q3` (or 2020-Q3) → zh "2020年第三季度", en "2020 Q3"; `2020M07` → zh
 * "2020年7月", en "2020-07". The code form stays in URLs, API parameters and storage; this is for pages,
 * mails, reports and the command line's output. Text that is not a period is answered as given (a page never
 * breaks on an odd stored value).
 */
export function quarterName(quarter: string | Quarter, language: 'zh-CN' | 'en'): string {
  const q = typeof quarter === 'string' ? read(quarter) : quarter;
  if (!q) return quarter as string;
  if (q.month)
    return language === 'zh-CN' ? `${q.year}年${q.month}月` : `${q.year}-${String(q.month).padStart(2, '0')}`;
  return language === 'zh-CN' ? `${q.year}年第${QUARTER_NUMERALS[q.quarter - 1]}季度` : `${q.year} Q${q.quarter}`;
}

/**
 * "This period" in words for a period's code: 本季度 / this quarter, or 本月 / this month for a month
 * (`2020M07`); text that is no period reads as a quarter.
 */
export function thisPeriod(code: string | null | undefined, language: 'zh-CN' | 'en'): string {
  const monthly = periodKind(code) === 'month';
  if (language === 'en') return monthly ? 'this month' : 'this quarter';
  return monthly ? '本月' : '本季度';
}

/** Whether a period's code names a month (`2020M07`) or a quarter; text that is no period is a quarter. */
export function periodKind(code: string | null | undefined): 'quarter' | 'month' {
  return code && read(code)?.month ? 'month' : 'quarter';
}
