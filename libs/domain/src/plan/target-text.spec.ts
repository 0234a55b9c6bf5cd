import { describe, expect, it } from '@jest/globals';
import { extractTargets } from './targets.parser.js';
import { formatAmount, targetText } from './target-text.js';

const zh = (content: string) => extractTargets(content).map((t) => targetText(t, 'zh-CN'));

describe('targetText', () => {
  it('writes a target as the plan does, never with the parser’s "="', () => {
    expect(zh('回迁安置1000户以上')).toEqual(['回迁安置1000户以上']);
    expect(zh('道路建设94条')).toEqual(['道路建设94条']);
    expect(zh('地区生产总值增长6.5%以上')).toEqual(['地区生产总值增长6.5%以上']);
    expect(
      targetText({ metric: 'PM2.5浓度', value: 35, unit: '微克/立方米', comparator: '≤', kind: 'level' }, 'zh-CN'),
    ).toBe('PM2.5浓度35微克/立方米以下');
    for (const text of zh('新增公共停车泊位550个，开工及续建3000个，竣工安置房14万平方米')) {
      expect(text).not.toMatch(/[=≥≤≈]/);
    }
    expect(zh('竣工安置房14万平方米')).toEqual(['竣工安置房14万平方米']);
  });

  it('says a rate of change once, and "左右" for an approximate figure', () => {
    const target = {
      metric: '数字经济核心产业增加值增长',
      value: 15,
      unit: '%',
      comparator: '≥',
      kind: 'growth',
    } as const;
    expect(targetText(target, 'zh-CN')).toBe('数字经济核心产业增加值增长15%以上');
    expect(
      targetText({ metric: '单位GDP能耗', value: 3, unit: '%', comparator: '≈', kind: 'reduction' }, 'zh-CN'),
    ).toBe('单位GDP能耗下降3%左右');
  });

  it('keeps the comparator sign on the English side, with no "=" for an exact figure', () => {
    expect(targetText({ metric: '回迁安置', value: 1000, unit: '户', comparator: '≥', kind: 'quantity' }, 'en')).toBe(
      '回迁安置 ≥ 1000户',
    );
    expect(targetText({ metric: '道路建设', value: 94, unit: '条', comparator: '=', kind: 'quantity' }, 'en')).toBe(
      '道路建设 94条',
    );
  });
});

describe('formatAmount', () => {
  it('writes large amounts in 万 and 亿', () => {
    expect(formatAmount(264200)).toBe('26.42万');
    expect(formatAmount(5e9)).toBe('50亿');
    expect(formatAmount(588)).toBe('588');
  });
});
