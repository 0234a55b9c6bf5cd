/**
 * The quarterly cycle's rows as the worker's activities read and write them:
 * a cycle's prepared timeline, the tasks its task-cycles start with, the
 * submissions people make, the people an opening assigns, the close. The
 * only place with the cycle activities' SQL; each method is safe to repeat
 * (a retried activity finds what its first attempt wrote).
 */
import type { DataSource } from 'typeorm';
import { owingUnitsOf, taskVersionsOfCycle } from '#persistence';
import type { StoreSubmissionInput, StoredSubmission, UnitRef } from '#contracts';
import {
  DomainError,
  type ClockMode,
  type CycleConfig,
  type CycleSchedule,
  type Milestone,
  type ScheduleInstants,
  type Target,
} from '#domain';
import type { Recipient } from '#directory';
import { bindSubmissionEvidence } from './evidence-binding.js';

/** What a cycle's activities need to tell its days: its clock, opening day, instants and numbers. */
export interface CycleClockRow {
  clock: ClockMode;
  opensOn: string;
  instants: ScheduleInstants;
  config: CycleConfig;
}

/** A cycle as prepared and stored. */
export interface PreparedCycleRow {
  config: CycleConfig;
  schedule: CycleSchedule;
  instants: ScheduleInstants;
  provisional: boolean;
  taskCount: number;
}

/** One task as its task-cycle starts: current content, units (lead first), targets. */
export interface TaskToStart {
  taskId: string;
  /** The task's current version, which the task-cycle keeps all quarter. */
  versionId: string;
  ordinal: number;
  categoryId: string;
  categoryName: string;
  content: string;
  units: (UnitRef & { role: 'lead' | 'co' })[];
  targets: Target[];
  /** The task version's milestone (节点) for the cycle's quarter, or null. */
  milestone: Milestone | null;
}

/** A reporter and one task they owe at the opening. */
export type AssignmentRow = Recipient & { unit: string; role: 'lead' | 'co'; ordinal: number; content: string };

export class CycleRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The cycle's clock, opening day, instants and numbers. Throws DomainError NOT_FOUND. */
  async clockOf(cycleId: string): Promise<CycleClockRow> {
    const [row] = (await this.dataSource.query(
      `SELECT clock, schedule->>'opensOn' AS "opensOn", instants, config FROM cycle WHERE id = $1`,
      [cycleId],
    )) as CycleClockRow[];
    if (!row) throw new DomainError('NOT_FOUND', `没有填报周期 ${cycleId}`, `No cycle ${cycleId}`);
    return row;
  }

  /** A plan's name, its own cycle numbers and its task count (those not struck off). Throws DomainError NOT_FOUND. */
  async planOf(
    planId: string,
  ): Promise<{ id: string; name: string; cycleConfig: Partial<CycleConfig> | null; tasks: number }> {
    const [plan] = (await this.dataSource.query(
      `SELECT p.id, p.name, p.cycle_config AS "cycleConfig", (SELECT count(*)::int FROM task t WHERE t.plan_id = p.id AND t.struck_off IS NULL) AS tasks
         FROM plan p WHERE p.id = $1`,
      [planId],
    )) as { id: string; name: string; cycleConfig: Partial<CycleConfig> | null; tasks: number }[];
    if (!plan) throw new DomainError('NOT_FOUND', `没有计划 ${planId}`, `No plan ${planId}`);
    return plan;
  }

  /**
   * Stores a prepared cycle once (a second call keeps the first row: its
   * rehearsal start and calendar stand) and answers the row as stored. A
   * rehearsal starts on its day 0.
   */
  async prepare(row: {
    cycleId: string;
    planId: string;
    clock: ClockMode;
    config: CycleConfig;
    schedule: CycleSchedule;
    instants: ScheduleInstants;
    taskCount: number;
  }): Promise<PreparedCycleRow> {
    await this.dataSource.query(
      `INSERT INTO cycle (id, plan_id, quarter, mode, clock, config, schedule, instants, provisional, task_count,
                          rehearsal_day)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, CASE WHEN $4 = 'rehearsal' THEN 0 END) ON CONFLICT (id) DO NOTHING`,
      [
        row.cycleId,
        row.planId,
        row.schedule.quarter,
        row.clock.kind,
        JSON.stringify(row.clock),
        JSON.stringify(row.config),
        JSON.stringify(row.schedule),
        JSON.stringify(row.instants),
        row.schedule.provisional,
        row.taskCount,
      ],
    );
    const [stored] = (await this.dataSource.query(
      `SELECT config, schedule, instants, provisional, task_count AS "taskCount" FROM cycle WHERE id = $1`,
      [row.cycleId],
    )) as PreparedCycleRow[];
    return stored!;
  }

  /** What every task-cycle of the cycle starts with. */
  async startingPoint(cycleId: string): Promise<{
    planId: string;
    quarter: string;
    config: CycleConfig;
    instants: ScheduleInstants;
    clock: ClockMode;
    workingDays: string[];
  }> {
    const [row] = (await this.dataSource.query(
      `SELECT plan_id AS "planId", quarter, config, instants, clock, schedule->'workingDays' AS "workingDays"
         FROM cycle WHERE id = $1`,
      [cycleId],
    )) as Awaited<ReturnType<CycleRepository['startingPoint']>>[];
    if (!row) throw new DomainError('NOT_FOUND', `没有填报周期 ${cycleId}`, `No cycle ${cycleId}`);
    return row;
  }

  /**
   * The plan's next `limit` tasks after `afterOrdinal` (null: from the first; none struck off), in their current version, each
   * with the units that owe their part: a co-unit group (各街道) is its members in the directory, each owing
   * its own input (`owingUnitsOf`).
   */
  async tasksToStart(
    planId: string,
    afterOrdinal: number | null,
    limit: number,
    /** The quarter of the year (1–4) whose milestone each task takes. */
    quarter: number,
  ): Promise<TaskToStart[]> {
    return (await this.dataSource.query(
      `SELECT v.task_id AS "taskId", v.id AS "versionId", v.ordinal, c.id AS "categoryId", c.name AS "categoryName", v.content,
              COALESCE((SELECT json_agg(json_build_object('id', u.id, 'name', u.name, 'role', w.role)
                                        ORDER BY w.role = 'lead' DESC, w.position, u.name)
                          FROM ${owingUnitsOf('v.id')} w JOIN unit u ON u.id = w.unit_id), '[]') AS units,
              COALESCE((SELECT json_agg(json_build_object('metric', g.metric, 'value', g.value::float8, 'unit', g.unit,
                                                          'comparator', g.comparator, 'kind', g.kind) ORDER BY g.position)
                          FROM target g WHERE g.task_version_id = v.id), '[]') AS targets,
              (SELECT json_build_object('quarter', m.quarter, 'text', m.text, 'expected', m.expected::float8)
                 FROM milestone m WHERE m.task_version_id = v.id AND m.quarter = $4) AS milestone
         FROM current_task_version v
         JOIN category c ON c.id = v.category_id
        WHERE v.plan_id = $1 AND v.ordinal > $2
          -- A task closed (办结销号) or cancelled is held by no cycle started since.
          AND NOT EXISTS (SELECT 1 FROM task t WHERE t.id = v.task_id AND t.struck_off IS NOT NULL)
        ORDER BY v.ordinal LIMIT $3`,
      [planId, afterOrdinal ?? 0, limit, quarter],
    )) as TaskToStart[];
  }

  /**
   * Stores a submission as the next version of its task, quarter, unit and
   * kind (versions count every source, imports included), once: the same
   * cycle sequence again answers the version first stored. `source`:
   * 'reporter', or 'simulation' in a rehearsal (never in the real report).
   */
  async storeSubmission(input: StoreSubmissionInput, source: 'reporter' | 'simulation'): Promise<StoredSubmission> {
    const { reading } = input;
    return this.dataSource.transaction(async (manager) => {
      await manager.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [
        `submission:${input.taskId}:${input.quarter}`,
      ]);
      const [mine] = (await manager.query(
        `SELECT id, version FROM submission
          WHERE cycle_id = $1 AND task_id = $2 AND unit_id = $3 AND kind = $4 AND cycle_sequence = $5`,
        [input.cycleId, input.taskId, input.unitId, input.kind, input.sequence],
      )) as (StoredSubmission & { id: string })[];
      if (mine) {
        // Stored by an earlier attempt: the files attached since go with it too (binding is idempotent).
        await bindSubmissionEvidence(manager, {
          id: mine.id,
          taskCycleId: input.taskCycleId,
          unitId: input.unitId,
          kind: input.kind,
        });
        return { version: mine.version };
      }
      const [latest] = (await manager.query(
        `SELECT max(version) AS version FROM submission WHERE task_id = $1 AND quarter = $2 AND unit_id = $3 AND kind = $4`,
        [input.taskId, input.quarter, input.unitId, input.kind],
      )) as { version: number | null }[];
      const version = (latest?.version ?? 0) + 1;
      const [stored] = (await manager.query(
        `INSERT INTO submission (task_id, quarter, unit_id, version, source, kind, cycle_id, actor_id, narrative,
                                 declared_state, completion, stated_rate, growth, readings, cycle_sequence, figures)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) RETURNING id`,
        [
          input.taskId,
          input.quarter,
          input.unitId,
          version,
          source,
          input.kind,
          input.cycleId,
          input.actorId,
          input.narrative,
          reading.state,
          reading.completion,
          reading.statedRate,
          reading.growth,
          JSON.stringify(reading.readings),
          input.sequence,
          input.figures === null ? null : JSON.stringify(input.figures),
        ],
      )) as { id: string }[];
      // The unit's evidence of this part goes with the version, in the same transaction.
      await bindSubmissionEvidence(manager, {
        id: stored!.id,
        taskCycleId: input.taskCycleId,
        unitId: input.unitId,
        kind: input.kind,
      });
      return { version };
    });
  }

  /**
   * Every reporter of every unit that owes a part of the plan's tasks (a group's members each), with each task
   * they owe, by email then ordinal.
   */
  async assignments(cycleId: string): Promise<AssignmentRow[]> {
    return (await this.dataSource.query(
      // The plan's tasks as the cycle holds them: the version each task-cycle started with, the current
      // one for a task whose task-cycle has not begun yet (the read model fills as they begin).
      `SELECT p.id AS "personId", p.name, p.email, p.language, u.name AS unit, tu.role, cv.ordinal, v.content
         FROM ${taskVersionsOfCycle('$1')}
         JOIN cycle c ON c.id = $1 AND c.plan_id = cv.plan_id
         CROSS JOIN LATERAL ${owingUnitsOf('v.id')} tu
         JOIN unit u ON u.id = tu.unit_id
         JOIN person_role r ON r.unit_id = u.id AND r.role = 'reporter'
         JOIN person p ON p.id = r.person_id
        WHERE c.id = $1
        ORDER BY p.email, cv.ordinal`,
      [cycleId],
    )) as AssignmentRow[];
  }

  /** A rehearsal reached simulated working day `day` (never moves back). */
  async reachedDay(cycleId: string, day: number): Promise<void> {
    await this.dataSource.query(
      `UPDATE cycle SET rehearsal_day = GREATEST(COALESCE(rehearsal_day, 0), $2) WHERE id = $1`,
      [cycleId, day],
    );
  }

  /** The cycle's task count and how many of its task-cycles have not recorded their close. */
  async progress(cycleId: string): Promise<{ total: number; open: number }> {
    // A task struck off after the cycle counted its tasks, before one of them started, is held by none.
    const [row] = (await this.dataSource.query(
      `SELECT c.task_count - (SELECT count(*)::int FROM task t
                               WHERE t.plan_id = c.plan_id AND t.struck_off IS NOT NULL AND t.struck_off_at >= c.started_at
                                 AND NOT EXISTS (SELECT 1 FROM task_cycle tc WHERE tc.cycle_id = c.id AND tc.task_id = t.id))
                AS total,
              (SELECT count(*)::int FROM task_cycle tc WHERE tc.cycle_id = c.id AND tc.closed_at IS NOT NULL) AS closed
         FROM cycle c WHERE c.id = $1`,
      [cycleId],
    )) as { total: number; closed: number }[];
    if (!row) throw new DomainError('NOT_FOUND', `没有填报周期 ${cycleId}`, `No cycle ${cycleId}`);
    return { total: row.total, open: Math.max(0, row.total - row.closed) };
  }

  /**
   * Closes the cycle with its report (the first close's time stands) and drops
   * the digest lines of the closing day and after, which never go out:
   * reporting is over. Answers the plan's name and the quarter.
   */
  async close(cycleId: string, report: unknown): Promise<{ planName: string; quarter: string }> {
    await this.dataSource.query(
      `UPDATE cycle SET status = 'closed', report = $2, closed_at = COALESCE(closed_at, now()) WHERE id = $1`,
      [cycleId, JSON.stringify(report)],
    );
    await this.dataSource.query(
      `UPDATE mail_item m SET dropped_at = now(), dropped_reason = 'closed' FROM cycle c
        WHERE c.id = m.cycle_id AND m.cycle_id = $1 AND m.notification_id IS NULL AND m.dropped_at IS NULL
          AND m.step_at >= (c.instants->>'closeAt')::timestamptz`,
      [cycleId],
    );
    const [named] = (await this.dataSource.query(
      `SELECT p.name AS "planName", c.quarter FROM cycle c JOIN plan p ON p.id = c.plan_id WHERE c.id = $1`,
      [cycleId],
    )) as { planName: string; quarter: string }[];
    return named!;
  }
}
