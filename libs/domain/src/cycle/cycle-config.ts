/**
 * The numbers of the quarterly cycle (DESIGN.md, "The quarterly cycle").
 * Every one is configurable per plan; these are the defaults.
 */
export interface CycleConfig {
  /** The cycle opens on this day of the quarter's last month (moved to the next working day). */
  openDayOfLastMonth: number;
  /** Lead units report by this working day of the month after the quarter. */
  leadDeadlineWorkingDay: number;
  /** Co-units give their input this many working days before the lead deadline. */
  coUnitLeadWorkingDays: number;
  /** Reminders this many working days before a deadline, then on its morning. */
  reminderWorkingDaysBefore: readonly number[];
  /** Hour (China time) of reminder and deadline-morning sends. */
  reminderHour: number;
  /** Working days late when the unit's leader is copied. */
  leaderCopiedAfterWorkingDays: number;
  /** Working days late when the unit's backup (AB角) is also told, the reporter not having acted. */
  backupNotifiedAfterWorkingDays: number;
  /** Working days late when the coordinator gets a 督办单. */
  escalatedAfterWorkingDays: number;
  /** Supervisors review within this many working days of a submission. */
  reviewWorkingDays: number;
  /** A returned submission is due again this many working days after the return. */
  returnWorkingDays: number;
  /** A red task's catch-up plan (整改措施) is due this many working days after approval. */
  catchUpPlanWorkingDays: number;
  /** Expected progress (%) at the end of Q1…Q4 when a task has no milestone of its own. */
  expectedProgressByQuarter: readonly [number, number, number, number];
  /** Green when actual ≥ expected − this. */
  greenTolerance: number;
  /** Yellow when actual ≥ expected − this (and not green); red below. */
  yellowTolerance: number;
  /** The cycle closes (and reports) this many working days after the lead deadline, if not every task is approved before. */
  closeAfterWorkingDays: number;
  /** The longest extension a coordinator may grant, in working days. */
  maxExtensionWorkingDays: number;
}

export const DEFAULT_CYCLE_CONFIG: CycleConfig = {
  openDayOfLastMonth: 15,
  leadDeadlineWorkingDay: 5,
  coUnitLeadWorkingDays: 2,
  reminderWorkingDaysBefore: [3, 1],
  reminderHour: 9,
  leaderCopiedAfterWorkingDays: 1,
  backupNotifiedAfterWorkingDays: 2,
  escalatedAfterWorkingDays: 3,
  reviewWorkingDays: 3,
  returnWorkingDays: 2,
  catchUpPlanWorkingDays: 5,
  expectedProgressByQuarter: [25, 50, 75, 100],
  greenTolerance: 5,
  yellowTolerance: 20,
  closeAfterWorkingDays: 10,
  maxExtensionWorkingDays: 10,
};
