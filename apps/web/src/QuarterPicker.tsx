/**
 * Picking a quarter or a month with Ant Design's own pickers (in the page's language, never the
 * browser's English controls): people read 2020年第三季度 / 2020年10月; the page keeps the codes the
 * API takes (2020Q3, 2020-10).
 */
import { DatePicker } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { words, type Language } from './i18n';

const QUARTER_CODE = /^(\d{4})Q([1-4])$/;
const MONTH_CODE = /^(\d{4})M(\d{2})$/;

/** 2020Q3 → the first day of its quarter, 2020M07 → of its month; undefined for anything else. */
function periodStart(code: string | undefined): Dayjs | undefined {
  const quarter = code ? QUARTER_CODE.exec(code) : null;
  if (quarter) return dayjs(new Date(Number(quarter[1]), (Number(quarter[2]) - 1) * 3, 1));
  const month = code ? MONTH_CODE.exec(code) : null;
  return month ? dayjs(new Date(Number(month[1]), Number(month[2]) - 1, 1)) : undefined;
}

/** The period's code of a picked day: its quarter (2020Q3), or its month (2020M07) for a plan reporting monthly. */
function periodCode(day: Dayjs, monthly: boolean): string {
  return monthly
    ? `${day.year()}M${String(day.month() + 1).padStart(2, '0')}`
    : `${day.year()}Q${Math.floor(day.month() / 3) + 1}`;
}

/**
 * A period's code in the other rhythm, from its first day: 2020Q3 → 2020M07 for a plan reporting monthly,
 * 2020M08 → 2020Q3 for one reporting quarterly; anything else as given.
 */
export function inRhythm(code: string, monthly: boolean): string {
  const start = periodStart(code);
  return start ? periodCode(start, monthly) : code;
}

/**
 * A quarter picker whose value is the quarter's code (2020Q3), shown as 2020年第三季度; `monthly` (a plan
 * reporting monthly), a month picker whose value is the month's code (2020M07), shown as 2020年7月.
 */
export function QuarterPicker({
  language,
  value,
  onChange,
  label,
  allowClear = false,
  placeholder,
  monthly = false,
}: {
  language: Language;
  value?: string;
  onChange?: (code: string | undefined) => void;
  label: string;
  allowClear?: boolean;
  placeholder?: string;
  monthly?: boolean;
}) {
  const { quarter } = words(language);
  return (
    <DatePicker
      picker={monthly ? 'month' : 'quarter'}
      aria-label={label}
      placeholder={placeholder ?? label}
      allowClear={allowClear}
      value={periodStart(value) ?? null}
      format={(day: Dayjs) => quarter(periodCode(day, monthly))}
      inputReadOnly
      onChange={(day: Dayjs | null) => onChange?.(day ? periodCode(day, monthly) : undefined)}
      style={{ width: 170 }}
    />
  );
}

/** A month picker whose value is "2020-10", shown as 2020年10月 (typing 2020-10 works too). */
export function MonthPicker({
  language,
  value,
  onChange,
  label,
}: {
  language: Language;
  value: string;
  onChange: (month: string) => void;
  label: string;
}) {
  return (
    <DatePicker
      picker="month"
      aria-label={label}
      allowClear={false}
      value={dayjs(`${value}-01`)}
      format={language === 'zh-CN' ? ['YYYY年M月', 'YYYY-MM'] : ['MMMM YYYY', 'YYYY-MM']}
      onChange={(day: Dayjs | null) => {
        if (day) onChange(day.format('YYYY-MM'));
      }}
      style={{ width: 180 }}
    />
  );
}
