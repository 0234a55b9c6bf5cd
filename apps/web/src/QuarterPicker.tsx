/**
 * Picking a quarter or a month with Ant Design's own pickers (in the page's language, never the
 * browser's English controls): people read 2020年第三季度 / 2020年10月; the page keeps the codes the
 * API takes (2020Q3, 2020-10).
 */
import { DatePicker } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { words, type Language } from './i18n';

const QUARTER_CODE = /^(\d{4})Q([1-4])$/;

/** 2020Q3 → the first day of its quarter; undefined for anything else. */
function quarterStart(code: string | undefined): Dayjs | undefined {
  const match = code ? QUARTER_CODE.exec(code) : null;
  return match ? dayjs(new Date(Number(match[1]), (Number(match[2]) - 1) * 3, 1)) : undefined;
}

/** A quarter picker whose value is the quarter's code (2020Q3), shown as 2020年第三季度. */
export function QuarterPicker({
  language,
  value,
  onChange,
  label,
  allowClear = false,
  placeholder,
}: {
  language: Language;
  value?: string;
  onChange?: (code: string | undefined) => void;
  label: string;
  allowClear?: boolean;
  placeholder?: string;
}) {
  const { quarter } = words(language);
  return (
    <DatePicker
      picker="quarter"
      aria-label={label}
      placeholder={placeholder ?? label}
      allowClear={allowClear}
      value={quarterStart(value) ?? null}
      format={(day: Dayjs) => quarter(`${day.year()}Q${Math.floor(day.month() / 3) + 1}`)}
      inputReadOnly
      onChange={(day: Dayjs | null) => onChange?.(day ? `${day.year()}Q${Math.floor(day.month() / 3) + 1}` : undefined)}
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
