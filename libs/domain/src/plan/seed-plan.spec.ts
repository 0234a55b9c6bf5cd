/**
 * The real document Duban automates (test/fixtures, copied from the shared
 * seed): a district's 2020-Q3 key-task report, printed twice on its web page.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { interpretPlanTable } from './plan.interpreter.js';
import { SEED_FIXTURE_COLUMNS, seedFixtureRow } from './seed-fixture.js';
import { textToCells } from './text-cells.js';

const seed = readFileSync(
  new URL('../../../../../test/fixtures/gongshu-2020-q3-key-tasks.txt', import.meta.url),
  'utf8',
);
const plan = interpretPlanTable(textToCells(seed));

const expected = readFileSync(
  new URL('../../../../../test/fixtures/gongshu-2020-q3-expected.tsv', import.meta.url),
  'utf8',
)
  .split('\n')
  .filter((line) => line && !line.startsWith('#'));

describe('the Gongshu 2020-Q3 seed', () => {
  it('extracts every row as the hand-reviewed fixture table says', () => {
    expect(expected[0]).toBe(SEED_FIXTURE_COLUMNS.join('\t'));
    const rows = expected.slice(1);
    expect(rows).toHaveLength(128);
    // Row by row, so a failure names the task that changed.
    plan.tasks.forEach((task, i) =>
      expect(`#${task.ordinal} ${seedFixtureRow(task)}`).toBe(`#${task.ordinal} ${rows[i]}`),
    );
  });

  it('yields 128 tasks in 22 categories, imported once although printed twice', () => {
    expect(plan.tasks).toHaveLength(128);
    expect(plan.categories.map((c) => c.ordinal)).toEqual(Array.from({ length: 22 }, (_, i) => i + 1));
    expect(plan.categories[10]).toEqual({ ordinal: 11, name: '提高城市承载能力', label: '(十一)提高城市承载能力' });
    expect(plan.warnings.map((w) => w.message)).toContainEqual(
      expect.stringContaining('128 repeated rows imported once'),
    );
  });

  it('reads the plan and the quarter from the title', () => {
    expect(plan.plan).toEqual({
      name: '2020年政府工作报告重点任务',
      year: 2020,
      quarter: 3,
      title: '2020第三季度政府工作报告重点任务目标执行情况',
    });
  });

  it('keeps page-break repeats of a category in that category', () => {
    const supportFirms = plan.tasks.filter((t) => t.categoryOrdinal === 2).map((t) => t.content.slice(0, 8));
    expect(supportFirms).toEqual([
      '落实振兴实体经济',
      '实施优化营商环境',
      '推行经济管理“1',
      '推进“僵尸企业”',
      '助推企业对接多层',
      '实施新消费计划,',
    ]);
  });

  it('reads lead units, co-units and groups', () => {
    const task = plan.tasks.find((t) => t.content === '回迁安置1000户以上')!;
    expect(task).toMatchObject({
      leadUnit: '区城改办',
      coUnits: ['相关建设指挥部', '相关街道'],
      category: '加快城市开发建设',
    });
    expect(task.targets).toEqual([{ metric: '回迁安置', value: 1000, unit: '户', comparator: '≥', kind: 'quantity' }]);
    expect(task.completion).toBe(58.8);
    const last = plan.tasks.at(-1)!;
    expect(last.leadUnit).toBe('区数据资源局');
    expect(last.coUnits).toHaveLength(9);
    expect(plan.units).toContainEqual({ name: '区食安委各成员单位', group: 'members-of', of: '区食安委' });
  });

  it('reads states that matter to the coordinator', () => {
    const byContent = (start: string) => plan.tasks.find((t) => t.content.startsWith(start))!;
    expect(byContent('办好中国非遗博览会').state).toBe('suspended');
    expect(byContent('实现数字经济核心产业增加值增长10%以上').reading.growth).toBe(-2.2);
    expect(byContent('争创省“食品安全区”')).toMatchObject({ state: 'completed', completion: 100 });
  });
});
