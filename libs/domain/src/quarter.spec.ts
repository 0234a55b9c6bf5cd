import { describe, expect, it } from '@jest/globals';
import { DomainError } from './domain-error.js';
import { formatQuarter, parseQuarter } from './quarter.js';

describe('parseQuarter', () => {
  it.each([
    ['2020Q3', { year: 2020, quarter: 3 }],
    ['2020-Q3', { year: 2020, quarter: 3 }],
    [' 2021q1 ', { year: 2021, quarter: 1 }],
  ])('reads %p', (text, expected) => {
    expect(parseQuarter(text)).toEqual(expected);
  });

  it.each(['2020Q5', '2020', 'Q3', '20Q3', ''])('rejects %p with a coded bilingual error', (text) => {
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
  });

  it('formats the business-key form used in workflow ids', () => {
    expect(formatQuarter(parseQuarter('2020-q3'))).toBe('2020Q3');
  });
});
