/**
 * The coordinator's dashboard against real PostgreSQL: a plan's three
 * quarters filled as the workflows would leave them, the dashboard's counts
 * checked against direct counts of the read model (by light, category, unit,
 * quarter), the league table's order, and escalations acknowledged once
 * (the second acknowledgement keeps the first; the audit trail has it).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { acknowledgeEscalation, cycleDashboard, listEscalations } from '#cycles';
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
});
