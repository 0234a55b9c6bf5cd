/**
 * The rehearsal's simulated people. Reporters submit the progress imported
 * for the quarter on varied days (most on time, some late, a few never),
 * co-units give input (some late), a supervisor returns some reports once
 * before approving, red tasks send a catch-up plan, one extension is granted
 * and one refused, and the coordinator nudges a silent unit, so one rehearsal
 * walks every path. The plan is a deterministic function of the tasks, and
 * each day's actions run inside that simulated day (the cycle workflow asks
 * for them after the day's steps and digests), so a rehearsal's outcome is the
 * same on an idle and on a loaded machine.
 */
import type { Client } from '@temporalio/client';
import type { DataSource } from 'typeorm';
import { sendTaskCycleAction, type TaskCycleAction } from '#cycles';
import { dayIndexOf, DomainError, type ClockMode, type ScheduleInstants } from '#domain';
import { owingUnitsOf, taskVersionsOfCycle } from '#persistence';

export interface PlannedAction {
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

export interface SimTask {
  taskId: string;
  ordinal: number;
  /** Null when the lead is a group (各街道): nobody of its own reports until the directory lists its members. */
  leadUnitId: string | null;
  coUnitIds: string[];
  narrative: string | null;
  completion: number | null;
}

/** Who the simulated people act as: a unit's reporter, a plan-wide supervisor, a coordinator (person ids). */
export interface SimActors {
  reporter(unitId: string): string;
  supervisor: string;
  coordinator: string;
}

/** The demo directory's people (`ensureDemoDirectory`): reporter.<unit id's first 8>, supervisor, coordinator. */
export const DEMO_ACTORS: SimActors = {
  reporter: (unitId) => `reporter.${unitId.slice(0, 8)}`,
  supervisor: 'supervisor',
  coordinator: 'coordinator',
};

/** Each task's script of simulated actions, by working day of the rehearsal, acted by `actors`. */
export function planSimulation(
  tasks: readonly SimTask[],
  days: { coUnitDeadline: number; leadDeadline: number; close: number },
  actors: SimActors = DEMO_ACTORS,
): Map<string, PlannedAction[]> {
  const reporter = (unitId: string) => actors.reporter(unitId);
  const plans = new Map<string, PlannedAction[]>();
  let extensionsAsked = 0;
  for (const task of tasks) {
    const actions: PlannedAction[] = [];
    const narrative = task.narrative || '按计划正常推进中';
    const roll = chance(task.ordinal, 1);
    const lead = task.leadUnitId ? reporter(task.leadUnitId) : null;
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
    if (roll < 0.06 || !lead) {
      // Never reports (or a group leads, with nobody to report): the whole ladder, and a nudge once escalated.
      actions.push({
        day: days.leadDeadline + 4,
        action: 'nudge',
        userId: actors.coordinator,
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
          userId: actors.coordinator,
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
          userId: actors.supervisor,
          body: { decision: 'return', reason: 'figures', comment: '请补充具体数据' },
        });
        actions.push({ day: reviewDay + 1, action: 'progress', userId: lead, body: { narrative } });
        reviewDay += 2;
      }
      actions.push({ day: reviewDay, action: 'review', userId: actors.supervisor, body: { decision: 'approve' } });
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

/** Simulated actions of one task run one after another; this many tasks act at once. */
const ACTING_AT_ONCE = 8;

/**
 * Carries out the simulated people's actions of working day `day` of a
 * rehearsal, through the same Updates the API sends (each under its own
 * update id, so a retried activity does not act twice). A refusal by the
 * workflow (normal: a task approved or closed first) is recorded in the
 * audit trail (action rehearsal_refused, subject the cycle) and not thrown;
 * anything else is thrown for the activity to be retried.
 */
export async function simulateRehearsalDay(
  client: Client,
  dataSource: DataSource,
  cycleId: string,
  day: number,
  progress?: (done: number, total: number) => void,
): Promise<{ actions: number; refused: number }> {
  const [cycle] = (await dataSource.query(
    `SELECT plan_id AS "planId", quarter, clock, instants, schedule->'workingDays' AS "workingDays" FROM cycle WHERE id = $1`,
    [cycleId],
  )) as { planId: string; quarter: string; clock: ClockMode; instants: ScheduleInstants; workingDays: string[] }[];
  if (!cycle) throw new DomainError('NOT_FOUND', `没有填报周期 ${cycleId}`, `No cycle ${cycleId}`);
  const grid = { clock: cycle.clock, days: cycle.workingDays };
  const days = {
    coUnitDeadline: dayIndexOf(grid, cycle.instants.coUnitDeadlineAt),
    leadDeadline: dayIndexOf(grid, cycle.instants.leadDeadlineAt),
    close: dayIndexOf(grid, cycle.instants.closeAt),
  };
  const tasks = await simulatedTasks(dataSource, cycleId, cycle.planId, cycle.quarter);
  const plans = planSimulation(tasks, days, await simulatedActors(dataSource));
  const today = tasks
    .map((task) => ({
      task,
      actions: (plans.get(task.taskId) ?? []).map((a, i) => ({ ...a, i })).filter((a) => a.day === day),
    }))
    .filter((t) => t.actions.length > 0);
  const total = today.reduce((n, t) => n + t.actions.length, 0);
  let done = 0;
  let refused = 0;
  let next = 0;
  const actFor = async ({ task, actions }: (typeof today)[number]) => {
    for (const planned of actions) {
      try {
        await sendTaskCycleAction(client, dataSource, {
          cycleId,
          taskId: task.taskId,
          action: planned.action,
          userId: planned.userId,
          body: planned.body,
          requestId: `simulated-${day}-${planned.i}`,
        });
      } catch (error) {
        if (!(error instanceof DomainError) || error.code === 'UPDATE_FAILED') throw error;
        // Offered to every task; only a red one owes a catch-up plan.
        if (planned.action !== 'catch-up-plan') {
          refused += 1;
          await dataSource.query(
            `INSERT INTO audit_event (actor_id, action, subject, details) VALUES ($1, 'rehearsal_refused', $2, $3)`,
            [
              planned.userId,
              cycleId,
              JSON.stringify({ day, ordinal: task.ordinal, action: planned.action, code: error.code }),
            ],
          );
        }
      }
      done += 1;
      progress?.(done, total);
    }
  };
  await Promise.all(
    Array.from({ length: Math.min(ACTING_AT_ONCE, today.length) }, async () => {
      while (next < today.length) await actFor(today[next++]!);
    }),
  );
  return { actions: total, refused };
}

/**
 * Who acts in a rehearsal: the demo contacts while they hold their roles; once a district's own 通讯录 has
 * replaced them, the first active reporter of each unit, plan-wide supervisor and coordinator (by login) —
 * a rehearsal mails only demo addresses and REHEARSAL_MAIL_TO, so nobody real is written to.
 */
async function simulatedActors(dataSource: DataSource): Promise<SimActors> {
  const reporters = (await dataSource.query(
    `SELECT r.unit_id AS "unitId", COALESCE(min(p.id) FILTER (WHERE p.demo), min(p.id)) AS id
       FROM person_role r JOIN person p ON p.id = r.person_id
      WHERE r.role = 'reporter' AND p.deactivated_at IS NULL GROUP BY r.unit_id`,
  )) as { unitId: string; id: string }[];
  const [office] = (await dataSource.query(
    `SELECT (SELECT p.id FROM person_role r JOIN person p ON p.id = r.person_id
              WHERE r.role = 'supervisor' AND r.unit_id IS NULL AND r.category_id IS NULL AND p.deactivated_at IS NULL
              ORDER BY p.id = $1 DESC, p.id LIMIT 1) AS supervisor,
            (SELECT p.id FROM person_role r JOIN person p ON p.id = r.person_id
              WHERE r.role = 'coordinator' AND p.deactivated_at IS NULL
              ORDER BY p.id = $2 DESC, p.id LIMIT 1) AS coordinator`,
    [DEMO_ACTORS.supervisor, DEMO_ACTORS.coordinator],
  )) as { supervisor: string | null; coordinator: string | null }[];
  const byUnit = new Map(reporters.map((r) => [r.unitId, r.id]));
  return {
    reporter: (unitId) => byUnit.get(unitId) ?? DEMO_ACTORS.reporter(unitId),
    supervisor: office?.supervisor ?? DEMO_ACTORS.supervisor,
    coordinator: office?.coordinator ?? DEMO_ACTORS.coordinator,
  };
}

/** The plan's tasks with the progress imported for the quarter, as the simulated reporters will report it. */
/** The plan's tasks as the cycle holds them (a task edited meanwhile keeps its task-cycle's units). */
async function simulatedTasks(
  dataSource: DataSource,
  cycleId: string,
  planId: string,
  quarter: string,
): Promise<SimTask[]> {
  return (await dataSource.query(
    `SELECT v.task_id AS "taskId", cv.ordinal,
            (SELECT tu.unit_id FROM task_unit tu JOIN unit u ON u.id = tu.unit_id AND u.group_kind IS NULL
              WHERE tu.task_version_id = v.id AND tu.role = 'lead') AS "leadUnitId",
            -- a group's members each give input (各街道 → its 街道); a group without members has nobody to
            COALESCE((SELECT array_agg(w.unit_id::text ORDER BY w.position, u.name) FROM ${owingUnitsOf('v.id')} w
                       JOIN unit u ON u.id = w.unit_id AND u.group_kind IS NULL
                       WHERE w.role = 'co'), '{}') AS "coUnitIds",
            s.narrative, s.completion::float8 AS completion
       FROM ${taskVersionsOfCycle('$3')}
       LEFT JOIN LATERAL (SELECT narrative, completion FROM submission
                           WHERE task_id = v.task_id AND quarter = $2 AND kind = 'progress' AND source = 'import'
                           ORDER BY version DESC LIMIT 1) s ON true
      WHERE cv.plan_id = $1 ORDER BY cv.ordinal`,
    [planId, quarter, cycleId],
  )) as SimTask[];
}
