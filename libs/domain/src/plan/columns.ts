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
  | 'deadline'
  | 'remarks';

const SYNONYMS: [ColumnRole, RegExp][] = [
  ['ordinal', /^(序号|编号|序)$/],
  ['category', /^(项目名称|类别|分类|板块|工作类别|任务类别|项目类别)$/],
  ['annualTarget', /^(全年目标任务|全年目标|年度目标|年度目标任务)$/],
  [
    'task',
    /^(项目内容|主要工作内容|内容与要求|主要任务|工作任务|目标任务|重点任务|任务内容|工作内容|重点工作|项目内容及目标)$/,
  ],
  ['coUnits', /^(配合单位|协同单位|协办单位|配合部门|责任主体与协同单位|协同部门)$/],
  ['leadUnit', /^(牵头单位|牵头部门|主办单位|责任主体)$/],
  ['units', /^(责任单位|责任部门|承办单位|责任单位及领导)$/],
  ['leaders', /^(牵头领导|分管领导|责任领导|联系领导|牵头区领导)$/],
  ['progress', /(进展情况|完成情况|完成进度|推进情况|工作进展|进度情况|进展)$/],
  ['deadline', /^(完成时限|时间节点|完成时间|时限)$/],
  ['remarks', /^(备注|说明)$/],
];

export function columnRoleOf(text: string): ColumnRole | undefined {
  const key = compactKey(text).replace(/[:：*＊]/g, '');
  if (!key || key.length > 24) return undefined;
  for (const [role, pattern] of SYNONYMS) if (pattern.test(key)) return role;
  return undefined;
}

/** Whether a set of roles is enough to read tasks from: the task and who is responsible. */
export function isUsableHeader(roles: readonly (ColumnRole | undefined)[]): boolean {
  return roles.includes('task') && (roles.includes('units') || roles.includes('leadUnit'));
}
