/**
 * Test fixture: the State Council's 2020 holiday notice, October part —
 * 1–8 October off, make-up workdays Sunday 27 September and Saturday 10 October.
 */
import { WorkingDayCalendar } from './working-day-calendar.js';

export const calendar2020 = new WorkingDayCalendar({
  years: [2020],
  holidays: Object.fromEntries(['01', '02', '03', '04', '05', '06', '07', '08'].map((d) => [`2020-10-${d}`, '国庆节'])),
  workdays: { '2020-09-27': '国庆节', '2020-10-10': '国庆节' },
});
