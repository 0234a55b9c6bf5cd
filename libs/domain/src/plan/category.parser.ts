/**
 * Category cells (项目名称): "(十)加快城市开发建设", "（一）" then a name cell,
 * "一、经济社会发展主要预期目标", ASCII or full-width brackets.
 */
import { CHINESE_NUMERAL_CHARS, parseChineseNumeral } from './chinese-numeral.js';
import { cleanCellText, stripTrailingPunctuation } from './text-normalize.js';

export interface CategoryCell {
  ordinal: number;
  /** Empty when the name sits in the next cell. */
  name: string;
}

const BRACKETED = new RegExp(`^[(（]\\s*([${CHINESE_NUMERAL_CHARS}]+)\\s*[)）]\\s*(.*)$`, 's');
const ENUMERATED = new RegExp(`^([${CHINESE_NUMERAL_CHARS}]+)\\s*[、.．]\\s*(.+)$`, 's');

export function parseCategoryCell(text: string): CategoryCell | undefined {
  const cleaned = cleanCellText(text);
  const match = BRACKETED.exec(cleaned) ?? ENUMERATED.exec(cleaned);
  if (!match) return undefined;
  const ordinal = parseChineseNumeral(match[1]!);
  if (ordinal === undefined || ordinal === 0) return undefined;
  const name = stripTrailingPunctuation(match[2]!.trim());
  // A real category name is a short heading, not a sentence with numbers and clauses.
  if (name.length > 40 || /[，,；;。]/.test(name)) return undefined;
  return { ordinal, name };
}
