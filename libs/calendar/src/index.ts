/** libs/calendar: the official working-day calendar with admins' corrections (I/O around the pure calendar of libs/domain). */
export {
  officialCalendarData,
  PROVISIONAL_YEARS_AHEAD,
  withOverrides,
  loadWorkingDayCalendar,
  setCalendarOverride,
  calendarVersion,
  declareCalendarYear,
  calendarMonth,
  type CalendarDay,
  type CalendarOverride,
} from './working-day-calendar.loader.js';
export { statutoryHolidays, STATUTORY_FROM_YEAR } from './statutory-holidays.js';
