/**
 * A coordinator's correction of one task (重点任务), read the way an
 * imported row is read: the content cleaned like a cell, its targets read
 * from it by the same parser, unit names cleaned and classified like those
 * of the 责任单位 column. Pure: the repository stores the result as the
 * task's next version.
 */
import { DomainError } from '../domain-error.js';
import { firstNonText } from '../plain-text.js';
import { extractTargets, type Target } from './targets.parser.js';
import { cleanCellText, stripTrailingPunctuation } from './text-normalize.js';
import { classifyUnit, splitUnitNames, type UnitRef } from './units.parser.js';

/** What a person may change of a task: the fields of a plan row that are not progress. */
export interface TaskEdit {
  /** 项目内容; its targets are read from it (回迁安置1000户以上 → 回迁安置 ≥ 1000户). */
  content: string;
  /** 牵头单位: a unit's name. */
  leadUnit: string;
  /** 配合单位, in order; may be empty. */
  coUnits: string[];
  /** 分管领导, in order; may be empty; absent: kept as they are. */
  leaders?: string[];
  /** 完成时限 as people write it (年底前, 2020年9月); null or '' for none; absent: kept as it is. */
  deadline?: string | null;
}

/** The edit as it is stored: cleaned, with its targets and its units classified (groups kept as groups). */
export interface ReadTaskEdit {
  content: string;
  leadUnit: string;
  coUnits: string[];
  /** Absent: kept as they are. */
  leaders: string[] | undefined;
  /** Absent (undefined): kept as it is. */
  deadline: string | null | undefined;
  targets: Target[];
  /** The lead unit then the co-units, each classified as import classifies them. */
  units: UnitRef[];
}

/** The longest cell an import accepts, and so the longest content or name an edit does. */
export const MAX_TASK_TEXT = 5000;

function refuse(field: string, zh: string, en: string): never {
  throw new DomainError('INVALID_INPUT', `请求内容有误：${field}：${zh}`, `invalid request: ${field}: ${en}`, {
    issues: [{ path: field, message: `${field}: ${en}` }],
  });
}

function cleaned(field: string, value: string, required: boolean): string {
  if (value.length > MAX_TASK_TEXT)
    refuse(field, `不能超过 ${MAX_TASK_TEXT} 个字符`, `at most ${MAX_TASK_TEXT} characters`);
  const at = firstNonText(value);
  if (at >= 0) refuse(field, `第 ${at + 1} 个字符不是文字`, `character ${at + 1} is not text`);
  const text = stripTrailingPunctuation(cleanCellText(value));
  if (required && !text) refuse(field, '不能为空', 'must not be empty');
  return text;
}

/**
 * Reads a task edit like an imported row. Errors: DomainError INVALID_INPUT
 * (422) naming the field (`content`, `leadUnit`, `coUnits[1]`, `leaders[0]`,
 * `deadline`) in Chinese and English, with `details.issues` as parseBody
 * gives them — for an empty content or unit, a character that is no text,
 * more than 5000 characters, an entry naming several units (区住建局、区城管局), or a unit listed twice (the lead unit among the
 * co-units included).
 */
export function readTaskEdit(edit: TaskEdit): ReadTaskEdit {
  const content = cleaned('content', edit.content, true);
  const unit = (field: string, value: string) => {
    const name = cleaned(field, value, true);
    if (splitUnitNames(name).length > 1) {
      refuse(field, `“${name}”是多个单位：每项只填一个单位`, `"${name}" names several units: one unit per entry`);
    }
    return name;
  };
  const leadUnit = unit('leadUnit', edit.leadUnit);
  const coUnits = edit.coUnits.map((name, i) => unit(`coUnits[${i}]`, name));
  const seen = new Set([leadUnit]);
  coUnits.forEach((name, i) => {
    if (seen.has(name)) {
      refuse(
        `coUnits[${i}]`,
        `“${name}”已列出，同一单位只能列一次`,
        `"${name}" is listed already; a unit is listed once`,
      );
    }
    seen.add(name);
  });
  const leaders = edit.leaders?.map((name, i) => cleaned(`leaders[${i}]`, name, true));
  const deadline = edit.deadline === undefined ? undefined : cleaned('deadline', edit.deadline ?? '', false) || null;
  return {
    content,
    leadUnit,
    coUnits,
    leaders,
    deadline,
    targets: extractTargets(content),
    units: [leadUnit, ...coUnits].map(classifyUnit),
  };
}
