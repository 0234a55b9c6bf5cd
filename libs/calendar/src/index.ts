/** libs/calendar: the official working-day calendar with admins' corrections (I/O around the pure calendar of libs/domain). */
export {
  officialCalendarData,
  withOverrides,
  loadWorkingDayCalendar,
  setCalendarOverride,
  declareCalendarYear,
  calendarMonth,
  type CalendarDay,
  type CalendarOverride,
} from './working-day-calendar.loader.js';
