/**
 * The State Council amends a published calendar while a quarter runs (2020:
 * the Spring Festival extension cancelled a make-up Saturday). After an
 * admin's correction, every open cycle's working-day grid and instants are
 * computed again from the amended calendar, sent to the running workflows, and
 * then stored on the cycle (so task-cycles started later begin on them): the cycle
 * (its digests and close) and each open task-cycle (its future deadlines,
 * reminders and overdue ladder, by `replanCalendar` in libs/domain).
 */
import { createHash } from 'node:crypto';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import type { DataSource } from 'typeorm';
import { calendarVersion, loadWorkingDayCalendar } from '#calendar';
import { replanCalendarUpdate, replanCycleUpdate } from '#contracts';
import {
  DomainError,
  computeCycleSchedule,
  parseQuarter,
  scheduleInstants,
  type ClockMode,
  type CycleConfig,
  type CycleSchedule,
  type ScheduleInstants,
} from '#domain';
import { isDeadlineExceeded } from './cycle-commands.js';
import { openTaskCycleIds } from './cycle-read-model.js';

/** Task-cycles re-planned at once. */
const AT_ONCE = 8;
/** How long one workflow may take to answer its re-plan (a worker must be running). */
const UPDATE_SECONDS = 30;

export interface CalendarReplanResult {
  /** The open cycles whose grid or instants changed. */
  cycles: string[];
  /** Open task-cycles re-planned, and those of them whose deadline moved. */
  taskCycles: number;
  moved: number;
}

/** JSON with every object's keys in order: what PostgreSQL's jsonb gives back compares equal to what was stored. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );
}

/** A workflow that is gone or has finished has nothing to re-plan. */
function finished(error: unknown): boolean {
  return error instanceof WorkflowNotFoundError || /already completed/i.test((error as Error).message ?? '');
}

/**
 * Re-plans every open cycle on the calendar as it now stands. A cycle whose
 * grid and instants come out the same is left alone; one already opened keeps
 * its opening day (day 0 of its grid). Each workflow gets the Update once per
 * amendment (its update id names the new grid and instants), so running it
 * again — a retry after Temporal was away — applies nothing twice. Errors: what
 * Temporal answers other than a workflow gone or finished (the correction stays
 * stored; run it again).
 */
export async function replanOpenCycles(
  /** Connects to Temporal: asked only when a cycle has something to re-plan (a correction of another year needs none). */
  connect: () => Promise<Client>,
  dataSource: DataSource,
  { now = new Date(), progress }: { now?: Date; progress?: (done: number, total: number) => void } = {},
): Promise<CalendarReplanResult> {
  const calendar = await loadWorkingDayCalendar(dataSource);
  const version = await calendarVersion(dataSource);
  const cycles = (await dataSource.query(
    `SELECT id, quarter, clock, config, schedule, instants FROM cycle WHERE status = 'open' AND instants ? 'closeAt' ORDER BY id`,
  )) as {
    id: string;
    quarter: string;
    clock: ClockMode;
    config: CycleConfig;
    schedule: CycleSchedule;
    instants: ScheduleInstants;
  }[];
  const result: CalendarReplanResult = { cycles: [], taskCycles: 0, moved: 0 };
  let connected: Client | null = null;
  /** Sends one Update, waiting at most UPDATE_SECONDS for a worker (then NO_WORKER: send the correction again). */
  const send = async <Ret, Arg>(
    workflowId: string,
    update: UpdateDefinition<Ret, [Arg]>,
    args: [Arg],
    updateId: string,
  ): Promise<Ret | null> => {
    connected ??= await connect();
    const client = connected;
    return client
      .withDeadline(Date.now() + UPDATE_SECONDS * 1000, () =>
        client.workflow.getHandle(workflowId).executeUpdate(update, { args, updateId }),
      )
      .catch((error: unknown) => {
        if (finished(error)) return null;
        if (isDeadlineExceeded(error)) {
          throw new DomainError(
            'NO_WORKER',
            `${workflowId} 未在 ${UPDATE_SECONDS} 秒内响应：日历更正已保存，请稍后再次提交以重新排期`,
            `${workflowId} did not answer within ${UPDATE_SECONDS} s: the correction is stored; send it again later to re-plan`,
          );
        }
        throw error;
      });
  };
  for (const cycle of cycles) {
    let schedule = computeCycleSchedule(parseQuarter(cycle.quarter), cycle.config, calendar);
    if (Date.parse(cycle.instants.opensAt) <= now.getTime() && schedule.opensOn !== cycle.schedule.opensOn) {
      // Opened already: its day 0 stays the day it opened.
      const opensOn = cycle.schedule.opensOn;
      schedule = { ...schedule, opensOn, workingDays: [opensOn, ...schedule.workingDays.filter((d) => d > opensOn)] };
    }
    const computed = scheduleInstants(schedule, calendar, cycle.clock);
    // The close never comes earlier than the cycle was told (its task-cycles keep the later one).
    const instants = {
      ...computed,
      closeAt:
        Date.parse(computed.closeAt) >= Date.parse(cycle.instants.closeAt) ? computed.closeAt : cycle.instants.closeAt,
    };
    if (
      canonical(schedule.workingDays) === canonical(cycle.schedule.workingDays) &&
      canonical(instants) === canonical(cycle.instants)
    ) {
      continue;
    }
    result.cycles.push(cycle.id);
    const replan = { workingDays: schedule.workingDays, instants };
    // One amendment, one update id: the calendar's version is in it, so a day set back and forth is sent each time.
    const updateId = `calendar-${createHash('sha256')
      .update(`${version}|${canonical(replan)}`)
      .digest('hex')
      .slice(0, 16)}`;
    await send(cycle.id, replanCycleUpdate, [replan], updateId);
    const ids = await openTaskCycleIds(dataSource, cycle.id);
    let next = 0;
    let done = 0;
    await Promise.all(
      Array.from({ length: Math.min(AT_ONCE, ids.length) }, async () => {
        while (next < ids.length) {
          const id = ids[next++]!;
          const answer = await send(id, replanCalendarUpdate, [replan], updateId);
          if (answer && !answer.closed) result.taskCycles += 1;
          progress?.(++done, ids.length);
        }
      }),
    );
    // Stored last: a run cut short (Temporal away) finds the cycle still to re-plan when the correction is sent
    // again, and the workflows that had it already take the same update id as done.
    await dataSource.query(`UPDATE cycle SET schedule = $2, instants = $3, provisional = $4 WHERE id = $1`, [
      cycle.id,
      JSON.stringify(schedule),
      JSON.stringify(instants),
      schedule.provisional,
    ]);
    const [moved] = (await dataSource.query(
      `SELECT count(DISTINCT e.task_cycle_id)::int AS n FROM task_cycle_event e JOIN task_cycle tc ON tc.id = e.task_cycle_id
        WHERE tc.cycle_id = $1 AND e.kind = 'calendar_replanned' AND e.recorded_at >= $2`,
      [cycle.id, now],
    )) as { n: number }[];
    result.moved += moved?.n ?? 0;
  }
  return result;
}
