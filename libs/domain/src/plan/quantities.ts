/**
 * Numbers with units in Chinese text: "14万平方米", "50亿元", "588户",
 * "6.5%". 万/亿 multiply the value; the unit keeps its base form.
 */

/** The units a figure or target may carry. Longest first, so 平方公里 wins over 公里 and 平方米 over 米. */
export const UNITS: readonly string[] = [
  '平方公里',
  '平方米',
  '立方米',
  '公里',
  '千米',
  '千瓦',
  '兆瓦',
  '人次',
  '家次',
  '米',
  '方',
  '户',
  '个',
  '条',
  '所',
  '台',
  '家',
  '宗',
  '亩',
  '元',
  '人',
  '名',
  '项',
  '套',
  '幢',
  '栋',
  '座',
  '辆',
  '场',
  '次',
  '件',
  '处',
  '批',
  '株',
  '棵',
  '吨',
  '班',
  '间',
  '床',
  '期',
  '届',
  '支',
  '天',
  '只',
  '份',
  '路',
  '%',
];
const MULTIPLIERS: Record<string, number> = { 千万: 1e7, 百万: 1e6, 万: 1e4, 亿: 1e8 };

// "2,000" and "1,200.5" are numbers with thousands separators; "余"/"多" after a number means "more than".
// Linear in the text: a number never starts right after a digit (or a digit and a comma), so a long run of
// digits is tried once, not from each of its positions; each optional part takes its own spaces, so a run of
// spaces is not split three ways.
const QUANTITY = new RegExp(
  `(?<!\\d,?)(-?(?:\\d{1,3}(?:,\\d{3})+|\\d+)(?:\\.\\d+)?)(?:\\s*(千万|百万|万|亿))?(?:\\s*(余|多))?\\s*(${UNITS.join('|')})`,
  'g',
);
/** A character that glues onto a number before it: R21-02, GS0202-51, "3.0系统", a date range 1-9月. */
const GLUES_BEFORE = /[A-Za-z\d.\-—０-９]/;

/** Full-width digits and point as ASCII, one character for one, so positions stay the same. */
function asciiDigits(text: string): string {
  return text.replace(/[０-９．]/g, (c) => (c === '．' ? '.' : String.fromCharCode(c.charCodeAt(0) - 0xfee0)));
}

export interface Quantity {
  value: number;
  unit: string;
  /** Written "1000余户" or "300多人": more than the number. */
  over: boolean;
  /** Where it stands in the text. */
  index: number;
  end: number;
  raw: string;
}

/**
 * Every figure with a unit in the text, in order. Values in base units (万/亿
 * applied). O(n) in the text's length: each figure is judged by the one
 * character before it and the one after it.
 */
export function findQuantities(text: string): Quantity[] {
  const found: Quantity[] = [];
  for (const match of asciiDigits(text).matchAll(QUANTITY)) {
    const index = match.index;
    const previous = text.charAt(index - 1);
    // Part of a longer token: R21-02, GS0202-51, "3.0系统", a date range 1-9月.
    if (previous && GLUES_BEFORE.test(previous)) continue;
    const multiplier = match[2] ? MULTIPLIERS[match[2]]! : 1;
    const unit = match[4]!;
    const after = text.charAt(index + match[0].length);
    // "15分钟", "3号线", "2020年": a unit only when nothing glues on that makes it another word.
    if (unit === '方' && /[案面式向针法]/.test(after)) continue;
    if (unit === '期' && !/[工项]/.test(after) && /[一二三四五六七八九十]/.test(previous)) continue;
    found.push({
      value: Number((Number(match[1]!.replaceAll(',', '')) * multiplier).toFixed(6)),
      unit,
      over: match[3] !== undefined,
      index,
      end: index + match[0].length,
      raw: text.slice(index, index + match[0].length),
    });
  }
  return found;
}

/** Units that mean the same measure in narratives: 万方 of housing are 万平方米. */
export function sameMeasure(a: string, b: string): boolean {
  const canonical = (u: string) => ({ 方: '平方米', 千米: '公里', 名: '人' })[u] ?? u;
  return canonical(a) === canonical(b);
}
