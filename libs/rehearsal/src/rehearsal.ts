/**
 * A rehearsal from the command line: the same workflows in compressed time
 * (one working day = at least N s, advanced by the work) against the
 * captured mailbox, optionally with the simulated people of simulator.ts,
 * and a summary line per task at the end.
 */
import type { Client } from '@temporalio/client';
import type { DataSource } from 'typeorm';
import { cycleDate, dayIndexOf, DomainError, formatQuarter, parseQuarter, type ClockMode } from '#domain';
import { loadWorkingDayCalendar } from '#calendar';
import { assertPeriodFitsPlan, cycleCounts, startCycle } from '#cycles';

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

/**
 * Starts a rehearsal (paced auto: one simulated working day at least every
 * `daySeconds`, and never before the day's work is done) with or without the
 * simulated people, reports its progress by simulated day, and answers one
 * line per task when it has closed. Errors: NO_WORKER when no worker polls
 * the task queue; USAGE for a day length outside 0.5–86400 s.
 */
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
  await assertPeriodFitsPlan(dataSource, options.planId, quarter);
  await requireWorker(client, options.namespace, options.taskQueue);
  const { cycleId } = await startCycle(client, {
    planId: options.planId,
    quarter,
    clock: { kind: 'rehearsal', daySeconds: options.daySeconds, pace: 'auto', simulate: options.simulate },
    taskQueue: options.taskQueue,
    rehearsalTag: Date.now().toString(36),
  });
  const result = client.workflow.getHandle(cycleId).result();
  let settled = false;
  void result.then(
    () => (settled = true),
    () => (settled = true),
  );
  const calendar = await loadWorkingDayCalendar(dataSource);
  let cycle: { clock: ClockMode; opensOn: string; taskCount: number } | undefined;
  while (!settled) {
    const [row] = (await dataSource.query(
      `SELECT clock, schedule->>'opensOn' AS "opensOn", task_count AS "taskCount", rehearsal_day AS day,
              schedule->'workingDays'->>rehearsal_day AS date, instants->>'closeAt' AS "closeAt",
              schedule->'workingDays' AS "workingDays"
         FROM cycle WHERE id = $1`,
      [cycleId],
    )) as (
      | {
          clock: ClockMode;
          opensOn: string;
          taskCount: number;
          day: number;
          date: string;
          closeAt: string;
          workingDays: string[];
        }
      | undefined
    )[];
    if (row) {
      cycle = row;
      const counts = await cycleCounts(dataSource, cycleId);
      options.onProgress?.({
        cycleId,
        day: row.day,
        days: dayIndexOf({ clock: row.clock, days: row.workingDays }, row.closeAt),
        date: row.date,
        tasks: row.taskCount,
        submitted: (counts.byStatus.submitted ?? 0) + (counts.byStatus.approved ?? 0),
        approved: counts.byStatus.approved ?? 0,
        overdue: counts.byStatus.overdue ?? 0,
        closed: counts.closed,
      });
    }
    await Promise.race([result.catch(() => undefined), sleep(Math.min(options.daySeconds * 500, 1000))]);
  }
  const report = await result;
  const refused = (await dataSource.query(
    `SELECT (details->>'ordinal')::int AS ordinal, details->>'action' AS action, details->>'code' AS code
       FROM audit_event WHERE action = 'rehearsal_refused' AND subject = $1 ORDER BY id`,
    [cycleId],
  )) as RehearsalResult['refused'];
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
       JOIN task_version v ON v.id = tc.task_version_id
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
