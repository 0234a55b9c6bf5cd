/**
 * Fills the read model with cycles of an imported plan, as the workflows
 * would have left them: every task-cycle with a status, light, completion
 * and lateness spread as a district's quarter looks (most approved, some
 * red, some overdue), escalations for the late and the red, a few of them
 * acknowledged. Deterministic (from the task's ordinal and the quarter), so
 * a run can be checked against direct counts. For `npm run bench:dashboard` and the
 * dashboard's integration test.
 */
import type { DataSource } from 'typeorm';
import { DEFAULT_CYCLE_CONFIG } from '#domain';

export interface FilledCycles {
  cycleIds: string[];
  taskCycles: number;
  escalations: number;
}

/** The quarters `count` back from `last` (e.g. 2020Q4), oldest first. */
export function quartersUpTo(last: string, count: number): string[] {
  let year = Number(last.slice(0, 4));
  let quarter = Number(last.slice(5));
  const quarters: string[] = [];
  for (let i = 0; i < count; i += 1) {
    quarters.unshift(`${year}Q${quarter}`);
    quarter -= 1;
    if (quarter === 0) {
      quarter = 4;
      year -= 1;
    }
  }
  return quarters;
}

export async function fillCycles(
  dataSource: DataSource,
  options: { planId: string; quarters: string[]; idPrefix: string; mode?: 'real' | 'rehearsal' },
): Promise<FilledCycles> {
  const mode = options.mode ?? 'real';
  const cycleIds: string[] = [];
  for (const [index, quarter] of options.quarters.entries()) {
    const id = `${options.idPrefix}:${quarter}`;
    const newest = index === options.quarters.length - 1;
    await dataSource.query(
      `INSERT INTO cycle (id, plan_id, quarter, mode, clock, config, schedule, instants, provisional, task_count, status,
                          started_at, closed_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, '{}', false, (SELECT count(*) FROM task WHERE plan_id = $2), $8,
               now() - make_interval(days => $9), CASE WHEN $8 = 'closed' THEN now() - make_interval(days => $9 - 30) END)`,
      [
        id,
        options.planId,
        quarter,
        mode,
        JSON.stringify({ kind: 'real', hour: 9 }),
        JSON.stringify(DEFAULT_CYCLE_CONFIG),
        JSON.stringify({
          opensOn: `${quarter.slice(0, 4)}-${String(Number(quarter.slice(5)) * 3).padStart(2, '0')}-01`,
        }),
        newest ? 'open' : 'closed',
        (options.quarters.length - index) * 91,
      ],
    );
    cycleIds.push(id);
  }
  // r: a stable 0–99 per task and quarter, spreading the statuses and lights.
  await dataSource.query(
    `INSERT INTO task_cycle (id, cycle_id, task_id, ordinal, lead_unit_id, status, light, light_reason, expected, completion,
                             lead_deadline_at, current_deadline_at, days_late, submissions, returns, reminders, escalations,
                             co_inputs, submitted_at, approved_at, closed_at, last_seq, task_version_id)
     SELECT 'task:' || v.task_id || ':' || cy.quarter || ':' || cy.id, cy.id, v.task_id, v.ordinal, v.lead_unit_id,
            CASE WHEN h.r < 70 THEN 'approved' WHEN h.r < 80 THEN 'submitted' WHEN h.r < 90 THEN 'overdue'
                 WHEN h.r < 95 THEN 'assigned' ELSE 'returned' END,
            CASE WHEN h.r < 42 THEN 'green' WHEN h.r < 59 THEN 'yellow' WHEN h.r < 70 THEN 'red' END,
            CASE WHEN h.r < 70 THEN '完成 ' || (30 + h.r) || '%' END,
            75, CASE WHEN h.r < 70 THEN 30 + h.r END,
            cy.started_at + interval '14 days', cy.started_at + interval '14 days',
            CASE WHEN h.r >= 80 AND h.r < 90 THEN 1 + h.r % 5 ELSE 0 END,
            CASE WHEN h.r < 80 OR h.r >= 95 THEN 1 ELSE 0 END, CASE WHEN h.r >= 95 THEN 1 ELSE 0 END,
            3, CASE WHEN (h.r >= 82 AND h.r < 90) OR (h.r >= 59 AND h.r < 70) THEN 1 ELSE 0 END,
            COALESCE((SELECT jsonb_object_agg(tu.unit_id::text, NULL) FROM task_unit tu
                       WHERE tu.task_version_id = v.id AND tu.role = 'co'), '{}'),
            CASE WHEN h.r < 80 THEN cy.started_at + interval '10 days' END,
            CASE WHEN h.r < 70 THEN cy.started_at + interval '12 days' END,
            cy.closed_at, 1, v.id
       FROM cycle cy
       JOIN current_task_version v ON v.plan_id = cy.plan_id
       CROSS JOIN LATERAL (SELECT (v.ordinal * 37 + abs(hashtext(cy.quarter)) % 100) % 100 AS r) h
      WHERE cy.id = ANY($1)`,
    [cycleIds],
  );
  // A 督办单 for each escalated task-cycle; every third one acknowledged.
  await dataSource.query(
    `INSERT INTO task_cycle_event (task_cycle_id, seq, kind, at, details)
     SELECT id, 1, 'escalated', current_deadline_at + interval '3 days',
            jsonb_build_object('level', 'coordinator', 'reason', CASE WHEN light = 'red' THEN 'red' ELSE 'overdue' END)
       FROM task_cycle WHERE cycle_id = ANY($1) AND escalations > 0`,
    [cycleIds],
  );
  await dataSource.query(
    `INSERT INTO escalation_ack (task_cycle_id, seq, acknowledged_by)
     SELECT id, 1, 'coordinator' FROM (
       SELECT id, row_number() OVER (PARTITION BY cycle_id ORDER BY ordinal) AS n FROM task_cycle
        WHERE cycle_id = ANY($1) AND escalations > 0) escalated
      WHERE n % 3 = 0`,
    [cycleIds],
  );
  // A closed cycle's report, as closeCycle records it.
  await dataSource.query(
    `UPDATE cycle cy SET report = jsonb_build_object(
        'cycleId', cy.id, 'tasks', s.tasks, 'byStatus', s.by_status, 'byLight', s.by_light, 'unreported', s.unreported)
       FROM (SELECT cycle_id, sum(n)::int AS tasks,
                    (SELECT jsonb_object_agg(status, n) FROM (SELECT status, count(*)::int AS n FROM task_cycle
                      WHERE cycle_id = g.cycle_id GROUP BY 1) x) AS by_status,
                    (SELECT jsonb_object_agg(light, n) FROM (SELECT COALESCE(light, 'none') AS light, count(*)::int AS n
                      FROM task_cycle WHERE cycle_id = g.cycle_id GROUP BY 1) y) AS by_light,
                    sum(n) FILTER (WHERE status IN ('assigned', 'overdue', 'returned'))::int AS unreported
               FROM (SELECT cycle_id, status, count(*)::int AS n FROM task_cycle WHERE cycle_id = ANY($1) GROUP BY 1, 2) g
              GROUP BY cycle_id) s
      WHERE cy.id = s.cycle_id AND cy.status = 'closed'`,
    [cycleIds],
  );
  const [{ taskCycles, escalations }] = (await dataSource.query(
    `SELECT count(*)::int AS "taskCycles", sum(escalations)::int AS escalations FROM task_cycle WHERE cycle_id = ANY($1)`,
    [cycleIds],
  )) as [{ taskCycles: number; escalations: number }];
  return { cycleIds, taskCycles, escalations };
}
