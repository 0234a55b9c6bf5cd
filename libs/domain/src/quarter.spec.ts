import { describe, expect, it } from '@jest/globals';
import { DomainError } from './domain-error.js';
import { formatQuarter, parseQuarter, periodEnd, periodKind, quarterName, thisPeriod } from './quarter.js';

describe('parseQuarter', () => {
  it.each([
    ['2020Q3', { year: 2020, quarter: 3 }],
    ['2020-Q3', { year: 2020, quarter: 3 }],
    [' 2021q1 ', { year: 2021, quarter: 1 }],
    ['2020M07', { year: 2020, quarter: 3, month: 7 }],
    ['2020-m1', { year: 2020, quarter: 1, month: 1 }],
    ['2020M12', { year: 2020, quarter: 4, month: 12 }],
  ])('reads %p', (text, expected) => {
    expect(parseQuarter(text)).toEqual(expected);
  });

  it.each(['2020Q5', '2020', 'Q3', '20Q3', '', '2020M13', '2020M00', '2020M'])(
    'rejects %p with a coded bilingual error',
    (text) => {
      let caught: unknown;
      try {
        parseQuarter(text);
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(DomainError);
      expect((caught as DomainError).code).toBe('INVALID_QUARTER');
      expect((caught as DomainError).messageZh).toContain('季度格式无效');
      expect((caught as DomainError).messageEn).toContain(`"${text}"`);
    },
  );

  it('formats the business-key form used in workflow ids', () => {
    expect(formatQuarter(parseQuarter('2020-q3'))).toBe('2020Q3');
    expect(formatQuarter(parseQuarter('2020-m7'))).toBe('2020M07');
  });

  it('orders quarters and months by the month each ends in', () => {
    expect(
      ['2020Q3', '2020M07', '2020Q2', '2020M09', '2019Q4', '2020M10'].sort((a, b) =>
        periodEnd(a).localeCompare(periodEnd(b)),
      ),
    ).toEqual(['2019Q4', '2020Q2', '2020M07', '2020Q3', '2020M09', '2020M10']);
  });
});

describe('quarterName', () => {
  it.each([
    ['2020Q3', '2020年第三季度', '2020 Q3'],
    ['2021-Q1', '2021年第一季度', '2021 Q1'],
    ['2020q4', '2020年第四季度', '2020 Q4'],
    ['2020M07', '2020年7月', '2020-07'],
    ['2021M12', '2021年12月', '2021-12'],
  ])('names %p as people read it', (code, zh, en) => {
    expect(quarterName(code, 'zh-CN')).toBe(zh);
    expect(quarterName(code, 'en')).toBe(en);
  });

  it('takes a parsed quarter too, and answers what is not a quarter as given', () => {
    expect(quarterName({ year: 2020, quarter: 2 }, 'zh-CN')).toBe('2020年第二季度');
    expect(quarterName('上半年', 'zh-CN')).toBe('上半年');
  });
});

describe('thisPeriod and periodKind', () => {
  it.each([
    ['2020Q3', 'quarter', '本季度', 'this quarter'],
    ['2020M07', 'month', '本月', 'this month'],
    ['2021-m12', 'month', '本月', 'this month'],
    ['上半年', 'quarter', '本季度', 'this quarter'],
    [null, 'quarter', '本季度', 'this quarter'],
  ] as const)('says %p is a %p: %p / %p', (code, kind, zh, en) => {
    expect(periodKind(code)).toBe(kind);
    expect(thisPeriod(code, 'zh-CN')).toBe(zh);
    expect(thisPeriod(code, 'en')).toBe(en);
  });
});
