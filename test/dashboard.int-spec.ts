/**
 * The coordinator's dashboard against real PostgreSQL: a plan's three
 * quarters filled as the workflows would leave them, the dashboard's counts
 * checked against direct counts of the read model (by light, category, unit,
 * quarter), the league table's order, completion averaged only where
 * comparable and capped at 100 (exceeded and left-out counted apart), and
 * escalations acknowledged once (the second acknowledgement keeps the
 * first; the audit trail has it).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { acknowledgeEscalation, cycleDashboard, listEscalations } from '#reporting';
import { createDataSource } from '#persistence';
import { importPlan, PlanRepository } from '#plans';
import { fillCycles, quartersUpTo } from '../infra/bench/dashboard-data.js';
import { syntheticCsv } from '../infra/bench/synthetic-plan.js';
import { readTestStack } from './support/test-stack.js';

const stack = readTestStack();
const suffix = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 5)}`;
let dataSource: DataSource;
let cycleIds: string[];

beforeAll(async () => {
  dataSource = createDataSource(stack.databaseUrl, 'duban-dashboard-int-spec');
  await dataSource.initialize();
  const plan = await importPlan(new PlanRepository(dataSource), {
    bytes: syntheticCsv(60),
    fileName: `dashboard-${suffix}.csv`,
    planName: `dashboard-${suffix}`,
    acceptWarnings: true,
  });
  ({ cycleIds } = await fillCycles(dataSource, {
    planId: plan.plan.id!,
    quarters: quartersUpTo('2020Q3', 3),
    idPrefix: `cycle:dashboard-${suffix}`,
  }));
}, 60_000);

afterAll(async () => {
  await dataSource?.destroy();
});

describe('the coordinator dashboard', () => {
  it('counts a cycle by light, category, unit and quarter as the read model holds it', async () => {
    const newest = cycleIds[cycleIds.length - 1]!;
    const dashboard = await cycleDashboard(dataSource, newest);
    const direct = (await dataSource.query(
      `SELECT COALESCE(light, 'none') AS light, count(*)::int AS n FROM task_cycle WHERE cycle_id = $1 GROUP BY 1`,
      [newest],
    )) as { light: 'green' | 'yellow' | 'red' | 'none'; n: number }[];
    expect(dashboard.totals.total).toBe(60);
    for (const { light, n } of direct) expect(dashboard.totals[light]).toBe(n);
    const [{ overdue }] = (await dataSource.query(
      `SELECT count(*)::int AS overdue FROM task_cycle WHERE cycle_id = $1 AND days_late > 0`,
      [newest],
    )) as [{ overdue: number }];
    expect(dashboard.totals.overdue).toBe(overdue);
    expect(dashboard.totals.overdue).toBeGreaterThan(0);
    expect(dashboard.totals.lagging).toBe(dashboard.totals.yellow + dashboard.totals.red);

    // Every part adds up to the whole.
    const sum = (rows: { total: number }[]) => rows.reduce((n, r) => n + r.total, 0);
    expect(sum(dashboard.byCategory)).toBe(60);
    expect(dashboard.byCategory.map((c) => c.ordinal)).toEqual(
      [...dashboard.byCategory.map((c) => c.ordinal)].sort((a, b) => a - b),
    );
    expect(sum(dashboard.league)).toBe(60);
    expect(dashboard.league.map((u) => u.rank)).toEqual(dashboard.league.map((_, i) => i + 1));
    const score = (u: { green: number; red: number; total: number }) => (u.green - u.red) / u.total;
    for (let i = 1; i < dashboard.league.length; i += 1) {
      expect(score(dashboard.league[i - 1]!)).toBeGreaterThanOrEqual(score(dashboard.league[i]!));
    }
    expect(dashboard.quarters.map((q) => [q.quarter, q.total])).toEqual([
      ['2020Q1', 60],
      ['2020Q2', 60],
      ['2020Q3', 60],
    ]);
  });

  it('lists the open escalations and acknowledges each once, in the audit trail', async () => {
    const newest = cycleIds[cycleIds.length - 1]!;
    const open = await listEscalations(dataSource, newest, { open: true });
    const all = await listEscalations(dataSource, newest);
    expect(open.length).toBeGreaterThan(0);
    expect(all.length).toBeGreaterThan(open.length); // the fill acknowledged every third
    expect((await cycleDashboard(dataSource, newest)).totals.openEscalations).toBe(open.length);

    const first = open[0]!;
    const request = { cycleId: newest, taskCycleId: first.taskCycleId, seq: first.seq, personId: 'coordinator' };
    const acknowledged = await acknowledgeEscalation(dataSource, { ...request, note: '已电话督促' });
    const again = await acknowledgeEscalation(dataSource, { ...request, personId: 'someone-else' });
    expect(again).toEqual(acknowledged);
    expect(await listEscalations(dataSource, newest, { open: true })).toHaveLength(open.length - 1);
    const trail = (await dataSource.query(
      `SELECT actor_id AS "actorId", details FROM audit_event WHERE action = 'escalation.acknowledged' AND subject = $1`,
      [first.taskCycleId],
    )) as { actorId: string; details: { note: string } }[];
    expect(trail).toEqual([{ actorId: 'coordinator', details: { seq: first.seq, note: '已电话督促' } }]);

    await expect(
      acknowledgeEscalation(dataSource, { ...request, seq: 99 }).catch((e: { code: string }) => e.code),
    ).resolves.toBe('NOT_FOUND');
  });

  it('averages comparable completions capped at 100, and counts the exceeded and the left out', async () => {
    const newest = cycleIds[cycleIds.length - 1]!;
    const quarter = '2020Q3';
    type Picked = { id: string; taskId: string; unitId: string };
    const pick = async (where: string, limit: number) =>
      (await dataSource.query(
        `SELECT id, task_id AS "taskId", lead_unit_id AS "unitId" FROM task_cycle
          WHERE cycle_id = $1 AND ${where} ORDER BY ordinal LIMIT ${limit}`,
        [newest],
      )) as Picked[];
    // Three far past their targets (the seed's 1154% among them).
    const past = await pick('completion IS NOT NULL', 3);
    for (const [i, row] of past.entries()) {
      await dataSource.query(`UPDATE task_cycle SET completion = $2 WHERE id = $1`, [
        row.id,
        [1154, 228.57, 112.47][i],
      ]);
    }
    // A report as the task-cycle stores it, and the read model as its rules project it: a report without a
    // completion says why, from its first flagged figure (the latest report counts).
    const submit = async (
      row: Picked,
      sequence: number,
      readings: { incomparable?: string; rate: number | null }[],
    ) => {
      await dataSource.query(
        `INSERT INTO submission (task_id, quarter, unit_id, version, source, kind, cycle_id, cycle_sequence, narrative,
                                 declared_state, readings)
         VALUES ($1, $2, $3, $4, 'reporter', 'progress', $5, $4, '已交付安置房3200套', 'in_progress', $6)`,
        [row.taskId, quarter, row.unitId, sequence, newest, JSON.stringify(readings)],
      );
      await dataSource.query(
        `UPDATE task_cycle SET incomparable_why = CASE WHEN completion IS NULL THEN $2 END WHERE id = $1`,
        [row.id, readings.find((r) => r.incomparable)?.incomparable ?? null],
      );
    };
    const flagged = (why: string) => ({ target: 0, achieved: 3200, unit: '套', rate: null, incomparable: why });
    const comparable = { target: 0, achieved: 588, unit: '户', rate: 58.8 };
    // Submitted without a completion: two figures in another unit, one rate of change, one readable figure
    // whose earlier submission was flagged (the latest counts), one with nothing flagged.
    const [a, b, c, d, e] = await pick('completion IS NULL AND submissions > 0', 5);
    await submit(a!, 1, [flagged('unit')]);
    await submit(b!, 1, [comparable, flagged('unit')]);
    await submit(c!, 1, [flagged('change')]);
    await submit(d!, 1, [flagged('scale')]);
    await submit(d!, 2, []);
    await submit(e!, 1, []);
    // With a completion, a flagged figure beside it does not leave the task out.
    await submit(past[0]!, 1, [comparable, flagged('percent')]);

    const dashboard = await cycleDashboard(dataSource, newest);
    const [direct] = (await dataSource.query(
      `SELECT round(avg(CASE WHEN completion > 100 THEN 100 ELSE completion END), 1)::float8 AS average, count(completion)::int AS counted,
              count(*) FILTER (WHERE completion > 100)::int AS exceeded
         FROM task_cycle WHERE cycle_id = $1`,
      [newest],
    )) as [{ average: number; counted: number; exceeded: number }];
    const leftOut = (await dataSource.query(
      `WITH latest AS (
         SELECT DISTINCT ON (task_id, unit_id) task_id, unit_id, readings FROM submission
          WHERE cycle_id = $1 AND kind = 'progress' ORDER BY task_id, unit_id, cycle_sequence DESC)
       SELECT why, count(*)::int AS n FROM (
         SELECT (SELECT r->>'incomparable' FROM jsonb_array_elements(l.readings) r WHERE r ? 'incomparable' LIMIT 1) AS why
           FROM task_cycle tc JOIN latest l ON l.task_id = tc.task_id AND l.unit_id = tc.lead_unit_id
          WHERE tc.cycle_id = $1 AND tc.completion IS NULL) x
        WHERE why IS NOT NULL GROUP BY why`,
      [newest],
    )) as { why: string; n: number }[];
    expect(Object.fromEntries(leftOut.map((r) => [r.why, r.n]))).toEqual({ unit: 2, change: 1 });
    expect(dashboard.totals.completion).toEqual({
      average: direct.average,
      counted: direct.counted,
      exceeded: 3,
      incomparable: 3,
      byWhy: { unit: 2, percent: 0, change: 1, scale: 0 },
    });
    expect(direct.exceeded).toBe(3);
    expect(dashboard.totals.completion.average!).toBeLessThanOrEqual(100);

    // Unit by unit, the same, and no unit's average above 100.
    const byUnit = (await dataSource.query(
      `SELECT lead_unit_id AS "unitId", round(avg(CASE WHEN completion > 100 THEN 100 ELSE completion END), 1)::float8 AS average,
              count(completion)::int AS counted, count(*) FILTER (WHERE completion > 100)::int AS exceeded
         FROM task_cycle WHERE cycle_id = $1 GROUP BY 1`,
      [newest],
    )) as { unitId: string; average: number | null; counted: number; exceeded: number }[];
    expect(byUnit.length).toBe(dashboard.league.length);
    for (const expected of byUnit) {
      const unit = dashboard.league.find((u) => u.unitId === expected.unitId)!;
      expect([
        unit.averageCompletion,
        unit.completion.average,
        unit.completion.counted,
        unit.completion.exceeded,
      ]).toEqual([expected.average, expected.average, expected.counted, expected.exceeded]);
      if (unit.averageCompletion !== null) expect(unit.averageCompletion).toBeLessThanOrEqual(100);
    }
    const sum = (pick: (u: (typeof dashboard.league)[number]) => number) =>
      dashboard.league.reduce((n, u) => n + pick(u), 0);
    expect(sum((u) => u.completion.exceeded)).toBe(3);
    expect(sum((u) => u.completion.incomparable)).toBe(3);
    expect(dashboard.league.find((u) => u.unitId === a!.unitId)!.completion.byWhy.unit).toBeGreaterThan(0);
  });
});
