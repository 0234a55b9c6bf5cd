/**
 * Cleaning of cell text copied from web pages and office files: full-width
 * ASCII to half-width where it carries structure, stray spaces inside
 * Chinese text removed, trailing punctuation dropped.
 */

const CJK = '\\u3400-\\u9fff\\uf900-\\ufaff';
const SPACE_BETWEEN_CJK = new RegExp(`(?<=[${CJK}（）()、])\\s+(?=[${CJK}（）()、])`, 'g');

/** Collapses white space; removes it where it only breaks Chinese text ("区 住建局"). */
export function cleanCellText(text: string): string {
  return text
    .replace(/[\u00a0\u3000\t\r\n]+/g, ' ')
    .replace(/ {2,}/g, ' ')
    .trim()
    .replace(SPACE_BETWEEN_CJK, '');
}

/** For comparing headers and names: no spaces, half-width brackets. */
export function compactKey(text: string): string {
  return cleanCellText(text).replace(/\s+/g, '').replace(/（/g, '(').replace(/）/g, ')');
}

/** "区住建局。" → "区住建局" */
export function stripTrailingPunctuation(text: string): string {
  return text.replace(/[。，,；;、\s]+$/u, '');
}
