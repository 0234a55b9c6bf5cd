/**
 * Milestones read from a 时间节点 cell, in real PostgreSQL: the first import stores them; the same table imported
 * again makes no version; milestones the 督查室 approved (任务分解) stay over what the cell says when it is
 * imported again, and make no version either.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { createDataSource } from '#persistence';
import { readTestStack } from '../../../test/support/test-stack.js';
import { importPlan } from './import-plan.use-case.js';
import { PlanRepository } from './plan.repository.js';

const run = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 5)}`;
const planName = `时间节点-${run}`;
const CSV = [
  '2020年区政府工作报告重点任务',
  '序号,主要任务,责任单位,时间节点',
  `1,回迁安置1000户以上,节点局${run},6月底前回迁安置300户；12月底前全部完成`,
  `2,新建学校1所,节点局${run},2020年12月底前`,
].join('\n');
let dataSource: DataSource;

beforeAll(async () => {
  dataSource = createDataSource(readTestStack().databaseUrl, 'duban-dated-milestones-int-spec');
  await dataSource.initialize();
});
afterAll(async () => {
  await dataSource.destroy();
});

function importTable() {
  return importPlan(new PlanRepository(dataSource), {
    bytes: new TextEncoder().encode(CSV),
    fileName: `${planName}.csv`,
    planName,
    acceptWarnings: true,
  });
}

async function milestonesNow(ordinal: number): Promise<{ version: number; milestones: unknown[] }> {
  const [row] = (await dataSource.query(
    `SELECT v.version,
            COALESCE((SELECT json_agg(json_build_object('quarter', m.quarter, 'text', m.text) ORDER BY m.quarter)
                        FROM milestone m WHERE m.task_version_id = v.id), '[]') AS milestones
       FROM current_task_version v JOIN plan p ON p.id = v.plan_id WHERE p.name = $1 AND v.ordinal = $2`,
    [planName, ordinal],
  )) as { version: number; milestones: unknown[] }[];
  return row!;
}

describe('milestones from a 时间节点 cell', () => {
  it('are stored once, make no version when imported again, and give way to approved milestones', async () => {
    const first = await importTable();
    expect(first.stored?.tasks.created).toBe(2);
    expect(await milestonesNow(1)).toEqual({
      version: 1,
      milestones: [
        { quarter: 2, text: '6月底前回迁安置300户' },
        { quarter: 4, text: '12月底前全部完成' },
      ],
    });
    expect(await milestonesNow(2)).toEqual({ version: 1, milestones: [] });

    const again = await importTable();
    expect(again.stored?.tasks).toMatchObject({ newVersion: 0, unchanged: 2 });

    // The 督查室 approves the lead unit's own milestones: the task's version 2.
    const [task] = (await dataSource.query(
      `SELECT v.task_id AS id FROM current_task_version v JOIN plan p ON p.id = v.plan_id
        WHERE p.name = $1 AND v.ordinal = 1`,
      [planName],
    )) as { id: string }[];
    await dataSource.transaction((manager) =>
      new PlanRepository(dataSource).setMilestones(manager, task!.id, [{ quarter: 3, text: '回迁安置600户' }], null),
    );
    const approved = { version: 2, milestones: [{ quarter: 3, text: '回迁安置600户' }] };
    expect(await milestonesNow(1)).toEqual(approved);

    // The same table again: the approved milestones stand, and nothing makes a version.
    const third = await importTable();
    expect(third.stored?.tasks).toMatchObject({ newVersion: 0, unchanged: 2 });
    expect(await milestonesNow(1)).toEqual(approved);
  });
});
