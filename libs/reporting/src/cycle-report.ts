/**
 * The quarterly report of a cycle: the seed's table (项目名称, 项目内容,
 * 责任单位, 进展情况) with the progress each unit reported in this cycle (the
 * approved version, else the latest), plus each task's status light and
 * completion. A rehearsal's report shows the rehearsal's submissions.
 */
import type { DataSource } from 'typeorm';
import { exportPlan, PlanReader, type ExportFormat, type Lights, type TaskLight } from '#plans';
import { findCycle } from '#cycles';

const NOTES: Record<string, string> = {
  submitted: '待审核',
  returned: '已退回',
  overdue: '未报送',
  assigned: '未报送',
};

export async function cycleReport(
  dataSource: DataSource,
  cycleId: string,
  format: ExportFormat,
  /** A scoped supervisor's units and categories: the report of their tasks only (null: every task). */
  scope: { unitIds: string[]; leadUnitIds?: string[]; categoryIds: string[] } | null = null,
): Promise<{ body: Uint8Array; contentType: string; extension: string; fileName: string }> {
  const cycle = await findCycle(dataSource, cycleId);
  const plan = await new PlanReader(dataSource).read(cycle.planId, cycle.quarter, scope);
  const rows = (await dataSource.query(
    `SELECT tc.task_id AS "taskId", tc.status, tc.light, tc.completion::float8 AS completion, s.narrative
       FROM task_cycle tc
       LEFT JOIN LATERAL (
         SELECT narrative FROM submission
          WHERE cycle_id = tc.cycle_id AND task_id = tc.task_id AND kind = 'progress'
          ORDER BY cycle_sequence DESC LIMIT 1) s ON true
      WHERE tc.cycle_id = $1`,
    [cycleId],
  )) as {
    taskId: string;
    status: string;
    light: TaskLight['light'];
    completion: number | null;
    narrative: string | null;
  }[];
  const byTask = new Map(rows.map((r) => [r.taskId, r]));
  const lights = new Map<string, TaskLight>();
  for (const task of plan.tasks) {
    const row = byTask.get(task.id);
    // Only what was reported in this cycle stands in its report.
    task.progress = row?.narrative ?? '';
    lights.set(task.id, {
      light: row?.light ?? null,
      completion: row?.completion ?? null,
      note: row ? (NOTES[row.status] ?? '') : '',
    });
  }
  const exported = await exportPlan(plan, format, lights as Lights);
  return { ...exported, fileName: `${plan.plan.name}-${cycle.quarter}${cycle.mode === 'rehearsal' ? '-演练' : ''}` };
}
