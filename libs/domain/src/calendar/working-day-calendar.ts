/**
 * Working days in China: Monday to Friday, less the official public
 * holidays, plus the make-up workdays (调休) announced with them. Every
 * deadline of the cycle is counted in these days. Past the years whose
 * notice the data holds (next year's arrives in December), days are counted
 * on weekdays less the holidays the data gives for them (libs/calendar gives
 * the statutory days off) and the answer says it is provisional.
 *
 * Dates are calendar dates in China written YYYY-MM-DD; no clock is read.
 */
import { DomainError } from '../domain-error.js';
import { makeUpDayName } from './day-text.js';

export interface CalendarData {
  /** Official days off that would otherwise be working days, with the festival's name. */
  holidays: Readonly<Record<string, string>>;
  /** Make-up working days (调休) that fall on a weekend. */
  workdays: Readonly<Record<string, string>>;
  /** Years whose official notice the data holds. */
  years: readonly number[];
}

export interface CalendarAnswer {
  date: string;
  /** True when the count crossed a year the calendar has no official notice for. */
  provisional: boolean;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

function toDay(date: string): number {
  const match = DATE.exec(date);
  const day = match ? Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) : NaN;
  if (!match || Number.isNaN(day) || new Date(day).toISOString().slice(0, 10) !== date) {
    throw new DomainError(
      'INVALID_DATE',
      `日期格式无效：“${date}”，应为 2020-10-14 这样的形式`,
      `Invalid date "${date}": expected a form like 2020-10-14`,
    );
  }
  return day / DAY_MS;
}

function fromDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

export class WorkingDayCalendar {
  private readonly years: ReadonlySet<number>;

  constructor(private readonly data: CalendarData) {
    this.years = new Set(data.years);
  }

  /** Whether the official notice for the date's year is in the data. */
  isOfficial(date: string): boolean {
    return this.years.has(Number(date.slice(0, 4)));
  }

  isWorkingDay(date: string): boolean {
    const day = toDay(date);
    if (this.data.workdays[date]) return true;
    if (this.data.holidays[date]) return false;
    const weekday = new Date(day * DAY_MS).getUTCDay();
    return weekday !== 0 && weekday !== 6;
  }

  /**
   * The name of the holiday ("国庆节") or make-up working day ("国庆节调休上班"), if the date is one:
   * a day worked for a festival is never named as if it were the festival itself.
   */
  describe(date: string): string | undefined {
    const holiday = this.data.holidays[date];
    if (holiday) return holiday;
    const workday = this.data.workdays[date];
    return workday ? makeUpDayName(workday) : undefined;
  }

  /**
   * The working day `count` working days after `date` (before it, when
   * negative); `date` itself is never counted. addWorkingDays(d, 0) is d.
   */
  addWorkingDays(date: string, count: number): CalendarAnswer {
    let day = toDay(date);
    // Only the days counted over decide: the start day itself is not counted.
    let provisional = count === 0 && !this.isOfficial(date);
    const step = count < 0 ? -1 : 1;
    for (let left = Math.abs(count); left > 0;) {
      day += step;
      const current = fromDay(day);
      if (!this.isOfficial(current)) provisional = true;
      if (this.isWorkingDay(current)) left -= 1;
    }
    return { date: fromDay(day), provisional };
  }

  /** The n-th working day of a month (1-based): the 5th of October 2020 is 2020-10-14. */
  nthWorkingDayOfMonth(year: number, month: number, n: number): CalendarAnswer {
    if (!Number.isInteger(n) || n < 1 || n > 23) {
      throw new DomainError(
        'INVALID_WORKING_DAY',
        `第 ${n} 个工作日不存在`,
        `There is no working day number ${n} in a month`,
      );
    }
    const first = `${year}-${String(month).padStart(2, '0')}-01`;
    const start = this.isWorkingDay(first)
      ? { date: first, provisional: !this.isOfficial(first) }
      : this.addWorkingDays(first, 1);
    const answer = n === 1 ? start : this.addWorkingDays(start.date, n - 1);
    if (answer.date.slice(0, 7) !== first.slice(0, 7)) {
      throw new DomainError(
        'INVALID_WORKING_DAY',
        `${year}年${month}月没有第 ${n} 个工作日`,
        `${year}-${month} has no working day number ${n}`,
      );
    }
    return { date: answer.date, provisional: start.provisional || answer.provisional };
  }

  /** Working days after `from` up to and including `to` (0 when `to` is not later). */
  workingDaysBetween(from: string, to: string): number {
    let count = 0;
    for (let day = toDay(from) + 1, end = toDay(to); day <= end; day += 1)
      if (this.isWorkingDay(fromDay(day))) count += 1;
    return count;
  }
}
