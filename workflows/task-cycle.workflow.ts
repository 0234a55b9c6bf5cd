/**
 * task-cycle: one task × one quarter (id `task:{taskId}:{2020Q3}`), from
 * assignment to close — the numbered cycle of docs/architecture.md. The rules
 * are libs/domain's task-cycle decisions; this file only waits, asks them and
 * carries out what they decide.
 *
 * Updates (validated by the rules; a wrong role, unit, state or field is
 * refused with its code and changes nothing): submitProgress, submitInput,
 * review, requestExtension, decideExtension, nudge, submitCatchUpPlan, notice
 * (a 督办单 issued, replied to, accepted, asked again or withdrawn);
 * replanCalendar (the calendar amended: future instants placed on the new grid);
 * strikeOffTask (the task closed or cancelled by an approved request: nothing more is owed).
 * Query: taskCycleState.
 * Timer: one, to the next step or the close, moved by every change (the
 * updatable-timer pattern: a condition with a timeout). A rehearsal has no
 * timer: its days come as the advanceDay Update from the cycle, answered once
 * the day's steps are carried out, so simulated time never drifts with load.
 * Activities: storeSubmission (before a decision takes effect), recordEvent
 * and queueReminder (local), notify (ledgered sends).
 * Outcome: the task-cycle's final state.
 *
 * Decisions take effect one at a time (a command or a clock step holds the
 * task-cycle until its effects are carried out): a second review finds the
 * new state and is refused.
 */
import {
  ActivityFailure,
  allHandlersFinished,
  ApplicationFailure,
  condition,
  type defineUpdate,
  proxyActivities,
  patched,
  proxyLocalActivities,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import {
  advanceDayUpdate,
  decideExtensionUpdate,
  NOTICE_PATCH,
  READING_PATCH,
  READING_PATCH_3,
  FIGURE_NOTES_PATCH,
  noticeUpdate,
  nudgeUpdate,
  replanCalendarUpdate,
  requestExtensionUpdate,
  reviewUpdate,
  SEARCH_ATTRIBUTE_KEYS,
  strikeOffTaskUpdate,
  submitCatchUpPlanUpdate,
  submitInputUpdate,
  submitProgressUpdate,
  taskCycleStateQuery,
  type CycleActivities,
  type TaskCycleInput,
  type UpdateAnswer,
} from '#contracts';
import {
  advanceClock,
  beginClose,
  closeTaskCycle,
  dayIndexOf,
  decideCommand,
  isFinished,
  morningOf,
  nextWakeAt,
  openTaskCycle,
  replanCalendar,
  strikeOffTaskCycle,
  validateCommand,
  ERROR_CODES,
  NOT_TAKEN_IN_TIME,
  type Decision,
  type Rejection,
  type SubmissionToStore,
  type TaskCycleCommand,
  type TaskCycleModel,
  type TaskCycleSetup,
  type TaskCycleState,
} from '#domain';

/**
 * A notice holds the task while it is sent: after 90 seconds without the mail
 * server the task moves on, and the notice (already in the ledger) goes out
 * with the cycle's next digest run.
 */
const { notify } = proxyActivities<CycleActivities>({
  startToCloseTimeout: '1 minute',
  scheduleToCloseTimeout: '90 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '20 seconds' },
});
/** Storing a person's report holds the task: it gives up after two minutes (STORE_FAILED), nothing taken effect. */
const { storeSubmission } = proxyActivities<CycleActivities>({
  startToCloseTimeout: '1 minute',
  scheduleToCloseTimeout: '2 minutes',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '20 seconds' },
});
const { recordEvent, queueReminder } = proxyLocalActivities<CycleActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '500 milliseconds', backoffCoefficient: 2, maximumInterval: '30 seconds' },
});

/** Fails one command (never the task-cycle) with a coded, bilingual refusal. */
function refuse(rejection: Rejection | { code: 'NO_WORKER' | 'STORE_FAILED'; zh: string; en: string }): never {
  throw ApplicationFailure.create({
    type: rejection.code,
    message: `${rejection.zh} / ${rejection.en}`,
    nonRetryable: true,
  });
}

function nowIso(): string {
  return new Date(Date.now()).toISOString();
}

export async function taskCycleWorkflow(input: TaskCycleInput): Promise<TaskCycleState> {
  // Asked once, at the start: a task-cycle keeps the rules it began with.
  let setup: TaskCycleSetup = {
    ...input,
    taskCycleId: workflowInfo().workflowId,
    notices: patched(NOTICE_PATCH),
    // The newest edition first: a task-cycle that asked an older one replays the marker it recorded.
    readingEdition: patched(READING_PATCH_3) ? 3 : patched(READING_PATCH) ? 2 : 1,
    figureNotes: patched(FIGURE_NOTES_PATCH),
  };
  const { task } = setup;
  const { clock } = setup.grid;
  const rehearsal = clock.kind === 'rehearsal';
  const dayMs = clock.kind === 'rehearsal' ? clock.daySeconds * 1000 : 0;
  // Moved (never earlier) when an amended calendar re-plans the task-cycle.
  let closeDay = dayIndexOf(setup.grid, setup.instants.closeAt);
  let closeAt = Date.parse(setup.instants.closeAt);
  /** A rehearsal's simulated working day, moved by advanceDay; doneDay: the last whose steps are carried out. */
  let today = 0;
  let doneDay = -1;
  let ended = false;
  /**
   * The instant the rules decide at: in a real cycle the clock's; in a
   * rehearsal the simulated day's morning for its steps, and later that day
   * (after the morning's digest) for people's commands.
   */
  function decidedAt(part: 'morning' | 'day'): string {
    if (!rehearsal) return nowIso();
    return new Date(Date.parse(morningOf(setup.grid, today)) + (part === 'day' ? 0.8 * dayMs : 0)).toISOString();
  }
  const openedAt = decidedAt('morning');
  const opened = openTaskCycle(setup, openedAt);
  let model: TaskCycleModel = opened.model;
  /** Bumped whenever a decision takes effect: wakes the timer's wait. */
  let changes = 0;
  let held = false;

  /** One decision's turn, after the one before is carried out (waiters released together look again). */
  async function inTurn<T>(turn: () => Promise<T>): Promise<T> {
    while (held) await condition(() => !held);
    held = true;
    try {
      return await turn();
    } finally {
      held = false;
    }
  }

  function view(): TaskCycleState {
    return { ...model.view, coInputs: { ...model.view.coInputs } };
  }

  async function store(submission: SubmissionToStore): Promise<number> {
    try {
      const stored = await storeSubmission({
        ...submission,
        cycleId: setup.cycleId,
        taskCycleId: setup.taskCycleId,
        taskId: task.taskId,
        quarter: setup.quarter,
      });
      return stored.version;
    } catch (error) {
      // A permanent refusal (the activity says which) fails this command only, never the task-cycle.
      if (error instanceof ActivityFailure && error.cause instanceof ApplicationFailure) throw error.cause;
      // Out of time (the database away): this command fails, coded; the task is free for the next one.
      if (error instanceof ActivityFailure) {
        refuse({ code: 'STORE_FAILED', ...ERROR_CODES.STORE_FAILED });
      }
      throw error;
    }
  }

  /** Carries out a decision taken at `at` that has taken effect, in the order decided. */
  async function carryOut(decision: Decision, at: string, version?: number): Promise<void> {
    const state = { ...decision.model.view, coInputs: { ...decision.model.view.coInputs } };
    for (const effect of decision.effects) {
      switch (effect.kind) {
        case 'record':
          await recordEvent({
            taskCycleId: setup.taskCycleId,
            ref: {
              cycleId: setup.cycleId,
              taskId: task.taskId,
              ordinal: task.ordinal,
              leadUnitId: task.leadUnit.id,
              taskVersionId: task.versionId,
            },
            seq: effect.seq,
            kind: effect.event,
            at,
            actor: effect.actor,
            unitId: effect.unitId,
            details: effect.withVersion && version !== undefined ? { ...effect.details, version } : effect.details,
            state,
          });
          break;
        case 'mail':
          await notify({
            cycleId: setup.cycleId,
            taskCycleId: setup.taskCycleId,
            step: effect.step,
            at,
            sequence: effect.sequence,
            kind: effect.mail,
            audiences: effect.audiences,
            facts: effect.facts,
          }).catch((error: unknown) => {
            // The mail server away: the notice waits in the ledger for the next digest run; the task is free.
            if (!(error instanceof ActivityFailure)) throw error;
          });
          break;
        case 'queue':
          await queueReminder({
            cycleId: setup.cycleId,
            taskCycleId: setup.taskCycleId,
            step: effect.step,
            stepAt: effect.stepAt,
            owed: effect.owed,
            unitId: effect.unitId,
            audiences: effect.audiences,
            facts: effect.facts,
          });
          break;
        case 'publish':
          upsertSearchAttributes([
            { key: SEARCH_ATTRIBUTE_KEYS.status, value: state.status },
            { key: SEARCH_ATTRIBUTE_KEYS.deadline, value: new Date(state.currentDeadlineAt) },
          ]);
          break;
      }
    }
  }

  /** A decision takes effect: the model moves on and the timer is re-armed. A close once begun stays begun. */
  function takeEffect(decision: Decision): void {
    model = model.closing && !decision.model.closing ? beginClose(decision.model) : decision.model;
    changes += 1;
  }

  /** The clock's steps due by now, carried out: before a command is decided, and by the main loop. */
  async function catchUp(): Promise<void> {
    const at = decidedAt('morning');
    const decision = advanceClock(setup, model, at);
    if (decision.effects.length === 0) return;
    takeEffect(decision);
    await carryOut(decision, at);
  }

  /** Registers one person's command as a validated Update. */
  function command<K extends TaskCycleCommand['kind']>(
    definition: ReturnType<typeof defineUpdate<UpdateAnswer, [Extract<TaskCycleCommand, { kind: K }>['request']]>>,
    kind: K,
  ): void {
    const asCommand = (request: unknown) => ({ kind, request }) as TaskCycleCommand;
    setHandler(
      definition,
      (request) =>
        inTurn(async () => {
          // What the clock brought first (this morning's steps), then the command, as on a working day.
          await catchUp();
          const at = decidedAt('day');
          const outcome = decideCommand(setup, model, asCommand(request), at);
          if ('rejection' in outcome) refuse(outcome.rejection);
          const version = outcome.store ? await store(outcome.store) : undefined;
          takeEffect(outcome);
          await carryOut(outcome, at, version);
          return { taskCycleId: setup.taskCycleId, state: view(), ...(version !== undefined ? { version } : {}) };
        }),
      {
        validator: (request) => {
          // Taken after its sender stopped waiting (no worker then): refused, so it never takes effect unseen.
          const notAfter = Date.parse(request.notAfter ?? '');
          if (notAfter < Date.now()) {
            refuse({ code: 'NO_WORKER', zh: NOT_TAKEN_IN_TIME.zh, en: NOT_TAKEN_IN_TIME.en });
          }
          const rejection = validateCommand(setup, model, asCommand(request), decidedAt('day'));
          if (rejection) refuse(rejection);
        },
      },
    );
  }

  setHandler(taskCycleStateQuery, view);
  setHandler(
    advanceDayUpdate,
    async ({ day }) => {
      if (day > today) today = day;
      await condition(() => doneDay >= today || ended);
      return { day: doneDay, closed: ended };
    },
    {
      validator: ({ day }) => {
        if (!rehearsal)
          refuse({ code: 'WRONG_STATE', zh: '只有演练按模拟工作日推进', en: 'only a rehearsal advances by days' });
        if (!Number.isInteger(day) || day < 0) {
          refuse({ code: 'INVALID_INPUT', zh: 'day 应为非负整数', en: 'day must be a whole number ≥ 0' });
        }
      },
    },
  );
  setHandler(
    replanCalendarUpdate,
    ({ workingDays, instants }) =>
      inTurn(async () => {
        if (ended || model.closing) return { state: view(), closed: true };
        // What the old calendar still brought by now first, then the new one from here on.
        await catchUp();
        const at = decidedAt('day');
        const replanned = replanCalendar(setup, model, { grid: { clock, days: workingDays }, instants }, at);
        setup = replanned.setup;
        closeDay = dayIndexOf(setup.grid, setup.instants.closeAt);
        closeAt = Date.parse(setup.instants.closeAt);
        takeEffect(replanned.decision);
        await carryOut(replanned.decision, at);
        return { state: view(), closed: false };
      }),
    {
      validator: ({ workingDays, instants }) => {
        if (!Array.isArray(workingDays) || workingDays.length === 0 || typeof instants?.closeAt !== 'string') {
          refuse({
            code: 'INVALID_INPUT',
            zh: '缺少新的工作日或时点',
            en: 'the new working days or instants are missing',
          });
        }
      },
    },
  );
  setHandler(
    strikeOffTaskUpdate,
    (request) =>
      inTurn(async () => {
        if (ended || model.closing) return { state: view(), closed: true };
        // What the clock brought by now first (a reminder due this morning went out), then nothing more.
        await catchUp();
        const at = decidedAt('day');
        const decision = strikeOffTaskCycle(setup, model, request, at);
        takeEffect(decision);
        await carryOut(decision, at);
        return { state: view(), closed: false };
      }),
    {
      validator: (request) => {
        // Taken after the decision gave up waiting (and was not stored): refused, so it never takes effect.
        if (Date.parse(request?.notAfter ?? '') < Date.now()) {
          refuse({ code: 'NO_WORKER', zh: NOT_TAKEN_IN_TIME.zh, en: NOT_TAKEN_IN_TIME.en });
        }
        if (
          (request?.as !== 'closed' && request?.as !== 'cancelled') ||
          typeof request.requestId !== 'string' ||
          typeof request.actor?.userId !== 'string'
        ) {
          refuse({ code: 'INVALID_INPUT', zh: '销号请求不完整', en: 'the strike-off request is incomplete' });
        }
      },
    },
  );
  command(submitProgressUpdate, 'submitProgress');
  command(submitInputUpdate, 'submitInput');
  command(reviewUpdate, 'review');
  command(requestExtensionUpdate, 'requestExtension');
  command(decideExtensionUpdate, 'decideExtension');
  command(nudgeUpdate, 'nudge');
  command(submitCatchUpPlanUpdate, 'submitCatchUpPlan');
  command(noticeUpdate, 'notice');

  // 1. Assigned (the cycle mails each person one assignment listing all their tasks).
  await inTurn(() => carryOut(opened, openedAt));

  // 2–8. The clock's steps, until nothing more is owed or the close comes.
  for (;;) {
    const day = today;
    await inTurn(catchUp);
    doneDay = day;
    if (isFinished(model) || (rehearsal ? day >= closeDay : Date.now() >= closeAt)) break;
    const seen = changes;
    if (rehearsal) await condition(() => changes !== seen || today > doneDay);
    else await condition(() => changes !== seen, Math.max(Date.parse(nextWakeAt(setup, model)) - Date.now(), 1));
  }
  ended = true;

  // 9. Close: refuse new commands, let those in flight finish, record the outcome.
  model = beginClose(model);
  await condition(allHandlersFinished);
  await inTurn(async () => {
    const at = decidedAt(isFinished(model) ? 'day' : 'morning');
    const closed = closeTaskCycle(setup, model, at);
    takeEffect(closed);
    await carryOut(closed, at);
  });
  return view();
}
