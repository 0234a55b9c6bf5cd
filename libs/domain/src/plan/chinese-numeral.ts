/** Chinese numerals as used in category ordinals and counts: 一 … 九千九百九十九 (and 〇/零, 两). */
const DIGITS: Record<string, number> = {
  〇: 0,
  零: 0,
  一: 1,
  二: 2,
  两: 2,
  三: 3,
  四: 4,
  五: 5,
  六: 6,
  七: 7,
  八: 8,
  九: 9,
};
const UNITS: Record<string, number> = { 十: 10, 百: 100, 千: 1000 };

export const CHINESE_NUMERAL_CHARS = '〇零一二两三四五六七八九十百千';

/** 二十二 → 22, 十一 → 11, 一百零五 → 105, 两千 → 2000; undefined when the text is not a numeral. */
export function parseChineseNumeral(text: string): number | undefined {
  if (!text || [...text].some((c) => !(c in DIGITS) && !(c in UNITS))) return undefined;
  let total = 0;
  let pending = 0;
  for (const char of text) {
    if (char in DIGITS) {
      pending = DIGITS[char]!;
    } else {
      total += (pending || 1) * UNITS[char]!;
      pending = 0;
    }
  }
  return total + pending;
}

/** 22 → 二十二: the form printed in report tables. */
export function formatChineseNumeral(value: number): string {
  const names = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
  if (value < 10) return names[value]!;
  if (value < 20) return `十${value % 10 ? names[value % 10] : ''}`;
  if (value < 100) return `${names[Math.floor(value / 10)]}十${value % 10 ? names[value % 10] : ''}`;
  return String(value);
}
