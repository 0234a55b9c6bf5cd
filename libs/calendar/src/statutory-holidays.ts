/**
 * The fixed public holidays of the 全国年节及纪念日放假办法 (2024 revision, in
 * force from 2025-01-01), which are days off in any year before the State
 * Council's notice for it exists (published each December):
 *
 * | holiday | days |
 * |---|---|
 * | 元旦 | 1 January |
 * | 春节 | 除夕 and the first three days of the first lunar month (four days) |
 * | 清明 | the day of the 清明 solar term |
 * | 劳动节 | 1 and 2 May |
 * | 端午 | the 5th day of the 5th lunar month |
 * | 中秋 | the 15th day of the 8th lunar month |
 * | 国庆节 | 1 to 3 October |
 *
 * The lunar dates and the solar term come from `tyme4ts` (a maintained
 * Chinese calendar library, whole-number arithmetic: no time zone enters).
 * What the notice adds — the days joined to a weekend and the make-up
 * Saturdays and Sundays (调休) — cannot be known, so a year computed here stays
 * provisional. Names are those of the official data (`chinese-days`).
 */
import { LunarDay, SolarDay, SolarTerm } from 'tyme4ts';

/** The first year the 2024 revision's days apply to. */
export const STATUTORY_FROM_YEAR = 2025;

function isoDate(day: SolarDay): string {
  return `${day.getYear()}-${String(day.getMonth()).padStart(2, '0')}-${String(day.getDay()).padStart(2, '0')}`;
}

/**
 * The statutory days off of one year, `{ "2027-01-01": "元旦", … }` (13 dates;
 * fewer when two holidays fall on one date, whose names are then joined with 、).
 * Throws RangeError for a year before 2025, whose notices are in the official data.
 */
export function statutoryHolidays(year: number): Record<string, string> {
  if (!Number.isInteger(year) || year < STATUTORY_FROM_YEAR) {
    throw new RangeError(`statutory holidays are computed from ${STATUTORY_FROM_YEAR}, not for ${year}`);
  }
  const days: [SolarDay, string][] = [];
  const fixed = (month: number, day: number, name: string) => days.push([SolarDay.fromYmd(year, month, day), name]);
  fixed(1, 1, '元旦');
  const springFestival = LunarDay.fromYmd(year, 1, 1).getSolarDay();
  // 除夕 (the day before the first lunar month's first day) and the three days from it
  for (let offset = -1; offset <= 2; offset += 1) days.push([springFestival.next(offset), '春节']);
  days.push([SolarTerm.fromName(year, '清明').getJulianDay().getSolarDay(), '清明']);
  fixed(5, 1, '劳动节');
  fixed(5, 2, '劳动节');
  days.push([LunarDay.fromYmd(year, 5, 5).getSolarDay(), '端午']);
  days.push([LunarDay.fromYmd(year, 8, 15).getSolarDay(), '中秋']);
  for (const day of [1, 2, 3]) fixed(10, day, '国庆节');
  const holidays: Record<string, string> = {};
  for (const [day, name] of days) {
    const date = isoDate(day);
    holidays[date] = holidays[date] && holidays[date] !== name ? `${holidays[date]}、${name}` : name;
  }
  return holidays;
}
