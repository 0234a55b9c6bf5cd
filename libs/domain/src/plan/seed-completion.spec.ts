/**
 * Every progress text of the real seed (test/fixtures) through the narrative
 * reader: no completion over 100 without its cause, none from a figure that
 * does not measure what its target does, and unit averages that one task far
 * past its target cannot lift over 100 (the dashboard once showed 1154%).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { averageCompletion, compareWithTarget, exceededText } from './completion.js';
import { interpretPlanTable } from './plan.interpreter.js';
import { sameMeasure } from './quantities.js';
import { textToCells } from './text-cells.js';

const seed = readFileSync(
  new URL('../../../../../test/fixtures/gongshu-2020-q3-key-tasks.txt', import.meta.url),
  'utf8',
);
const { tasks } = interpretPlanTable(textToCells(seed));

describe('completion over the Gongshu 2020-Q3 seed', () => {
  it('reads all 128 rows', () => expect(tasks).toHaveLength(128));

  it.each(tasks.map((task) => [task.ordinal, task] as const))(
    '#%s: comparable figures only, causes given',
    (_, task) => {
      const { reading, targets } = task;
      for (const r of reading.readings) {
        const target = targets[r.target]!;
        if (r.rate === null) {
          expect(r.incomparable).toBeDefined();
          expect(reading.incomparable).toContainEqual(
            expect.objectContaining({ target: r.target, why: r.incomparable }),
          );
        } else {
          // A rate only from the same measure, and the rate that comparison gives.
          expect(sameMeasure(r.unit, target.unit)).toBe(true);
          expect(compareWithTarget(target, { value: r.achieved, unit: r.unit })).toEqual({ rate: r.rate });
        }
      }
      const rates = reading.readings.flatMap((r) => (r.rate === null ? [] : [r.rate]));
      if (reading.completionSource === 'computed') expect(reading.completion).toBe(Math.min(...rates));
      if (reading.completion !== null && reading.completion > 100) {
        expect(reading.exceeded).toBeDefined();
        if (reading.exceeded!.by === 'target') {
          expect(Math.abs(reading.exceeded!.rate - reading.completion)).toBeLessThanOrEqual(1);
          expect(reading.exceeded!.achieved).toBeGreaterThan(reading.exceeded!.value);
        }
      } else {
        expect(reading.exceeded).toBeUndefined();
      }
      expect(task.completion).toBe(reading.completion);
    },
  );

  it('names each completion over 100 by its cause', () => {
    const exceeded = tasks
      .filter((t) => t.reading.exceeded)
      .map((t) => `#${t.ordinal} ${t.completion}% ${exceededText(t.reading.exceeded!).zh}`);
    expect(exceeded).toEqual([
      '#24 112.47% 自报完成率 112.47%',
      '#30 109.6% 电商企业规模 548/500家',
      '#39 228.57% “旭日”企业 80/35家',
      '#41 120% 争创专利(试点)示范企业 12/10家',
      '#48 1154% 申报市级高层次人才 577/50人',
      '#51 101.53% 大城北开发建设项目 133/131个',
      '#56 104.5% 出让经营性用地 470.25/450亩',
      '#63 132.1% 新增绿化面积 26.42万/20万平方米',
      '#128 111.11% 平台共治处置率 100/90%',
    ]);
  });

  it('flags the one figure in the seed that cannot be set against its target', () => {
    expect(tasks.flatMap((t) => t.reading.incomparable.map((i) => [t.ordinal, i.why, i.figure]))).toEqual([
      [108, 'percent', { value: 15, unit: '%' }], // 土方开挖15% against "2家" 社区卫生服务中心
    ]);
  });

  it('averages no lead unit above 100, the 1154% unit included', () => {
    const byUnit = new Map<string, (number | null)[]>();
    for (const task of tasks) byUnit.set(task.leadUnit, [...(byUnit.get(task.leadUnit) ?? []), task.completion]);
    const averages = new Map([...byUnit].map(([unit, completions]) => [unit, averageCompletion(completions)]));
    for (const summary of averages.values())
      if (summary.average !== null) expect(summary.average).toBeLessThanOrEqual(100);
    expect(averages.get('区委人才办')).toEqual({ average: 100, counted: 1, exceeded: 1 });
    expect(averages.get('区科技局')).toMatchObject({ average: 100, exceeded: 1 });
    const overall = averageCompletion(tasks.map((t) => t.completion));
    // Uncapped, the nine exceeded rows made it 105.5%.
    expect(overall).toEqual({ average: 80, counted: 50, exceeded: 9 });
  });
});
