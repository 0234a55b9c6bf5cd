import { describe, expect, it } from '@jest/globals';
import { extractTargets } from '../plan/targets.parser.js';
import { DEFAULT_CYCLE_CONFIG } from './cycle-config.js';
import { evaluateLight, expectedProgress, type LightInput } from './status-light.js';

const light = (input: Partial<LightInput>) =>
  evaluateLight(
    { quarter: 3, state: 'in_progress', completion: null, growth: null, targets: [], ...input },
    DEFAULT_CYCLE_CONFIG,
  ).light;

describe('evaluateLight (at Q3, 75% expected)', () => {
  it('judges the seed’s figures by the rule', () => {
    expect(light({ completion: 58.8 })).toBe('yellow'); // 回迁安置 588 of 1000: within 20 of 75, not within 5
    expect(light({ completion: 72.52 })).toBe('green'); // 老旧小区 开工率
    expect(light({ completion: 28.57 })).toBe('red'); // 留用地 开工项目 4 of 14
    expect(light({ completion: 70 })).toBe('green'); // exactly expected − 5
    expect(light({ completion: 54.9 })).toBe('red'); // just below expected − 20
  });

  it('reds what is suspended or grows below target, whatever else it says', () => {
    expect(light({ state: 'suspended' })).toBe('red');
    const targets = extractTargets('实现数字经济核心产业增加值增长10%以上');
    expect(
      evaluateLight(
        { quarter: 3, state: 'in_progress', completion: null, growth: -2.2, targets },
        DEFAULT_CYCLE_CONFIG,
      ),
    ).toEqual({
      light: 'red',
      expected: 75,
      reason: '增速 -2.2% 低于目标 10% / growth -2.2% below the 10% target',
    });
    expect(light({ growth: 12, targets })).toBe('green');
  });

  it('greens what is completed, and uses a milestone instead of the linear expectation', () => {
    expect(light({ state: 'completed', completion: null })).toBe('green');
    expect(light({ completion: 104.5 })).toBe('green');
    expect(light({ completion: 40, milestone: 40 })).toBe('green');
    expect(light({ completion: 40, quarter: 1 })).toBe('green');
  });

  it('takes the unit’s word where there is no figure', () => {
    expect(light({ state: 'on_track' })).toBe('green');
    expect(light({ state: 'behind' })).toBe('yellow');
  });

  it('says a completion over 100 is exceeded, with its cause when given', () => {
    const judge = (input: Partial<LightInput>) =>
      evaluateLight(
        { quarter: 3, state: 'in_progress', completion: null, growth: null, targets: [], ...input },
        DEFAULT_CYCLE_CONFIG,
      );
    expect(judge({ completion: 100 }).reason).toBe('已完成 / completed');
    expect(judge({ completion: 1154 })).toEqual({
      light: 'green',
      expected: 75,
      reason: '超额完成：完成率 1154% / exceeded: 1154%',
    });
    const exceeded = {
      by: 'target' as const,
      target: 0,
      metric: '申报市级高层次人才',
      achieved: 577,
      value: 50,
      unit: '人',
      rate: 1154,
    };
    expect(judge({ completion: 1154, exceeded }).reason).toBe(
      '超额完成：申报市级高层次人才 577/50人 / exceeded: 申报市级高层次人才 577/50人',
    );
    expect(judge({ completion: 112.47, exceeded: { by: 'stated', rate: 112.47 } }).reason).toBe(
      '超额完成：自报完成率 112.47% / exceeded: stated 112.47%',
    );
  });

  it('says a figure could not be compared, and goes by the unit’s word', () => {
    const incomparable = [
      {
        target: 0,
        metric: '交付安置房',
        value: 570000,
        unit: '平方米',
        figure: { value: 3200, unit: '套' },
        why: 'unit' as const,
      },
    ];
    expect(
      evaluateLight(
        { quarter: 3, state: 'in_progress', completion: null, growth: null, targets: [], incomparable },
        DEFAULT_CYCLE_CONFIG,
      ),
    ).toEqual({
      light: 'green',
      expected: 75,
      reason:
        '进度数字无法与目标相比（计量单位不同），按自报状态 / the figure cannot be set against its target (a different unit); as reported',
    });
    expect(light({ state: 'behind', incomparable })).toBe('yellow');
  });

  it('judges limits and reductions by their direction when asked (the import), and as before when not (task-cycles)', () => {
    const unemployment = extractTargets('城镇调查失业率控制在5.5%以内');
    const over = {
      quarter: 3 as const,
      state: 'in_progress' as const,
      completion: null,
      growth: null,
      targets: unemployment,
    };
    const limits = [{ target: 0, achieved: 6.1, unit: '%', within: false }];
    expect(evaluateLight({ ...over, limits }, DEFAULT_CYCLE_CONFIG, { directions: true })).toEqual({
      light: 'red',
      expected: 75,
      reason: '超出上限：城镇调查失业率 6.1%，上限 5.5% / over the limit: 城镇调查失业率 6.1%, limit 5.5%',
    });
    expect(evaluateLight({ ...over, limits }, DEFAULT_CYCLE_CONFIG).light).toBe('green');
    expect(
      evaluateLight({ ...over, limits: [{ ...limits[0]!, achieved: 5.1, within: true }] }, DEFAULT_CYCLE_CONFIG, {
        directions: true,
      }).reason,
    ).toMatch(/^在上限以内/);
    const energy = extractTargets('单位地区生产总值能耗下降3%以上');
    const reduced = (growth: number) =>
      evaluateLight({ ...over, targets: energy, growth }, DEFAULT_CYCLE_CONFIG, { directions: true }).light;
    expect(reduced(-1.2)).toBe('red'); // down 1.2%, 3% asked
    expect(reduced(-4)).toBe('green');
    expect(reduced(0.5)).toBe('red'); // it rose
    expect(evaluateLight({ ...over, targets: energy, growth: -1.2 }, DEFAULT_CYCLE_CONFIG).light).toBe('green');
  });
});

describe('expectedProgress (a month of a plan reporting monthly)', () => {
  it('goes from the previous quarter’s end to this quarter’s in thirds', () => {
    const at = (month: number, milestone?: number) =>
      expectedProgress(
        { quarter: Math.ceil(month / 3) as 1 | 2 | 3 | 4, month, ...(milestone !== undefined ? { milestone } : {}) },
        DEFAULT_CYCLE_CONFIG,
      );
    expect([1, 2, 3, 7, 8, 9, 12].map((m) => at(m))).toEqual([8.3, 16.7, 25, 58.3, 66.7, 75, 100]);
    // A quarter's milestone is where its last month arrives: 40% by September from 50% at June's end is no fall.
    expect([at(7, 60), at(8, 60), at(9, 60)]).toEqual([53.3, 56.7, 60]);
    expect(expectedProgress({ quarter: 3 }, DEFAULT_CYCLE_CONFIG)).toBe(75);
  });

  it('judges a month against it: 60% is green in July and yellow in September', () => {
    const input = (month: number): LightInput => ({
      quarter: 3,
      month,
      state: 'in_progress',
      completion: 60,
      growth: null,
      targets: extractTargets('回迁安置1000户'),
    });
    expect(evaluateLight(input(7), DEFAULT_CYCLE_CONFIG)).toMatchObject({ light: 'green', expected: 58.3 });
    expect(evaluateLight(input(9), DEFAULT_CYCLE_CONFIG)).toMatchObject({ light: 'yellow', expected: 75 });
  });
});
