import { describe, expect, it } from '@jest/globals';
import { WorkingDayCalendar } from '#domain';
import { officialCalendarData, withOverrides } from './working-day-calendar.loader.js';

const official = officialCalendarData();
const calendar = new WorkingDayCalendar(official);

describe('the official calendar (chinese-days data)', () => {
  it('puts the 2020-Q3 deadline on 2020-10-14, as the State Council notice does', () => {
    expect(calendar.nthWorkingDayOfMonth(2020, 10, 5)).toEqual({ date: '2020-10-14', provisional: false });
    expect(calendar.isWorkingDay('2020-09-27')).toBe(true); // Sunday, make-up
    expect(calendar.isWorkingDay('2020-10-10')).toBe(true); // Saturday, make-up
    expect(calendar.describe('2020-10-01')).toBe('国庆节');
    // The Saturday worked for the holiday is named for what it is, not as the holiday itself.
    expect(calendar.describe('2020-10-10')).toBe('国庆节调休上班');
  });

  it('knows other years too, and says which', () => {
    expect(official.years[0]).toBe(2004);
    expect(official.years).toContain(2026);
    expect(calendar.isWorkingDay('2021-02-12')).toBe(false); // Spring Festival
    expect(calendar.isWorkingDay('2021-02-20')).toBe(true); // Saturday, make-up
  });

  it('takes an admin correction over the package, and a declared year as no longer provisional', () => {
    const nextYear = Math.max(...official.years) + 1;
    const newYearsDay = `${nextYear}-01-01`;
    const before = new WorkingDayCalendar(official);
    const after = new WorkingDayCalendar(
      withOverrides(official, [{ date: newYearsDay, kind: 'holiday', name: '元旦' }], [nextYear]),
    );
    expect(before.isOfficial(newYearsDay)).toBe(false);
    expect(after.isOfficial(newYearsDay)).toBe(true);
    expect(after.describe(newYearsDay)).toBe('元旦');
    expect(after.isWorkingDay(newYearsDay)).toBe(false);
    // a make-up workday replaces a holiday on the same date
    const corrected = new WorkingDayCalendar(
      withOverrides(official, [{ date: '2020-10-08', kind: 'workday', name: '更正' }]),
    );
    expect(corrected.isWorkingDay('2020-10-08')).toBe(true);
  });
});
