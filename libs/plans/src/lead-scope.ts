import { DomainError } from '#domain';

/** Whose tasks a caller reads: the units they work for or supervise, the categories they supervise. */
export interface LeadScope {
  unitIds: string[];
  leadUnitIds?: string[];
  categoryIds: string[];
}

/**
 * Refuses a caller who does not read what a task's lead unit keeps (its milestones, its change requests): readers
 * are plan-wide (`scope` null: coordinators, admins, plan-wide supervisors and 区领导), the lead unit's own staff
 * (`unitIds`), a supervisor of the lead unit (`leadUnitIds`) or of the task's category.
 * @throws DomainError WRONG_UNIT
 */
export function assertReadsTaskLead(scope: LeadScope | null, task: { leadUnitId: string; categoryId: string }): void {
  const reads =
    scope === null ||
    scope.unitIds.includes(task.leadUnitId) ||
    (scope.leadUnitIds ?? []).includes(task.leadUnitId) ||
    scope.categoryIds.includes(task.categoryId);
  if (!reads) throw new DomainError('WRONG_UNIT', '您的单位不牵头此任务', 'your units do not lead this task');
}
