/**
 * Cleaning of cell text copied from web pages and office files: full-width
 * ASCII to half-width where it carries structure, stray spaces inside
 * Chinese text removed, trailing punctuation dropped.
 */

const CJK_OR_LIST = /[\u3400-\u9fff\uf900-\ufaff（）()、]/;
const ORGANISATION_END = /[局办委会院部室所队处站心道团司队组]$/;

/**
 * Collapses white space; removes it where it only breaks Chinese text
 * ("区 住建局"), but keeps it between whole organisation names
 * ("区人社局 区教育局"), where it separates a list.
 */
export function cleanCellText(text: string): string {
  const collapsed = text.replace(/[\u00a0\u3000\t\r\n ]+/g, ' ').trim();
  if (!collapsed.includes(' ')) return collapsed; // the common case: nothing to decide
  const parts = collapsed.split(' ');
  let out = parts[0]!;
  let previous = parts[0]!;
  for (let i = 1; i < parts.length; i += 1) {
    const part = parts[i]!;
    const joinsChinese = CJK_OR_LIST.test(out.at(-1) ?? '') && CJK_OR_LIST.test(part[0] ?? '');
    const separatesNames = previous.length >= 3 && part.length >= 3 && ORGANISATION_END.test(previous);
    out += joinsChinese && !separatesNames ? part : ` ${part}`;
    previous = part;
  }
  return out;
}

/**
 * A narrative cell's text with its line breaks kept: each line cleaned as
 * `cleanCellText` cleans a cell, empty lines dropped, lines joined by "\n"
 * ("已完成32个，\r\n\r\n 其中：…" → "已完成32个，\n其中：…"). O(n).
 */
export function cleanCellLines(text: string): string {
  return text
    .split(/\r\n|[\r\n\u2028\u2029]/)
    .map(cleanCellText)
    .filter(Boolean)
    .join('\n');
}

/** For comparing headers and names: no spaces, half-width brackets. */
export function compactKey(text: string): string {
  return cleanCellText(text).replace(/\s+/g, '').replace(/（/g, '(').replace(/）/g, ')');
}

const TRAILING_PUNCTUATION = /[。，,；;、\s]/;

/** "区住建局。" → "区住建局". O(n). */
export function stripTrailingPunctuation(text: string): string {
  let end = text.length;
  while (end > 0 && TRAILING_PUNCTUATION.test(text[end - 1]!)) end -= 1;
  return text.slice(0, end);
}

/**
 * The text without the run of `endings` it ends with ("项目合计共" with 合计,
 * 共 → "项目"). O(length of the run × endings): a regular expression such as
 * /(合计|共)+$/ would try every position of a long run again (quadratic).
 */
export function stripTrailing(text: string, endings: readonly string[]): string {
  let end = text.length;
  for (;;) {
    const ending = endings.find((e) => e.length > 0 && end >= e.length && text.startsWith(e, end - e.length));
    if (!ending) return text.slice(0, end);
    end -= ending.length;
  }
}
