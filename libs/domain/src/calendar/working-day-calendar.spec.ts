import { describe, expect, it } from '@jest/globals';
import { DomainError } from '../domain-error.js';
import { WorkingDayCalendar, type CalendarData } from './working-day-calendar.js';

// The official 2020 notice, as far as the fourth quarter: National Day and Mid-Autumn
// ran 1–8 October, with make-up workdays on Sunday 27 September and Saturday 10 October.
const notice2020: CalendarData = {
  years: [2020],
  holidays: Object.fromEntries(['01', '02', '05', '06', '07', '08'].map((d) => [`2020-10-${d}`, '国庆节、中秋节'])),
  workdays: { '2020-09-27': '国庆节、中秋节', '2020-10-10': '国庆节、中秋节' },
};
const calendar = new WorkingDayCalendar(notice2020);

describe('WorkingDayCalendar', () => {
  it('puts the 2020-Q3 lead-unit deadline, the 5th working day of October, on 2020-10-14', () => {
    expect(calendar.nthWorkingDayOfMonth(2020, 10, 5)).toEqual({ date: '2020-10-14', provisional: false });
    expect(calendar.nthWorkingDayOfMonth(2020, 10, 1)).toEqual({ date: '2020-10-09', provisional: false });
  });

  it('counts make-up weekend days as working days and holidays as days off', () => {
    expect(calendar.isWorkingDay('2020-10-10')).toBe(true); // Saturday, make-up
    expect(calendar.isWorkingDay('2020-10-05')).toBe(false); // Monday, holiday
    expect(calendar.isWorkingDay('2020-10-11')).toBe(false); // ordinary Sunday
    expect(calendar.describe('2020-10-10')).toBe('国庆节、中秋节调休上班');
    expect(calendar.describe('2020-10-01')).toBe('国庆节、中秋节');
  });

  it('moves deadlines by working days both ways', () => {
    // co-unit input: 2 working days before the lead deadline
    expect(calendar.addWorkingDays('2020-10-14', -2)).toEqual({ date: '2020-10-12', provisional: false });
    // the first reminder, 3 working days before: the make-up Saturday
    expect(calendar.addWorkingDays('2020-10-14', -3).date).toBe('2020-10-10');
    expect(calendar.addWorkingDays('2020-09-30', 1).date).toBe('2020-10-09');
    expect(calendar.addWorkingDays('2020-10-14', 0).date).toBe('2020-10-14');
    expect(calendar.workingDaysBetween('2020-09-30', '2020-10-14')).toBe(5);
  });

  it('counts on weekdays, flagged provisional, past the years it has a notice for', () => {
    // Without the 2021 notice, Friday 1 January counts as a working day: the answer is a guess, and says so.
    expect(calendar.nthWorkingDayOfMonth(2021, 1, 5)).toEqual({ date: '2021-01-07', provisional: true });
    expect(calendar.addWorkingDays('2020-12-30', 2)).toEqual({ date: '2021-01-01', provisional: true });
  });

  it('refuses impossible dates and working-day numbers with a coded error', () => {
    expect(() => calendar.isWorkingDay('2020-02-30')).toThrow(DomainError);
    expect(() => calendar.nthWorkingDayOfMonth(2020, 10, 25)).toThrow(/no working day number 25/);
  });
});
