/**
 * Contract of the quarterly cycle: the cycle workflow (plan × quarter), the
 * task-cycle workflow (task × quarter), the Updates people send them through
 * the API, and the activities they call. Definitions only; the API, the CLI,
 * the worker and the workflows all import them from here.
 */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { ClockMode, CycleConfig, DeclaredState, Obligation, ScheduleInstants, StatusLight, Target } from '#domain';

/** Roles a caller acts in (DESIGN.md "The people"). Leaders and backups are contacts, not actors. */
export type ActorRole = 'reporter' | 'supervisor' | 'coordinator' | 'admin';

/** Who sends an Update: the API resolves it from the unit directory. */
export interface Actor {
  userId: string;
  role: ActorRole;
  /** The units the directory gives this person in that role; empty for plan-wide roles. */
  unitIds: string[];
}

export interface UnitRef {
  id: string;
  name: string;
}

/** A rehearsal's start is fixed by the cycle workflow when the caller leaves it out. */
export type CycleClockInput =
  Exclude<ClockMode, { kind: 'rehearsal' }> | { kind: 'rehearsal'; daySeconds: number; startedAt?: string };

export interface CycleWorkflowInput {
  planId: string;
  quarter: string;
  clock: CycleClockInput;
  /** Task queue of the task-cycle workflows (the cycle's own, normally). */
  taskQueue: string;
  /** Task-cycle workflows started per activity call. */
  batchSize?: number;
  /** Demo contacts for units that have none; default: in rehearsals. */
  demoContacts?: boolean;
}

/** What the cycle workflow carries across continue-as-new. */
export interface CycleWorkflowProgress {
  prepared: PreparedCycle;
  /** Ordinal of the last task started, null before the first batch. */
  startedThrough: number | null;
  startingDone: boolean;
  assignmentsSent?: boolean;
  /** Whether this cycle sends daily digests (decided once, before its task-cycles start). */
  digestReminders?: boolean;
}

export interface PreparedCycle {
  cycleId: string;
  planId: string;
  planName: string;
  quarter: string;
  config: CycleConfig;
  instants: ScheduleInstants;
  opensOn: string;
  closesOn: string;
  provisional: boolean;
  taskCount: number;
}

export interface TaskCycleInput {
  cycleId: string;
  planId: string;
  quarter: string;
  config: CycleConfig;
  instants: ScheduleInstants;
  /**
   * Queue reminders for the cycle's daily digest instead of mailing them. Set
   * by cycles that send digests (CYCLE_PATCHES.reminderDigest); absent in
   * task-cycles started before, which mail their own.
   */
  digestReminders?: boolean;
  task: {
    taskId: string;
    ordinal: number;
    categoryName: string;
    content: string;
    targets: Target[];
    leadUnit: UnitRef;
    coUnits: UnitRef[];
  };
}

/** DubanStatus of a task-cycle, as the search attribute and the read model show it. */
export type TaskCycleStatus = 'assigned' | 'overdue' | 'submitted' | 'returned' | 'approved';

/** withdrawn: the unit reported before the coordinator decided. */
export type ExtensionState = 'requested' | 'granted' | 'refused' | 'withdrawn';
export type CatchUpState = 'due' | 'overdue' | 'submitted';

export interface TaskCycleState {
  status: TaskCycleStatus;
  light: StatusLight | null;
  lightReason: string | null;
  expected: number | null;
  completion: number | null;
  leadDeadlineAt: string;
  /** The deadline the unit works to now (after returns and extensions). */
  currentDeadlineAt: string;
  reviewDeadlineAt: string | null;
  daysLate: number;
  submissions: number;
  returns: number;
  reminders: number;
  escalations: number;
  extension: ExtensionState | null;
  catchUp: CatchUpState | null;
  submittedAt: string | null;
  approvedAt: string | null;
  closedAt: string | null;
  /** Co-units and when each gave its input (null: not yet). */
  coInputs: Record<string, string | null>;
}

export const RETURN_REASONS = {
  incomplete: { zh: '内容不完整', en: 'incomplete' },
  figures: { zh: '数据有误或与目标不符', en: 'figures wrong or not against the target' },
  evidence: { zh: '缺少佐证材料', en: 'no supporting evidence' },
  other: { zh: '其他', en: 'other' },
} as const;
export type ReturnReason = keyof typeof RETURN_REASONS;

export interface SubmitProgressRequest {
  actor: Actor;
  narrative: string;
  declaredState?: DeclaredState;
  completion?: number | null;
  growth?: number | null;
}
export interface SubmitInputRequest {
  actor: Actor;
  unitId: string;
  narrative: string;
}
export interface ReviewRequest {
  actor: Actor;
  decision: 'approve' | 'return';
  reason?: ReturnReason;
  comment?: string;
}
export interface ExtensionRequest {
  actor: Actor;
  workingDays: number;
  reason: string;
}
export interface ExtensionDecision {
  actor: Actor;
  grant: boolean;
  comment?: string;
}
export interface NudgeRequest {
  actor: Actor;
  comment?: string;
}
export interface CatchUpPlanRequest {
  actor: Actor;
  plan: string;
}

/** What an accepted Update answers: the task-cycle as it stands after it. */
export interface UpdateAnswer {
  taskCycleId: string;
  state: TaskCycleState;
  /** Submission version stored, for submissions. */
  version?: number;
}

export const submitProgressUpdate = defineUpdate<UpdateAnswer, [SubmitProgressRequest]>('submitProgress');
export const submitInputUpdate = defineUpdate<UpdateAnswer, [SubmitInputRequest]>('submitInput');
export const reviewUpdate = defineUpdate<UpdateAnswer, [ReviewRequest]>('review');
export const requestExtensionUpdate = defineUpdate<UpdateAnswer, [ExtensionRequest]>('requestExtension');
export const decideExtensionUpdate = defineUpdate<UpdateAnswer, [ExtensionDecision]>('decideExtension');
export const nudgeUpdate = defineUpdate<UpdateAnswer, [NudgeRequest]>('nudge');
export const submitCatchUpPlanUpdate = defineUpdate<UpdateAnswer, [CatchUpPlanRequest]>('submitCatchUpPlan');
export const taskCycleStateQuery = defineQuery<TaskCycleState>('taskCycleState');

/** Codes an Update is rejected with (ApplicationFailure type); the API maps them to HTTP. */
export const UPDATE_REJECTIONS = {
  WRONG_ROLE: 403,
  WRONG_UNIT: 403,
  WRONG_STATE: 409,
  /** Another decision on the same task-cycle is being processed: retry shortly. */
  BUSY: 409,
  INVALID_INPUT: 422,
} as const;
export type UpdateRejection = keyof typeof UPDATE_REJECTIONS;

/**
 * patched() ids of the cycle workflows, in the order they were introduced.
 * assignment-digest: the cycle sends one assignment email per person; before
 * it, each task-cycle mailed its own units.
 */
export const CYCLE_PATCHES = {
  assignmentDigest: 'assignment-digest',
  /** Reminders and overdue notices go into one digest per person per working day, sent by the cycle. */
  reminderDigest: 'reminder-digest',
  /** The digest loop goes day after day from the last one, so a late run does not skip a day. */
  digestDaysInOrder: 'digest-days-in-order',
} as const;

// ---- activities -----------------------------------------------------------

export type TaskCycleEventKind =
  | 'assigned'
  | 'reminded'
  | 'overdue'
  | 'leader_copied'
  | 'escalated'
  | 'input_submitted'
  | 'input_late'
  | 'submitted'
  | 'returned'
  | 'approved'
  | 'review_reminded'
  | 'review_overdue'
  | 'extension_requested'
  | 'extension_granted'
  | 'extension_refused'
  | 'nudged'
  | 'catch_up_requested'
  | 'catch_up_submitted'
  | 'catch_up_overdue'
  | 'closed';

export interface TaskCycleEvent {
  taskCycleId: string;
  /** What the read model's row is keyed on (written with the first event). */
  ref: { cycleId: string; taskId: string; ordinal: number; leadUnitId: string };
  /** Position in the task-cycle's timeline: a replayed activity writes the same row again, not a second one. */
  seq: number;
  kind: TaskCycleEventKind;
  at: string;
  actor: { userId: string; role: ActorRole } | null;
  unitId: string | null;
  details: Record<string, unknown>;
  state: TaskCycleState;
}

/** A group of recipients, resolved from the directory when the mail goes out. */
export type Audience =
  | { unitId: string; roles: ('reporter' | 'leader' | 'backup')[] }
  | { role: 'supervisor'; unitId: string }
  | { role: 'coordinator' };

export type CycleMailKind =
  | 'assignment'
  | 'reminder'
  | 'overdue'
  | 'escalation'
  | 'return'
  | 'approval'
  | 'extension'
  | 'catch_up'
  | 'nudge'
  | 'review'
  | 'report'
  /** One person's reminders of one working day. */
  | 'digest';

/** What a queued reminder owes (a line of the day's digest). */
export type DigestOwed = 'progress' | 'input' | 'review' | 'catch_up' | 'co_late';

export interface NotifyInput {
  cycleId: string;
  taskCycleId: string;
  /** Step name in the idempotency key: 'lead:remind:3', 'lead-2:overdue:1', 'nudge' … */
  step: string;
  sequence: number;
  kind: CycleMailKind;
  audiences: Audience[];
  facts: {
    ordinal: number;
    content: string;
    leadUnit: string;
    unit?: string;
    deadlineAt?: string;
    daysLate?: number;
    reason?: string;
    comment?: string;
    light?: StatusLight;
    lightReason?: string;
    /** Why an escalation (督办单) goes out. */
    cause?: 'overdue' | 'review_overdue' | 'catch_up_overdue' | 'red';
    /** A return's reason code. */
    reasonCode?: ReturnReason;
    /** An extension decision. */
    granted?: boolean;
    /** An extension request's length. */
    workingDays?: number;
  };
}

/** A reminder a step owes: queued for each recipient's digest of the day instead of mailed on its own. */
export interface QueueReminderInput extends Omit<NotifyInput, 'kind' | 'sequence'> {
  owed: DigestOwed;
  /** The step's instant (the day the reminder belongs to). */
  stepAt: string;
  /** The unit that owes it (the co-unit for input). */
  unitId: string;
}

export interface NotifyResult {
  recipients: string[];
  sent: number;
}

export interface StoreSubmissionInput {
  cycleId: string;
  taskCycleId: string;
  taskId: string;
  quarter: string;
  unitId: string;
  kind: 'progress' | 'input' | 'catch_up';
  /** The n-th submission of this kind by this unit in the task-cycle. */
  sequence: number;
  actorId: string;
  narrative: string;
  declaredState?: DeclaredState;
  completion?: number | null;
  growth?: number | null;
  targets: Target[];
}

export interface StoredSubmission {
  version: number;
  state: DeclaredState;
  completion: number | null;
  growth: number | null;
}

export interface CycleActivities {
  prepareCycle(input: {
    cycleId: string;
    planId: string;
    quarter: string;
    clock: ClockMode;
    /** Give units without contacts demo addresses in the captured mailbox (rehearsals). */
    demoContacts?: boolean;
  }): Promise<PreparedCycle>;
  startTaskCycles(input: {
    cycleId: string;
    afterOrdinal: number | null;
    limit: number;
    taskQueue: string;
    /** Start them queueing reminders for the digest. */
    digestReminders?: boolean;
  }): Promise<{ started: number; existing: number; lastOrdinal: number | null }>;
  /** The mornings of the next `count` working days after `from`, in the cycle's clock. */
  workingDaysAfter(input: { cycleId: string; from: string; count: number }): Promise<string[]>;
  recordEvent(event: TaskCycleEvent): Promise<void>;
  storeSubmission(input: StoreSubmissionInput): Promise<StoredSubmission>;
  notify(input: NotifyInput): Promise<NotifyResult>;
  /** One assignment email per person at the cycle's opening, listing all their tasks (lead and co-unit). */
  sendAssignments(input: { cycleId: string }): Promise<NotifyResult>;
  /** Queues a reminder for the recipients' digest (since the reminder digest). */
  queueReminder(input: QueueReminderInput): Promise<{ recipients: number }>;
  /** The instant of the next daily digest after `after`: each working day's morning plus a settling delay. */
  nextDigestAt(input: { cycleId: string; after: string }): Promise<string>;
  /** Sends each person with queued reminders one digest for today (none twice); finishes unsent ones. */
  /** at: the instant the digest was due (names its working day); absent in histories from before it was passed. */
  sendDigests(input: { cycleId: string; final?: boolean; at?: string }): Promise<DigestRun>;
  cycleProgress(input: { cycleId: string }): Promise<{ total: number; open: number }>;
  closeCycle(input: { cycleId: string }): Promise<CycleReportSummary>;
}

export interface DigestRun {
  workingDay: string;
  recipients: number;
  items: number;
  sent: number;
  failed: number;
  /** Queued reminders no longer owed (submitted, approved or closed meanwhile). */
  dropped: number;
}

export interface CycleReportSummary {
  cycleId: string;
  tasks: number;
  byStatus: Record<string, number>;
  byLight: Record<string, number>;
  unreported: number;
}

export type { Obligation };
