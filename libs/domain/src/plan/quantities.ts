/**
 * Numbers with units in Chinese text: "14万平方米", "50亿元", "588户",
 * "6.5%", "两所", "十二条". 万/亿 multiply the value; the unit keeps its base form.
 */
import { CHINESE_NUMERAL_CHARS, parseChineseNumeral } from './chinese-numeral.js';

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
  // Concentrations (edition 2): no other unit begins like them, so they may come last.
  '微克/立方米',
  '毫克/立方米',
  '毫克/升',
  '%',
];
const MULTIPLIERS: Record<string, number> = { 千万: 1e7, 百万: 1e6, 万: 1e4, 亿: 1e8 };

// "2,000" and "1,200.5" are numbers with thousands separators; "余"/"多" after a number means "more than".
// Linear in the text: a number never starts right after a digit (or a digit and a comma), so a long run of
// digits is tried once, not from each of its positions; each optional part takes its own spaces, so a run of
// spaces is not split three ways.
/**
 * How figures are read. Workflows replay what they decided, so the reading a
 * running task-cycle uses never changes under it: edition 1 (no counts in
 * Chinese numerals, no concentration units) is what task-cycles started
 * before READING_PATCH judge by; edition 2 reads "两所" and "30微克/立方米";
 * edition 3, the import's and the default, reads a figure of work started
 * ("已开工28个") as no figure of work done, and "完工19个" as done
 * (docs/architecture.md, "Versioning running workflows").
 */
export type ReadingEdition = 1 | 2 | 3;
export const LATEST_READING_EDITION: ReadingEdition = 3;
/** The units edition 2 added. */
const CONCENTRATION_UNITS = new Set(['微克/立方米', '毫克/立方米', '毫克/升']);

const quantityPattern = (units: readonly string[]) =>
  new RegExp(
    `(?<!\\d,?)(-?(?:\\d{1,3}(?:,\\d{3})+|\\d+)(?:\\.\\d+)?)(?:\\s*(千万|百万|万|亿))?(?:\\s*(余|多))?\\s*(${units.join('|')})`,
    'g',
  );
const QUANTITY: Record<ReadingEdition, RegExp> = {
  1: quantityPattern(UNITS.filter((u) => !CONCENTRATION_UNITS.has(u))),
  2: quantityPattern(UNITS),
  3: quantityPattern(UNITS),
};
/** A run of Chinese numerals ("十二", "三千"), then what may follow it to make a figure ("万", "余", a unit; no %). */
const NUMERAL_RUN = new RegExp(`[${CHINESE_NUMERAL_CHARS}]+`, 'g');
const NUMERAL_ANY = new RegExp(`[${CHINESE_NUMERAL_CHARS}]`);
const AFTER_NUMERAL = new RegExp(
  `^(?:\\s*(千万|百万|万|亿))?(?:\\s*(余|多))?\\s*(${UNITS.filter((u) => u !== '%').join('|')})`,
);
/**
 * A count in Chinese numerals is a figure only where a task states one: right
 * after a verb of doing ("新建三个公园"), closing its clause ("新建幼儿园
 * 两所", "十二条以上"), or before what became of them ("两所已完工"). So
 * "四个全面", "一批", "最多跑一次", "第三个" stay words.
 */
const CHINESE_COUNT_BEFORE =
  /(新建|新增|建成|建设|完成|改造|提升|整治|打造|创建|培育|引进|开工|竣工|实施|推进|开通|新开|新设|设立|举办|招引|落地|签约|改建|扩建|续建|修缮|迁建)$/;
const CHINESE_COUNT_AFTER =
  /^(?:$|[，。；;、,.）)\s]|以上|以下|以内|左右|及以上|已|正在|均已|全部|在建|完工|开工|竣工)/;
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
 * Every figure with a unit in the text, in order, as `edition` reads them
 * (ReadingEdition). Values in base units (万/亿 applied). O(n) in the text's length: each figure is judged by the one
 * character before it and the one after it.
 */
export function findQuantities(text: string, edition: ReadingEdition = LATEST_READING_EDITION): Quantity[] {
  const chinese = edition >= 2 ? [...chineseQuantities(text)] : [];
  const found: Quantity[] = [];
  for (const match of asciiDigits(text).matchAll(QUANTITY[edition])) {
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
  // Most texts have no count in Chinese numerals: then the figures are in order already.
  return chinese.length === 0 ? found : [...found, ...chinese].sort((a, b) => a.index - b.index);
}

/** Counts written in Chinese numerals (2 and more), where the text states them (CHINESE_COUNT_*). */
function* chineseQuantities(text: string): Generator<Quantity> {
  // Most clauses hold no numeral at all: a plain test first (matchAll clones its expression on every call).
  if (!NUMERAL_ANY.test(text)) return;
  // Each run of numerals once (linear), then the dozen characters after it.
  for (const run of text.matchAll(NUMERAL_RUN)) {
    const index = run.index;
    const numeral = run[0];
    if (numeral.length > 8) continue;
    const start = index + numeral.length;
    const match = AFTER_NUMERAL.exec(text.slice(start, start + 12));
    if (!match) continue;
    // "第三个" is an ordinal; "二期", "三届" name a phase or a session, not a count; "两个百分点" is a
    // rate's change; "百亿元企业", "千亿级" name a class, not an amount.
    if (/[第\d]/.test(text.charAt(index - 1)) || match[3] === '期' || match[3] === '届') continue;
    if (/^[百千]$/.test(numeral) || text.startsWith('百分', start + match[0].length)) continue;
    const value = parseChineseNumeral(numeral);
    if (value === undefined || value < 2) continue;
    const end = start + match[0].length;
    if (
      !CHINESE_COUNT_BEFORE.test(text.slice(Math.max(0, index - 4), index)) &&
      !CHINESE_COUNT_AFTER.test(text.slice(end, end + 3))
    )
      continue;
    const multiplier = match[1] ? MULTIPLIERS[match[1]]! : 1;
    yield {
      value: value * multiplier,
      unit: match[3]!,
      over: match[2] !== undefined,
      index,
      end,
      raw: text.slice(index, end),
    };
  }
}

/** Units that mean the same measure in narratives: 万方 of housing are 万平方米. */
export function sameMeasure(a: string, b: string): boolean {
  const canonical = (u: string) => ({ 方: '平方米', 千米: '公里', 名: '人' })[u] ?? u;
  return canonical(a) === canonical(b);
}
