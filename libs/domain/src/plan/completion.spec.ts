import { describe, expect, it } from '@jest/globals';
import {
  averageCompletion,
  compareWithTarget,
  exceededText,
  formatAmount,
  incomparableText,
  INCOMPARABLE_WHYS,
  incomparableWhyText,
  type Comparison,
  type Exceeded,
  type Figure,
} from './completion.js';
import { findQuantities, sameMeasure, UNITS } from './quantities.js';
import type { Comparator, Target, TargetKind } from './targets.parser.js';

const target = (value: number, unit: string, more: Partial<Target> = {}): Target => ({
  metric: '指标',
  value,
  unit,
  comparator: '≥',
  kind: unit === '%' ? 'level' : 'quantity',
  ...more,
});
/** A figure as the narrative writes it: "43.2万方" → 432000 方. */
const written = (text: string, change = false): Figure => {
  const [q] = findQuantities(text);
  return { value: q!.value, unit: q!.unit, change };
};

describe('compareWithTarget', () => {
  const cases: [string, Target, Figure, Comparison | null][] = [
    ['a count against a count', target(1000, '户'), written('588户'), { rate: 58.8 }],
    ['万 scaled on both sides', target(570000, '平方米'), written('43.2万方'), { rate: 75.79 }],
    ['亿 scaled', target(5e9, '元'), written('42.5亿元'), { rate: 85 }],
    ['千米 is 公里', target(18.7, '公里'), written('4.22千米'), { rate: 22.57 }],
    ['名 is 人', target(50, '人'), written('577名'), { rate: 1154 }],
    ['a percent against a percent target', target(90, '%'), written('95%'), { rate: 105.56 }],
    ['亿元 against 个', target(50, '个'), written('12亿元'), { why: 'unit' }],
    ['套 against 平方米', target(570000, '平方米'), written('3200套'), { why: 'unit' }],
    ['家 against 个', target(20, '个'), written('18家'), { why: 'unit' }],
    ['a percent against a count', target(1000, '户'), written('60%'), { why: 'percent' }],
    ['a count against a percent target', target(90, '%'), written('12个'), { why: 'percent' }],
    ['a rate of change against a level', target(3, '%'), written('15%', true), { why: 'change' }],
    ['a rate of change against a count', target(1000, '户'), written('15%', true), { why: 'change' }],
    ['anything against a growth target', target(10, '%', { kind: 'growth' }), written('8%'), { why: 'change' }],
    ['an amount against a growth target', target(10, '%', { kind: 'growth' }), written('52亿元'), { why: 'change' }],
    ['anything against a reduction target', target(3, '%', { kind: 'reduction' }), written('3.5%'), { why: 'change' }],
    ['a ceiling met', target(80, '天', { comparator: '≤' }), written('50天'), { rate: 100 }],
    ['a ceiling passed', target(35, '天', { comparator: '≤' }), written('70天'), { rate: 50 }],
    ['a zero target gives no share', target(0, '件'), written('0件'), null],
    ['亿 typed as a plain number', target(5e9, '元'), { value: 42, unit: '元' }, { why: 'scale' }],
    ['万 typed as a plain number', target(570000, '平方米'), { value: 43.2, unit: '平方米' }, { why: 'scale' }],
    ['a thousandth is a rate', target(570000, '平方米'), { value: 600, unit: '平方米' }, { rate: 0.11 }],
    ['too small to be a slip either', target(570000, '平方米'), { value: 0.5, unit: '平方米' }, { rate: 0 }],
    ['a small target has no 万 to slip', target(9000, '元'), { value: 1, unit: '元' }, { rate: 0.01 }],
    ['not a number', target(1000, '户'), { value: Number.NaN, unit: '户' }, null],
  ];
  it.each(cases)('%s', (_, t, figure, expected) => {
    expect(compareWithTarget(t, figure)).toEqual(expected);
  });

  // Every unit against every unit, every comparator and kind: a rate comes only
  // from the same measure, never from a rate of change, and is a finite percent.
  const comparators: Comparator[] = ['≥', '≤', '≈', '='];
  const kinds: TargetKind[] = ['quantity', 'level', 'growth', 'reduction'];
  const values = [0, 0.5, 3, 1000, 570000, 5e9];
  it('gives a rate only for the same measure, over every unit, comparator, kind and size', () => {
    // Violations are collected, not asserted one by one: a million expect() calls would take minutes.
    const wrong: string[] = [];
    let rates = 0;
    for (const targetUnit of UNITS)
      for (const figureUnit of UNITS)
        for (const comparator of comparators)
          for (const kind of kinds)
            for (const value of values)
              for (const figure of values)
                for (const change of [false, true]) {
                  const t: Target = { metric: 'm', value, unit: targetUnit, comparator, kind };
                  const result = compareWithTarget(t, { value: figure, unit: figureUnit, change });
                  const at = `${figure}${figureUnit}${change ? ' (change)' : ''} vs ${comparator}${value}${targetUnit} ${kind}`;
                  if (result === null) {
                    if (value !== 0) wrong.push(`${at}: null`);
                  } else if ('why' in result) {
                    if (!INCOMPARABLE_WHYS.includes(result.why)) wrong.push(`${at}: ${result.why}`);
                  } else {
                    rates += 1;
                    const ok =
                      sameMeasure(targetUnit, figureUnit) &&
                      !change &&
                      kind !== 'growth' &&
                      kind !== 'reduction' &&
                      Number.isFinite(result.rate) &&
                      result.rate >= 0 &&
                      (comparator !== '≤' || result.rate <= 100);
                    if (!ok) wrong.push(`${at}: ${result.rate}`);
                  }
                }
    expect(wrong.slice(0, 10)).toEqual([]);
    expect(rates).toBeGreaterThan(1000);
  });
});

describe('formatAmount and the texts', () => {
  it.each([
    [588, '588'],
    [1200.5, '1200.5'],
    [264200, '26.42万'],
    [200000, '20万'],
    [5e9, '50亿'],
    [0.125, '0.13'],
  ])('%s → %s', (value, text) => expect(formatAmount(value)).toBe(text));

  it('names the target exceeded, or the stated rate', () => {
    const byTarget: Exceeded = {
      by: 'target',
      target: 0,
      metric: '回迁安置',
      achieved: 1200,
      value: 1000,
      unit: '户',
      rate: 120,
    };
    expect(exceededText(byTarget)).toEqual({ zh: '回迁安置 1200/1000户', en: '回迁安置 1200/1000户' });
    const area: Exceeded = {
      ...byTarget,
      metric: '新增绿化面积',
      achieved: 264200,
      value: 200000,
      unit: '平方米',
      rate: 132.1,
    };
    expect(exceededText(area).zh).toBe('新增绿化面积 26.42万/20万平方米');
    expect(exceededText({ by: 'stated', rate: 112.47 })).toEqual({
      zh: '自报完成率 112.47%',
      en: 'stated 112.47%',
    });
  });

  it('says which figure, against which target, and why', () => {
    expect(
      incomparableText({
        target: 0,
        metric: '交付安置房',
        value: 570000,
        unit: '平方米',
        figure: { value: 3200, unit: '套' },
        why: 'unit',
      }),
    ).toEqual({
      zh: '交付安置房 3200套 无法与目标 57万平方米 相比（计量单位不同）',
      en: '交付安置房: 3200套 cannot be set against the target 57万平方米 (a different unit)',
    });
    for (const why of INCOMPARABLE_WHYS) {
      const text = incomparableWhyText(why);
      expect(text.zh).toMatch(/[\u4e00-\u9fff]/);
      expect(text.en).toMatch(/^[a-z][a-z ]+/); // English words first, whatever it quotes
    }
  });
});

describe('averageCompletion', () => {
  it.each<[string, (number | null)[], { average: number | null; counted: number; exceeded: number }]>([
    ['none', [], { average: null, counted: 0, exceeded: 0 }],
    ['only nulls', [null, null], { average: null, counted: 0, exceeded: 0 }],
    ['plain', [58.8, 72.52], { average: 65.7, counted: 2, exceeded: 0 }],
    ['one task far past its target counts 100', [1154], { average: 100, counted: 1, exceeded: 1 }],
    ['and does not lift the others', [1154, 58.8, null], { average: 79.4, counted: 2, exceeded: 1 }],
    ['exactly 100 is not exceeded', [100, 100], { average: 100, counted: 2, exceeded: 0 }],
    ['not a number is left out', [Number.NaN, 50], { average: 50, counted: 1, exceeded: 0 }],
  ])('%s', (_, completions, expected) => expect(averageCompletion(completions)).toEqual(expected));

  it('never averages above 100 nor below the least', () => {
    const grid = [0, 12.5, 58.8, 99.99, 100, 100.01, 228.57, 1154];
    for (const a of grid)
      for (const b of grid)
        for (const c of [null, ...grid]) {
          const { average } = averageCompletion([a, b, c]);
          expect(average).not.toBeNull();
          expect(average!).toBeLessThanOrEqual(100);
          expect(average!).toBeGreaterThanOrEqual(Math.min(a, b, c ?? Infinity, 100) - 0.05);
        }
  });
});
