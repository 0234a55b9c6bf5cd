/**
 * The read-model queries the API calls, against real PostgreSQL: which
 * cycles a scope sees (lead unit, co-unit, category), a task list filtered
 * by a unit's name, a plan's unit directory with its counts and people in
 * role order, a submitted draft dropped for the right unit, and the audit
 * trail by subject, newest first.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { createDataSource } from '#persistence';
import { importPlan, PlanRepository } from '#plans';
import { fillCycles } from '../../../infra/bench/dashboard-data.js';
import { readTestStack } from '../../../test/support/test-stack.js';
import { audit, auditTrail } from '#audit';
import { listCycles, listTaskCycles } from './cycle-read-model.js';
import { unitDirectory, upsertPerson } from '#directory';
import { dropDraft } from './workspace.js';

const suffix = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 5)}`;
const unit = (name: string) => `${name}${suffix}`;
let dataSource: DataSource;
let planId: string;
let planName: string;
let cycleIds: string[];
let taskIds: string[];
let unitIds: Record<string, string>;
let categoryIds: string[];

beforeAll(async () => {
  dataSource = createDataSource(readTestStack().databaseUrl, 'duban-read-model-int-spec');
  await dataSource.initialize();
  planName = `read-model-${suffix}`;
  // 甲 leads task 1 with 丁 co-operating; 乙 leads task 2; 丙 leads task 3, the only task of the second category.
  const csv = [
    '序号,主要任务,责任单位,完成情况',
    '(一)甲类,,,',
    `1,新建学校2所,${unit('甲局')}、${unit('丁局')},`,
    `2,新建公园1个,${unit('乙局')},`,
    '(二)乙类,,,',
    `3,新建绿道5公里,${unit('丙局')},`,
  ].join('\n');
  const imported = await importPlan(new PlanRepository(dataSource), {
    bytes: new TextEncoder().encode(csv),
    fileName: `${planName}.csv`,
    planName,
    acceptWarnings: true,
  });
  planId = imported.plan.id!;
  taskIds = (
    (await dataSource.query(`SELECT id FROM task WHERE plan_id = $1 ORDER BY ordinal`, [planId])) as { id: string }[]
  ).map((t) => t.id);
  unitIds = Object.fromEntries(
    (
      (await dataSource.query(`SELECT id, name FROM unit WHERE name LIKE '%' || $1`, [suffix])) as {
        id: string;
        name: string;
      }[]
    ).map((u) => [u.name.slice(0, -suffix.length), u.id]),
  );
  categoryIds = (
    (await dataSource.query(`SELECT id FROM category WHERE plan_id = $1 ORDER BY ordinal`, [planId])) as {
      id: string;
    }[]
  ).map((c) => c.id);
  ({ cycleIds } = await fillCycles(dataSource, {
    planId,
    quarters: ['2020Q2', '2020Q3'],
    idPrefix: `cycle:read-model-${suffix}`,
  }));
}, 60_000);

afterAll(async () => {
  await dataSource?.destroy();
});

describe('the cycles a caller sees', () => {
  const ids = async (filters: Parameters<typeof listCycles>[1]) =>
    (await listCycles(dataSource, filters)).map((c) => c.id);

  it('lists a plan’s cycles newest first, by the plan’s id or name', async () => {
    const newestFirst = [...cycleIds].reverse();
    expect(await ids({ plan: planId, scope: null })).toEqual(newestFirst);
    expect(await ids({ plan: planName, scope: null })).toEqual(newestFirst);
    expect(await ids({ plan: `no-such-plan-${suffix}`, scope: null })).toEqual([]);
    const [newest] = await listCycles(dataSource, { plan: planName, scope: null });
    expect(newest).toEqual({
      id: cycleIds[1],
      planId,
      planName,
      quarter: '2020Q3',
      mode: 'real',
      status: 'open',
      taskCount: 3,
      startedAt: expect.any(Date),
      closedAt: null,
    });
  });

  it('shows a scope the cycles where its units lead or co-operate, or its categories have a task', async () => {
    const newestFirst = [...cycleIds].reverse();
    const scope = (units: string[], categories: string[] = []) => ({
      unitIds: units.map((u) => unitIds[u]!),
      categoryIds: categories,
    });
    // Without a plan named: across every plan, yet only this plan's cycles hold these units.
    expect(await ids({ scope: scope(['丙局']) })).toEqual(newestFirst); // leads
    expect(await ids({ scope: scope(['丁局']) })).toEqual(newestFirst); // co-operates only
    expect(await ids({ scope: scope([], [categoryIds[1]!]) })).toEqual(newestFirst); // a category's supervisor
    expect(await ids({ scope: { unitIds: ['00000000-0000-4000-8000-000000000000'], categoryIds: [] } })).toEqual([]);
    expect(await ids({ scope: { unitIds: [], categoryIds: [] } })).toEqual([]);
  });
});

describe('a cycle’s tasks filtered by unit', () => {
  it('takes the unit’s id or its name, lead or co-unit alike', async () => {
    const newest = cycleIds[1]!;
    const taskIdsOf = async (unitFilter: string) =>
      (await listTaskCycles(dataSource, newest, { unit: unitFilter })).items.map((i) => i.taskId);
    expect(await taskIdsOf(unitIds['丁局']!)).toEqual([taskIds[0]]);
    expect(await taskIdsOf(unit('丁局'))).toEqual([taskIds[0]]);
    expect(await taskIdsOf(unit('乙局'))).toEqual([taskIds[1]]);
    expect(await listTaskCycles(dataSource, newest, { unit: `没有这个局${suffix}` })).toEqual({ total: 0, items: [] });
  });
});

describe('a plan’s unit directory', () => {
  it('counts each unit’s led and co-operated tasks and lists its people by role', async () => {
    const code = unitIds['甲局']!.slice(0, 8);
    for (const role of ['backup', 'leader', 'reporter'] as const) {
      await upsertPerson(dataSource, {
        id: `${role}.dir.${code}`,
        name: `${role}`,
        email: `${role}.dir.${code}@test.local`,
        roles: [{ role, unitId: unitIds['甲局']! }],
      });
    }
    const directory = await unitDirectory(dataSource, planId);
    expect(directory.map((u) => [u.name, u.leadTasks, u.coTasks])).toEqual([
      // Most tasks led first, then by name.
      ...[unit('丙局'), unit('乙局'), unit('甲局')].sort().map((name) => [name, 1, 0]),
      [unit('丁局'), 0, 1],
    ]);
    expect(directory.find((u) => u.name === unit('甲局'))!.people.map((p) => p.role)).toEqual([
      'reporter',
      'leader',
      'backup',
    ]);
    expect(directory.find((u) => u.name === unit('丁局'))!.people).toEqual([]);
    expect(await unitDirectory(dataSource, '00000000-0000-4000-8000-000000000000')).toEqual([]);
  });
});

describe('dropping a submitted draft', () => {
  it('drops the lead unit’s progress draft, or the co-unit’s input, and nothing else', async () => {
    const cycleId = cycleIds[1]!;
    const [{ id: taskCycleId }] = (await dataSource.query(
      `SELECT id FROM task_cycle WHERE cycle_id = $1 AND task_id = $2`,
      [cycleId, taskIds[0]],
    )) as [{ id: string }];
    const drafts = async () =>
      (
        (await dataSource.query(`SELECT unit_id AS "unitId", kind FROM draft WHERE task_cycle_id = $1 ORDER BY kind`, [
          taskCycleId,
        ])) as { unitId: string; kind: string }[]
      ).map((d) => `${d.kind}:${d.unitId === unitIds['甲局'] ? '甲' : '丁'}`);
    for (const [unitId, kind] of [
      [unitIds['甲局'], 'progress'],
      [unitIds['甲局'], 'catch_up'],
      [unitIds['丁局'], 'input'],
    ]) {
      await dataSource.query(
        `INSERT INTO draft (task_cycle_id, unit_id, kind, body, updated_by) VALUES ($1, $2, $3, '{"narrative":"草稿"}', 'someone')`,
        [taskCycleId, unitId, kind],
      );
    }
    expect(await drafts()).toEqual(['catch_up:甲', 'input:丁', 'progress:甲']);
    await dropDraft(dataSource, cycleId, taskIds[0]!, 'progress');
    expect(await drafts()).toEqual(['catch_up:甲', 'input:丁']);
    // Another task's submission, or another unit named, drops nothing here.
    await dropDraft(dataSource, cycleId, taskIds[1]!, 'catch_up');
    await dropDraft(dataSource, cycleId, taskIds[0]!, 'input', unitIds['甲局']);
    expect(await drafts()).toEqual(['catch_up:甲', 'input:丁']);
    await dropDraft(dataSource, cycleId, taskIds[0]!, 'input', unitIds['丁局']);
    expect(await drafts()).toEqual(['catch_up:甲']);
  });
});

describe('the audit trail', () => {
  it('answers one subject’s lines newest first, at most the limit asked (1 … 1000)', async () => {
    const subject = `plan:audit-${suffix}`;
    for (const action of ['first', 'second', 'third']) {
      await audit(dataSource, 'someone', `test.${action}`, subject, { action });
    }
    await audit(dataSource, null, 'test.other', `plan:other-${suffix}`);
    const trail = await auditTrail(dataSource, { subject });
    expect(trail.map((e) => e.action)).toEqual(['test.third', 'test.second', 'test.first']);
    expect(trail[0]).toEqual({
      id: expect.stringMatching(/^\d+$/),
      at: expect.any(Date),
      actorId: 'someone',
      action: 'test.third',
      subject,
      details: { action: 'third' },
    });
    expect((await auditTrail(dataSource, { subject, limit: 2 })).map((e) => e.action)).toEqual([
      'test.third',
      'test.second',
    ]);
    expect(await auditTrail(dataSource, { subject, limit: 0 })).toHaveLength(1);
    expect((await auditTrail(dataSource, { limit: 5000 })).length).toBeLessThanOrEqual(1000);
  });
});
