/**
 * The coordinator's dashboard (督办看板) over the read model: one cycle's
 * task-cycles counted by light, status, category and lead unit (the league
 * table), the plan's earlier quarters side by side, and the escalations
 * with their acknowledgements. The cycle's task-cycles are read in one
 * grouped pass (PostgreSQL counts, this shapes); closed quarters come from
 * the counts their close recorded, so the comparison does not re-read every
 * earlier quarter.
 */
import type { DataSource } from 'typeorm';
import { DomainError } from '#domain';
import { findCycle } from './cycle-read-model.js';
import { audit } from './workspace.js';

export interface LightCounts {
  total: number;
  green: number;
  yellow: number;
  red: number;
  /** Not yet approved: no light. */
  none: number;
  approved: number;
  overdue: number;
}

export interface Dashboard {
  cycle: { id: string; planName: string; quarter: string; mode: string; status: string; taskCount: number };
  totals: LightCounts & { lagging: number; byStatus: Record<string, number>; openEscalations: number };
  byCategory: (LightCounts & { ordinal: number; name: string })[];
  /** Lead units, best first: share approved green, then fewest red, then fewest overdue. */
  league: (LightCounts & { unitId: string; unit: string; averageCompletion: number | null; rank: number })[];
  /**
   * The plan's cycles of the same mode, quarter by quarter (the newest of each
   * quarter); a closed one as its report counted it at the close (overdue:
   * never reported).
   */
  quarters: (LightCounts & { cycleId: string; quarter: string })[];
}

type Row = { status: string; light: string | null; n: number; late: number };

function emptyCounts(): LightCounts {
  return { total: 0, green: 0, yellow: 0, red: 0, none: 0, approved: 0, overdue: 0 };
}

function add(counts: LightCounts, row: Row): void {
  counts.total += row.n;
  counts[(row.light ?? 'none') as 'green' | 'yellow' | 'red' | 'none'] += row.n;
  if (row.status === 'approved') counts.approved += row.n;
  counts.overdue += row.late;
}

const OVERDUE = `count(*) FILTER (WHERE tc.days_late > 0 AND tc.status IN ('overdue', 'returned', 'assigned'))::int`;

/** What a closed cycle's report (cycle.report, written by closeCycle) holds. */
interface ClosedReport {
  tasks: number;
  byStatus: Record<string, number>;
  byLight: Record<string, number>;
  unreported: number;
}

export async function cycleDashboard(dataSource: DataSource, cycleId: string): Promise<Dashboard> {
  const cycle = await findCycle(dataSource, cycleId);
  const [rows, quarterCycles, [escalations]] = await Promise.all([
    // One pass over the cycle's task-cycles, grouped finely enough for the totals, categories and units.
    dataSource.query(
      `SELECT c.ordinal, c.name, tc.lead_unit_id AS "unitId", u.name AS unit, tc.status, tc.light, count(*)::int AS n,
              ${OVERDUE} AS late,
              sum(tc.completion)::float8 AS "completionSum", count(tc.completion)::int AS "completionCount"
         FROM task_cycle tc
         JOIN task t ON t.id = tc.task_id
         JOIN task_version v ON v.task_id = t.id AND v.version = t.current_version
         JOIN category c ON c.id = v.category_id
         JOIN unit u ON u.id = tc.lead_unit_id
        WHERE tc.cycle_id = $1 GROUP BY 1, 2, 3, 4, 5, 6`,
      [cycleId],
    ) as Promise<
      (Row & {
        ordinal: number;
        name: string;
        unitId: string;
        unit: string;
        completionSum: number | null;
        completionCount: number;
      })[]
    >,
    // The plan's quarters (the newest cycle of each): a closed one is counted once, in its report.
    dataSource.query(
      `SELECT DISTINCT ON (quarter) id AS "cycleId", quarter, report FROM cycle
        WHERE plan_id = $1 AND mode = $2 ORDER BY quarter, started_at DESC`,
      [cycle.planId, cycle.mode],
    ) as Promise<{ cycleId: string; quarter: string; report: ClosedReport | null }[]>,
    dataSource.query(
      `SELECT count(*)::int AS open FROM task_cycle tc
         JOIN task_cycle_event e ON e.task_cycle_id = tc.id AND e.kind = 'escalated'
         LEFT JOIN escalation_ack a ON a.task_cycle_id = e.task_cycle_id AND a.seq = e.seq
        WHERE tc.cycle_id = $1 AND tc.escalations > 0 AND a.seq IS NULL`,
      [cycleId],
    ) as Promise<{ open: number }[]>,
  ]);
  const live = quarterCycles.filter((q) => !q.report).map((q) => q.cycleId);
  const quarterRows = (
    live.length === 0
      ? []
      : await dataSource.query(
          `SELECT cycle_id AS "cycleId", tc.status, tc.light, count(*)::int AS n, ${OVERDUE} AS late
             FROM task_cycle tc WHERE cycle_id = ANY($1) GROUP BY 1, 2, 3`,
          [live],
        )
  ) as (Row & { cycleId: string })[];
  const totals = { ...emptyCounts(), lagging: 0, byStatus: {} as Record<string, number>, openEscalations: 0 };
  const categories = new Map<number, LightCounts & { ordinal: number; name: string }>();
  const units = new Map<string, LightCounts & { unitId: string; unit: string; sum: number; counted: number }>();
  for (const row of rows) {
    add(totals, row);
    totals.byStatus[row.status] = (totals.byStatus[row.status] ?? 0) + row.n;
    let category = categories.get(row.ordinal);
    if (!category) categories.set(row.ordinal, (category = { ...emptyCounts(), ordinal: row.ordinal, name: row.name }));
    add(category, row);
    let unit = units.get(row.unitId);
    if (!unit) {
      units.set(row.unitId, (unit = { ...emptyCounts(), unitId: row.unitId, unit: row.unit, sum: 0, counted: 0 }));
    }
    add(unit, row);
    unit.sum += row.completionSum ?? 0;
    unit.counted += row.completionCount;
  }
  totals.lagging = totals.yellow + totals.red;
  totals.openEscalations = escalations?.open ?? 0;

  const score = (u: LightCounts) => (u.green - u.red) / u.total;
  const league = [...units.values()]
    .sort((a, b) => score(b) - score(a) || a.red - b.red || a.overdue - b.overdue || a.unit.localeCompare(b.unit, 'zh'))
    .map(({ sum, counted, ...unit }, index) => ({
      ...unit,
      averageCompletion: counted > 0 ? Math.round((sum / counted) * 10) / 10 : null,
      rank: index + 1,
    }));

  const quarters = new Map<string, LightCounts & { cycleId: string; quarter: string }>();
  for (const { cycleId: id, quarter, report } of quarterCycles) {
    const counts = { ...emptyCounts(), cycleId: id, quarter };
    if (report) {
      counts.total = report.tasks;
      for (const light of ['green', 'yellow', 'red', 'none'] as const) counts[light] = report.byLight[light] ?? 0;
      counts.approved = report.byStatus.approved ?? 0;
      counts.overdue = report.unreported; // at the close: never reported
    }
    quarters.set(id, counts);
  }
  for (const row of quarterRows) add(quarters.get(row.cycleId)!, row);

  return {
    cycle: {
      id: cycle.id,
      planName: cycle.planName,
      quarter: cycle.quarter,
      mode: cycle.mode,
      status: cycle.status,
      taskCount: cycle.taskCount,
    },
    totals,
    byCategory: [...categories.values()].sort((a, b) => a.ordinal - b.ordinal),
    league,
    quarters: [...quarters.values()].sort((a, b) => a.quarter.localeCompare(b.quarter)),
  };
}

export interface EscalationRow {
  taskCycleId: string;
  taskId: string;
  ordinal: number;
  content: string;
  leadUnit: string;
  seq: number;
  at: string;
  details: Record<string, unknown>;
  acknowledgedBy: string | null;
  acknowledgedAt: string | null;
  note: string | null;
}

export async function listEscalations(
  dataSource: DataSource,
  cycleId: string,
  options: { open?: boolean; limit?: number } = {},
): Promise<EscalationRow[]> {
  await findCycle(dataSource, cycleId);
  return (await dataSource.query(
    `SELECT tc.id AS "taskCycleId", tc.task_id AS "taskId", tc.ordinal, v.content, u.name AS "leadUnit", e.seq, e.at,
            e.details, a.acknowledged_by AS "acknowledgedBy", a.acknowledged_at AS "acknowledgedAt", a.note
       FROM task_cycle tc
       JOIN task_cycle_event e ON e.task_cycle_id = tc.id AND e.kind = 'escalated'
       JOIN task t ON t.id = tc.task_id
       JOIN task_version v ON v.task_id = t.id AND v.version = t.current_version
       JOIN unit u ON u.id = tc.lead_unit_id
       LEFT JOIN escalation_ack a ON a.task_cycle_id = e.task_cycle_id AND a.seq = e.seq
      WHERE tc.cycle_id = $1 AND ($2::boolean IS NOT TRUE OR a.seq IS NULL)
      ORDER BY e.at DESC, tc.ordinal LIMIT $3`,
    [cycleId, options.open ?? false, Math.min(Math.max(options.limit ?? 200, 1), 1000)],
  )) as EscalationRow[];
}

/** A coordinator has seen an escalation and is on it; acknowledging twice keeps the first. */
export async function acknowledgeEscalation(
  dataSource: DataSource,
  request: { cycleId: string; taskCycleId: string; seq: number; personId: string; note?: unknown },
): Promise<{ acknowledgedBy: string; acknowledgedAt: string }> {
  if (request.note !== undefined && request.note !== null && typeof request.note !== 'string') {
    throw new DomainError('INVALID_INPUT', 'note（备注）应为文字', 'note must be text');
  }
  const note = (request.note as string | null | undefined)?.slice(0, 1000) ?? null;
  return dataSource.transaction(async (manager) => {
    const found = (await manager.query(
      `SELECT 1 FROM task_cycle_event e JOIN task_cycle tc ON tc.id = e.task_cycle_id
        WHERE tc.cycle_id = $1 AND e.task_cycle_id = $2 AND e.seq = $3 AND e.kind = 'escalated'`,
      [request.cycleId, request.taskCycleId, request.seq],
    )) as unknown[];
    if (found.length === 0) {
      throw new DomainError('NOT_FOUND', '没有这条督办单', 'no such escalation');
    }
    const inserted = (await manager.query(
      `INSERT INTO escalation_ack (task_cycle_id, seq, acknowledged_by, note) VALUES ($1, $2, $3, $4)
       ON CONFLICT DO NOTHING RETURNING acknowledged_by AS "acknowledgedBy", acknowledged_at AS "acknowledgedAt"`,
      [request.taskCycleId, request.seq, request.personId, note],
    )) as { acknowledgedBy: string; acknowledgedAt: string }[];
    if (inserted[0]) {
      await audit(manager, request.personId, 'escalation.acknowledged', request.taskCycleId, {
        seq: request.seq,
        note,
      });
      return inserted[0];
    }
    const [first] = (await manager.query(
      `SELECT acknowledged_by AS "acknowledgedBy", acknowledged_at AS "acknowledgedAt" FROM escalation_ack
        WHERE task_cycle_id = $1 AND seq = $2`,
      [request.taskCycleId, request.seq],
    )) as { acknowledgedBy: string; acknowledgedAt: string }[];
    return first!;
  });
}
