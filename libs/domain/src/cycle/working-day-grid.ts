/**
 * The working days of one cycle as a grid: day 0 is the opening day, day k the
 * k-th working day after it. Computed once when the cycle is prepared (from
 * the working-day calendar, which needs I/O) and handed to every task-cycle,
 * so the rules can count working days without asking anyone: a return's new
 * deadline is "today + 2" on the grid, an extension "the deadline + N".
 *
 * The clock maps a grid day to the instant its steps fire: in a real cycle the
 * day's morning in China at the plan's hour; in a rehearsal `daySeconds` per
 * working day from the rehearsal's start.
 */
import type { ClockMode } from './schedule-clock.js';
import { chinaDate, chinaMorning } from './working-day-clock.js';

export interface WorkingDayGrid {
  clock: ClockMode;
  /** Calendar dates (YYYY-MM-DD) of the cycle's working days, days[0] = the opening day. */
  days: string[];
}

/**
 * How many working days the grid reaches past the close: enough for any
 * deadline a decision can set (a review, return, catch-up or extension is at
 * most 40 working days, counted from a day no later than the close).
 */
export const GRID_DAYS_AFTER_CLOSE = 45;

/** The instant (ISO) working day `day` of the grid begins its steps. Days past the grid's end are clamped to it. */
export function morningOf(grid: WorkingDayGrid, day: number): string {
  const k = Math.max(0, Math.min(day, grid.days.length - 1));
  if (grid.clock.kind === 'rehearsal') {
    return new Date(Date.parse(grid.clock.startedAt) + k * grid.clock.daySeconds * 1000).toISOString();
  }
  return chinaMorning(grid.days[k]!, grid.clock.hour);
}

/**
 * The grid day an instant falls in: the last working day whose date (in China
 * for a real cycle; whose simulated span for a rehearsal) has begun at `at`.
 * A non-working day counts as the working day before it; before the opening
 * day the answer is -1.
 */
export function dayIndexOf(grid: WorkingDayGrid, at: string | number): number {
  const ms = typeof at === 'number' ? at : Date.parse(at);
  if (grid.clock.kind === 'rehearsal') {
    const k = Math.floor((ms - Date.parse(grid.clock.startedAt)) / (grid.clock.daySeconds * 1000) + 1e-9);
    return Math.max(-1, k);
  }
  const date = chinaDate(new Date(ms).toISOString());
  let found = -1;
  for (let k = 0; k < grid.days.length && grid.days[k]! <= date; k += 1) found = k;
  return found;
}

/**
 * The mornings of the `count` working days after the day of `from` (that day
 * itself never counts), as instants: what an obligation arising at `from`
 * needs for its deadline and its overdue days.
 */
export function workingDaysAfterOnGrid(grid: WorkingDayGrid, from: string, count: number): string[] {
  const today = dayIndexOf(grid, from);
  return Array.from({ length: count }, (_, i) => morningOf(grid, today + 1 + i));
}

/** The later of two instants (ISO strings compare as instants only when parsed). */
export function laterOf(a: string, b: string): string {
  return Date.parse(a) >= Date.parse(b) ? a : b;
}
