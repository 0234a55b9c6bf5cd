import { describe, expect, it } from '@jest/globals';
import { readFigures } from './figures.js';
import type { Target } from './targets.parser.js';

const houses: Target = { metric: '回迁安置', value: 1000, unit: '户', comparator: '≥', kind: 'quantity' };
const schools: Target = { metric: '新建学校', value: 4, unit: '所', comparator: '≥', kind: 'quantity' };
const growth: Target = { metric: '数字经济核心产业增加值增长', value: 15, unit: '%', comparator: '≥', kind: 'growth' };
const ceiling: Target = { metric: 'PM2.5浓度', value: 35, unit: '微克/立方米', comparator: '≤', kind: 'level' };

describe('readFigures', () => {
  it('takes the weakest target as the completion', () => {
    expect(readFigures([houses, schools], { '0': 588, '1': 3 })).toEqual({ completion: 58.8, growth: null });
  });
  it('leaves out targets without a figure, and answers nulls for none', () => {
    expect(readFigures([houses, schools], { '1': 2 })).toEqual({ completion: 50, growth: null });
    expect(readFigures([houses], {})).toEqual({ completion: null, growth: null });
    expect(readFigures([houses], { '0': null })).toEqual({ completion: null, growth: null });
  });
  it('reads a growth target as the growth reached, not a completion', () => {
    expect(readFigures([growth], { '0': -2.2 })).toEqual({ completion: null, growth: -2.2 });
  });
  it('counts a ceiling as met while under it', () => {
    expect(readFigures([ceiling], { '0': 30 }).completion).toBe(100);
    expect(readFigures([ceiling], { '0': 70 }).completion).toBe(50);
  });
});
