/**
 * A reporting quarter (填报季度) such as 2020-Q3. Cycles, workflow ids and
 * reports are keyed by it, so its text form (`2020Q3`) is stable.
 */
import { DomainError } from './domain-error.js';

export interface Quarter {
  readonly year: number;
  readonly quarter: 1 | 2 | 3 | 4;
}

const QUARTER_PATTERN = /^\s*(\d{4})\s*-?\s*[Qq]\s*([1-4])\s*$/;

/** Parses `2020Q3`, `2020-Q3` or `2020q3`. */
export function parseQuarter(text: string): Quarter {
  const match = QUARTER_PATTERN.exec(text);
  if (!match) {
    throw new DomainError(
      'INVALID_QUARTER',
      `季度格式无效：“${text}”，应为 2020Q3 这样的形式`,
      `Invalid quarter "${text}": expected a form like 2020Q3`,
    );
  }
  return { year: Number(match[1]), quarter: Number(match[2]) as Quarter['quarter'] };
}

export function formatQuarter(q: Quarter): string {
  return `${q.year}Q${q.quarter}`;
}

const QUARTER_NUMERALS = ['一', '二', '三', '四'] as const;

/**
 * A quarter as people read it: `2020Q3` (or 2020-Q3) → zh "2020年第三季度", en "2020 Q3".
 * The code form stays in URLs, API parameters and storage; this is for pages, mails,
 * reports and the command line's output. Text that is not a quarter is answered as given
 * (a page never breaks on an odd stored value).
 */
export function quarterName(quarter: string | Quarter, language: 'zh-CN' | 'en'): string {
  let q: Quarter;
  if (typeof quarter === 'string') {
    const match = QUARTER_PATTERN.exec(quarter);
    if (!match) return quarter;
    q = { year: Number(match[1]), quarter: Number(match[2]) as Quarter['quarter'] };
  } else {
    q = quarter;
  }
  return language === 'zh-CN' ? `${q.year}年第${QUARTER_NUMERALS[q.quarter - 1]}季度` : `${q.year} Q${q.quarter}`;
}
