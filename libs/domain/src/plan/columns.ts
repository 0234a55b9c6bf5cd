/**
 * Columns are found by header name and synonym, in any order, never by
 * position. More specific names are tried first ("全年目标任务" is an annual
 * target, not the task; "责任主体与协同单位" lists co-units).
 */
import { compactKey } from './text-normalize.js';

export type ColumnRole =
  | 'ordinal'
  | 'category'
  | 'annualTarget'
  | 'task'
  | 'coUnits'
  | 'leadUnit'
  | 'units'
  | 'leaders'
  | 'progress'
  | 'milestone'
  | 'deadline'
  | 'remarks';

const SYNONYMS: [ColumnRole, RegExp][] = [
  ['ordinal', /^(序号|编号|序)$/],
  ['category', /^(项目名称|类别|分类|板块|工作类别|任务类别|项目类别)$/],
  ['annualTarget', /^(全年目标任务|全年目标|年度目标|年度目标任务)$/],
  [
    'task',
    /^(项目内容|主要工作内容|内容与要求|主要任务|工作任务|目标任务|重点任务|任务内容|工作内容|重点工作|项目内容及目标|(重点|主要|工作|目标)?(任务|工作)(内容|事项)(及要求|与要求|及目标)?)$/,
  ],
  ['coUnits', /^(配合单位|协同单位|协办单位|配合部门|责任主体与协同单位|协同部门)$/],
  ['leadUnit', /^(牵头单位|牵头部门|主办单位|责任主体)$/],
  ['units', /^(责任单位|责任部门|承办单位|责任单位及领导|负责单位|负责部门|责任处室)$/],
  ['leaders', /^(牵头领导|分管领导|责任领导|联系领导|牵头区领导)$/],
  // A quarter's milestone (节点): the quarter alone, or with 目标/计划/节点 ("三季度目标"), never its report.
  ['milestone', /^(第?[一二三四1-4]季度|Q[1-4])(目标|计划|节点|目标任务|工作目标|计划进度|进度目标|节点目标)?$/i],
  // A period may stand before it ("1-9月完成情况", "第三季度进展情况"), but not a whole title.
  ['progress', /^.{0,8}(进展情况|完成情况|完成进度|推进情况|工作进展|进度情况|进展)$/],
  ['deadline', /^(完成时限|时间节点|完成时间|时限)$/],
  ['remarks', /^(备注|说明)$/],
];

/** A header cell is short; anything longer is content, and is not looked at further. */
const MAX_HEADER_CHARS = 64;

/** The role a header cell names, or undefined. O(n) in the cell's length, bounded by MAX_HEADER_CHARS. */
export function columnRoleOf(text: string): ColumnRole | undefined {
  if (text.length > 4 * MAX_HEADER_CHARS) return undefined;
  const compact = compactKey(text).replace(/[:：*＊]/g, '');
  if (compact.length > MAX_HEADER_CHARS) return undefined;
  // "责任单位（部门）", "进展情况（截至9月底）": a note in brackets does not change the column.
  const key = compact.replace(/\([^)]*\)$/, '');
  if (!key || key.length > 24) return undefined;
  for (const [role, pattern] of SYNONYMS) if (pattern.test(key)) return role;
  return undefined;
}

/** Whether a set of roles is enough to read tasks from: the task and who is responsible. */
export function isUsableHeader(roles: readonly (ColumnRole | undefined)[]): boolean {
  return roles.includes('task') && (roles.includes('units') || roles.includes('leadUnit'));
}

const PERIOD_END: [RegExp, (m: RegExpExecArray) => number][] = [
  [/(\d{1,2})\s*[-—~至到]\s*(\d{1,2})\s*月/, (m) => Number(m[2])],
  [/截至\s*(\d{1,2})\s*月/, (m) => Number(m[1])],
  [/第?([一二三四1-4])\s*季度/, (m) => 3 * ({ 一: 1, 二: 2, 三: 3, 四: 4 }[m[1]!] ?? Number(m[1]))],
  [/上半年/, () => 6],
  [/下半年|全年|年度/, () => 12],
  [/(\d{1,2})\s*月/, (m) => Number(m[1])],
];

/** The month a progress column's period ends in ("1-9月完成情况" → 9, "上半年" → 6), to find the latest. */
export function periodEndOf(header: string): number | undefined {
  for (const [pattern, month] of PERIOD_END) {
    const match = pattern.exec(header);
    if (match) return month(match);
  }
  return undefined;
}
