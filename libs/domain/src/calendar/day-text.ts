/**
 * Days as people read them in letters and on pages: 2020-10-15 → 2020年10月15日,
 * and the name of a make-up working day (调休上班). Pure, without imports, so the web
 * app shares it with the mails.
 */

const MONTHS_EN = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/**
 * A date written YYYY-MM-DD in full, as a letter dates itself: zh "2020年10月15日",
 * en "15 October 2020". Text that is not such a date is answered as given.
 */
export function longDate(date: string, language: 'zh-CN' | 'en'): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) return date;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (month < 1 || month > 12) return date;
  return language === 'zh-CN' ? `${year}年${month}月${day}日` : `${day} ${MONTHS_EN[month - 1]} ${year}`;
}

const MONTHS_EN_SHORT = MONTHS_EN.map((m) => m.slice(0, 3));

/** A date written YYYY-MM-DD within its year: zh "10月14日", en "14 Oct". Text that is not such a date is answered as given. */
export function shortDate(date: string, language: 'zh-CN' | 'en'): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match || Number(match[2]) < 1 || Number(match[2]) > 12) return date;
  const [month, day] = [Number(match[2]), Number(match[3])];
  return language === 'zh-CN' ? `${month}月${day}日` : `${day} ${MONTHS_EN_SHORT[month - 1]}`;
}

/**
 * The name of a make-up working day (a weekend day worked for a holiday): the official
 * notices name it by its festival, "国庆节"; people call the day "国庆节调休上班". A name that
 * already says so (调休, 上班, 补班) is kept as it is.
 */
export function makeUpDayName(festival: string): string {
  const name = festival.trim();
  if (!name || /调休|上班|补班/.test(name)) return name;
  return `${name}调休上班`;
}
