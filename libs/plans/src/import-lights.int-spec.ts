/**
 * What an import's figures say at its quarter, per task, in real PostgreSQL
 * (a dry run: nothing stored): each target judged by its direction. The
 * table is test/fixtures/office-cases/F12 (limits "控制在5.5%以内", "30微克/
 * 立方米以下", reductions "下降3%以上"), with the lights a coordinator
 * expects at 2025-Q3 (F12-expected-lights.tsv).
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { createDataSource } from '#persistence';
import { readTestStack } from '../../../test/support/test-stack.js';
import { importPlan } from './import-plan.use-case.js';
import { PlanRepository } from './plan.repository.js';

const fixture = (name: string) =>
  readFileSync(new URL(`../../../../test/fixtures/office-cases/${name}`, import.meta.url));
let dataSource: DataSource;

beforeAll(async () => {
  dataSource = createDataSource(readTestStack().databaseUrl, 'duban-import-lights-int-spec');
  await dataSource.initialize();
});
afterAll(() => dataSource.destroy());

describe('the light an import’s figures give (dry run with a quarter)', () => {
  it('judges limits and reductions by their direction, as the F12 table expects', async () => {
    const expected = fixture('F12-expected-lights.tsv')
      .toString('utf8')
      .split('\n')
      .filter((line) => /^\d/.test(line))
      .map((line) => line.split('\t'))
      .map(([ordinal, , , light]) => ({ ordinal: Number(ordinal), light }));
    expect(expected).toHaveLength(7);
    const answer = await importPlan(new PlanRepository(dataSource), {
      bytes: new Uint8Array(fixture('F12-limit-and-reduction-targets.csv')),
      fileName: `F12-${Date.now().toString(36)}.csv`,
      quarter: '2025Q3',
      dryRun: true,
    });
    expect(answer.tasks.map((t) => ({ ordinal: t.ordinal, light: t.light }))).toEqual(expected);
    // The concentration limit is a target of its own unit.
    expect(answer.tasks[3]!.targets).toEqual([
      { metric: 'PM2.5平均浓度', value: 30, unit: '微克/立方米', comparator: '≤', kind: 'quantity' },
    ]);
  });

  it('gives no light without a quarter, or for progress with nothing to judge', async () => {
    const csv =
      '序号,项目内容,责任单位,进展情况\n1,新建幼儿园3所,区教育局,正在推进前期工作\n2,回迁安置1000户以上,区城改办,已回迁安置620户';
    const repository = new PlanRepository(dataSource);
    const name = `lights-${Date.now().toString(36)}`;
    const withQuarter = await importPlan(repository, {
      bytes: new TextEncoder().encode(csv),
      fileName: `${name}.csv`,
      quarter: '2025Q3',
      dryRun: true,
    });
    // 620 of 1000 is 62%, 13 points under the 75% expected at Q3: yellow.
    expect(withQuarter.tasks.map((t) => t.light)).toEqual([null, 'yellow']);
    const without = await importPlan(repository, {
      bytes: new TextEncoder().encode(csv),
      fileName: `${name}.csv`,
      dryRun: true,
    });
    expect(without.tasks.map((t) => t.light)).toEqual([null, null]);
  });
});
