/**
 * The quarterly report of a cycle: the seed's table (项目名称, 项目内容,
 * 责任单位, 进展情况) with the progress each unit reported in this cycle
 * once it is approved, plus each task's status (the export says in words
 * what is not yet reported or approved), status light and completion. A
 * rehearsal's report shows the rehearsal's submissions.
 */
import type { DataSource } from 'typeorm';
import { exportPlan, PlanReader, type ExportFormat, type Lights, type ReportStatus, type TaskLight } from '#plans';
import { findCycle } from '#cycles';
import { quarterName } from '#domain';

/**
 * The cycle's report in `format`, with the file name it is offered under
 * (plan name, the quarter in words, 演练 for a rehearsal; no extension).
 * Errors: those of `findCycle` (no such cycle) and `PlanReader.read`.
 */
export async function cycleReport(
  dataSource: DataSource,
  cycleId: string,
  format: ExportFormat,
  /** A scoped supervisor's units and categories: the report of their tasks only (null: every task). */
  scope: { unitIds: string[]; leadUnitIds?: string[]; categoryIds: string[] } | null = null,
): Promise<{ body: Uint8Array; contentType: string; extension: string; fileName: string }> {
  const cycle = await findCycle(dataSource, cycleId);
  const plan = await new PlanReader(dataSource).read(cycle.planId, cycle.quarter, scope, cycleId);
  const rows = (await dataSource.query(
    `SELECT tc.task_id AS "taskId", tc.status, tc.light, tc.completion::float8 AS completion, s.narrative,
            (SELECT count(*)::int FROM submission_evidence se WHERE se.submission_id = s.id) AS evidence
       FROM task_cycle tc
       LEFT JOIN LATERAL (
         SELECT id, narrative FROM submission
          WHERE cycle_id = tc.cycle_id AND task_id = tc.task_id AND kind = 'progress'
          ORDER BY cycle_sequence DESC LIMIT 1) s ON true
      WHERE tc.cycle_id = $1`,
    [cycleId],
  )) as {
    taskId: string;
    status: ReportStatus;
    light: TaskLight['light'];
    completion: number | null;
    narrative: string | null;
    evidence: number;
  }[];
  const byTask = new Map(rows.map((r) => [r.taskId, r]));
  // Tasks closed (办结销号) or cancelled by the 督查室's approval before this cycle closed: a closed one says so in
  // its row (a report approved before stands), a cancelled one leaves the table for the note under the summary.
  const struck = new Map(
    (
      (await dataSource.query(
        `SELECT t.id, t.struck_off AS "as", r.reason
           FROM task t JOIN cycle c ON c.id = $1 AND c.plan_id = t.plan_id
           LEFT JOIN task_change_request r ON r.id = t.struck_off_request_id
          WHERE t.struck_off IS NOT NULL AND (c.closed_at IS NULL OR t.struck_off_at <= c.closed_at)`,
        [cycleId],
      )) as { id: string; as: 'closed' | 'cancelled'; reason: string | null }[]
    ).map((r) => [r.id, r]),
  );
  plan.cancelled = plan.tasks
    .filter((t) => struck.get(t.id)?.as === 'cancelled')
    .map((t) => ({ ordinal: t.ordinal, content: t.content, reason: struck.get(t.id)?.reason ?? '' }));
  plan.tasks = plan.tasks.filter((t) => struck.get(t.id)?.as !== 'cancelled');
  const lights = new Map<string, TaskLight>();
  for (const task of plan.tasks) {
    const row = byTask.get(task.id);
    if (struck.has(task.id) && row?.status !== 'approved') {
      task.progress = '';
      lights.set(task.id, { status: 'struck_off', light: null, completion: null, evidence: 0 });
      continue;
    }
    // Only what was reported in this cycle and approved stands in its report: an approved task-cycle's
    // latest report is the one approved; one waiting for review or returned is not printed as fact.
    task.progress = row?.status === 'approved' ? (row.narrative ?? '') : '';
    lights.set(task.id, {
      status: row?.status ?? null,
      light: row?.light ?? null,
      completion: row?.completion ?? null,
      evidence: row?.evidence ?? 0,
    });
  }
  const exported = await exportPlan(plan, format, lights as Lights);
  return {
    ...exported,
    fileName: `${plan.plan.name}-${quarterName(cycle.quarter, 'zh-CN')}${cycle.mode === 'rehearsal' ? '-演练' : ''}`,
  };
}
