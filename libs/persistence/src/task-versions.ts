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
