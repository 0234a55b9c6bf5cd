/**
 * An obligation is something one party owes by a deadline: the lead unit's
 * progress, a co-unit's input, a supervisor's review, a catch-up plan. It
 * carries its own reminder and overdue instants (all computed outside the
 * workflow), and the workflow asks it which steps are due. Pure data, so the
 * workflow's state stays serialisable and replays identically.
 */
export type ObligationParty = 'lead' | 'co' | 'supervisor';

export interface Obligation {
  /** Unique within a task-cycle: 'lead', 'lead-2' (after a return), 'co:{unitId}', 'review-1', 'catch-up'. */
  key: string;
  party: ObligationParty;
  unitId: string | null;
  deadlineAt: string;
  reminders: { at: string; workingDaysBefore: number }[];
  /** overdueAt[k - 1] is the morning of the k-th working day late. */
  overdueAt: string[];
  /** Step ids already carried out ('remind:3', 'overdue:1'). */
  done: string[];
  /** Set once the party delivered, or the obligation no longer applies. */
  settledAt: string | null;
}

export type ObligationStep =
  { kind: 'remind'; at: string; workingDaysBefore: number } | { kind: 'overdue'; at: string; daysLate: number };

export function stepId(step: ObligationStep): string {
  return step.kind === 'remind' ? `remind:${step.workingDaysBefore}` : `overdue:${step.daysLate}`;
}

/** Every step due at `nowMs` and not yet carried out, oldest first. */
export function dueSteps(obligation: Obligation, nowMs: number): ObligationStep[] {
  if (obligation.settledAt) return [];
  return allSteps(obligation).filter((s) => Date.parse(s.at) <= nowMs && !obligation.done.includes(stepId(s)));
}

/** When the next step falls due, or null when none is left. */
export function nextStepAt(obligation: Obligation): string | null {
  if (obligation.settledAt) return null;
  const next = allSteps(obligation).find((s) => !obligation.done.includes(stepId(s)));
  return next?.at ?? null;
}

/** Working days late at `nowMs` (0 until the first overdue morning). */
export function daysLate(obligation: Obligation, nowMs: number): number {
  return obligation.overdueAt.filter((at) => Date.parse(at) <= nowMs).length;
}

function allSteps(obligation: Obligation): ObligationStep[] {
  const steps: ObligationStep[] = [
    ...obligation.reminders.map((r) => ({ kind: 'remind' as const, at: r.at, workingDaysBefore: r.workingDaysBefore })),
    ...obligation.overdueAt.map((at, i) => ({ kind: 'overdue' as const, at, daysLate: i + 1 })),
  ];
  return steps.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
}

/**
 * An obligation due on the `workingDays`-th of `days` (the mornings of the
 * working days after it arose, as `workingDaysAfterOnGrid` gives them): reminders
 * the configured working days before and on the morning, then overdue on
 * each later day. Reminders at or before `createdAt` are left out.
 */
export function obligationFromDays(options: {
  key: string;
  party: ObligationParty;
  unitId: string | null;
  days: readonly string[];
  workingDays: number;
  remindersBefore: readonly number[];
  createdAt: string;
}): Obligation {
  const { days, workingDays } = options;
  if (workingDays < 1 || workingDays > days.length) {
    throw new RangeError(`obligation ${options.key}: ${workingDays} working days, ${days.length} known`);
  }
  const deadlineIndex = workingDays - 1;
  const offsets = [...new Set([...options.remindersBefore.filter((n) => n > 0), 0])].sort((a, b) => b - a);
  const reminders = offsets
    .filter((n) => deadlineIndex - n >= 0)
    .map((n) => ({ at: days[deadlineIndex - n]!, workingDaysBefore: n }))
    .filter((r) => Date.parse(r.at) > Date.parse(options.createdAt));
  return {
    key: options.key,
    party: options.party,
    unitId: options.unitId,
    deadlineAt: days[deadlineIndex]!,
    reminders,
    overdueAt: days.slice(workingDays),
    done: [],
    settledAt: null,
  };
}
