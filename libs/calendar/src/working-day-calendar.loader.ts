/**
 * The working-day calendar as Duban uses it: the official holiday notices
 * from the maintained `chinese-days` data package (2004 onwards), the
 * statutory days off of the years after them (provisional), with the
 * admins' corrections from PostgreSQL laid over them — next year's notice is
 * published in December, usually before a package release carries it.
 */
import { createRequire } from 'node:module';
import type { DataSource, EntityManager } from 'typeorm';
import { DomainError, WorkingDayCalendar, type CalendarData } from '#domain';
import { STATUTORY_FROM_YEAR, statutoryHolidays } from './statutory-holidays.js';

interface PackageData {
  holidays: Record<string, string>;
  workdays: Record<string, string>;
}

/** "National Day,国庆节,3" → 国庆节 */
function chineseName(entry: string): string {
  return entry.split(',')[1] ?? entry;
}

/** How many years past the last official notice get their statutory days off (provisional years). */
export const PROVISIONAL_YEARS_AHEAD = 10;

/**
 * The official notices (`years`), and for the ten years after the last of them
 * the statutory days off of the 放假办法 (`statutoryHolidays`), not in `years`:
 * those years stay provisional, since their make-up days are not yet known.
 */
export function officialCalendarData(): CalendarData {
  const data = createRequire(import.meta.url)('chinese-days/dist/chinese-days.json') as PackageData;
  const holidays = Object.fromEntries(Object.entries(data.holidays).map(([date, name]) => [date, chineseName(name)]));
  const workdays = Object.fromEntries(Object.entries(data.workdays).map(([date, name]) => [date, chineseName(name)]));
  const years = [...new Set(Object.keys(data.holidays).map((date) => Number(date.slice(0, 4))))].sort((a, b) => a - b);
  const last = Math.max(...years, STATUTORY_FROM_YEAR - 1);
  for (let year = last + 1; year <= last + PROVISIONAL_YEARS_AHEAD; year += 1)
    Object.assign(holidays, statutoryHolidays(year));
  return { holidays, workdays, years };
}

export type CalendarOverride = { date: string; kind: 'holiday' | 'workday'; name: string };

/** Official data, then each admin correction: a date is a holiday or a make-up workday, not both. */
export function withOverrides(
  data: CalendarData,
  overrides: readonly CalendarOverride[],
  extraYears: readonly number[] = [],
): CalendarData {
  const holidays = { ...data.holidays };
  const workdays = { ...data.workdays };
  for (const { date, kind, name } of overrides) {
    delete holidays[date];
    delete workdays[date];
    (kind === 'holiday' ? holidays : workdays)[date] = name;
  }
  return { holidays, workdays, years: [...new Set([...data.years, ...extraYears])].sort((a, b) => a - b) };
}

/** The calendar with the admins' corrections stored in `calendar_override` (and years they declared complete). */
export async function loadWorkingDayCalendar(dataSource: DataSource): Promise<WorkingDayCalendar> {
  const overrides = (await dataSource.query(
    `SELECT to_char(date, 'YYYY-MM-DD') AS date, kind, name FROM calendar_override ORDER BY date`,
  )) as CalendarOverride[];
  const years = (await dataSource.query(`SELECT year FROM calendar_year`)) as { year: number }[];
  return new WorkingDayCalendar(
    withOverrides(
      officialCalendarData(),
      overrides,
      years.map((y) => y.year),
    ),
  );
}

/** Records an admin's correction: the date becomes a holiday or a make-up workday (replacing any earlier one). */
export async function setCalendarOverride(
  dataSource: DataSource | EntityManager,
  override: CalendarOverride,
): Promise<void> {
  await dataSource.query(
    `INSERT INTO calendar_override (date, kind, name) VALUES ($1, $2, $3)
     ON CONFLICT (date) DO UPDATE SET kind = EXCLUDED.kind, name = EXCLUDED.name, updated_at = now()`,
    [override.date, override.kind, override.name],
  );
}

/** Declares a year's notice entered in full: its dates are no longer provisional. */
export async function declareCalendarYear(dataSource: DataSource, year: number): Promise<void> {
  await dataSource.query(`INSERT INTO calendar_year (year) VALUES ($1) ON CONFLICT DO NOTHING`, [year]);
}

export interface CalendarDay {
  date: string;
  working: boolean;
  /** The n-th working day of the month (null on a day off). */
  workingDayOfMonth: number | null;
  /** The holiday or make-up day's name, if it is one. */
  note: string | null;
  /** false past the years with an official notice (statutory days off known, make-up days not). */
  official: boolean;
}

/** A month ("2020-10") day by day, as the calendar page and `duban calendar show` list it. */
export function calendarMonth(calendar: WorkingDayCalendar, month: string): CalendarDay[] {
  const match = /^(\d{4})-(\d{2})$/.exec(month);
  if (!match || Number(match[2]) < 1 || Number(match[2]) > 12) {
    throw new DomainError(
      'INVALID_INPUT',
      `月份“${month}”无效，请写成 2020-10`,
      `invalid month "${month}": write 2020-10`,
    );
  }
  const length = new Date(Date.UTC(Number(match[1]), Number(match[2]), 0)).getUTCDate();
  let n = 0;
  return Array.from({ length }, (_, i) => {
    const date = `${month}-${String(i + 1).padStart(2, '0')}`;
    const working = calendar.isWorkingDay(date);
    if (working) n += 1;
    return {
      date,
      working,
      workingDayOfMonth: working ? n : null,
      note: calendar.describe(date) ?? null,
      official: calendar.isOfficial(date),
    };
  });
}

/**
 * What the stored calendar is now, in one short text: the corrections' count and latest change, and the
 * years declared. It changes with every correction or declaration, so a cache asks it before trusting itself.
 */
export async function calendarVersion(dataSource: DataSource | EntityManager): Promise<string> {
  const [row] = (await dataSource.query(
    `SELECT (SELECT count(*) || '@' || COALESCE(max(updated_at)::text, '') FROM calendar_override) || '|' ||
            (SELECT count(*) FROM calendar_year) AS version`,
  )) as { version: string }[];
  return row!.version;
}
