import { describe, expect, it } from '@jest/globals';
import { longDate, makeUpDayName, shortDate } from './day-text.js';

describe('longDate', () => {
  it('dates a letter in full, in each language', () => {
    expect(longDate('2020-10-15', 'zh-CN')).toBe('2020年10月15日');
    expect(longDate('2020-01-05', 'zh-CN')).toBe('2020年1月5日');
    expect(longDate('2020-10-15', 'en')).toBe('15 October 2020');
  });

  it('answers what is not a date as given', () => {
    expect(longDate('soon', 'zh-CN')).toBe('soon');
    expect(longDate('2020-13-01', 'zh-CN')).toBe('2020-13-01');
  });
});

describe('shortDate', () => {
  it('writes a day within its year', () => {
    expect(shortDate('2020-10-09', 'zh-CN')).toBe('10月9日');
    expect(shortDate('2020-10-09', 'en')).toBe('9 Oct');
    expect(shortDate('n/a', 'en')).toBe('n/a');
  });
});

describe('makeUpDayName', () => {
  it('names a day worked for a festival as such', () => {
    expect(makeUpDayName('国庆节')).toBe('国庆节调休上班');
    expect(makeUpDayName('国庆节、中秋节')).toBe('国庆节、中秋节调休上班');
  });

  it('keeps a name that already says so (an admin’s correction)', () => {
    expect(makeUpDayName('国庆节调休上班')).toBe('国庆节调休上班');
    expect(makeUpDayName('春节补班')).toBe('春节补班');
    expect(makeUpDayName(' ')).toBe('');
  });
});
