/**
 * Starting cycles and sending people's messages to running task-cycles, as
 * the API and the CLI both do it: business ids (a second start is a no-op),
 * the caller resolved against the unit directory, and an Update's rejection
 * turned into a DomainError with its code.
 */
import {
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  type Client,
} from '@temporalio/client';
import { WorkflowIdReusePolicy } from '@temporalio/common';
import type { DataSource } from 'typeorm';
import {
  cycleWorkflowId,
  decideExtensionUpdate,
  noticeUpdate,
  nudgeUpdate,
  requestExtensionUpdate,
  reviewUpdate,
  SEARCH_ATTRIBUTE_KEYS,
  submitCatchUpPlanUpdate,
  submitInputUpdate,
  submitProgressUpdate,
  type Actor,
  type CycleClockInput,
  type UpdateAnswer,
} from '#contracts';
import { loadWorkingDayCalendar } from '#calendar';
import {
  chinaDate,
  computeCycleSchedule,
  type CycleConfig,
  type ReportingRhythm,
  DEFAULT_CYCLE_CONFIG,
  DomainError,
  ERROR_CODES,
  isErrorCode,
  NOT_TAKEN_IN_TIME,
  formatQuarter,
  isUuid,
  parseQuarter,
} from '#domain';
import type { cycleWorkflow } from '#workflows';
import { resolveActor } from '#directory';

export interface StartCycleRequest {
  planId: string;
  quarter: string;
  clock: CycleClockInput;
  taskQueue: string;
  /** Set for a rehearsal: it runs beside (never instead of) the real cycle. */
  rehearsalTag?: string;
  batchSize?: number;
  demoContacts?: boolean;
}

export interface StartCycleAnswer {
  cycleId: string;
  /** False when the cycle was already started (running or finished): starting twice is a no-op. */
  started: boolean;
}

/** How often a plan's units report (its cycle configuration's `rhythm`; quarterly unless set). */
export async function planRhythm(dataSource: DataSource, planId: string): Promise<ReportingRhythm> {
  const [plan] = (await dataSource.query(`SELECT cycle_config AS "cycleConfig" FROM plan WHERE id = $1`, [planId])) as {
    cycleConfig: Partial<CycleConfig> | null;
  }[];
  return plan?.cycleConfig?.rhythm ?? 'quarterly';
}

/**
 * A plan reports by the rhythm it is set to (`CycleConfig.rhythm`): a monthly plan's cycles are months
 * (2020M07), a quarterly plan's quarters (2020Q3). The period's form is checked first (INVALID_QUARTER).
 * @returns the plan's rhythm
 * @throws DomainError INVALID_QUARTER (a malformed period, or one of the other rhythm, naming the plan's)
 */
export async function assertPeriodFitsPlan(
  dataSource: DataSource,
  planId: string,
  quarter: string,
): Promise<ReportingRhythm> {
  const period = parseQuarter(quarter);
  const rhythm = await planRhythm(dataSource, planId);
  if (rhythm === 'monthly' && !period.month) {
    throw new DomainError(
      'INVALID_QUARTER',
      `此计划按月填报，请选择月份（如 ${period.year}M${String(period.quarter * 3).padStart(2, '0')}），而不是“${quarter}”`,
      `This plan reports monthly: give a month (e.g. ${period.year}M${String(period.quarter * 3).padStart(2, '0')}), not "${quarter}"`,
    );
  }
  if (rhythm === 'quarterly' && period.month) {
    throw new DomainError(
      'INVALID_QUARTER',
      `此计划按季度填报，请选择季度（如 ${period.year}Q${period.quarter}），而不是“${quarter}”`,
      `This plan reports quarterly: give a quarter (e.g. ${period.year}Q${period.quarter}), not "${quarter}"`,
    );
  }
  return rhythm;
}

/**
 * A real cycle for a quarter whose close date has passed would send every
 * reminder and overdue mail of the quarter at once: refused (rehearse it instead).
 */
export async function assertQuarterNotOver(
  dataSource: DataSource,
  planId: string,
  quarter: string,
  now: Date = new Date(),
): Promise<void> {
  // A cycle already started answers as a no-op, whatever the date.
  const existing = (await dataSource.query(`SELECT 1 FROM cycle WHERE id = $1`, [
    cycleWorkflowId(planId, formatQuarter(parseQuarter(quarter))),
  ])) as unknown[];
  if (existing.length > 0) return;
  const [plan] = (await dataSource.query(`SELECT cycle_config AS "cycleConfig" FROM plan WHERE id = $1`, [planId])) as {
    cycleConfig: Partial<CycleConfig> | null;
  }[];
  const config = { ...DEFAULT_CYCLE_CONFIG, ...(plan?.cycleConfig ?? {}) };
  const schedule = computeCycleSchedule(parseQuarter(quarter), config, await loadWorkingDayCalendar(dataSource));
  if (schedule.closesOn < chinaDate(now.toISOString())) {
    throw new DomainError(
      'QUARTER_OVER',
      `${schedule.quarter} 的填报周期已于 ${schedule.closesOn} 结束，不能再开启（可用 rehearse 演练）`,
      `The ${schedule.quarter} cycle closed on ${schedule.closesOn}: it cannot be started for real (rehearse it instead)`,
    );
  }
}

export async function startCycle(client: Client, request: StartCycleRequest): Promise<StartCycleAnswer> {
  const quarter = formatQuarter(parseQuarter(request.quarter));
  const cycleId = cycleWorkflowId(request.planId, quarter, request.rehearsalTag);
  // A rehearsal day is a whole number of milliseconds, so instants fall exactly on the day grid.
  const clock: CycleClockInput =
    request.clock.kind === 'rehearsal'
      ? { ...request.clock, daySeconds: Math.round(request.clock.daySeconds * 1000) / 1000 }
      : request.clock;
  try {
    await client.workflow.start<typeof cycleWorkflow>('cycleWorkflow', {
      workflowId: cycleId,
      taskQueue: request.taskQueue,
      args: [
        {
          planId: request.planId,
          quarter,
          clock,
          taskQueue: request.taskQueue,
          batchSize: request.batchSize,
        },
      ],
      workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
      typedSearchAttributes: [
        { key: SEARCH_ATTRIBUTE_KEYS.plan, value: request.planId },
        { key: SEARCH_ATTRIBUTE_KEYS.quarter, value: quarter },
      ],
    });
    return { cycleId, started: true };
  } catch (error) {
    if (error instanceof WorkflowExecutionAlreadyStartedError) return { cycleId, started: false };
    throw error;
  }
}

export type TaskCycleAction =
  | 'progress'
  | 'input'
  | 'review'
  | 'extension-request'
  | 'extension-decision'
  | 'nudge'
  | 'catch-up-plan'
  /** The 督查室 issues, accepts, asks again or withdraws a 督办单. */
  | 'notice'
  /** The lead unit replies to a 督办单 in writing. */
  | 'notice-reply';

/** The role each action is sent as (the workflow checks it again, with the unit and the state). */
export const ACTION_ROLES: Record<TaskCycleAction, Actor['role']> = {
  progress: 'reporter',
  input: 'reporter',
  review: 'supervisor',
  'extension-request': 'reporter',
  'extension-decision': 'coordinator',
  nudge: 'coordinator',
  'catch-up-plan': 'reporter',
  notice: 'coordinator',
  'notice-reply': 'reporter',
};

export const TASK_CYCLE_ACTIONS = Object.keys(ACTION_ROLES) as TaskCycleAction[];

const UPDATES = {
  progress: submitProgressUpdate,
  input: submitInputUpdate,
  review: reviewUpdate,
  'extension-request': requestExtensionUpdate,
  'extension-decision': decideExtensionUpdate,
  nudge: nudgeUpdate,
  'catch-up-plan': submitCatchUpPlanUpdate,
  notice: noticeUpdate,
  'notice-reply': noticeUpdate,
} as const;

/** How much longer than `notAfter` the caller waits, so that an action a worker took just in time is answered. */
const ACCEPT_MARGIN_MS = 5000;

/** The gRPC deadline of a client call ran out (status 4, DEADLINE_EXCEEDED). */
export function isDeadlineExceeded(error: unknown): boolean {
  for (let e = error as { code?: unknown; cause?: unknown } | undefined; e; e = e.cause as typeof e) {
    if (e.code === 4 || (e instanceof Error && /DEADLINE_EXCEEDED|deadline exceeded/i.test(e.message))) return true;
  }
  return false;
}

/**
 * Sends one person's message to a task-cycle and answers as the workflow
 * did: the new state, or a DomainError with the rejection's code. Errors
 * besides the workflow's refusals: NOT_FOUND (no such task in the cycle),
 * WRONG_STATE (the task-cycle has closed), NO_WORKER (no worker took the
 * action within `acceptSeconds`: it is refused, never applied later),
 * UPDATE_FAILED (accepted but not carried out).
 */
export async function sendTaskCycleAction(
  client: Client,
  dataSource: DataSource,
  request: {
    cycleId: string;
    taskId: string;
    action: TaskCycleAction;
    userId: string;
    role?: string;
    body: Record<string, unknown>;
    /** The caller's idempotency key: the same key sent again gets the first answer, not a second change. */
    requestId?: string;
    /** Seconds to wait for a worker to take the action (default 20); then NO_WORKER, and it never takes effect. */
    acceptSeconds?: number;
  },
): Promise<UpdateAnswer> {
  const update = UPDATES[request.action];
  if (!update) {
    throw new DomainError('NOT_FOUND', `没有操作 ${request.action}`, `No action ${request.action}`);
  }
  const actor = await resolveActor(dataSource, request.userId, request.role ?? ACTION_ROLES[request.action]);
  const rows = isUuid(request.taskId)
    ? ((await dataSource.query(`SELECT tc.id FROM task_cycle tc WHERE tc.cycle_id = $1 AND tc.task_id = $2::uuid`, [
        request.cycleId,
        request.taskId,
      ])) as { id: string }[])
    : [];
  if (!rows[0]) {
    throw new DomainError(
      'NOT_FOUND',
      `周期 ${request.cycleId} 中没有任务 ${request.taskId}`,
      `Task ${request.taskId} is not part of cycle ${request.cycleId}`,
    );
  }
  const handle = client.workflow.getHandle(rows[0].id);
  // A worker must take the action while the caller waits; one taken later is refused by the workflow (notAfter).
  const acceptMs = (request.acceptSeconds ?? 20) * 1000;
  const notAfter = new Date(Date.now() + acceptMs).toISOString();
  try {
    const accepted = await client
      .withDeadline(Date.now() + acceptMs + ACCEPT_MARGIN_MS, () =>
        handle.startUpdate(update as typeof submitProgressUpdate, {
          args: [{ ...request.body, actor, notAfter } as never],
          waitForStage: 'ACCEPTED',
          ...(request.requestId ? { updateId: `${request.action}:${request.userId}:${request.requestId}` } : {}),
        }),
      )
      .catch((error: unknown) => {
        if (isDeadlineExceeded(error)) {
          throw new DomainError('NO_WORKER', NOT_TAKEN_IN_TIME.zh, NOT_TAKEN_IN_TIME.en, { taskCycleId: rows[0]!.id });
        }
        throw error;
      });
    return await accepted.result();
  } catch (error) {
    if (error instanceof WorkflowUpdateFailedError) {
      const cause = error.cause as unknown as { type?: string; message?: string } | undefined;
      if (!isErrorCode(cause?.type)) {
        // Not a refusal of the request: the workflow failed to carry it out.
        throw new DomainError(
          'UPDATE_FAILED',
          '操作未能完成，请稍后重试',
          `the action could not be carried out: ${cause?.message ?? error.message}`,
          { taskCycleId: rows[0].id },
        );
      }
      const code = cause.type;
      const [zh, en] = (cause.message ?? '').split(' / ');
      throw new DomainError(code, zh || ERROR_CODES[code].zh, en || ERROR_CODES[code].en, { taskCycleId: rows[0].id });
    }
    if (error instanceof WorkflowNotFoundError || /already completed/i.test((error as Error).message ?? '')) {
      throw new DomainError('WRONG_STATE', '本期此任务的填报已结束', 'this task-cycle is closed', {
        taskCycleId: rows[0].id,
      });
    }
    throw error;
  }
}
