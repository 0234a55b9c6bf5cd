/**
 * The task-cycle (one task × one quarter) as data: who acts on it, what they
 * send, the state people see, the state the rules keep, and the effects a
 * decision asks the workflow to carry out. Pure types: the workflow, the API
 * and the worker share them through libs/contracts.
 */
import type {
  DeclaredState,
  Exceeded,
  Incomparable,
  IncomparableWhy,
  LimitReading,
  Milestone,
  ProgressReading,
  ReadingEdition,
  Target,
} from '../plan/index.js';
import type { CycleConfig } from './cycle-config.js';
import type { Obligation } from './obligation.js';
import type { ScheduleInstants } from './schedule-clock.js';
import type { StatusLight } from './status-light.js';
import type { WorkingDayGrid } from './working-day-grid.js';

/** Roles a caller acts in. Leaders and backups are contacts, not actors. */
export type ActorRole = 'reporter' | 'supervisor' | 'coordinator' | 'admin';

/** Who sends a command: the API resolves it from the unit directory. */
export interface Actor {
  userId: string;
  role: ActorRole;
  /** The units the directory gives this person in that role; empty for plan-wide roles. */
  unitIds: string[];
  /**
   * The categories this person supervises in that role (supervisors only). A
   * supervisor with neither units nor categories is plan-wide; absent in
   * commands recorded before categories reached the workflow (read as none).
   */
  categoryIds?: string[];
  /**
   * The units this person works for (reporter, leader or backup), whatever role they act in:
   * one never reviews or decides on work one's own unit takes part in.
   */
  reportsFor?: string[];
}

export interface CycleUnit {
  id: string;
  name: string;
}

/**
 * DubanStatus of a task-cycle, as the search attribute and the read model show it. struck_off: the task was
 * closed (办结销号) or cancelled with the 督查室's approval while the quarter ran, before its report was approved:
 * nothing more is owed (a task approved first stays approved).
 */
export type TaskCycleStatus = 'assigned' | 'overdue' | 'submitted' | 'returned' | 'approved' | 'struck_off';
/** withdrawn: the unit reported before the coordinator decided. */
export type ExtensionState = 'requested' | 'granted' | 'refused' | 'withdrawn';
export type CatchUpState = 'due' | 'overdue' | 'submitted';

/** The task-cycle as people see it (the read model's row, a query's answer). Instants are ISO strings. */
export interface TaskCycleState {
  status: TaskCycleStatus;
  light: StatusLight | null;
  lightReason: string | null;
  expected: number | null;
  completion: number | null;
  /** Why the latest report gives no comparable completion (null when it gives one, or nothing was flagged). */
  incomparableWhy: IncomparableWhy | null;
  leadDeadlineAt: string;
  /** The deadline the lead unit works to now (after returns and extensions). */
  currentDeadlineAt: string;
  /** The co-units' deadline for their input (null when the task has none). */
  coUnitDeadlineAt: string | null;
  reviewDeadlineAt: string | null;
  daysLate: number;
  /** Progress reports submitted in this cycle: the n-th is the report's 第n版 to people. */
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

/** The figures a reporter typed, one per target: the target's index ("0", "1", …) → the figure (null: left empty). */
export type Figures = Record<string, number | null>;

/** What every command carries: who sends it and, from the API, until when a worker may still take it. */
export interface CommandRequest {
  actor: Actor;
  /**
   * ISO instant after which the command is refused unread (NO_WORKER): a
   * command no worker took while its sender waited is never applied later.
   * Compared with the workflow's clock (real time, also in a rehearsal).
   */
  notAfter?: string;
}

export interface SubmitProgressRequest extends CommandRequest {
  narrative: string;
  declaredState?: DeclaredState;
  completion?: number | null;
  growth?: number | null;
  /** Kept with the report, so a resubmission after a return starts from them. */
  figures?: Figures;
}
export interface SubmitInputRequest extends CommandRequest {
  unitId: string;
  narrative: string;
}
export interface ReviewRequest extends CommandRequest {
  decision: 'approve' | 'return';
  reason?: ReturnReason;
  comment?: string;
}
export interface ExtensionRequest extends CommandRequest {
  workingDays: number;
  reason: string;
}
export interface ExtensionDecision extends CommandRequest {
  grant: boolean;
  comment?: string;
}
export interface NudgeRequest extends CommandRequest {
  comment?: string;
}
export interface CatchUpPlanRequest extends CommandRequest {
  plan: string;
}

/**
 * What is done with a 督办单: the 督查室 issues a proposed one (issue),
 * accepts the unit's written reply (accept), asks again (again, with the
 * requirement in `text`) or withdraws one not yet answered (withdraw); the
 * lead unit replies in writing (reply, the reply in `text`).
 */
export type NoticeAction = 'issue' | 'reply' | 'accept' | 'again' | 'withdraw';
export const NOTICE_ACTIONS: readonly NoticeAction[] = ['issue', 'reply', 'accept', 'again', 'withdraw'];
export interface NoticeRequest extends CommandRequest {
  /** The 督办单's number within the task-cycle (1, 2, …; `SupervisionNotice.seq`). */
  notice: number;
  action: NoticeAction;
  /** The reply (reply), the new requirement (again) or why (accept, withdraw: optional). */
  text?: string;
}

/** Why a 督办单 is issued: the progress report, or a red task's catch-up plan, is this many working days late. */
export type NoticeCause = 'overdue' | 'catch_up_overdue';
/** proposed (waits for the 督查室), issued (waits for the unit's reply), replied (waits for the 督查室), closed. */
export type NoticeState = 'proposed' | 'issued' | 'replied' | 'closed';
/** How a 督办单 closed: reply accepted, withdrawn, or still open when the task-cycle closed. */
export type NoticeOutcome = 'accepted' | 'withdrawn' | 'cycle_closed';

/** A 督办单 (supervision notice) to the lead unit, as the rules keep it; its number (督办〔2020〕第12号) comes from the register. */
export interface SupervisionNotice {
  /** The n-th 督办单 of this task-cycle. */
  seq: number;
  cause: NoticeCause;
  state: NoticeState;
  /** Working days late when it arose. */
  daysLate: number;
  /** The deadline that was missed (ISO). */
  deadlineAt: string;
  proposedAt: string;
  issuedAt: string | null;
  /** The written reply is due by then (ISO); moved when the 督查室 asks again. */
  replyDeadlineAt: string | null;
  /** Times the 督查室 asked again. */
  askedAgain: number;
  closedAt: string | null;
  outcome: NoticeOutcome | null;
}

/** What people send a task-cycle (each is a Temporal Update of the same name). */
export type TaskCycleCommand =
  | { kind: 'submitProgress'; request: SubmitProgressRequest }
  | { kind: 'submitInput'; request: SubmitInputRequest }
  | { kind: 'review'; request: ReviewRequest }
  | { kind: 'requestExtension'; request: ExtensionRequest }
  | { kind: 'decideExtension'; request: ExtensionDecision }
  | { kind: 'nudge'; request: NudgeRequest }
  | { kind: 'submitCatchUpPlan'; request: CatchUpPlanRequest }
  | { kind: 'notice'; request: NoticeRequest };

/**
 * A task struck off the plan while its quarter runs: closed as done for the year (办结销号) or cancelled, as the
 * 督查室 approved the unit's request (`requestId`, with the approver as `actor`). Sent by the API as the Update
 * strikeOffTask once the approval is stored.
 */
export interface StrikeOffRequest {
  as: 'closed' | 'cancelled';
  requestId: string;
  /** The unit's reason, as approved. */
  reason: string;
  actor: { userId: string; role: ActorRole };
  /** ISO instant after which the Update is refused unread (NO_WORKER): the decision was then not taken. */
  notAfter?: string;
}

/** Why a command is refused; each code has one HTTP status and one text (libs/domain error codes). */
export type RejectionCode = 'WRONG_ROLE' | 'WRONG_UNIT' | 'WRONG_STATE' | 'INVALID_INPUT';

export interface Rejection {
  code: RejectionCode;
  zh: string;
  en: string;
}

/** The fixed facts of one task-cycle, given at its start. */
export interface TaskCycleSetup {
  cycleId: string;
  taskCycleId: string;
  quarter: string;
  config: CycleConfig;
  instants: ScheduleInstants;
  grid: WorkingDayGrid;
  task: {
    taskId: string;
    /** The task version this task-cycle holds to all quarter (absent in task-cycles started before it was carried). */
    versionId?: string;
    ordinal: number;
    categoryName: string;
    /** Absent in task-cycles started before the category reached the workflow. */
    categoryId?: string;
    content: string;
    targets: Target[];
    /**
     * The task's milestone (节点) for this quarter: its expected progress judges the light instead of the
     * plan's default curve. Absent when the task has none, and in task-cycles started before milestones.
     */
    milestone?: Milestone;
    leadUnit: CycleUnit;
    coUnits: CycleUnit[];
  };
  /**
   * 督办单 go to the lead unit and the 督查室 hears of them in its daily digest
   * (false in task-cycles started before: each escalation was a mail to the coordinators).
   */
  notices?: boolean;
  /**
   * How the task-cycle reads figures and judges its light: 2 reads counts in
   * Chinese numerals and concentration units and judges limits and reductions
   * by their direction; absent (1) in task-cycles started before.
   */
  readingEdition?: ReadingEdition;
  /**
   * A report's figures are checked when it is submitted, and the notes (figureNotes) recorded with it for the
   * supervisor; absent in task-cycles started before.
   */
  figureNotes?: boolean;
}

/** Everything the rules keep between decisions (serialisable; replays identically). */
export interface TaskCycleModel {
  view: TaskCycleState;
  obligations: Obligation[];
  /** An extension asked for and not yet decided, with the obligation it would move. */
  pendingExtension: { workingDays: number; reason: string; obligationKey: string } | null;
  /** Counters that name steps uniquely: mail keys and submission sequences. */
  tally: { extensionRequests: number; extensionDecisions: number; nudges: number; inputs: Record<string, number> };
  /** The last progress report's reading, for the status light on approval (with why completion is over 100 or missing). */
  reading: {
    state: DeclaredState;
    completion: number | null;
    growth: number | null;
    /** Who sent the report (absent in models rebuilt from commands recorded before): they never review it. */
    reportedBy?: string;
    exceeded?: Exceeded;
    incomparable?: Incomparable[];
    /** The levels its limit targets stand at (edition 2). */
    limits?: LimitReading[];
  } | null;
  /** Events recorded so far: the next one is seq + 1. */
  seq: number;
  /** Once the close has begun no command is accepted. */
  closing: boolean;
  /** The 督办单 issued or proposed so far (absent before they existed). */
  notices?: SupervisionNotice[];
  /** The task was closed or cancelled while the quarter ran (`strikeOffTaskCycle`); absent otherwise. */
  struckOff?: StrikeOffRequest['as'];
}

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
  | 'notice_proposed'
  | 'notice_issued'
  | 'notice_replied'
  | 'notice_asked_again'
  | 'notice_closed'
  /** The calendar was amended and a deadline moved: details name each deadline's from and to. */
  | 'calendar_replanned'
  /** The task was closed (办结销号) or cancelled by an approved request: nothing more is owed this quarter. */
  | 'struck_off'
  | 'closed';

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
  /** A 督办单 to the lead unit (issued, or asked again). */
  | 'notice'
  /** One person's reminders of one working day. */
  | 'digest';

/** What a queued reminder owes (a line of the day's digest). */
/**
 * notice: a 督查室 line about a 督办单 or an escalation; notice_to_unit: a 督办单 issued to the unit at the
 * ladder's step (it heads the unit's digest of that morning); approved: the report was approved (news);
 * instruction: an answer to a 领导批示 is due or late (queued by the instruction's reminders, never by the rules).
 */
export type DigestOwed =
  'progress' | 'input' | 'review' | 'catch_up' | 'co_late' | 'notice' | 'notice_to_unit' | 'approved' | 'instruction';

/** What a mail or digest line says about its task; the templates word it. */
export interface MailFacts {
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
  /**
   * Nobody acts for the line (the person it was for left, or the role names no one): it came to the
   * coordinators, who are asked to name someone. Set outside the rules (libs/digest, the worker).
   */
  unattended?: boolean;
  /** The deadline's day (YYYY-MM-DD) before an amended calendar moved it: the unit is told it moved. */
  movedFrom?: string;
  /** A 领导批示 line (owed 'instruction'): the instruction it is about. Set outside the rules (the worker). */
  instructionId?: string;
  /** A 督办单: its seq in the task-cycle, state after this step, reply deadline and text (requirement or reply). */
  notice?: { seq: number; state: NoticeState; replyDeadlineAt: string | null; text?: string };
}

/** What a submission stores: the reading is computed once, by the rules. */
export interface SubmissionToStore {
  unitId: string;
  kind: 'progress' | 'input' | 'catch_up';
  /** The n-th submission of this kind by this unit in the task-cycle. */
  sequence: number;
  actorId: string;
  narrative: string;
  reading: Pick<ProgressReading, 'state' | 'completion' | 'growth' | 'statedRate' | 'readings'> &
    Partial<Pick<ProgressReading, 'limits'>>;
  /** The figures typed per target (progress reports), null when none. */
  figures: Figures | null;
}

/** What a decision asks the workflow to do, in order. */
export type TaskCycleEffect =
  | {
      kind: 'record';
      seq: number;
      event: TaskCycleEventKind;
      details: Record<string, unknown>;
      actor: { userId: string; role: ActorRole } | null;
      unitId: string | null;
      /** Add the stored submission's version to the details. */
      withVersion?: boolean;
    }
  /** Mail at once (escalations, returns, approvals, extension and catch-up notices, nudges). */
  | { kind: 'mail'; step: string; sequence: number; mail: CycleMailKind; audiences: Audience[]; facts: MailFacts }
  /** A line in each recipient's digest of the day. */
  | {
      kind: 'queue';
      step: string;
      stepAt: string;
      owed: DigestOwed;
      unitId: string;
      audiences: Audience[];
      facts: MailFacts;
    }
  /** The search attributes (status, deadline) changed. */
  | { kind: 'publish' };

/** A decision: the new model, what to store first (when anything), and the effects to carry out after. */
export interface Decision {
  model: TaskCycleModel;
  store: SubmissionToStore | null;
  effects: TaskCycleEffect[];
}
