import { describe, expect, it } from '@jest/globals';
import { createRequire } from 'node:module';
import { WorkingDayCalendar } from '#domain';
import { STATUTORY_FROM_YEAR, statutoryHolidays } from './statutory-holidays.js';
import { calendarMonth, officialCalendarData } from './working-day-calendar.loader.js';

const notices = createRequire(import.meta.url)('chinese-days/dist/chinese-days.json') as {
  holidays: Record<string, string>;
};

describe('the statutory days off of the 放假办法 (2024 revision)', () => {
  it('are days off in every State Council notice published under it (2025, 2026)', () => {
    for (const year of [2025, 2026]) {
      const days = Object.keys(statutoryHolidays(year));
      expect(days.length).toBeGreaterThanOrEqual(12);
      for (const date of days) expect([date, notices.holidays[date] !== undefined]).toEqual([date, true]);
    }
  });

  it('computes the lunar festivals and 清明 of a year without a notice', () => {
    expect(statutoryHolidays(2027)).toEqual({
      '2027-01-01': '元旦',
      '2027-02-05': '春节', // 除夕
      '2027-02-06': '春节',
      '2027-02-07': '春节',
      '2027-02-08': '春节',
      '2027-04-05': '清明',
      '2027-05-01': '劳动节',
      '2027-05-02': '劳动节',
      '2027-06-09': '端午',
      '2027-09-15': '中秋',
      '2027-10-01': '国庆节',
      '2027-10-02': '国庆节',
      '2027-10-03': '国庆节',
    });
    // 除夕 is the last day of the twelfth month, whether it has 29 or 30 days.
    expect(Object.keys(statutoryHolidays(2028)).filter((d) => statutoryHolidays(2028)[d] === '春节')).toEqual([
      '2028-01-25',
      '2028-01-26',
      '2028-01-27',
      '2028-01-28',
    ]);
  });

  it('names one date once when 中秋 falls in 国庆 (2028-10-03)', () => {
    expect(statutoryHolidays(2028)['2028-10-03']).toBe('中秋、国庆节');
  });

  it('refuses a year the official notices already cover under the old rules', () => {
    expect(() => statutoryHolidays(STATUTORY_FROM_YEAR - 1)).toThrow(RangeError);
  });

  it('makes a provisional year’s 元旦 a day off, still provisional', () => {
    const calendar = new WorkingDayCalendar(officialCalendarData());
    expect(calendar.isWorkingDay('2027-01-01')).toBe(false);
    expect(calendar.isOfficial('2027-01-01')).toBe(false);
    expect(calendarMonth(calendar, '2027-01')[0]).toEqual({
      date: '2027-01-01',
      working: false,
      workingDayOfMonth: null,
      note: '元旦',
      official: false,
    });
    // Counting over it says the answer may still change.
    expect(calendar.addWorkingDays('2026-12-31', 1)).toEqual({ date: '2027-01-04', provisional: true });
  });
});
