/**
 * Instants and the days people see: the China date of an instant, a date's
 * working morning, the day an instant stands for in a cycle (a rehearsal's
 * simulated day), and when the daily digest goes out. Deadlines that arise
 * while a cycle runs are counted on the cycle's working-day grid.
 */
import type { WorkingDayCalendar } from '../calendar/working-day-calendar.js';
import type { ClockMode } from './schedule-clock.js';

const CHINA_OFFSET_MS = 8 * 3_600_000;

/** The calendar date in China of an instant. */
export function chinaDate(at: string): string {
  return new Date(Date.parse(at) + CHINA_OFFSET_MS).toISOString().slice(0, 10);
}

/** The instant of a date's working morning in China. */
export function chinaMorning(date: string, hour: number): string {
  return new Date(Date.parse(`${date}T00:00:00.000Z`) + hour * 3_600_000 - CHINA_OFFSET_MS).toISOString();
}

/**
 * The calendar day an instant stands for: in China for a real cycle; in a
 * rehearsal, the simulated working day (counted from the opening day).
 */
export function cycleDate(at: string, opensOn: string, clock: ClockMode, calendar: WorkingDayCalendar): string {
  if (clock.kind === 'real') return chinaDate(at);
  const elapsed = Math.floor((Date.parse(at) - Date.parse(clock.startedAt)) / (clock.daySeconds * 1000) + 1e-9);
  return elapsed <= 0 ? opensOn : calendar.addWorkingDays(opensOn, elapsed).date;
}

/** How long after a working day's morning steps the daily digest goes out (real cycles). */
export const DIGEST_DELAY_MS = 30 * 60_000;
/** The same for a rehearsal, as a share of its simulated day. */
export const REHEARSAL_DIGEST_DELAY = 0.75;

/**
 * The first daily-digest instant after `after`: a working day's morning plus
 * the settling delay, so that the morning's reminders are queued before the
 * digest collects them.
 */
export function nextDigestAt(after: string, clock: ClockMode, calendar: WorkingDayCalendar): string {
  const afterMs = Date.parse(after);
  if (clock.kind === 'rehearsal') {
    const start = Date.parse(clock.startedAt);
    const dayMs = clock.daySeconds * 1000;
    const delay = dayMs * REHEARSAL_DIGEST_DELAY;
    const today = Math.floor((afterMs - start - delay) / dayMs + 1e-9);
    return new Date(start + (today + 1) * dayMs + delay).toISOString();
  }
  const today = chinaDate(after);
  const todays = Date.parse(chinaMorning(today, clock.hour)) + DIGEST_DELAY_MS;
  if (calendar.isWorkingDay(today) && todays > afterMs) return new Date(todays).toISOString();
  return new Date(
    Date.parse(chinaMorning(calendar.addWorkingDays(today, 1).date, clock.hour)) + DIGEST_DELAY_MS,
  ).toISOString();
}
