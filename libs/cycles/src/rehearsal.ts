/**
 * A rehearsal: the same workflows in compressed time (one working day = N s)
 * against the captured mailbox. With `simulate`, simulated people act
 * through the same Updates the API sends: reporters submit the progress
 * imported for the quarter at varied times (most on time, some late, a few
 * never), co-units give input (one late), a supervisor returns some reports
 * once before approving, red tasks get a catch-up plan, one extension is
 * granted and one refused, and the coordinator nudges a silent unit — so one
 * rehearsal walks every path. The choices are a deterministic function of the
 * task's ordinal, so two rehearsals of one plan behave alike.
 */
import type { Client } from '@temporalio/client';
import type { DataSource } from 'typeorm';
import type { ScheduleInstants } from '#domain';
import { cycleDate, DomainError, formatQuarter, parseQuarter, type ClockMode } from '#domain';
import { loadWorkingDayCalendar } from '#calendar';
import { sendTaskCycleAction, startCycle, type TaskCycleAction } from './cycle-commands.js';
import { cycleCounts } from './cycle-read-model.js';

export interface RehearsalOptions {
  planId: string;
  quarter: string;
  daySeconds: number;
  simulate: boolean;
  taskQueue: string;
  namespace: string;
  onProgress?: (progress: RehearsalProgress) => void;
}

export interface RehearsalProgress {
  cycleId: string;
  day: number;
  days: number;
  date: string;
  tasks: number;
  submitted: number;
  approved: number;
  overdue: number;
  closed: number;
}

export interface RehearsalTaskSummary {
  ordinal: number;
  content: string;
  leadUnit: string;
  deadlines: { lead: string; final: string };
  assigned: string | null;
  reminders: number;
  submitted: number;
  returned: number;
  approved: string | null;
  escalations: number;
  extension: string | null;
  catchUp: string | null;
  status: string;
  light: string | null;
  lightReason: string | null;
  completion: number | null;
}

export interface RehearsalResult {
  cycleId: string;
  quarter: string;
  report: { tasks: number; byStatus: Record<string, number>; byLight: Record<string, number> };
  mail: number;
  tasks: RehearsalTaskSummary[];
  /** Simulated actions that the workflows refused (normal when a task closed first). */
  refused: { ordinal: number; action: string; code: string }[];
}

interface PlannedAction {
  day: number;
  action: TaskCycleAction;
  userId: string;
  body: Record<string, unknown>;
}

/** A stable pseudo-random number in [0, 1) for a task and a purpose. */
function chance(ordinal: number, salt: number): number {
  let x = (ordinal * 2654435761 + salt * 40503) >>> 0;
  x ^= x >>> 16;
  x = Math.imul(x, 2246822507) >>> 0;
  x ^= x >>> 13;
  return (x >>> 0) / 2 ** 32;
}

interface SimTask {
  taskId: string;
  ordinal: number;
  leadUnitId: string;
  coUnitIds: string[];
  narrative: string | null;
  completion: number | null;
}

/** Each task's script of simulated actions, by working day of the rehearsal. */
export function planSimulation(
  tasks: readonly SimTask[],
  days: { coUnitDeadline: number; leadDeadline: number; close: number },
): Map<string, PlannedAction[]> {
  const reporter = (unitId: string) => `reporter.${unitId.slice(0, 8)}`;
  const plans = new Map<string, PlannedAction[]>();
  let extensionsAsked = 0;
  for (const task of tasks) {
    const actions: PlannedAction[] = [];
    const narrative = task.narrative || '按计划正常推进中';
    const roll = chance(task.ordinal, 1);
    const lead = reporter(task.leadUnitId);
    for (const unitId of task.coUnitIds) {
      const r = chance(task.ordinal, unitId.charCodeAt(0));
      if (r < 0.1) continue; // never gives input
      const day = r < 0.25 ? days.coUnitDeadline + 1 : 3 + Math.floor(r * (days.coUnitDeadline - 3));
      actions.push({
        day,
        action: 'input',
        userId: reporter(unitId),
        body: { unitId, narrative: '已按牵头单位要求配合推进 / input given' },
      });
    }
    if (roll < 0.06) {
      // Never reports: the whole ladder, and a nudge from the coordinator once it is escalated.
      actions.push({
        day: days.leadDeadline + 4,
        action: 'nudge',
        userId: 'coordinator',
        body: { comment: '请立即报送' },
      });
    } else {
      let submitDay: number;
      if (roll < 0.2) submitDay = days.leadDeadline + 1 + Math.floor(chance(task.ordinal, 2) * 4);
      else submitDay = 2 + Math.floor(chance(task.ordinal, 3) * (days.leadDeadline - 2));
      if (roll >= 0.2 && roll < 0.3 && extensionsAsked < 2 && submitDay > 4) {
        // One extension granted, one refused; the unit reports within the old or the new deadline.
        const grant = extensionsAsked === 0;
        extensionsAsked += 1;
        actions.push({
          day: 2,
          action: 'extension-request',
          userId: lead,
          body: { workingDays: 2, reason: '待上级批复' },
        });
        actions.push({
          day: 3,
          action: 'extension-decision',
          userId: 'coordinator',
          body: { grant, comment: grant ? '同意延期' : '请按期报送' },
        });
        submitDay = grant ? days.leadDeadline + 2 : days.leadDeadline;
      }
      actions.push({ day: submitDay, action: 'progress', userId: lead, body: { narrative } });
      let reviewDay = submitDay + 1;
      if (chance(task.ordinal, 4) < 0.2) {
        actions.push({
          day: reviewDay,
          action: 'review',
          userId: 'supervisor',
          body: { decision: 'return', reason: 'figures', comment: '请补充具体数据' },
        });
        actions.push({ day: reviewDay + 1, action: 'progress', userId: lead, body: { narrative } });
        reviewDay += 2;
      }
      actions.push({ day: reviewDay, action: 'review', userId: 'supervisor', body: { decision: 'approve' } });
      // Offered to every task; the workflow accepts it only where the light came out red.
      actions.push({
        day: reviewDay + 2,
        action: 'catch-up-plan',
        userId: lead,
        body: { plan: '增派力量、倒排工期，下季度补齐进度 / more people and a tighter schedule' },
      });
    }
    plans.set(
      task.taskId,
      actions.filter((a) => a.day < days.close).sort((a, b) => a.day - b.day),
    );
  }
  return plans;
}

async function requireWorker(client: Client, namespace: string, taskQueue: string): Promise<void> {
  const answer = await client.workflowService.describeTaskQueue({
    namespace,
    taskQueue: { name: taskQueue },
    taskQueueType: 1, // TASK_QUEUE_TYPE_WORKFLOW
  });
  if ((answer.pollers ?? []).length === 0) {
    throw new DomainError(
      'NO_WORKER',
      `没有 worker 在处理任务队列 ${taskQueue}：请先运行 npm start`,
      `No worker polls task queue ${taskQueue}: run \`npm start\` first`,
    );
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function runRehearsal(
  client: Client,
  dataSource: DataSource,
  options: RehearsalOptions,
): Promise<RehearsalResult> {
  if (!(options.daySeconds >= 0.5 && options.daySeconds <= 86_400)) {
    throw new DomainError(
      'USAGE',
      `--day-seconds 应在 0.5 到 86400 之间：${options.daySeconds}`,
      `--day-seconds must be between 0.5 and 86400: ${options.daySeconds}`,
    );
  }
  const quarter = formatQuarter(parseQuarter(options.quarter));
  await requireWorker(client, options.namespace, options.taskQueue);
  const { cycleId } = await startCycle(client, {
    planId: options.planId,
    quarter,
    clock: { kind: 'rehearsal', daySeconds: options.daySeconds },
    taskQueue: options.taskQueue,
    rehearsalTag: Date.now().toString(36),
  });
  const result = client.workflow.getHandle(cycleId).result();
  let settled = false;
  void result.then(
    () => (settled = true),
    () => (settled = true),
  );

  let cycle: {
    clock: ClockMode & { kind: 'rehearsal' };
    instants: ScheduleInstants;
    opensOn: string;
    taskCount: number;
  };
  for (;;) {
    const rows = (await dataSource.query(
      `SELECT clock, instants, schedule->>'opensOn' AS "opensOn", task_count AS "taskCount" FROM cycle WHERE id = $1`,
      [cycleId],
    )) as (typeof cycle)[];
    if (rows[0]) {
      cycle = rows[0];
      break;
    }
    if (settled) break;
    await sleep(100);
  }
  if (!cycle!) await result; // the workflow failed before preparing: its error says why
  const start = Date.parse(cycle!.clock.startedAt);
  const dayMs = options.daySeconds * 1000;
  const dayOf = (at: string) => Math.round((Date.parse(at) - start) / dayMs);
  const days = {
    coUnitDeadline: dayOf(cycle!.instants.coUnitDeadlineAt),
    leadDeadline: dayOf(cycle!.instants.leadDeadlineAt),
    close: dayOf(cycle!.instants.closeAt),
  };
  const calendar = await loadWorkingDayCalendar(dataSource);

  const refused: RehearsalResult['refused'] = [];
  const scripts: Promise<void>[] = [];
  if (options.simulate) {
    const tasks = (await dataSource.query(
      `SELECT t.id AS "taskId", t.ordinal,
              (SELECT tu.unit_id FROM task_unit tu WHERE tu.task_version_id = v.id AND tu.role = 'lead') AS "leadUnitId",
              COALESCE((SELECT array_agg(tu.unit_id::text ORDER BY tu.position) FROM task_unit tu
                         WHERE tu.task_version_id = v.id AND tu.role = 'co'), '{}') AS "coUnitIds",
              s.narrative, s.completion::float8 AS completion
         FROM task t JOIN task_version v ON v.task_id = t.id AND v.version = t.current_version
         LEFT JOIN LATERAL (SELECT narrative, completion FROM submission
                             WHERE task_id = t.id AND quarter = $2 AND kind = 'progress' AND source = 'import'
                             ORDER BY version DESC LIMIT 1) s ON true
        WHERE t.plan_id = $1 ORDER BY t.ordinal`,
      [options.planId, quarter],
    )) as SimTask[];
    const plans = planSimulation(tasks, days);
    for (const task of tasks) {
      const actions = plans.get(task.taskId) ?? [];
      scripts.push(
        (async () => {
          for (const planned of actions) {
            // Mid-morning of the simulated day, after that morning's reminders.
            await sleep(Math.max(start + (planned.day + 0.4) * dayMs - Date.now(), 0));
            if (settled) return;
            try {
              await sendTaskCycleAction(client, dataSource, {
                cycleId,
                taskId: task.taskId,
                action: planned.action,
                userId: planned.userId,
                body: planned.body,
              });
            } catch (error) {
              // Refused by the workflow (normal when a task closed first), or a transient failure: noted, not fatal.
              const code = error instanceof DomainError ? error.code : `ERROR: ${(error as Error).message}`;
              if (planned.action !== 'catch-up-plan' || !(error instanceof DomainError)) {
                refused.push({ ordinal: task.ordinal, action: planned.action, code });
              }
            }
          }
        })(),
      );
    }
  }

  while (!settled) {
    const counts = await cycleCounts(dataSource, cycleId);
    const elapsed = Math.min(Math.max(Math.floor((Date.now() - start) / dayMs), 0), days.close);
    options.onProgress?.({
      cycleId,
      day: elapsed,
      days: days.close,
      date: cycleDate(new Date(start + elapsed * dayMs).toISOString(), cycle!.opensOn, cycle!.clock, calendar),
      tasks: cycle!.taskCount,
      submitted: (counts.byStatus.submitted ?? 0) + (counts.byStatus.approved ?? 0),
      approved: counts.byStatus.approved ?? 0,
      overdue: counts.byStatus.overdue ?? 0,
      closed: counts.closed,
    });
    await Promise.race([result.catch(() => undefined), sleep(Math.min(dayMs / 2, 1000))]);
  }
  const report = await result;
  await Promise.all(scripts);
  return {
    cycleId,
    quarter,
    report,
    mail: await countMail(dataSource, cycleId),
    tasks: await summarise(dataSource, cycleId, (at) => cycleDate(at, cycle!.opensOn, cycle!.clock, calendar)),
    refused,
  };
}

async function countMail(dataSource: DataSource, cycleId: string): Promise<number> {
  const [{ n }] = (await dataSource.query(
    `SELECT count(*)::int AS n FROM notification WHERE cycle_id = $1 AND status = 'sent'`,
    [cycleId],
  )) as [{ n: number }];
  return n;
}

/** One line per task: what happened to it in the cycle, dates as the people saw them. */
export async function summarise(
  dataSource: DataSource,
  cycleId: string,
  dateOf: (at: string) => string,
): Promise<RehearsalTaskSummary[]> {
  const rows = (await dataSource.query(
    `SELECT tc.ordinal, v.content, u.name AS "leadUnit", tc.lead_deadline_at AS "leadDeadlineAt",
            tc.current_deadline_at AS "currentDeadlineAt", tc.reminders, tc.submissions, tc.returns, tc.escalations,
            tc.extension, tc.catch_up AS "catchUp", tc.status, tc.light, tc.light_reason AS "lightReason",
            tc.completion::float8 AS completion, tc.approved_at AS "approvedAt",
            (SELECT min(e.at) FROM task_cycle_event e WHERE e.task_cycle_id = tc.id AND e.kind = 'assigned') AS "assignedAt"
       FROM task_cycle tc
       JOIN task t ON t.id = tc.task_id
       JOIN task_version v ON v.task_id = t.id AND v.version = t.current_version
       JOIN unit u ON u.id = tc.lead_unit_id
      WHERE tc.cycle_id = $1 ORDER BY tc.ordinal`,
    [cycleId],
  )) as {
    ordinal: number;
    content: string;
    leadUnit: string;
    leadDeadlineAt: Date;
    currentDeadlineAt: Date;
    reminders: number;
    submissions: number;
    returns: number;
    escalations: number;
    extension: string | null;
    catchUp: string | null;
    status: string;
    light: string | null;
    lightReason: string | null;
    completion: number | null;
    approvedAt: Date | null;
    assignedAt: Date | null;
  }[];
  return rows.map((r) => ({
    ordinal: r.ordinal,
    content: r.content,
    leadUnit: r.leadUnit,
    deadlines: { lead: dateOf(r.leadDeadlineAt.toISOString()), final: dateOf(r.currentDeadlineAt.toISOString()) },
    assigned: r.assignedAt ? dateOf(r.assignedAt.toISOString()) : null,
    reminders: r.reminders,
    submitted: r.submissions,
    returned: r.returns,
    approved: r.approvedAt ? dateOf(r.approvedAt.toISOString()) : null,
    escalations: r.escalations,
    extension: r.extension,
    catchUp: r.catchUp,
    status: r.status,
    light: r.light,
    lightReason: r.lightReason,
    completion: r.completion,
  }));
}
