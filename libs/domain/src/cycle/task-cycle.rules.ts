/**
 * The rules of one task-cycle (one task × one quarter), as pure decisions:
 * given the setup, the model and an instant, what changes and what must be
 * done (events to record, mail to send or queue for the day's digest, the
 * search attributes to publish, a submission to store first). The workflow
 * only waits, asks these functions and carries out their effects.
 *
 * The steps, as docs/architecture.md numbers them:
 * 1. open: the lead unit and each co-unit owe their part (`openTaskCycle`);
 * 2–4. the clock brings reminders before and on each deadline, then a notice
 *    every working day late: the leader copied, the backup (AB角) told, a
 *    督办单 to the coordinator (`advanceClock`);
 * 5–6. a submission owes a review; a return owes a resubmission by the later
 *    of the unit's current deadline and the return day + the configured
 *    working days (a return never gives less time than the unit had);
 * 7. approval sets the light; red escalates and owes a catch-up plan;
 * 8. an extension moves the unit's deadline later, never earlier;
 * 9. the close (`closeTaskCycle`).
 */
import { explainCompletion, readProgress, type ReadingEdition } from '../plan/index.js';

/**
 * The reading of figures a task-cycle judges by: the edition asked at its
 * start (READING_PATCH_3, else READING_PATCH), 1 for those started before — fixed for its life,
 * because a running workflow replays its decisions.
 */
function readingOf(setup: Pick<TaskCycleSetup, 'readingEdition'>): ReadingEdition {
  return setup.readingEdition ?? 1;
}
import {
  dueSteps,
  nextStepAt,
  daysLate,
  obligationFromDays,
  stepId,
  type Obligation,
  type ObligationStep,
} from './obligation.js';
import { figureNotes } from './figure-notes.js';
import { parseQuarter } from '../quarter.js';
import { evaluateLight } from './status-light.js';
import { dayIndexOf, laterOf, morningOf, workingDaysAfterOnGrid, type WorkingDayGrid } from './working-day-grid.js';
import type { ScheduleInstants } from './schedule-clock.js';
import {
  RETURN_REASONS,
  type Actor,
  type Audience,
  type NoticeCause,
  type NoticeOutcome,
  type SupervisionNotice,
  type StrikeOffRequest,
  type CycleMailKind,
  type Decision,
  type DigestOwed,
  type MailFacts,
  type Rejection,
  type SubmissionToStore,
  type TaskCycleCommand,
  type TaskCycleEffect,
  type TaskCycleEventKind,
  type TaskCycleModel,
  type TaskCycleSetup,
} from './task-cycle.model.js';
import { activeLeadObligation, validateCommand } from './task-cycle.validators.js';

/** A command refused, or the decision it leads to. */
export type CommandOutcome = { rejection: Rejection } | Decision;

/** Whether nothing more is owed: struck off, or approved, any catch-up plan in, and every 督办单 closed. */
export function isFinished(model: TaskCycleModel): boolean {
  const { view } = model;
  if (model.struckOff) return true;
  return (
    view.status === 'approved' &&
    (view.catchUp === null || view.catchUp === 'submitted') &&
    (model.notices ?? []).every((n) => n.state === 'closed')
  );
}

/** The instant the task-cycle next has something to do by itself: its next step, or the close. */
export function nextWakeAt(setup: TaskCycleSetup, model: TaskCycleModel): string {
  const closeAt = Date.parse(setup.instants.closeAt);
  const upcoming = model.obligations
    .map(nextStepAt)
    .filter((at): at is string => at !== null)
    .map((at) => Date.parse(at));
  return new Date(Math.min(closeAt, ...upcoming)).toISOString();
}

/** One decision in the making: a private copy of the model and the effects so far. */
class Decider {
  readonly model: TaskCycleModel;
  readonly effects: TaskCycleEffect[] = [];
  store: SubmissionToStore | null = null;

  constructor(
    readonly setup: TaskCycleSetup,
    model: TaskCycleModel,
    readonly at: string,
  ) {
    this.model = JSON.parse(JSON.stringify(model)) as TaskCycleModel;
  }

  get view() {
    return this.model.view;
  }
  get lead() {
    return this.setup.task.leadUnit;
  }
  get leadReporters(): Audience {
    return { unitId: this.lead.id, roles: ['reporter'] };
  }
  get supervisors(): Audience {
    return { role: 'supervisor', unitId: this.lead.id };
  }
  get coordinators(): Audience {
    return { role: 'coordinator' };
  }

  facts(extra: Partial<MailFacts> = {}): MailFacts {
    const { task } = this.setup;
    return { ordinal: task.ordinal, content: task.content, leadUnit: task.leadUnit.name, ...extra };
  }

  record(
    event: TaskCycleEventKind,
    details: Record<string, unknown> = {},
    who: { actor?: Actor; unitId?: string } = {},
    withVersion = false,
  ): void {
    this.model.seq += 1;
    this.effects.push({
      kind: 'record',
      seq: this.model.seq,
      event,
      details,
      actor: who.actor ? { userId: who.actor.userId, role: who.actor.role } : null,
      unitId: who.unitId ?? null,
      ...(withVersion ? { withVersion } : {}),
    });
  }

  mail(
    step: string,
    sequence: number,
    mail: CycleMailKind,
    audiences: Audience[],
    extra: Partial<MailFacts> = {},
  ): void {
    this.effects.push({ kind: 'mail', step, sequence, mail, audiences, facts: this.facts(extra) });
  }

  queue(
    step: string,
    stepAt: string,
    owed: DigestOwed,
    unitId: string,
    audiences: Audience[],
    extra: Partial<MailFacts> = {},
  ): void {
    this.effects.push({ kind: 'queue', step, stepAt, owed, unitId, audiences, facts: this.facts(extra) });
  }

  publish(): void {
    if (!this.effects.some((e) => e.kind === 'publish')) this.effects.push({ kind: 'publish' });
  }

  settle(predicate: (o: Obligation) => boolean): void {
    for (const o of this.model.obligations) if (!o.settledAt && predicate(o)) o.settledAt = this.at;
  }

  /** A new obligation due `workingDays` after the day of `from`, with its reminders and overdue days up to the close. */
  oblige(
    key: string,
    party: Obligation['party'],
    unitId: string | null,
    workingDays: number,
    from = this.at,
  ): Obligation {
    const days = workingDaysAfterOnGrid(this.setup.grid, from, workingDays + this.setup.config.closeAfterWorkingDays);
    const obligation = obligationFromDays({
      key,
      party,
      unitId,
      days,
      workingDays,
      remindersBefore: this.setup.config.reminderWorkingDaysBefore,
      createdAt: this.at,
    });
    this.model.obligations.push(obligation);
    return obligation;
  }

  decision(): Decision {
    return { model: this.model, store: this.store, effects: this.effects };
  }
}

/** The task-cycle at its start (step 1): the lead unit's and each co-unit's obligation, and the assignment recorded. */
export function openTaskCycle(setup: TaskCycleSetup, at: string): Decision {
  const { instants, task } = setup;
  const empty: TaskCycleModel = {
    view: {
      status: 'assigned',
      light: null,
      lightReason: null,
      expected: null,
      completion: null,
      incomparableWhy: null,
      leadDeadlineAt: instants.leadDeadlineAt,
      currentDeadlineAt: instants.leadDeadlineAt,
      coUnitDeadlineAt: task.coUnits.length > 0 ? instants.coUnitDeadlineAt : null,
      reviewDeadlineAt: null,
      daysLate: 0,
      submissions: 0,
      returns: 0,
      reminders: 0,
      escalations: 0,
      extension: null,
      catchUp: null,
      submittedAt: null,
      approvedAt: null,
      closedAt: null,
      coInputs: Object.fromEntries(task.coUnits.map((u) => [u.id, null])),
    },
    obligations: [
      {
        key: 'lead',
        party: 'lead',
        unitId: task.leadUnit.id,
        deadlineAt: instants.leadDeadlineAt,
        reminders: instants.leadReminders,
        overdueAt: instants.leadOverdueAt,
        done: [],
        settledAt: null,
      },
      ...task.coUnits.map((unit): Obligation => ({
        key: `co:${unit.id}`,
        party: 'co',
        unitId: unit.id,
        deadlineAt: instants.coUnitDeadlineAt,
        reminders: instants.coUnitReminders,
        overdueAt: instants.coUnitOverdueAt,
        done: [],
        settledAt: null,
      })),
    ],
    pendingExtension: null,
    tally: { extensionRequests: 0, extensionDecisions: 0, nudges: 0, inputs: {} },
    reading: null,
    seq: 0,
    closing: false,
  };
  const d = new Decider(setup, empty, at);
  d.record('assigned', {
    leadUnit: task.leadUnit.name,
    coUnits: task.coUnits.map((u) => u.name),
    deadlineAt: instants.leadDeadlineAt,
    coUnitDeadlineAt: empty.view.coUnitDeadlineAt,
  });
  return d.decision();
}

/**
 * What a person's command at `at` does (steps 5–8), or why it is refused
 * (the same answer the Update's validator gave, re-checked against the model
 * as it stands when the command's turn comes).
 */
export function decideCommand(
  setup: TaskCycleSetup,
  model: TaskCycleModel,
  command: TaskCycleCommand,
  at: string,
): CommandOutcome {
  const rejection = validateCommand(setup, model, command, at);
  if (rejection) return { rejection };
  const d = new Decider(setup, model, at);
  switch (command.kind) {
    case 'submitProgress':
      submitProgress(d, command.request);
      break;
    case 'submitInput':
      submitInput(d, command.request);
      break;
    case 'review':
      if (command.request.decision === 'approve') approve(d, command.request);
      else giveBack(d, command.request);
      break;
    case 'requestExtension':
      requestExtension(d, command.request);
      break;
    case 'decideExtension':
      decideExtension(d, command.request);
      break;
    case 'nudge':
      nudge(d, command.request);
      break;
    case 'submitCatchUpPlan':
      submitCatchUpPlan(d, command.request);
      break;
    case 'notice':
      handleNotice(d, command.request);
      break;
  }
  return d.decision();
}

type Request<K extends TaskCycleCommand['kind']> = Extract<TaskCycleCommand, { kind: K }>['request'];

function submitProgress(d: Decider, request: Request<'submitProgress'>): void {
  const { view, model, lead } = d;
  // Late by the deadline the unit works to, at the instant of the report (not by the last step carried out).
  const active = activeLeadObligation(model);
  const late = active ? daysLate(active, Date.parse(d.at)) > 0 : view.daysLate > 0;
  d.settle((o) => o.party === 'lead' && o.key !== 'catch-up');
  // The lead unit's report stands for the task: co-units no longer owe input.
  d.settle((o) => o.party === 'co');
  view.status = 'submitted';
  view.submittedAt = d.at;
  view.submissions += 1;
  if (model.pendingExtension) {
    // Reported before the coordinator decided: the request no longer applies.
    model.pendingExtension = null;
    view.extension = 'withdrawn';
  }
  const reading = readSubmission(request, d.setup);
  const explained = explainCompletion(reading.completion, reading.readings, d.setup.task.targets);
  model.reading = {
    state: reading.state,
    completion: reading.completion,
    growth: reading.growth,
    ...explained,
    ...(reading.limits ? { limits: reading.limits } : {}),
    reportedBy: request.actor.userId,
  };
  view.completion = reading.completion;
  // Left out of every average, and the dashboard says why: decided once, here.
  view.incomparableWhy = reading.completion === null ? (explained.incomparable[0]?.why ?? null) : null;
  d.store = {
    unitId: lead.id,
    kind: 'progress',
    sequence: view.submissions,
    actorId: request.actor.userId,
    narrative: request.narrative,
    reading,
    figures: request.figures ?? null,
  };
  const review = d.oblige(`review-${view.submissions}`, 'supervisor', lead.id, d.setup.config.reviewWorkingDays);
  view.reviewDeadlineAt = review.deadlineAt;
  d.publish();
  const notes = d.setup.figureNotes
    ? figureNotes(
        request,
        readProgress(request.narrative, d.setup.task.targets, readingOf(d.setup)),
        d.setup.task.targets,
      )
    : [];
  d.record(
    'submitted',
    { sequence: view.submissions, completion: reading.completion, late, ...(notes.length > 0 ? { notes } : {}) },
    { actor: request.actor, unitId: lead.id },
    true,
  );
  // A report to review is a pending item of the supervisors: a line in their next digest.
  d.queue(`submitted-${view.submissions}`, d.at, 'review', lead.id, [d.supervisors], { deadlineAt: review.deadlineAt });
}

/**
 * A report's reading, computed once: the figures the reporter gave win over
 * what the narrative says; a declared completion counts as 100%.
 */
export function readSubmission(
  request: {
    narrative: string;
    declaredState?: SubmissionToStore['reading']['state'];
    completion?: number | null;
    growth?: number | null;
  },
  setup: Pick<TaskCycleSetup, 'task' | 'readingEdition'>,
): SubmissionToStore['reading'] {
  const narrative = readProgress(request.narrative, setup.task.targets, readingOf(setup));
  const state = request.declaredState ?? narrative.state;
  return {
    state,
    completion: request.completion ?? (state === 'completed' ? 100 : narrative.completion),
    growth: request.growth ?? narrative.growth,
    statedRate: narrative.statedRate,
    readings: narrative.readings,
    // Edition 1 judged no limit: its stored readings stay as they were.
    ...(readingOf(setup) >= 2 ? { limits: narrative.limits } : {}),
  };
}

function submitInput(d: Decider, request: Request<'submitInput'>): void {
  const { model, view } = d;
  const obligation = model.obligations.find((o) => o.key === `co:${request.unitId}`);
  const late = obligation ? daysLate(obligation, Date.parse(d.at)) > 0 : false;
  d.settle((o) => o.key === `co:${request.unitId}`);
  view.coInputs[request.unitId] = d.at;
  const sequence = (model.tally.inputs[request.unitId] = (model.tally.inputs[request.unitId] ?? 0) + 1);
  const reading = readProgress(request.narrative, d.setup.task.targets, readingOf(d.setup));
  d.store = {
    unitId: request.unitId,
    kind: 'input',
    sequence,
    actorId: request.actor.userId,
    narrative: request.narrative,
    reading,
    figures: null,
  };
  d.record('input_submitted', { sequence, late }, { actor: request.actor, unitId: request.unitId }, true);
}

function approve(d: Decider, request: Request<'review'>): void {
  const { view, model, lead, setup } = d;
  d.settle((o) => o.party === 'supervisor');
  view.reviewDeadlineAt = null;
  const reading = model.reading ?? { state: 'none' as const, completion: null, growth: null };
  const period = parseQuarter(setup.quarter);
  const result = evaluateLight(
    {
      quarter: period.quarter,
      ...(period.month ? { month: period.month } : {}),
      // The quarter's milestone, when the plan sets one in numbers; else the default curve.
      ...(typeof setup.task.milestone?.expected === 'number' ? { milestone: setup.task.milestone.expected } : {}),
      state: reading.state,
      completion: reading.completion,
      growth: reading.growth,
      targets: setup.task.targets,
      ...(reading.exceeded ? { exceeded: reading.exceeded } : {}),
      ...(reading.incomparable ? { incomparable: reading.incomparable } : {}),
      ...('limits' in reading && reading.limits ? { limits: reading.limits } : {}),
    },
    setup.config,
    { directions: readingOf(setup) >= 2 },
  );
  view.status = 'approved';
  view.approvedAt = d.at;
  view.light = result.light;
  view.lightReason = result.reason;
  view.expected = result.expected;
  const comment = request.comment ?? null;
  d.publish();
  d.record(
    'approved',
    { light: result.light, reason: result.reason, comment, sequence: view.submissions },
    { actor: request.actor, unitId: lead.id },
  );
  const approval = { light: result.light, lightReason: result.reason, ...(comment ? { comment } : {}) };
  // Not urgent: a line in the unit's next digest (before 督办单: a mail of its own).
  if (setup.notices) d.queue(`approved-${view.submissions}`, d.at, 'approved', lead.id, [d.leadReporters], approval);
  else d.mail('approved', 1, 'approval', [d.leadReporters], approval);
  if (result.light !== 'red') return;
  // Step 7: red escalates to the coordinator and asks the unit for a catch-up plan (整改措施).
  view.catchUp = 'due';
  view.escalations += 1;
  const catchUp = d.oblige('catch-up', 'lead', lead.id, setup.config.catchUpPlanWorkingDays);
  d.record('escalated', { level: 'coordinator', reason: 'red', lightReason: result.reason });
  const red = { lightReason: result.reason, light: 'red' as const, cause: 'red' as const };
  // The 督查室 hears of it in its daily digest (before 督办单: a mail each).
  if (setup.notices) d.queue('escalation:red', d.at, 'notice', lead.id, [d.coordinators], red);
  else d.mail('escalation:red', 1, 'escalation', [d.coordinators], red);
  d.record('catch_up_requested', { deadlineAt: catchUp.deadlineAt }, { unitId: lead.id });
  const owed = { deadlineAt: catchUp.deadlineAt, lightReason: result.reason };
  // Due in working days, not today: the unit's next digest asks for it (before 督办单: a mail of its own).
  if (setup.notices) d.queue('catch-up', d.at, 'catch_up', lead.id, [d.leadReporters], owed);
  else d.mail('catch-up', 1, 'catch_up', [d.leadReporters], owed);
}

/** Step 6: a return; the new deadline is never earlier than the one the unit had. */
function giveBack(d: Decider, request: Request<'review'>): void {
  const { view, lead, setup } = d;
  d.settle((o) => o.party === 'supervisor');
  view.reviewDeadlineAt = null;
  view.returns += 1;
  view.status = 'returned';
  view.daysLate = 0;
  const today = dayIndexOf(setup.grid, d.at);
  const current = dayIndexOf(setup.grid, view.currentDeadlineAt);
  const workingDays = Math.max(setup.config.returnWorkingDays, current - today);
  const again = d.oblige(`lead-${view.returns + 1}`, 'lead', lead.id, workingDays);
  view.currentDeadlineAt = again.deadlineAt;
  d.publish();
  const reason = RETURN_REASONS[request.reason!];
  d.record(
    'returned',
    {
      reason: request.reason,
      comment: request.comment ?? null,
      deadlineAt: again.deadlineAt,
      sequence: view.submissions,
    },
    { actor: request.actor, unitId: lead.id },
  );
  d.mail(`returned-${view.returns}`, 1, 'return', [d.leadReporters], {
    deadlineAt: again.deadlineAt,
    reason: `${reason.zh} / ${reason.en}`,
    reasonCode: request.reason,
    ...(request.comment ? { comment: request.comment } : {}),
  });
}

function requestExtension(d: Decider, request: Request<'requestExtension'>): void {
  const { model, view, lead } = d;
  model.pendingExtension = {
    workingDays: request.workingDays,
    reason: request.reason,
    obligationKey: activeLeadObligation(model)!.key,
  };
  view.extension = 'requested';
  const sequence = (model.tally.extensionRequests += 1);
  d.record(
    'extension_requested',
    { workingDays: request.workingDays, reason: request.reason },
    { actor: request.actor, unitId: lead.id },
  );
  d.mail(`extension-requested-${sequence}`, 1, 'extension', [d.coordinators], {
    reason: request.reason,
    deadlineAt: view.currentDeadlineAt,
    workingDays: request.workingDays,
  });
}

/** Step 8: a granted extension counts from the deadline asked about (from today once that has passed). */
function decideExtension(d: Decider, request: Request<'decideExtension'>): void {
  const { model, view, lead } = d;
  const asked = model.pendingExtension!;
  model.pendingExtension = null;
  const sequence = (model.tally.extensionDecisions += 1);
  view.extension = request.grant ? 'granted' : 'refused';
  if (request.grant) {
    const current = model.obligations.find((o) => o.key === asked.obligationKey && !o.settledAt);
    if (current) {
      d.settle((o) => o === current);
      const from = Date.parse(current.deadlineAt) > Date.parse(d.at) ? current.deadlineAt : d.at;
      const moved = d.oblige(`lead-ext-${sequence}`, 'lead', lead.id, asked.workingDays, from);
      view.currentDeadlineAt = moved.deadlineAt;
      if (view.status === 'overdue') view.status = view.returns > 0 ? 'returned' : 'assigned';
      view.daysLate = 0;
    }
    d.publish();
  }
  d.record(
    request.grant ? 'extension_granted' : 'extension_refused',
    { workingDays: asked.workingDays, comment: request.comment ?? null, deadlineAt: view.currentDeadlineAt },
    { actor: request.actor, unitId: lead.id },
  );
  d.mail(`extension-decided-${sequence}`, 1, 'extension', [d.leadReporters], {
    deadlineAt: view.currentDeadlineAt,
    reason: request.grant ? '延期已批准 / extension granted' : '延期未获批准 / extension refused',
    granted: request.grant,
    ...(request.comment ? { comment: request.comment } : {}),
  });
}

function nudge(d: Decider, request: Request<'nudge'>): void {
  const { model, view, lead } = d;
  const sequence = (model.tally.nudges += 1);
  const toSupervisor = view.status === 'submitted';
  d.record(
    'nudged',
    { comment: request.comment ?? null, to: toSupervisor ? 'supervisor' : 'unit' },
    { actor: request.actor, unitId: lead.id },
  );
  d.mail(
    'nudge',
    sequence,
    'nudge',
    toSupervisor ? [d.supervisors] : [{ unitId: lead.id, roles: ['reporter', 'leader'] }],
    {
      deadlineAt: toSupervisor ? (view.reviewDeadlineAt ?? undefined) : view.currentDeadlineAt,
      ...(request.comment ? { comment: request.comment } : {}),
    },
  );
}

function submitCatchUpPlan(d: Decider, request: Request<'submitCatchUpPlan'>): void {
  const { view, lead } = d;
  d.settle((o) => o.key === 'catch-up');
  view.catchUp = 'submitted';
  d.store = {
    unitId: lead.id,
    kind: 'catch_up',
    sequence: 1,
    actorId: request.actor.userId,
    narrative: request.plan,
    reading: readProgress(request.plan, d.setup.task.targets, readingOf(d.setup)),
    figures: null,
  };
  d.record('catch_up_submitted', {}, { actor: request.actor, unitId: lead.id }, true);
}

/**
 * Steps 2–5 and the review's rhythm: every step due at `at` and not yet
 * carried out, oldest first; each fires once, and none for a settled
 * obligation.
 */
export function advanceClock(setup: TaskCycleSetup, model: TaskCycleModel, at: string): Decision {
  const d = new Decider(setup, model, at);
  const now = Date.parse(at);
  const due = d.model.obligations
    .flatMap((obligation) => dueSteps(obligation, now).map((step) => ({ obligation, step })))
    .sort((a, b) => Date.parse(a.step.at) - Date.parse(b.step.at));
  for (const { obligation, step } of due) {
    obligation.done.push(stepId(step));
    carryOut(d, obligation, step);
  }
  return d.decision();
}

function carryOut(d: Decider, obligation: Obligation, step: ObligationStep): void {
  if (obligation.party === 'supervisor') reviewStep(d, obligation, step);
  else if (obligation.party === 'co') coUnitStep(d, obligation, step);
  else leadStep(d, obligation, step);
}

function escalate(
  d: Decider,
  obligation: Obligation,
  step: ObligationStep & { kind: 'overdue' },
  cause: 'overdue' | 'review_overdue' | 'catch_up_overdue',
): void {
  if (step.daysLate !== d.setup.config.escalatedAfterWorkingDays) return;
  const reasons = {
    overdue: '逾期未报 / progress overdue',
    review_overdue: '审核逾期 / review overdue',
    catch_up_overdue: '整改措施逾期 / catch-up plan overdue',
  };
  d.view.escalations += 1;
  const facts = { deadlineAt: obligation.deadlineAt, daysLate: step.daysLate, reason: reasons[cause], cause };
  if (!d.setup.notices) {
    d.record('escalated', { level: 'coordinator', reason: cause, daysLate: step.daysLate });
    d.mail(`${obligation.key}:escalation`, 1, 'escalation', [d.coordinators], facts);
    return;
  }
  if (cause === 'review_overdue') {
    // A late review is the 督查室's own business with its supervisors: a line in its daily digest.
    d.record('escalated', { level: 'coordinator', reason: cause, daysLate: step.daysLate });
    d.queue(`${obligation.key}:escalation`, step.at, 'notice', d.lead.id, [d.coordinators], facts);
    return;
  }
  proposeNotice(d, cause, obligation.deadlineAt, step.daysLate);
}

// ---- 督办单 (step 5) ----------------------------------------------------------

const NOTICE_ISSUE_DEFAULT = 'auto';
const NOTICE_REPLY_DEFAULT_WORKING_DAYS = 3;

/** A 督办单 arises: issued to the unit at once, or proposed to the 督查室 (plan setting `noticeIssue`). */
function proposeNotice(d: Decider, cause: NoticeCause, deadlineAt: string, daysLate: number): void {
  const notices = (d.model.notices ??= []);
  const notice: SupervisionNotice = {
    seq: notices.length + 1,
    cause,
    state: 'proposed',
    daysLate,
    deadlineAt,
    proposedAt: d.at,
    issuedAt: null,
    replyDeadlineAt: null,
    askedAgain: 0,
    closedAt: null,
    outcome: null,
  };
  notices.push(notice);
  if ((d.setup.config.noticeIssue ?? NOTICE_ISSUE_DEFAULT) === 'auto') {
    issueNotice(d, notice, null);
    return;
  }
  d.record('notice_proposed', noticeDetails(notice), { unitId: d.lead.id });
  d.queue(`notice-${notice.seq}:proposed`, d.at, 'notice', d.lead.id, [d.coordinators], noticeFacts(notice));
}

/** What the timeline and the register keep of a 督办单 at each step. */
function noticeDetails(notice: SupervisionNotice, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    notice: notice.seq,
    cause: notice.cause,
    state: notice.state,
    daysLate: notice.daysLate,
    deadlineAt: notice.deadlineAt,
    replyDeadlineAt: notice.replyDeadlineAt,
    ...extra,
  };
}

function noticeFacts(notice: SupervisionNotice, text?: string): Partial<MailFacts> {
  return {
    cause: notice.cause,
    deadlineAt: notice.deadlineAt,
    daysLate: notice.daysLate,
    notice: {
      seq: notice.seq,
      state: notice.state,
      replyDeadlineAt: notice.replyDeadlineAt,
      ...(text ? { text } : {}),
    },
  };
}

/** The unit's written reply is due this many working days from now. */
function replyDeadline(d: Decider): string {
  const days = d.setup.config.noticeReplyWorkingDays ?? NOTICE_REPLY_DEFAULT_WORKING_DAYS;
  return workingDaysAfterOnGrid(d.setup.grid, d.at, days)[days - 1]!;
}

/** Issued to the lead unit's reporter and leader, at once; the 督查室 sees it in its next digest. */
function issueNotice(d: Decider, notice: SupervisionNotice, actor: Actor | null): void {
  notice.state = 'issued';
  notice.issuedAt = d.at;
  notice.replyDeadlineAt = replyDeadline(d);
  d.record('notice_issued', noticeDetails(notice), { ...(actor ? { actor } : {}), unitId: d.lead.id });
  const unit: Audience = { unitId: d.lead.id, roles: ['reporter', 'leader'] };
  // Issued at the ladder's step: it heads the unit's digest of the same morning (one mail a day, however many
  // tasks are late); issued by the 督查室 by hand: a mail at once.
  if (actor) d.mail(`notice-${notice.seq}`, 1, 'notice', [unit], noticeFacts(notice));
  else d.queue(`notice-${notice.seq}`, d.at, 'notice_to_unit', d.lead.id, [unit], noticeFacts(notice));
  d.queue(`notice-${notice.seq}:issued`, d.at, 'notice', d.lead.id, [d.coordinators], noticeFacts(notice));
}

function closeNotice(
  d: Decider,
  notice: SupervisionNotice,
  outcome: NoticeOutcome,
  extra: Record<string, unknown>,
  actor?: Actor,
): void {
  notice.state = 'closed';
  notice.closedAt = d.at;
  notice.outcome = outcome;
  d.record('notice_closed', noticeDetails(notice, { outcome, ...extra }), {
    ...(actor ? { actor } : {}),
    unitId: d.lead.id,
  });
}

function handleNotice(d: Decider, request: Request<'notice'>): void {
  const notice = d.model.notices!.find((n) => n.seq === request.notice)!;
  const text = request.text?.trim() || null;
  switch (request.action) {
    case 'issue':
      issueNotice(d, notice, request.actor);
      return;
    case 'reply':
      notice.state = 'replied';
      d.record('notice_replied', noticeDetails(notice, { reply: text }), { actor: request.actor, unitId: d.lead.id });
      d.queue(
        `notice-${notice.seq}:replied-${notice.askedAgain + 1}`,
        d.at,
        'notice',
        d.lead.id,
        [d.coordinators],
        noticeFacts(notice),
      );
      return;
    case 'again': {
      notice.state = 'issued';
      notice.askedAgain += 1;
      notice.replyDeadlineAt = replyDeadline(d);
      d.record('notice_asked_again', noticeDetails(notice, { requirement: text }), {
        actor: request.actor,
        unitId: d.lead.id,
      });
      d.mail(
        `notice-${notice.seq}:again`,
        notice.askedAgain,
        'notice',
        [{ unitId: d.lead.id, roles: ['reporter', 'leader'] }],
        noticeFacts(notice, text ?? undefined),
      );
      return;
    }
    case 'accept':
      closeNotice(d, notice, 'accepted', { comment: text }, request.actor);
      return;
    case 'withdraw':
      closeNotice(d, notice, 'withdrawn', { comment: text }, request.actor);
      return;
  }
}

function reviewStep(d: Decider, obligation: Obligation, step: ObligationStep): void {
  const id = `${obligation.key}:${stepId(step)}`;
  const unitId = obligation.unitId ?? d.lead.id;
  if (step.kind === 'remind') {
    d.record('review_reminded', { workingDaysBefore: step.workingDaysBefore }, { unitId });
    d.queue(id, step.at, 'review', unitId, [d.supervisors], { deadlineAt: obligation.deadlineAt });
    return;
  }
  d.record('review_overdue', { daysLate: step.daysLate }, { unitId });
  d.queue(id, step.at, 'review', unitId, [d.supervisors], {
    deadlineAt: obligation.deadlineAt,
    daysLate: step.daysLate,
  });
  escalate(d, obligation, step, 'review_overdue');
}

function coUnitStep(d: Decider, obligation: Obligation, step: ObligationStep): void {
  const id = `${obligation.key}:${stepId(step)}`;
  const unit = d.setup.task.coUnits.find((u) => u.id === obligation.unitId)!;
  const co: Audience = { unitId: unit.id, roles: ['reporter'] };
  if (step.kind === 'remind') {
    d.record('reminded', { for: 'input', workingDaysBefore: step.workingDaysBefore }, { unitId: unit.id });
    d.queue(id, step.at, 'input', unit.id, [co], { deadlineAt: obligation.deadlineAt, unit: unit.name });
    return;
  }
  if (step.daysLate === 1) d.record('input_late', { daysLate: 1 }, { unitId: unit.id });
  else d.record('reminded', { for: 'input', daysLate: step.daysLate }, { unitId: unit.id });
  const late = { deadlineAt: obligation.deadlineAt, daysLate: step.daysLate, unit: unit.name };
  d.queue(id, step.at, 'input', unit.id, [co], late);
  // The lead unit is told once that its co-unit is late.
  if (step.daysLate === 1) d.queue(`${id}:lead`, step.at, 'co_late', unit.id, [d.leadReporters], late);
}

function leadStep(d: Decider, obligation: Obligation, step: ObligationStep): void {
  const { view, setup } = d;
  const id = `${obligation.key}:${stepId(step)}`;
  const unitId = obligation.unitId ?? d.lead.id;
  const catchUp = obligation.key === 'catch-up';
  const owed = catchUp ? 'catch_up' : 'progress';
  view.reminders += 1;
  if (step.kind === 'remind') {
    d.record('reminded', { for: owed, workingDaysBefore: step.workingDaysBefore }, { unitId });
    d.queue(id, step.at, owed, unitId, [d.leadReporters], { deadlineAt: obligation.deadlineAt });
    return;
  }
  if (catchUp) {
    view.catchUp = 'overdue';
    d.record('catch_up_overdue', { daysLate: step.daysLate }, { unitId });
  } else {
    view.daysLate = step.daysLate;
    if (view.status === 'assigned' || view.status === 'returned') view.status = 'overdue';
    d.publish();
    d.record('overdue', { daysLate: step.daysLate, obligation: obligation.key }, { unitId });
    if (step.daysLate === setup.config.leaderCopiedAfterWorkingDays) {
      d.record('leader_copied', { daysLate: step.daysLate }, { unitId });
    }
  }
  const roles: ('reporter' | 'leader' | 'backup')[] = ['reporter'];
  if (step.daysLate >= setup.config.leaderCopiedAfterWorkingDays) roles.push('leader');
  if (step.daysLate >= setup.config.backupNotifiedAfterWorkingDays) roles.push('backup');
  d.queue(id, step.at, owed, unitId, [{ unitId, roles }], {
    deadlineAt: obligation.deadlineAt,
    daysLate: step.daysLate,
  });
  escalate(d, obligation, step, catchUp ? 'catch_up_overdue' : 'overdue');
}

/** Marks the close as begun: from now on every command is refused (the workflow then waits for handlers in flight). */
export function beginClose(model: TaskCycleModel): TaskCycleModel {
  return { ...model, closing: true };
}

/** Step 9: nothing is owed any more; the outcome is recorded. */
export function closeTaskCycle(setup: TaskCycleSetup, model: TaskCycleModel, at: string): Decision {
  const d = new Decider(setup, model, at);
  d.model.closing = true;
  d.settle(() => true);
  const early = isFinished(d.model);
  // A 督办单 still open ends with its quarter: the register says so.
  for (const notice of d.model.notices ?? []) {
    if (notice.state !== 'closed') closeNotice(d, notice, 'cycle_closed', { was: notice.state });
  }
  d.view.closedAt = at;
  d.record('closed', { outcome: d.view.status, light: d.view.light, early });
  return d.decision();
}

/**
 * The task closed (办结销号) or cancelled by the 督查室's approval while its quarter runs: every obligation is
 * settled (no reminder, overdue step or 督办单 follows), an extension waiting is withdrawn, a catch-up plan is
 * no longer owed, and each open 督办单 is withdrawn. The status becomes struck_off, unless the quarter's report
 * was approved already (that approval stands). Recorded as `struck_off` with the approver; no mail (the unit
 * reads the decision where it asked). A second strike-off changes nothing.
 */
export function strikeOffTaskCycle(
  setup: TaskCycleSetup,
  model: TaskCycleModel,
  request: StrikeOffRequest,
  at: string,
): Decision {
  const d = new Decider(setup, model, at);
  if (d.model.struckOff) return d.decision();
  d.model.struckOff = request.as;
  d.settle(() => true);
  if (d.model.pendingExtension) {
    d.model.pendingExtension = null;
    d.view.extension = 'withdrawn';
  }
  if (d.view.catchUp === 'due' || d.view.catchUp === 'overdue') d.view.catchUp = null;
  for (const notice of d.model.notices ?? []) {
    if (notice.state !== 'closed') closeNotice(d, notice, 'withdrawn', { because: 'struck_off' });
  }
  const was = d.view.status;
  if (was !== 'approved') d.view.status = 'struck_off';
  d.record(
    'struck_off',
    { as: request.as, requestId: request.requestId, reason: request.reason, was },
    { actor: { userId: request.actor.userId, role: request.actor.role, unitIds: [] }, unitId: d.lead.id },
  );
  d.publish();
  return d.decision();
}

/** A calendar amended while the task-cycle runs: the cycle's grid and instants computed anew from it. */
export interface CalendarReplan {
  grid: WorkingDayGrid;
  instants: ScheduleInstants;
}

/**
 * The State Council amends a published calendar (a holiday declared, a make-up working day
 * cancelled): every future instant of the task-cycle is placed again on the new grid, by its date —
 * a date that is still a working day keeps its place, one that no longer is moves to the next
 * working day; a deadline the schedule set follows its rule when that is later (the 5th working day
 * of the next month is a day later once a day before it is off) — and each open obligation's
 * reminders and overdue ladder are counted again from its (moved) deadline, by the same working days. What is past stays as it was: instants already
 * reached, steps already carried out (a step is known by its working-day offset, so a reminder sent
 * is never sent again), settled obligations. Nothing moves earlier: a rehearsal's simulated time
 * never runs back, a real instant never before the one it replaces.
 *
 * When a deadline moved: `calendar_replanned` is recorded (details: each deadline's from and to),
 * the lead unit and each co-unit still owing hear of it in their next digest (a queued line with
 * `movedFrom`), and the search attributes are published. Answers the setup to keep (the new grid
 * and instants, the close never earlier) with the decision.
 */
export function replanCalendar(
  setup: TaskCycleSetup,
  model: TaskCycleModel,
  next: CalendarReplan,
  at: string,
): { setup: TaskCycleSetup; decision: Decision } {
  const oldGrid = setup.grid;
  const newGrid = next.grid;
  const nowMs = Date.parse(at);
  const rehearsal = oldGrid.clock.kind === 'rehearsal';
  /** Where an instant of the old grid falls on the new one (see above). */
  const moved = (instant: string): string => {
    if (Date.parse(instant) <= nowMs) return instant;
    const i = Math.max(dayIndexOf(oldGrid, instant), 0);
    const date = oldGrid.days[Math.min(i, oldGrid.days.length - 1)]!;
    let j = newGrid.days.findIndex((d) => d >= date);
    if (j < 0) j = newGrid.days.length - 1;
    if (rehearsal) j = Math.max(j, i);
    const placed = morningOf(newGrid, j);
    return Date.parse(placed) >= Date.parse(instant) ? placed : instant;
  };
  /**
   * A deadline the cycle's schedule set (the lead unit's "5th working day of the next month", the co-units'
   * two working days before) follows its rule on the new calendar when that is later; any other (after a
   * return, an extension) keeps its date unless the date is no longer a working day.
   */
  const placeDeadline = (instant: string): string => {
    const placed = moved(instant);
    if (Date.parse(instant) <= nowMs) return placed;
    if (instant === setup.instants.leadDeadlineAt) return laterOf(placed, next.instants.leadDeadlineAt);
    if (instant === setup.instants.coUnitDeadlineAt) return laterOf(placed, next.instants.coUnitDeadlineAt);
    return placed;
  };
  /** The morning of working day k of the new grid, or null past its end. */
  const dayOfNew = (k: number) => (k >= 0 && k < newGrid.days.length ? morningOf(newGrid, k) : null);

  const newSetup: TaskCycleSetup = {
    ...setup,
    grid: newGrid,
    instants: {
      ...next.instants,
      closeAt: laterOf(next.instants.closeAt, setup.instants.closeAt),
    },
  };
  const d = new Decider(newSetup, model, at);
  const { view } = d.model;
  for (const o of d.model.obligations) {
    if (o.settledAt) continue;
    const deadlineAt = placeDeadline(o.deadlineAt);
    const j = dayIndexOf(newGrid, deadlineAt);
    o.reminders = o.reminders
      .map((r) => {
        const placed = dayOfNew(j - r.workingDaysBefore);
        return { at: placed === null ? r.at : laterOf(placed, r.at), workingDaysBefore: r.workingDaysBefore };
      })
      // A reminder still to come stays to come (never earlier than it was); one sent stays sent.
      .filter((r) => o.done.includes(`remind:${r.workingDaysBefore}`) || Date.parse(r.at) > nowMs);
    o.overdueAt = o.overdueAt
      .map((was, k) => {
        const placed = dayOfNew(j + k + 1);
        return placed === null ? null : laterOf(placed, was);
      })
      .filter((a): a is string => a !== null);
    o.deadlineAt = deadlineAt;
  }
  /** A deadline moved when its day did (a rehearsal's instants may stay where they were while their dates move). */
  const changed: Record<string, { from: string; to: string; fromDate: string; toDate: string }> = {};
  const dateOn = (grid: WorkingDayGrid, instant: string) =>
    grid.days[Math.min(Math.max(dayIndexOf(grid, instant), 0), grid.days.length - 1)]!;
  const move = (field: 'leadDeadlineAt' | 'currentDeadlineAt' | 'coUnitDeadlineAt' | 'reviewDeadlineAt') => {
    const was = view[field];
    if (!was || Date.parse(was) <= nowMs) return;
    const to = placeDeadline(was);
    const fromDate = dateOn(oldGrid, was);
    const toDate = dateOn(newGrid, to);
    if (to !== was || fromDate !== toDate) changed[field] = { from: was, to, fromDate, toDate };
    view[field] = to;
  };
  move('leadDeadlineAt');
  move('currentDeadlineAt');
  move('coUnitDeadlineAt');
  move('reviewDeadlineAt');
  for (const notice of d.model.notices ?? []) {
    if (notice.state !== 'closed' && notice.replyDeadlineAt) notice.replyDeadlineAt = moved(notice.replyDeadlineAt);
  }
  if (Object.keys(changed).length > 0) {
    d.record('calendar_replanned', changed);
    const step = `calendar:${d.model.seq}`;
    const lead = activeLeadObligation(d.model);
    if (
      changed.currentDeadlineAt &&
      lead &&
      !lead.settledAt &&
      view.status !== 'submitted' &&
      view.status !== 'approved'
    ) {
      d.queue(step, at, 'progress', d.lead.id, [{ unitId: d.lead.id, roles: ['reporter', 'backup'] }], {
        deadlineAt: changed.currentDeadlineAt.to,
        movedFrom: changed.currentDeadlineAt.fromDate,
      });
    }
    if (changed.coUnitDeadlineAt) {
      for (const unit of setup.task.coUnits) {
        const owes = d.model.obligations.find((o) => o.key === `co:${unit.id}` && !o.settledAt);
        if (!owes) continue;
        d.queue(`${step}:${unit.id}`, at, 'input', unit.id, [{ unitId: unit.id, roles: ['reporter', 'backup'] }], {
          unit: unit.name,
          deadlineAt: changed.coUnitDeadlineAt.to,
          movedFrom: changed.coUnitDeadlineAt.fromDate,
        });
      }
    }
    d.publish();
  }
  return { setup: newSetup, decision: d.decision() };
}
