/**
 * The coordinator's dashboard (督办看板) over the read model: one cycle's
 * task-cycles counted by light, status, category and lead unit (the league
 * table), the plan's earlier quarters side by side, and the escalations
 * with their acknowledgements. The cycle's task-cycles are read in one
 * grouped pass (PostgreSQL counts, this shapes); closed quarters come from
 * the counts their close recorded, so the comparison does not re-read every
 * earlier quarter. Completion (完成率) averages only comparable completions,
 * each capped at 100; those over 100 are counted as exceeded (超额), and
 * tasks whose submitted figure could not be set against its target are
 * counted as incomparable, by why, and left out of every average.
 */
import type { DataSource } from 'typeorm';
import { COMPLETION_CAP, DomainError, INCOMPARABLE_WHYS, type IncomparableWhy } from '#domain';
import { findCycle } from '#cycles';
import { audit } from '#audit';

export interface LightCounts {
  total: number;
  green: number;
  yellow: number;
  red: number;
  /** Not yet approved: no light (none struck off). */
  none: number;
  approved: number;
  overdue: number;
  /** 已销号: closed or cancelled while the quarter ran, before its report was approved (no light). */
  struckOff: number;
}

/** How a group's completions (完成率) stand: what is averaged, what is past its target, what is left out. */
export interface CompletionCounts {
  /** Mean of the comparable completions, each capped at 100, one decimal (percent); null when none. */
  average: number | null;
  /** Task-cycles in the average. */
  counted: number;
  /** Of those, over 100 (超额; each counted as 100). */
  exceeded: number;
  /** Left out: submitted, no completion, and a figure that measures something else than its target. */
  incomparable: number;
  /** The incomparable ones by why (unit, percent, change, scale). */
  byWhy: Record<IncomparableWhy, number>;
}

export interface Dashboard {
  cycle: { id: string; planName: string; quarter: string; mode: string; status: string; taskCount: number };
  totals: LightCounts & {
    lagging: number;
    byStatus: Record<string, number>;
    openEscalations: number;
    /** 督办单 not yet closed (proposed, issued or replied): the register's open business. */
    openNotices: number;
    completion: CompletionCounts;
  };
  byCategory: (LightCounts & { ordinal: number; name: string })[];
  /**
   * Lead units, best first: share approved green, then fewest red, then fewest
   * overdue; averageCompletion is completion.average.
   */
  league: (LightCounts & {
    unitId: string;
    unit: string;
    averageCompletion: number | null;
    completion: CompletionCounts;
    rank: number;
  })[];
  /**
   * The plan's cycles of the same mode, quarter by quarter (the newest of each
   * quarter); a closed one as its report counted it at the close (overdue:
   * never reported).
   */
  quarters: (LightCounts & { cycleId: string; quarter: string })[];
  /**
   * Each task's collective co-unit (各街道, a picked 相关街道) as its members' inputs: members that gave
   * theirs (done) of those the task-cycle asked when it started (total), and the names of those that
   * have not; by 序号, then group.
   */
  groups: { ordinal: number; taskId: string; group: string; done: number; total: number; missing: string[] }[];
  /**
   * Units owing a part in this cycle that no reminder reaches: every active reporter's address was
   * refused by the mail server for good (a bounce), with those people and the server's answer.
   */
  unreachable: {
    unitId: string;
    unit: string;
    people: { personId: string; name: string; email: string; bounce: string | null }[];
  }[];
}

type Row = { status: string; light: string | null; n: number; late: number };

function emptyCounts(): LightCounts {
  return { total: 0, green: 0, yellow: 0, red: 0, none: 0, approved: 0, overdue: 0, struckOff: 0 };
}

/** Sums of a group's completions as the grouped pass gives them, before the average is taken. */
interface CompletionSums {
  sum: number;
  counted: number;
  exceeded: number;
  byWhy: Record<IncomparableWhy, number>;
}

type CompletionRow = {
  completionSum: number | null;
  completionCount: number;
  exceeded: number;
  why: string | null;
  n: number;
};

function emptySums(): CompletionSums {
  return { sum: 0, counted: 0, exceeded: 0, byWhy: { unit: 0, percent: 0, change: 0, scale: 0 } };
}

function addCompletion(sums: CompletionSums, row: CompletionRow): void {
  sums.sum += row.completionSum ?? 0;
  sums.counted += row.completionCount;
  sums.exceeded += row.exceeded;
  // A why the reader may add later is still left out of the average; it is counted when this code knows it.
  if (row.why && (INCOMPARABLE_WHYS as readonly string[]).includes(row.why)) {
    sums.byWhy[row.why as IncomparableWhy] += row.n;
  }
}

function completionCounts(sums: CompletionSums): CompletionCounts {
  return {
    average: sums.counted > 0 ? Math.round((sums.sum / sums.counted) * 10) / 10 : null,
    counted: sums.counted,
    exceeded: sums.exceeded,
    incomparable: Object.values(sums.byWhy).reduce((a, b) => a + b, 0),
    byWhy: { ...sums.byWhy },
  };
}

/**
 * A task-cycle's completion as averaged: capped at 100 (so one task eleven
 * times past its target does not lift its unit above 100), and over 100
 * counted apart. NULL (no comparable figure) is in no average; LEAST ignores
 * NULLs (LEAST(NULL, 100) is 100), hence the FILTER.
 */
const COMPLETION_SUMS = `sum(LEAST(tc.completion, ${COMPLETION_CAP})) FILTER (WHERE tc.completion IS NOT NULL)::float8
                AS "completionSum",
              count(tc.completion)::int AS "completionCount",
              count(*) FILTER (WHERE tc.completion > ${COMPLETION_CAP})::int AS exceeded`;

function add(counts: LightCounts, row: Row): void {
  counts.total += row.n;
  if (row.status === 'struck_off') counts.struckOff += row.n;
  else counts[(row.light ?? 'none') as 'green' | 'yellow' | 'red' | 'none'] += row.n;
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
  const [rows, quarterCycles, [escalations], groups, unreachable] = await Promise.all([
    // One pass over the cycle's task-cycles, grouped finely enough for the totals, categories and units.
    dataSource.query(
      `SELECT c.ordinal, c.name, tc.lead_unit_id AS "unitId", u.name AS unit, tc.status, tc.light, count(*)::int AS n,
              ${OVERDUE} AS late, ${COMPLETION_SUMS}, tc.incomparable_why AS why
         FROM task_cycle tc
         JOIN task_version v ON v.id = tc.task_version_id
         JOIN category c ON c.id = v.category_id
         JOIN unit u ON u.id = tc.lead_unit_id
        WHERE tc.cycle_id = $1 GROUP BY 1, 2, 3, 4, 5, 6, tc.incomparable_why`,
      [cycleId],
    ) as Promise<(Row & CompletionRow & { ordinal: number; name: string; unitId: string; unit: string })[]>,
    // The plan's periods (the newest cycle of each), in the order they end (a month among quarters): a closed
    // one is counted once, in its report.
    dataSource.query(
      `SELECT * FROM (SELECT DISTINCT ON (quarter) id AS "cycleId", quarter, report FROM cycle
                        WHERE plan_id = $1 AND mode = $2 ORDER BY quarter, started_at DESC) newest
        ORDER BY period_end(quarter), quarter`,
      [cycle.planId, cycle.mode],
    ) as Promise<{ cycleId: string; quarter: string; report: ClosedReport | null }[]>,
    dataSource.query(
      `SELECT (SELECT count(*)::int FROM task_cycle tc
         JOIN task_cycle_event e ON e.task_cycle_id = tc.id AND e.kind = 'escalated'
         LEFT JOIN escalation_ack a ON a.task_cycle_id = e.task_cycle_id AND a.seq = e.seq
        WHERE tc.cycle_id = $1 AND tc.escalations > 0 AND a.seq IS NULL) AS open,
       (SELECT count(*)::int FROM supervision_notice n WHERE n.cycle_id = $1 AND n.state <> 'closed') AS notices`,
      [cycleId],
    ) as Promise<{ open: number; notices: number }[]>,
    groupInputs(dataSource, cycleId),
    unreachableUnits(dataSource, cycleId),
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
  const totals = {
    ...emptyCounts(),
    lagging: 0,
    byStatus: {} as Record<string, number>,
    openEscalations: 0,
    openNotices: 0,
  };
  const totalSums = emptySums();
  const categories = new Map<number, LightCounts & { ordinal: number; name: string }>();
  const units = new Map<string, LightCounts & { unitId: string; unit: string; sums: CompletionSums }>();
  for (const row of rows) {
    add(totals, row);
    addCompletion(totalSums, row);
    totals.byStatus[row.status] = (totals.byStatus[row.status] ?? 0) + row.n;
    let category = categories.get(row.ordinal);
    if (!category) categories.set(row.ordinal, (category = { ...emptyCounts(), ordinal: row.ordinal, name: row.name }));
    add(category, row);
    let unit = units.get(row.unitId);
    if (!unit) {
      units.set(row.unitId, (unit = { ...emptyCounts(), unitId: row.unitId, unit: row.unit, sums: emptySums() }));
    }
    add(unit, row);
    addCompletion(unit.sums, row);
  }
  totals.lagging = totals.yellow + totals.red;
  totals.openEscalations = escalations?.open ?? 0;
  totals.openNotices = escalations?.notices ?? 0;

  const score = (u: LightCounts) => (u.green - u.red) / u.total;
  const league = [...units.values()]
    .sort((a, b) => score(b) - score(a) || a.red - b.red || a.overdue - b.overdue || a.unit.localeCompare(b.unit, 'zh'))
    .map(({ sums, ...unit }, index) => {
      const completion = completionCounts(sums);
      return { ...unit, averageCompletion: completion.average, completion, rank: index + 1 };
    });

  const quarters = new Map<string, LightCounts & { cycleId: string; quarter: string }>();
  for (const { cycleId: id, quarter, report } of quarterCycles) {
    const counts = { ...emptyCounts(), cycleId: id, quarter };
    if (report) {
      counts.total = report.tasks;
      for (const light of ['green', 'yellow', 'red', 'none'] as const) counts[light] = report.byLight[light] ?? 0;
      counts.approved = report.byStatus.approved ?? 0;
      counts.struckOff = report.byStatus.struck_off ?? 0;
      counts.none = Math.max(0, counts.none - counts.struckOff);
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
    totals: { ...totals, completion: completionCounts(totalSums) },
    byCategory: [...categories.values()].sort((a, b) => a.ordinal - b.ordinal),
    league,
    quarters: [...quarters.values()].sort((a, b) => a.quarter.localeCompare(b.quarter)),
    groups,
    unreachable,
  };
}

/** A group's members asked for a task: its picks (相关街道) when it has any, else the directory's members. */
const GROUP_MEMBERS = `(SELECT p.member_id FROM task_group_pick p WHERE p.task_id = v.task_id AND p.group_id = g.id
                        UNION
                        SELECT m.member_id FROM group_member m
                         WHERE m.group_id = g.id
                           AND NOT EXISTS (SELECT 1 FROM task_group_pick p WHERE p.task_id = v.task_id AND p.group_id = g.id))`;

async function groupInputs(dataSource: DataSource, cycleId: string): Promise<Dashboard['groups']> {
  return (await dataSource.query(
    `SELECT tc.ordinal, tc.task_id AS "taskId", g.name AS "group", count(*)::int AS total,
            count(*) FILTER (WHERE tc.co_inputs ->> mu.id::text IS NOT NULL)::int AS done,
            COALESCE(array_agg(mu.name ORDER BY mu.name) FILTER (WHERE tc.co_inputs ->> mu.id::text IS NULL), '{}')
              AS missing
       FROM task_cycle tc
       JOIN task_version v ON v.id = tc.task_version_id
       JOIN task_unit tu ON tu.task_version_id = v.id AND tu.role = 'co'
       JOIN unit g ON g.id = tu.unit_id AND g.group_kind IS NOT NULL
       JOIN LATERAL ${GROUP_MEMBERS} gm ON true
       -- the members the task-cycle asked when it started (its co_inputs' keys), each once
       JOIN unit mu ON mu.id = gm.member_id AND tc.co_inputs ? mu.id::text
      WHERE tc.cycle_id = $1
      GROUP BY tc.ordinal, tc.task_id, g.name ORDER BY tc.ordinal, g.name`,
    [cycleId],
  )) as Dashboard['groups'];
}

async function unreachableUnits(dataSource: DataSource, cycleId: string): Promise<Dashboard['unreachable']> {
  return (await dataSource.query(
    // The units the cycle asked: each task-cycle's lead unit and the co-units it owes input from (co_inputs' keys).
    `WITH owing AS (SELECT tc.lead_unit_id AS unit_id FROM task_cycle tc WHERE tc.cycle_id = $1
                    UNION
                    SELECT k.unit_id::uuid FROM task_cycle tc CROSS JOIN LATERAL jsonb_object_keys(tc.co_inputs) k(unit_id)
                     WHERE tc.cycle_id = $1),
          reporters AS (SELECT r.unit_id, p.id, p.name, p.email, p.email_bounce, p.email_bounced_at
                          FROM owing o JOIN person_role r ON r.unit_id = o.unit_id AND r.role = 'reporter'
                          JOIN person p ON p.id = r.person_id AND p.deactivated_at IS NULL)
     SELECT r.unit_id AS "unitId", u.name AS unit,
            json_agg(json_build_object('personId', r.id, 'name', r.name, 'email', r.email, 'bounce', r.email_bounce)
                     ORDER BY r.id) AS people
       FROM reporters r JOIN unit u ON u.id = r.unit_id
      GROUP BY r.unit_id, u.name
     HAVING bool_and(r.email_bounced_at IS NOT NULL)
      ORDER BY u.name`,
    [cycleId],
  )) as Dashboard['unreachable'];
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
       JOIN task_version v ON v.id = tc.task_version_id
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
