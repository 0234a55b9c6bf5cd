import { describe, expect, it } from '@jest/globals';
import { readFigures } from './figures.js';
import type { Target } from './targets.parser.js';

const houses: Target = { metric: '回迁安置', value: 1000, unit: '户', comparator: '≥', kind: 'quantity' };
const schools: Target = { metric: '新建学校', value: 4, unit: '所', comparator: '≥', kind: 'quantity' };
const growth: Target = { metric: '数字经济核心产业增加值增长', value: 15, unit: '%', comparator: '≥', kind: 'growth' };
const ceiling: Target = { metric: 'PM2.5浓度', value: 35, unit: '微克/立方米', comparator: '≤', kind: 'level' };
const energy: Target = { metric: '单位GDP能耗', value: 3, unit: '%', comparator: '≥', kind: 'reduction' };
const tax: Target = { metric: '十大产业平台实现常规税收', value: 5e9, unit: '元', comparator: '≥', kind: 'quantity' };
const share: Target = { metric: '平台共治处置率', value: 90, unit: '%', comparator: '≥', kind: 'level' };

describe('readFigures', () => {
  it('takes the weakest target as the completion', () => {
    expect(readFigures([houses, schools], { '0': 588, '1': 3 })).toEqual({
      completion: 58.8,
      growth: null,
      incomparable: [],
    });
  });
  it('leaves out targets without a figure, and answers nulls for none', () => {
    expect(readFigures([houses, schools], { '1': 2 })).toEqual({ completion: 50, growth: null, incomparable: [] });
    expect(readFigures([houses], {})).toEqual({ completion: null, growth: null, incomparable: [] });
    expect(readFigures([houses], { '0': null })).toEqual({ completion: null, growth: null, incomparable: [] });
    expect(readFigures([houses], { '0': Number.POSITIVE_INFINITY }).completion).toBeNull();
  });
  it('reads a growth target as the growth reached, not a completion', () => {
    expect(readFigures([growth], { '0': -2.2 })).toEqual({ completion: null, growth: -2.2, incomparable: [] });
  });
  it('counts a ceiling as met while under it', () => {
    expect(readFigures([ceiling], { '0': 30 }).completion).toBe(100);
    expect(readFigures([ceiling], { '0': 70 }).completion).toBe(50);
  });

  it('gives the cause of a completion over 100: the target that set it', () => {
    expect(readFigures([houses], { '0': 1200 })).toEqual({
      completion: 120,
      growth: null,
      incomparable: [],
      exceeded: { by: 'target', target: 0, metric: '回迁安置', achieved: 1200, value: 1000, unit: '户', rate: 120 },
    });
    // Both past their targets: the completion and its cause are the nearer one's.
    expect(readFigures([houses, schools], { '0': 1500, '1': 5 }).exceeded).toMatchObject({ target: 1, rate: 125 });
    // One past, one behind: not exceeded.
    expect(readFigures([houses, schools], { '0': 1500, '1': 2 })).toMatchObject({ completion: 50 });
    expect(readFigures([houses, schools], { '0': 1500, '1': 2 }).exceeded).toBeUndefined();
    expect(readFigures([share], { '0': 95 }).exceeded).toMatchObject({ metric: '平台共治处置率', rate: 105.56 });
  });

  it('flags a reduction reached as a rate of change, not a completion', () => {
    expect(readFigures([energy], { '0': 3.5 })).toEqual({
      completion: null,
      growth: null,
      incomparable: [
        { target: 0, metric: '单位GDP能耗', value: 3, unit: '%', figure: { value: 3.5, unit: '%' }, why: 'change' },
      ],
    });
  });

  it('flags a figure typed in 亿 against a target held in 元, and reads the others', () => {
    const reading = readFigures([tax, houses], { '0': 42, '1': 588 });
    expect(reading.completion).toBe(58.8);
    expect(reading.incomparable).toEqual([
      { target: 0, metric: tax.metric, value: 5e9, unit: '元', figure: { value: 42, unit: '元' }, why: 'scale' },
    ]);
    expect(readFigures([tax], { '0': 4.2e9 }).completion).toBe(84);
  });
});
