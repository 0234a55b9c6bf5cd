import { describe, expect, it } from '@jest/globals';
import { columnRoleOf } from './columns.js';
import { datedMilestones, milestoneQuarterOf, readMilestone } from './milestones.js';
import { extractTargets } from './targets.parser.js';

describe('milestones (节点)', () => {
  it('reads a quarter column as a milestone, and its report column as progress', () => {
    for (const header of ['一季度', '第二季度', '三季度目标', '四季度节点', '第三季度计划', 'Q3']) {
      expect([header, columnRoleOf(header)]).toEqual([header, 'milestone']);
    }
    for (const header of ['三季度完成情况', '第三季度进展情况', '二季度进展']) {
      expect([header, columnRoleOf(header)]).toEqual([header, 'progress']);
    }
    expect(columnRoleOf('时间节点')).toBe('deadline');
    expect(['一季度', '第二季度目标', '三季度', '四季度节点', 'q4'].map(milestoneQuarterOf)).toEqual([1, 2, 3, 4, 4]);
    expect(milestoneQuarterOf('上半年')).toBeUndefined();
  });

  it('expects a stated rate, or the figures against the targets, and nothing in numbers for a node in words', () => {
    const targets = extractTargets('回迁安置1000户以上，新建道路20条');
    expect(readMilestone(3, '回迁安置400户，新建道路10条', targets)).toEqual({
      quarter: 3,
      text: '回迁安置400户，新建道路10条',
      expected: 40,
    });
    expect(readMilestone(2, '完成总工程量的30%', targets)?.expected).toBe(30);
    expect(readMilestone(1, '15%', [])?.expected).toBe(15);
    expect(readMilestone(2, '6月底前完成主体结顶', targets)).toEqual({
      quarter: 2,
      text: '6月底前完成主体结顶',
      expected: null,
    });
    expect(readMilestone(4, '回迁安置1200户', targets)?.expected).toBe(100);
    for (const nothing of ['', ' ', '/', '—', '无']) expect(readMilestone(1, nothing, targets)).toBeNull();
  });

  it('reads the dated nodes of a 时间节点 cell as the milestones of their quarters', () => {
    const targets = extractTargets('新建学校1所，回迁安置1000户以上');
    expect(datedMilestones('6月底前完成主体结顶，9月底前竣工验收；12月底前投入使用', targets, 2020)).toEqual([
      { quarter: 2, text: '6月底前完成主体结顶', expected: null },
      { quarter: 3, text: '9月底前竣工验收', expected: null },
      { quarter: 4, text: '12月底前投入使用', expected: null },
    ]);
    // Numbered items, Chinese month numerals, a day of the month; figures against the targets.
    expect(datedMilestones('（1）三月底前完成选址；（2）2020年8月15日前回迁安置400户', targets, 2020)).toEqual([
      { quarter: 1, text: '三月底前完成选址', expected: null },
      { quarter: 3, text: '2020年8月15日前回迁安置400户', expected: 40 },
    ]);
    // Two nodes of one quarter join; the higher expectation stands.
    expect(datedMilestones('4月底前回迁安置200户，6月底前回迁安置500户', targets, null)).toEqual([
      { quarter: 2, text: '4月底前回迁安置200户；6月底前回迁安置500户', expected: 50 },
    ]);
  });

  it('takes a date alone as the deadline, and leaves out another year’s node', () => {
    const targets = extractTargets('新建学校1所');
    for (const deadline of [
      '2020年12月底前',
      '12月底',
      '2020-12-31',
      '年底前完成',
      '三个月内完成',
      '6月30号前',
      '6月三十日前',
      '12月中下旬',
      '坚持一月一调度',
      '112月',
    ])
      expect([deadline, datedMilestones(deadline, targets, 2020)]).toEqual([deadline, []]);
    expect(datedMilestones('2021年3月底前投入使用', targets, 2020)).toEqual([]);
    // A node without a year is of the year named before it.
    expect(datedMilestones('2021年3月底前立项，6月底前开工', targets, 2020)).toEqual([]);
    expect(datedMilestones('2019年12月已立项，2020年6月底前开工', targets, 2020)).toEqual([
      { quarter: 2, text: '2020年6月底前开工', expected: null },
    ]);
    expect(datedMilestones('2021年3月底前投入使用', targets, null)).toEqual([
      { quarter: 1, text: '2021年3月底前投入使用', expected: null },
    ]);
  });
});
