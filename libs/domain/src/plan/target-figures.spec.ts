import { describe, expect, it } from '@jest/globals';
import { readProgress } from './progress.parser.js';
import { figureBasisOf, targetFigures } from './target-figures.js';
import { extractTargets, type Target } from './targets.parser.js';

const roads: Target = { metric: '道路建设', value: 94, unit: '条', comparator: '≥', kind: 'quantity' };
const length: Target = { metric: '道路建设', value: 53, unit: '公里', comparator: '=', kind: 'quantity' };
const share: Target = { metric: '垃圾分类覆盖率', value: 90, unit: '%', comparator: '≥', kind: 'level' };
const gdp: Target = { metric: '地区生产总值', value: 6.5, unit: '%', comparator: '≥', kind: 'growth' };
const housing: Target = { metric: '交付安置房', value: 570_000, unit: '平方米', comparator: '=', kind: 'quantity' };

describe('targetFigures (each target against a report, for the review desk)', () => {
  it('sets every target against the figure typed for it, not only the weakest', () => {
    const lines = targetFigures([roads, length, share], { '0': 52, '1': 40, '2': 81 }, []);
    expect(lines.map((l) => l.text.zh)).toEqual([
      '道路建设：目标 ≥94条，已完成 52条，55.3%',
      '道路建设：目标 53公里，已完成 40公里，75.5%',
      '垃圾分类覆盖率：目标 ≥90%，已达 81%，90%',
    ]);
    expect(lines[0]).toMatchObject({ target: 0, achieved: 52, rate: 55.3, source: 'figures', incomparable: null });
    expect(lines[0]!.text.en).toBe('道路建设: target ≥94条, done 52条, 55.3%');
  });

  it('reads the narrative’s figures where none was typed, and says which target nothing was given for', () => {
    const targets = extractTargets('回迁安置1000户以上');
    const reading = readProgress('已完成回迁安置588户', targets);
    expect(targetFigures(targets, null, reading.readings)[0]).toMatchObject({
      source: 'narrative',
      text: { zh: '回迁安置：目标 ≥1000户，已完成 588户，58.8%' },
    });
    expect(targetFigures([roads], {}, [])[0]).toMatchObject({
      achieved: null,
      source: null,
      text: { zh: '道路建设：目标 ≥94条，未填报', en: '道路建设: target ≥94条, not reported' },
    });
  });

  it('prefers the typed figure to the narrative’s', () => {
    const readings = [{ target: 0, achieved: 50, unit: '条', rate: 53.19 }];
    expect(targetFigures([roads], { '0': 60 }, readings)[0]).toMatchObject({ achieved: 60, source: 'figures' });
  });

  it('gives a rate of change as it is, and a figure in another measure as left out of completion', () => {
    expect(targetFigures([gdp], null, [], -2.2)[0]!.text.zh).toBe('地区生产总值：目标 ≥6.5%，实际 -2.2%');
    expect(targetFigures([gdp], { '0': 7.1 }, [])[0]).toMatchObject({
      rate: null,
      text: { en: '地区生产总值: target ≥6.5%, actual 7.1%' },
    });
    const line = targetFigures([housing], null, [
      { target: 0, achieved: 3200, unit: '套', rate: null, incomparable: 'unit' },
    ])[0]!;
    expect(line.text.zh).toBe('交付安置房：目标 57万平方米，填报 3200套（计量单位不同，未计入完成率）');
  });

  it('reads an annual amount as cumulative, a share as a level, a growth or a fall as from the year’s start', () => {
    expect([roads, share, gdp, { kind: 'reduction' as const }].map(figureBasisOf)).toEqual([
      'cumulative',
      'level',
      'change',
      'change',
    ]);
  });
});
