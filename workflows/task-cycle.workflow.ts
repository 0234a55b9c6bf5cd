/**
 * task-cycle: one task × one quarter (id `task:{taskId}:{2020Q3}`), from
 * assignment to close (DESIGN.md "The quarterly cycle", steps 1–8).
 *
 * State: the task-cycle's status and figures, and its open obligations (the
 * lead unit's progress, each co-unit's input, a supervisor's review, a
 * catch-up plan), each with its reminder and overdue instants. The main loop
 * carries out every step that is due, then sleeps until the next one or
 * until an Update changes something (the updatable-timer pattern): timers
 * move when a return, an extension or a submission changes the obligations.
 *
 * Updates (validated; a wrong role, unit or state is rejected with a code and
 * changes nothing): submitProgress, submitInput, review, requestExtension,
 * decideExtension, nudge, submitCatchUpPlan. Query: taskCycleState.
 *
 * Activities: recordEvent (read model + timeline, idempotent by seq),
 * storeSubmission, notify (ledgered sends), workingDaysAfter (deadlines
 * arising at run time). No date or duration is computed here.
 */
import {
  allHandlersFinished,
  ApplicationFailure,
  condition,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import {
  CYCLE_PATCHES,
  decideExtensionUpdate,
  nudgeUpdate,
  RETURN_REASONS,
  requestExtensionUpdate,
  reviewUpdate,
  SEARCH_ATTRIBUTE_KEYS,
  submitCatchUpPlanUpdate,
  submitInputUpdate,
  submitProgressUpdate,
  taskCycleStateQuery,
  type Actor,
  type ActorRole,
  type Audience,
  type CycleActivities,
  type CycleMailKind,
  type DigestOwed,
  type ExtensionDecision,
  type NotifyInput,
  type ReviewRequest,
  type StoredSubmission,
  type TaskCycleEventKind,
  type TaskCycleInput,
  type TaskCycleState,
  type UpdateAnswer,
  type UpdateRejection,
} from '#contracts';
import {
  daysLate,
  dueSteps,
  evaluateLight,
  nextStepAt,
  obligationFromDays,
  stepId,
  type DeclaredState,
  type Obligation,
  type ObligationStep,
} from '#domain';

const { notify, storeSubmission } = proxyActivities<CycleActivities>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});
const { recordEvent, workingDaysAfter, queueReminder } = proxyLocalActivities<CycleActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '500 milliseconds', backoffCoefficient: 2, maximumInterval: '30 seconds' },
});

const MAX_TEXT = 5000;
const DECLARED_STATES: readonly DeclaredState[] = [
  'completed',
  'on_track',
  'behind',
  'delayed',
  'suspended',
  'in_progress',
  'none',
];

function reject(code: UpdateRejection, zh: string, en: string): never {
  throw ApplicationFailure.create({ type: code, message: `${zh} / ${en}`, nonRetryable: true });
}

function nowIso(): string {
  return new Date(Date.now()).toISOString();
}

export async function taskCycleWorkflow(input: TaskCycleInput): Promise<TaskCycleState> {
  const taskCycleId = workflowInfo().workflowId;
  const { instants, config, task } = input;
  const lead = task.leadUnit;
  const quarterNumber = Number(input.quarter.slice(-1)) as 1 | 2 | 3 | 4;
  const state: TaskCycleState = {
    status: 'assigned',
    light: null,
    lightReason: null,
    expected: null,
    completion: null,
    leadDeadlineAt: instants.leadDeadlineAt,
    currentDeadlineAt: instants.leadDeadlineAt,
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
  };
  const obligations: Obligation[] = [
    {
      key: 'lead',
      party: 'lead',
      unitId: lead.id,
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
  ];
  let seq = 0;
  /** Since the reminder digest, reminders are queued for each person's daily digest (the cycle decides). */
  const digestReminders = input.digestReminders === true;
  /** Bumped by every change an Update makes, to wake the main loop. */
  let changes = 0;
  let closing = false;
  /**
   * Handlers in flight that change the task-cycle's state. Another such
   * Update is refused meanwhile (retry shortly): two reviews of one
   * submission, or a resubmission before a return's new deadline is in place,
   * must not interleave.
   */
  let busy = 0;
  /** Marks a state change in progress; the answer releases it (once) when the new state and deadlines are in place. */
  function hold(): () => void {
    busy += 1;
    let held = true;
    return () => {
      if (held) busy -= 1;
      held = false;
    };
  }
  /** Runs a state change holding the task-cycle; `release` may free it early, and it is freed at the end anyway. */
  async function exclusively<T>(change: (release: () => void) => Promise<T>): Promise<T> {
    const release = hold();
    try {
      return await change(release);
    } finally {
      release();
    }
  }
  let submission: StoredSubmission | null = null;
  let pendingExtension: { workingDays: number; reason: string; obligationKey: string } | null = null;
  let extensions = 0;
  let extensionRequests = 0;
  let nudges = 0;
  const inputs: Record<string, number> = {};

  const leadReporters: Audience = { unitId: lead.id, roles: ['reporter'] };
  const supervisors: Audience = { role: 'supervisor', unitId: lead.id };
  const coordinators: Audience = { role: 'coordinator' };
  const facts = (extra: Partial<NotifyInput['facts']> = {}): NotifyInput['facts'] => ({
    ordinal: task.ordinal,
    content: task.content,
    leadUnit: lead.name,
    ...extra,
  });

  async function record(
    kind: TaskCycleEventKind,
    details: Record<string, unknown> = {},
    who: { actor?: Actor; unitId?: string } = {},
  ): Promise<void> {
    seq += 1;
    await recordEvent({
      taskCycleId,
      ref: { cycleId: input.cycleId, taskId: task.taskId, ordinal: task.ordinal, leadUnitId: lead.id },
      seq,
      kind,
      at: nowIso(),
      actor: who.actor ? { userId: who.actor.userId, role: who.actor.role } : null,
      unitId: who.unitId ?? null,
      details,
      state: { ...state, coInputs: { ...state.coInputs } },
    });
  }

  async function mail(
    step: string,
    sequence: number,
    kind: CycleMailKind,
    audiences: Audience[],
    extra: Partial<NotifyInput['facts']> = {},
  ): Promise<void> {
    await notify({ cycleId: input.cycleId, taskCycleId, step, sequence, kind, audiences, facts: facts(extra) });
  }

  /** A reminder or overdue notice: queued for the day's digest, or (older task-cycles) mailed on its own. */
  async function remind(
    step: string,
    at: string,
    owed: DigestOwed,
    unitId: string,
    kind: CycleMailKind,
    audiences: Audience[],
    extra: Partial<NotifyInput['facts']> = {},
  ): Promise<void> {
    if (!digestReminders) return mail(step, 1, kind, audiences, extra);
    await queueReminder({
      cycleId: input.cycleId,
      taskCycleId,
      step,
      stepAt: at,
      owed,
      unitId,
      audiences,
      facts: facts(extra),
    });
  }

  function publishSearchAttributes(): void {
    upsertSearchAttributes([
      { key: SEARCH_ATTRIBUTE_KEYS.status, value: state.status },
      { key: SEARCH_ATTRIBUTE_KEYS.deadline, value: new Date(state.currentDeadlineAt) },
    ]);
  }

  function activeLeadObligation(): Obligation | undefined {
    return obligations.find((o) => o.party === 'lead' && o.key !== 'catch-up' && !o.settledAt);
  }

  function settle(predicate: (o: Obligation) => boolean): void {
    const at = nowIso();
    for (const o of obligations) if (!o.settledAt && predicate(o)) o.settledAt = at;
  }

  /** The mornings of working days from now: enough for a deadline `workingDays` ahead and overdue days up to the close. */
  async function obligationAhead(
    key: string,
    party: Obligation['party'],
    unitId: string | null,
    workingDays: number,
    from: string = nowIso(),
  ): Promise<Obligation> {
    const days = await workingDaysAfter({
      cycleId: input.cycleId,
      from,
      count: workingDays + config.closeAfterWorkingDays,
    });
    const obligation = obligationFromDays({
      key,
      party,
      unitId,
      days,
      workingDays,
      remindersBefore: config.reminderWorkingDaysBefore,
      createdAt: nowIso(),
    });
    obligations.push(obligation);
    return obligation;
  }

  function answer(version?: number): UpdateAnswer {
    return { taskCycleId, state: { ...state, coInputs: { ...state.coInputs } }, ...(version ? { version } : {}) };
  }

  // ---- validators: synchronous, deterministic, change nothing ------------

  function requireOpen(): void {
    if (closing || state.closedAt) reject('WRONG_STATE', '本季度填报已结束', 'this task-cycle is closed');
  }
  function requireIdle(): void {
    if (busy > 0) {
      reject('BUSY', '上一操作正在处理，请稍后重试', 'the previous action is still being processed; retry shortly');
    }
  }
  function requireRole(actor: Actor, role: ActorRole): void {
    if (actor.role !== role) {
      reject('WRONG_ROLE', `此操作需要“${role}”角色`, `this action needs the ${role} role, not ${actor.role}`);
    }
  }
  function requireUnit(actor: Actor, unitId: string, what: string): void {
    if (!actor.unitIds.includes(unitId)) {
      reject('WRONG_UNIT', `${actor.userId} 不属于${what}`, `${actor.userId} does not belong to the ${what} unit`);
    }
  }
  function requireText(text: unknown, field: string, max = MAX_TEXT): void {
    if (typeof text !== 'string' || text.trim() === '') {
      reject('INVALID_INPUT', `${field} 不能为空`, `${field} must not be empty`);
    }
    if (text.length > max)
      reject('INVALID_INPUT', `${field} 超过 ${max} 字`, `${field} is longer than ${max} characters`);
  }
  function requirePercent(value: unknown, field: string): void {
    if (value === undefined || value === null) return;
    if (typeof value !== 'number' || !Number.isFinite(value) || value < -1000 || value > 1000) {
      reject(
        'INVALID_INPUT',
        `${field} 应为 -1000 到 1000 之间的数`,
        `${field} must be a number between -1000 and 1000`,
      );
    }
  }

  setHandler(taskCycleStateQuery, () => ({ ...state, coInputs: { ...state.coInputs } }));

  setHandler(
    submitProgressUpdate,
    async (request) => {
      const at = nowIso();
      const late = state.daysLate > 0;
      settle((o) => o.party === 'lead' && o.key !== 'catch-up');
      settle((o) => o.party === 'co');
      state.status = 'submitted';
      state.submittedAt = at;
      state.submissions += 1;
      if (pendingExtension) {
        // Reported before the coordinator decided: the request no longer applies.
        pendingExtension = null;
        state.extension = 'withdrawn';
      }
      const release = hold();
      changes += 1;
      try {
        submission = await storeSubmission({
          cycleId: input.cycleId,
          taskCycleId,
          taskId: task.taskId,
          quarter: input.quarter,
          unitId: lead.id,
          kind: 'progress',
          sequence: state.submissions,
          actorId: request.actor.userId,
          narrative: request.narrative,
          declaredState: request.declaredState,
          completion: request.completion,
          growth: request.growth,
          targets: task.targets,
        });
        state.completion = submission.completion;
        const review = await obligationAhead(
          `review-${state.submissions}`,
          'supervisor',
          lead.id,
          config.reviewWorkingDays,
        );
        state.reviewDeadlineAt = review.deadlineAt;
        release();
        const { version, completion } = submission;
        const reviewDeadlineAt = review.deadlineAt;
        const sequence = state.submissions;
        publishSearchAttributes();
        await record('submitted', { version, completion, late }, { actor: request.actor, unitId: lead.id });
        // A report to review is a pending item of the supervisors: in their next digest (or, before it, a mail).
        await remind(`submitted-${sequence}`, nowIso(), 'review', lead.id, 'review', [supervisors], {
          deadlineAt: reviewDeadlineAt,
        });
      } finally {
        release();
      }
      changes += 1;
      return answer(submission.version);
    },
    {
      validator: (request) => {
        requireOpen();
        requireIdle();
        requireRole(request.actor, 'reporter');
        requireUnit(request.actor, lead.id, `牵头单位 ${lead.name}`);
        if (request.declaredState !== undefined && !DECLARED_STATES.includes(request.declaredState)) {
          reject(
            'INVALID_INPUT',
            `进展状态应为 ${DECLARED_STATES.join('、')}`,
            `declaredState must be one of ${DECLARED_STATES.join(', ')}`,
          );
        }
        if (!['assigned', 'overdue', 'returned'].includes(state.status)) {
          reject(
            'WRONG_STATE',
            `当前状态“${state.status}”不能提交进展`,
            `progress cannot be submitted while ${state.status}`,
          );
        }
        requireText(request.narrative, '进展情况 narrative');
        requirePercent(request.completion, '完成率 completion');
        requirePercent(request.growth, '增速 growth');
      },
    },
  );

  setHandler(
    submitInputUpdate,
    async (request) => {
      const obligation = obligations.find((o) => o.key === `co:${request.unitId}`);
      const late = obligation ? daysLate(obligation, Date.now()) > 0 : false;
      settle((o) => o.key === `co:${request.unitId}`);
      state.coInputs[request.unitId] = nowIso();
      changes += 1;
      const stored = await storeSubmission({
        cycleId: input.cycleId,
        taskCycleId,
        taskId: task.taskId,
        quarter: input.quarter,
        unitId: request.unitId,
        kind: 'input',
        sequence: (inputs[request.unitId] = (inputs[request.unitId] ?? 0) + 1),
        actorId: request.actor.userId,
        narrative: request.narrative,
        targets: task.targets,
      });
      await record(
        'input_submitted',
        { version: stored.version, late },
        { actor: request.actor, unitId: request.unitId },
      );
      return answer(stored.version);
    },
    {
      validator: (request) => {
        requireOpen();
        requireRole(request.actor, 'reporter');
        if (!task.coUnits.some((u) => u.id === request.unitId)) {
          reject('WRONG_UNIT', '该单位不是此任务的配合单位', 'that unit is not a co-unit of this task');
        }
        requireUnit(request.actor, request.unitId, '该配合单位');
        if (state.status === 'approved') reject('WRONG_STATE', '任务已审核通过', 'the task is already approved');
        requireText(request.narrative, '配合意见 input');
      },
    },
  );

  setHandler(reviewUpdate, (request) => exclusively((release) => review(request, release)), {
    validator: (request) => {
      requireOpen();
      requireIdle();
      requireRole(request.actor, 'supervisor');
      if (request.actor.unitIds.length > 0) requireUnit(request.actor, lead.id, `审核范围内的牵头单位 ${lead.name}`);
      if (request.decision !== 'approve' && request.decision !== 'return') {
        reject('INVALID_INPUT', '审核结论应为 approve 或 return', 'decision must be approve or return');
      }
      if (
        request.decision === 'return' &&
        !(typeof request.reason === 'string' && Object.prototype.hasOwnProperty.call(RETURN_REASONS, request.reason))
      ) {
        reject(
          'INVALID_INPUT',
          `退回须说明原因：${Object.keys(RETURN_REASONS).join('、')}`,
          `a return needs a reason code: ${Object.keys(RETURN_REASONS).join(', ')}`,
        );
      }
      if (request.comment !== undefined) requireText(request.comment, '审核意见 comment', 2000);
      if (state.status !== 'submitted') {
        reject('WRONG_STATE', `当前状态“${state.status}”没有待审核的填报`, `nothing to review while ${state.status}`);
      }
    },
  });

  async function review(request: ReviewRequest, release: () => void): Promise<UpdateAnswer> {
    {
      settle((o) => o.party === 'supervisor');
      state.reviewDeadlineAt = null;
      const at = nowIso();
      if (request.decision === 'approve') {
        const result = evaluateLight(
          {
            quarter: quarterNumber,
            state: submission?.state ?? 'none',
            completion: submission?.completion ?? null,
            growth: submission?.growth ?? null,
            targets: task.targets,
          },
          config,
        );
        state.status = 'approved';
        state.approvedAt = at;
        state.light = result.light;
        state.lightReason = result.reason;
        state.expected = result.expected;
        if (result.light === 'red') state.catchUp = 'due';
        else release();
        changes += 1;
        publishSearchAttributes();
        await record(
          'approved',
          { light: result.light, reason: result.reason, comment: request.comment ?? null },
          { actor: request.actor, unitId: lead.id },
        );
        await mail('approved', 1, 'approval', [leadReporters], { light: result.light, lightReason: result.reason });
        if (result.light === 'red') {
          state.escalations += 1;
          const catchUp = await obligationAhead('catch-up', 'lead', lead.id, config.catchUpPlanWorkingDays);
          release();
          await record('escalated', { level: 'coordinator', reason: 'red', lightReason: result.reason });
          await mail('escalation:red', 1, 'escalation', [coordinators], {
            lightReason: result.reason,
            light: 'red',
            cause: 'red',
          });
          await record('catch_up_requested', { deadlineAt: catchUp.deadlineAt }, { unitId: lead.id });
          await mail('catch-up', 1, 'catch_up', [leadReporters], {
            deadlineAt: catchUp.deadlineAt,
            lightReason: result.reason,
          });
        }
        changes += 1;
        return answer();
      }
      state.returns += 1;
      state.status = 'returned';
      state.daysLate = 0;
      changes += 1;
      const again = await obligationAhead(`lead-${state.returns + 1}`, 'lead', lead.id, config.returnWorkingDays);
      state.currentDeadlineAt = again.deadlineAt;
      release();
      publishSearchAttributes();
      const reason = RETURN_REASONS[request.reason!];
      await record(
        'returned',
        { reason: request.reason, comment: request.comment ?? null, deadlineAt: again.deadlineAt },
        { actor: request.actor, unitId: lead.id },
      );
      await mail(`returned-${state.returns}`, 1, 'return', [leadReporters], {
        deadlineAt: again.deadlineAt,
        reason: `${reason.zh} / ${reason.en}`,
        reasonCode: request.reason,
        comment: request.comment,
      });
      changes += 1;
      return answer();
    }
  }

  setHandler(
    requestExtensionUpdate,
    async (request) => {
      pendingExtension = {
        workingDays: request.workingDays,
        reason: request.reason,
        obligationKey: activeLeadObligation()!.key,
      };
      state.extension = 'requested';
      extensionRequests += 1;
      const sequence = extensionRequests;
      changes += 1;
      await record(
        'extension_requested',
        { workingDays: request.workingDays, reason: request.reason },
        { actor: request.actor, unitId: lead.id },
      );
      await mail(`extension-requested-${sequence}`, 1, 'extension', [coordinators], {
        reason: request.reason,
        deadlineAt: state.currentDeadlineAt,
        workingDays: request.workingDays,
      });
      return answer();
    },
    {
      validator: (request) => {
        requireOpen();
        requireIdle();
        requireRole(request.actor, 'reporter');
        requireUnit(request.actor, lead.id, `牵头单位 ${lead.name}`);
        const active = activeLeadObligation();
        if (!active || !['assigned', 'returned'].includes(state.status) || daysLate(active, Date.now()) > 0) {
          reject('WRONG_STATE', '只能在截止前申请延期', 'an extension can only be asked for before the deadline');
        }
        if (state.extension === 'requested') {
          reject('WRONG_STATE', '已有待决定的延期申请', 'an extension request is already pending');
        }
        if (
          !Number.isInteger(request.workingDays) ||
          request.workingDays < 1 ||
          request.workingDays > config.maxExtensionWorkingDays
        ) {
          reject(
            'INVALID_INPUT',
            `延期天数应为 1 到 ${config.maxExtensionWorkingDays} 个工作日`,
            `an extension is 1 to ${config.maxExtensionWorkingDays} working days`,
          );
        }
        requireText(request.reason, '延期理由 reason', 2000);
      },
    },
  );

  setHandler(decideExtensionUpdate, (request) => exclusively((release) => decideExtension(request, release)), {
    validator: (request) => {
      requireOpen();
      requireIdle();
      requireRole(request.actor, 'coordinator');
      if (state.extension !== 'requested')
        reject('WRONG_STATE', '没有待决定的延期申请', 'no extension request is pending');
      if (typeof request.grant !== 'boolean')
        reject('INVALID_INPUT', 'grant 应为 true 或 false', 'grant must be a boolean');
      if (request.comment !== undefined) requireText(request.comment, '意见 comment', 2000);
    },
  });

  async function decideExtension(request: ExtensionDecision, release: () => void): Promise<UpdateAnswer> {
    {
      // (The validator guarantees a pending request; the fallback only keeps an old history's replay from crashing.)
      const asked = pendingExtension ?? { workingDays: 0, reason: '', obligationKey: '' };
      pendingExtension = null;
      extensions += 1;
      const sequence = extensions;
      state.extension = request.grant ? 'granted' : 'refused';
      changes += 1;
      if (request.grant) {
        const current = obligations.find((o) => o.key === asked.obligationKey && !o.settledAt);
        if (current) {
          settle((o) => o === current);
          // From the deadline asked about, or from today if that has passed meanwhile.
          const from = Date.parse(current.deadlineAt) > Date.now() ? current.deadlineAt : nowIso();
          const moved = await obligationAhead(`lead-ext-${sequence}`, 'lead', lead.id, asked.workingDays, from);
          state.currentDeadlineAt = moved.deadlineAt;
          if (state.status === 'overdue') state.status = state.returns > 0 ? 'returned' : 'assigned';
          state.daysLate = 0;
        }
        publishSearchAttributes();
      }
      release();
      await record(
        request.grant ? 'extension_granted' : 'extension_refused',
        { workingDays: asked.workingDays, comment: request.comment ?? null, deadlineAt: state.currentDeadlineAt },
        { actor: request.actor, unitId: lead.id },
      );
      await mail(`extension-decided-${sequence}`, 1, 'extension', [leadReporters], {
        deadlineAt: state.currentDeadlineAt,
        reason: request.grant ? '延期已批准 / extension granted' : '延期未获批准 / extension refused',
        granted: request.grant,
        comment: request.comment,
      });
      changes += 1;
      return answer();
    }
  }

  setHandler(
    nudgeUpdate,
    async (request) => {
      nudges += 1;
      const toSupervisor = state.status === 'submitted';
      await record(
        'nudged',
        { comment: request.comment ?? null, to: toSupervisor ? 'supervisor' : 'unit' },
        {
          actor: request.actor,
          unitId: lead.id,
        },
      );
      await mail(
        'nudge',
        nudges,
        'nudge',
        toSupervisor ? [supervisors] : [{ unitId: lead.id, roles: ['reporter', 'leader'] }],
        {
          deadlineAt: toSupervisor ? (state.reviewDeadlineAt ?? undefined) : state.currentDeadlineAt,
          comment: request.comment,
        },
      );
      return answer();
    },
    {
      validator: (request) => {
        requireOpen();
        requireRole(request.actor, 'coordinator');
        if (state.status === 'approved' && state.catchUp !== 'due' && state.catchUp !== 'overdue') {
          reject('WRONG_STATE', '任务已审核通过，无需催办', 'the task is approved: nothing to nudge');
        }
        if (request.comment !== undefined) requireText(request.comment, '催办说明 comment', 2000);
      },
    },
  );

  setHandler(
    submitCatchUpPlanUpdate,
    async (request) => {
      settle((o) => o.key === 'catch-up');
      state.catchUp = 'submitted';
      changes += 1;
      const stored = await storeSubmission({
        cycleId: input.cycleId,
        taskCycleId,
        taskId: task.taskId,
        quarter: input.quarter,
        unitId: lead.id,
        kind: 'catch_up',
        sequence: 1,
        actorId: request.actor.userId,
        narrative: request.plan,
        targets: task.targets,
      });
      await record('catch_up_submitted', { version: stored.version }, { actor: request.actor, unitId: lead.id });
      changes += 1;
      return answer(stored.version);
    },
    {
      validator: (request) => {
        requireOpen();
        requireIdle();
        requireRole(request.actor, 'reporter');
        requireUnit(request.actor, lead.id, `牵头单位 ${lead.name}`);
        if (state.catchUp !== 'due' && state.catchUp !== 'overdue') {
          reject('WRONG_STATE', '此任务无需提交整改措施', 'no catch-up plan is due for this task');
        }
        requireText(request.plan, '整改措施 plan');
      },
    },
  );

  // ---- the steps the clock brings ------------------------------------------

  async function carryOut(obligation: Obligation, step: ObligationStep): Promise<void> {
    const id = `${obligation.key}:${stepId(step)}`;
    const unitId = obligation.unitId ?? lead.id;
    if (obligation.party === 'supervisor') {
      if (step.kind === 'remind') {
        await record('review_reminded', { workingDaysBefore: step.workingDaysBefore }, { unitId });
        await remind(id, step.at, 'review', unitId, 'review', [supervisors], { deadlineAt: obligation.deadlineAt });
        return;
      }
      await record('review_overdue', { daysLate: step.daysLate }, { unitId });
      await remind(id, step.at, 'review', unitId, 'review', [supervisors], {
        deadlineAt: obligation.deadlineAt,
        daysLate: step.daysLate,
      });
      if (step.daysLate === config.escalatedAfterWorkingDays) {
        state.escalations += 1;
        await record('escalated', { level: 'coordinator', reason: 'review_overdue', daysLate: step.daysLate });
        await mail(`${obligation.key}:escalation`, 1, 'escalation', [coordinators], {
          deadlineAt: obligation.deadlineAt,
          daysLate: step.daysLate,
          reason: '审核逾期 / review overdue',
          cause: 'review_overdue',
        });
      }
      return;
    }
    if (obligation.party === 'co') {
      const unit = task.coUnits.find((u) => u.id === obligation.unitId)!;
      const co: Audience = { unitId: unit.id, roles: ['reporter'] };
      if (step.kind === 'remind') {
        await record('reminded', { for: 'input', workingDaysBefore: step.workingDaysBefore }, { unitId: unit.id });
        await remind(id, step.at, 'input', unit.id, 'reminder', [co], {
          deadlineAt: obligation.deadlineAt,
          unit: unit.name,
        });
        return;
      }
      if (step.daysLate === 1) await record('input_late', { daysLate: 1 }, { unitId: unit.id });
      else await record('reminded', { for: 'input', daysLate: step.daysLate }, { unitId: unit.id });
      const late = { deadlineAt: obligation.deadlineAt, daysLate: step.daysLate, unit: unit.name };
      if (!digestReminders) {
        await mail(id, 1, 'overdue', step.daysLate === 1 ? [co, leadReporters] : [co], late);
        return;
      }
      await remind(id, step.at, 'input', unit.id, 'overdue', [co], late);
      // The lead unit is told once that its co-unit is late.
      if (step.daysLate === 1)
        await remind(`${id}:lead`, step.at, 'co_late', unit.id, 'overdue', [leadReporters], late);
      return;
    }
    const catchUp = obligation.key === 'catch-up';
    if (step.kind === 'remind') {
      state.reminders += 1;
      await record(
        'reminded',
        { for: catchUp ? 'catch_up' : 'progress', workingDaysBefore: step.workingDaysBefore },
        {
          unitId,
        },
      );
      await remind(
        id,
        step.at,
        catchUp ? 'catch_up' : 'progress',
        unitId,
        catchUp ? 'catch_up' : 'reminder',
        [leadReporters],
        {
          deadlineAt: obligation.deadlineAt,
        },
      );
      return;
    }
    const copyLeader = step.daysLate >= config.leaderCopiedAfterWorkingDays;
    // (A cycle started before the setting existed has none: its backups are not told.)
    const tellBackup = step.daysLate >= (config.backupNotifiedAfterWorkingDays ?? Infinity);
    state.reminders += 1;
    if (catchUp) {
      state.catchUp = 'overdue';
      await record('catch_up_overdue', { daysLate: step.daysLate }, { unitId });
    } else {
      state.daysLate = step.daysLate;
      if (state.status === 'assigned' || state.status === 'returned') state.status = 'overdue';
      publishSearchAttributes();
      await record('overdue', { daysLate: step.daysLate, obligation: obligation.key }, { unitId });
      if (step.daysLate === config.leaderCopiedAfterWorkingDays) {
        await record('leader_copied', { daysLate: step.daysLate }, { unitId });
      }
    }
    const roles: ('reporter' | 'leader' | 'backup')[] = ['reporter'];
    if (copyLeader) roles.push('leader');
    if (tellBackup) roles.push('backup');
    await remind(id, step.at, catchUp ? 'catch_up' : 'progress', unitId, 'overdue', [{ unitId, roles }], {
      deadlineAt: obligation.deadlineAt,
      daysLate: step.daysLate,
    });
    if (step.daysLate === config.escalatedAfterWorkingDays) {
      state.escalations += 1;
      await record('escalated', {
        level: 'coordinator',
        reason: catchUp ? 'catch_up_overdue' : 'overdue',
        daysLate: step.daysLate,
      });
      await mail(`${obligation.key}:escalation`, 1, 'escalation', [coordinators], {
        deadlineAt: obligation.deadlineAt,
        daysLate: step.daysLate,
        reason: catchUp ? '整改措施逾期 / catch-up plan overdue' : '逾期未报 / progress overdue',
        cause: catchUp ? 'catch_up_overdue' : 'overdue',
      });
    }
  }

  async function carryOutDueSteps(): Promise<void> {
    const now = Date.now();
    const due = obligations
      .flatMap((obligation) => dueSteps(obligation, now).map((step) => ({ obligation, step })))
      .sort((a, b) => Date.parse(a.step.at) - Date.parse(b.step.at));
    for (const { obligation, step } of due) {
      // An Update may have settled it while an earlier step was being carried out.
      if (obligation.settledAt || obligation.done.includes(stepId(step))) continue;
      obligation.done.push(stepId(step));
      await carryOut(obligation, step);
    }
  }

  const finished = () => state.status === 'approved' && (state.catchUp === null || state.catchUp === 'submitted');
  const closeAt = Date.parse(instants.closeAt);

  await record('assigned', {
    leadUnit: lead.name,
    coUnits: task.coUnits.map((u) => u.name),
    deadlineAt: instants.leadDeadlineAt,
    coUnitDeadlineAt: task.coUnits.length ? instants.coUnitDeadlineAt : null,
  });
  // Since the assignment digest the cycle mails each person once; task-cycles started before mail their own units.
  if (!patched(CYCLE_PATCHES.assignmentDigest)) {
    await mail('assignment', 1, 'assignment', [leadReporters], { deadlineAt: instants.leadDeadlineAt });
    for (const unit of task.coUnits) {
      await mail(`assignment:${unit.id}`, 1, 'assignment', [{ unitId: unit.id, roles: ['reporter'] }], {
        deadlineAt: instants.coUnitDeadlineAt,
        unit: unit.name,
      });
    }
  }

  for (;;) {
    await carryOutDueSteps();
    if (finished() || Date.now() >= closeAt) break;
    const upcoming = obligations
      .map(nextStepAt)
      .filter((at): at is string => at !== null)
      .map((at) => Date.parse(at));
    const wakeAt = Math.min(closeAt, ...upcoming);
    const seen = changes;
    await condition(() => changes !== seen, Math.max(wakeAt - Date.now(), 1));
  }

  closing = true;
  await condition(allHandlersFinished);
  settle(() => true);
  state.closedAt = nowIso();
  await record('closed', {
    outcome: state.status,
    light: state.light,
    early: finished(),
  });
  return { ...state, coInputs: { ...state.coInputs } };
}
