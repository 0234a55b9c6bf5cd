/**
 * The SQL that reads a plan's tasks as a cycle holds them: `cv` each task's
 * current version (`current_task_version`: plan_id, ordinal), `tc` its
 * task-cycle in the cycle (null before it started), `v` the version read —
 * the one the task-cycle started with, else the current one. `cycle` is the
 * query parameter naming the cycle id (e.g. '$2'); null reads every task's
 * current version.
 *
 *   SELECT v.content, cv.ordinal FROM ${taskVersionsOfCycle('$2')} WHERE cv.plan_id = $1
 */
export function taskVersionsOfCycle(cycle: string): string {
  return `current_task_version cv
      LEFT JOIN task_cycle tc ON tc.cycle_id = ${cycle}::text AND tc.task_id = cv.task_id
      JOIN task_version v ON v.id = COALESCE(tc.task_version_id, cv.id)`;
}

/**
 * SQL (a derived table of rows `unit_id`, `role` 'lead' | 'co', `position`): the units that owe their part of
 * task version `version` (an SQL expression) — the lead unit as the plan names it, and each co-unit or, for a
 * group, its members: those the directory lists (各街道: view `owing_unit`), or those a coordinator picked for
 * the task (相关街道: `task_group_pick`); a group with neither stands for itself (and reaches nobody). A unit
 * that both leads and is a member counts once, as the lead. Use as `CROSS JOIN LATERAL ${owingUnitsOf('v.id')} w`.
 */
export function owingUnitsOf(version: string): string {
  return `(SELECT DISTINCT ON (w.unit_id) w.unit_id, w.role, w.position
             FROM (SELECT tu.unit_id, tu.role, tu.position FROM task_unit tu
                    WHERE tu.task_version_id = ${version} AND tu.role = 'lead'
                   UNION ALL
                   SELECT o.owing_unit_id, tu.role, tu.position FROM task_unit tu
                     JOIN task_version tv ON tv.id = tu.task_version_id
                     JOIN owing_unit o ON o.unit_id = tu.unit_id
                    WHERE tu.task_version_id = ${version} AND tu.role = 'co'
                      AND NOT EXISTS (SELECT 1 FROM task_group_pick p WHERE p.task_id = tv.task_id AND p.group_id = tu.unit_id)
                   UNION ALL
                   SELECT p.member_id, tu.role, tu.position FROM task_unit tu
                     JOIN task_version tv ON tv.id = tu.task_version_id
                     JOIN task_group_pick p ON p.task_id = tv.task_id AND p.group_id = tu.unit_id
                    WHERE tu.task_version_id = ${version} AND tu.role = 'co') w
            ORDER BY w.unit_id, w.role = 'lead' DESC, w.position)`;
}
