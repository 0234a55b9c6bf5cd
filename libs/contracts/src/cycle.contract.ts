/**
 * Contract of the quarterly cycle: the cycle workflow (plan × quarter), the
 * task-cycle workflow (task × quarter), the Updates people send them through
 * the API, and the activities they call. Definitions only; the API, the CLI,
 * the worker and the workflows all import them from here.
 */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type {
  ActorRole,
  Audience,
  CatchUpPlanRequest,
  ClockMode,
  CycleConfig,
  CycleMailKind,
  DigestOwed,
  ExtensionDecision,
  ExtensionRequest,
  MailFacts,
  NoticeRequest,
  NudgeRequest,
  RejectionCode,
  ReviewRequest,
  StrikeOffRequest,
  ScheduleInstants,
  SubmissionToStore,
  SubmitInputRequest,
  SubmitProgressRequest,
  TaskCycleEventKind,
  TaskCycleSetup,
  TaskCycleState,
} from '#domain';

// The task-cycle's own vocabulary lives with its rules in libs/domain; these names are the contract's.
export type {
  Actor,
  ActorRole,
  Audience,
  CatchUpPlanRequest,
  CatchUpState,
  CycleMailKind,
  DigestOwed,
  ExtensionDecision,
  ExtensionRequest,
  ExtensionState,
  NoticeAction,
  NoticeRequest,
  NudgeRequest,
  ReturnReason,
  ReviewRequest,
  StrikeOffRequest,
  SubmitInputRequest,
  SubmitProgressRequest,
  TaskCycleEventKind,
  TaskCycleState,
  TaskCycleStatus,
  CycleUnit as UnitRef,
} from '#domain';
export { RETURN_REASONS } from '#domain';

/**
 * How a rehearsal's simulated days advance. Always by the work: a day ends
 * only when every open task-cycle has carried out its steps, the day's
 * digests are sent and (simulate) the simulated people have acted, so what
 * happens on which simulated day never depends on the machine's load.
 * auto: then the next day begins, not sooner than `daySeconds` after this
 * one began (a pace for people who watch); manual: the next day begins when
 * someone asks (the nextDay Update: tests, step-by-step checks).
 */
export type RehearsalPace = 'auto' | 'manual';

/** A rehearsal's start is fixed by the cycle workflow when the caller leaves it out. */
export type CycleClockInput =
  | Exclude<ClockMode, { kind: 'rehearsal' }>
  | {
      kind: 'rehearsal';
      /** One simulated working day's length on the rehearsal's nominal grid, and the auto pace. */
      daySeconds: number;
      startedAt?: string;
      /** Default auto. */
      pace?: RehearsalPace;
      /** Simulated people act each day (the rehearsal simulator in the worker). Default false. */
      simulate?: boolean;
    };

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
  assignmentsSent: boolean;
  /** The instant the last daily digest was due: the next run goes on from the day after it. */
  lastDigestAt: string | null;
  /** A rehearsal's simulated working day whose work is done (-1 before the opening day's). */
  rehearsalDay: number;
}

/** Where a rehearsal stands: its simulated working day (0 = the opening day) and the day it closes. */
export interface RehearsalDay {
  day: number;
  closeDay: number;
  /** The calendar date of `day` as people see it. */
  date: string;
  /** Whether the cycle has closed. */
  closed: boolean;
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
  /** The cycle's working-day grid (dates from the opening day), as its task-cycles count on it. */
  workingDays: string[];
}

/** What a task-cycle workflow starts with: the cycle's numbers, its instants and working-day grid, the task. */
export type TaskCycleInput = Omit<TaskCycleSetup, 'taskCycleId' | 'notices'> & { planId: string };

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
/** A 督办单 issued, replied to, accepted, asked again or withdrawn. */
export const noticeUpdate = defineUpdate<UpdateAnswer, [NoticeRequest]>('notice');
/**
 * patched() id: task-cycles started with it issue 督办单 to the lead unit and
 * tell the 督查室 in its daily digest; those started before mail each
 * escalation to the coordinators (docs/architecture.md, versioning).
 */
export const NOTICE_PATCH = 'supervision-notice';
/** Task-cycles read figures by edition 2 and judge limits and reductions by their direction (docs/architecture.md, versioning). */
export const READING_PATCH = 'reading-edition-2';
/** Task-cycles read figures by edition 3: work started ("已开工28个") is no figure of work done (docs/architecture.md, versioning). */
export const READING_PATCH_3 = 'reading-edition-3';
/** Task-cycles check a report's figures when it is submitted and record the notes with it (docs/architecture.md, versioning). */
export const FIGURE_NOTES_PATCH = 'figure-notes';
export const taskCycleStateQuery = defineQuery<TaskCycleState>('taskCycleState');
/**
 * A rehearsal's clock reached working day `day`: the task-cycle carries out
 * that day's steps and answers when they are done (a day already reached is
 * answered at once). closed: the task-cycle has closed meanwhile.
 */
export const advanceDayUpdate = defineUpdate<{ day: number; closed: boolean }, [{ day: number }]>('advanceDay');
/**
 * The calendar was amended while the cycle runs: the task-cycle places its future instants on the
 * new grid (`replanCalendar` in libs/domain) and answers its state; the cycle keeps the new grid and
 * instants for its digests and its close. Sent once per amendment (update id `calendar-{hash}`).
 */
export const replanCalendarUpdate = defineUpdate<
  { state: TaskCycleState | null; closed: boolean },
  [{ workingDays: string[]; instants: ScheduleInstants }]
>('replanCalendar');
export const replanCycleUpdate = defineUpdate<
  { closeAt: string },
  [{ workingDays: string[]; instants: ScheduleInstants }]
>('replanCycle');
/**
 * The task was closed (办结销号) or cancelled by the 督查室's approval while this quarter runs: the task-cycle
 * settles everything it owed and ends (`strikeOffTaskCycle` in libs/domain). Answers its state; closed: it had
 * ended already. Sent by the API with update id `strike-off-{requestId}`, so a retry is taken once. A handler
 * that runs only when this Update comes: histories without one replay as before (docs/architecture.md).
 */
export const strikeOffTaskUpdate = defineUpdate<{ state: TaskCycleState; closed: boolean }, [StrikeOffRequest]>(
  'strikeOffTask',
);
/** A rehearsal paced manually: run the days up to `through` (default: the next) and answer when their work is done. */
export const nextDayUpdate = defineUpdate<RehearsalDay, [{ through?: number }]>('nextDay');
/** Where a rehearsal stands. */
export const rehearsalDayQuery = defineQuery<RehearsalDay>('rehearsalDay');

/** Codes an Update is rejected with (ApplicationFailure type); the API maps them to HTTP through the error table. */
export type UpdateRejection = RejectionCode;

// ---- activities -----------------------------------------------------------

export interface TaskCycleEvent {
  taskCycleId: string;
  /** What the read model's row is keyed on (written with the first event). */
  ref: {
    cycleId: string;
    taskId: string;
    ordinal: number;
    leadUnitId: string;
    /** The task version the task-cycle started with (absent before it was carried: the version current at the first event). */
    taskVersionId?: string;
  };
  /** Position in the task-cycle's timeline: a replayed activity writes the same row again, not a second one. */
  seq: number;
  kind: TaskCycleEventKind;
  at: string;
  actor: { userId: string; role: ActorRole } | null;
  unitId: string | null;
  details: Record<string, unknown>;
  state: TaskCycleState;
}

export interface NotifyInput {
  cycleId: string;
  taskCycleId: string;
  /** Step name in the idempotency key: 'lead:remind:3', 'lead-2:overdue:1', 'nudge' … */
  step: string;
  /** The instant decided (a rehearsal's simulated instant): names the mail's working day. */
  at?: string;
  sequence: number;
  kind: CycleMailKind;
  audiences: Audience[];
  facts: MailFacts;
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

/** A submission to store, its reading computed by the rules (never again here). */
export interface StoreSubmissionInput extends SubmissionToStore {
  cycleId: string;
  taskCycleId: string;
  taskId: string;
  quarter: string;
}

/** The stored submission's version (counted over every source of the task's quarter, imports included). */
export interface StoredSubmission {
  version: number;
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
  }): Promise<{ started: number; existing: number; lastOrdinal: number | null }>;
  recordEvent(event: TaskCycleEvent): Promise<void>;
  storeSubmission(input: StoreSubmissionInput): Promise<StoredSubmission>;
  notify(input: NotifyInput): Promise<NotifyResult>;
  /** One assignment email per person at the cycle's opening, listing all their tasks (lead and co-unit). */
  sendAssignments(input: { cycleId: string; at?: string }): Promise<NotifyResult>;
  /**
   * A rehearsal's next simulated working day begins: every open task-cycle
   * carries out its steps of `day` (the advanceDay Update, answered when done),
   * and the cycle's current day is recorded for the people who look.
   */
  beginDay(input: { cycleId: string; day: number }): Promise<{ taskCycles: number; open: number }>;
  /** The simulated people act on `day` of a rehearsal (its simulator's plan); refusals are recorded, not thrown. */
  simulateDay(input: { cycleId: string; day: number }): Promise<{ actions: number; refused: number }>;
  /** Queues a reminder for the recipients' digest of the day. */
  queueReminder(input: QueueReminderInput): Promise<{ recipients: number }>;
  /** The instant of the next daily digest after `after`: each working day's morning plus a settling delay. */
  nextDigestAt(input: { cycleId: string; after: string }): Promise<string>;
  /**
   * Sends each person with queued reminders one digest for the day (none twice); finishes unsent ones.
   * at: the instant the digest was due (names its working day).
   */
  sendDigests(input: { cycleId: string; final?: boolean; at?: string }): Promise<DigestRun>;
  cycleProgress(input: { cycleId: string }): Promise<{ total: number; open: number }>;
  /** at: the close's instant (a rehearsal's simulated one), naming the report mail's day. */
  closeCycle(input: { cycleId: string; at?: string }): Promise<CycleReportSummary>;
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
  /** approved + awaitingReview + unreported (+ struckOff) = tasks. */
  approved: number;
  awaitingReview: number;
  unreported: number;
  /** Closed (办结销号) or cancelled while the quarter ran; absent in summaries made before. */
  struckOff?: number;
}
