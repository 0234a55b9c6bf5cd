import { describe, expect, it } from '@jest/globals';
import { calendar2020 } from '../calendar/notice-2020.fixture.js';
import { DomainError } from '../domain-error.js';
import {
  instructionDaysLate,
  instructionDueOn,
  instructionOverdue,
  instructionSteps,
  isBareAcknowledgement,
} from './instruction.js';

describe('isBareAcknowledgement', () => {
  it.each(['阅', '阅。', ' 已阅 ', '圈阅', '阅示', '已阅知', '阅悉', '知悉', '王阅', '张明阅。', '王伟同志已阅'])(
    'reads %p as a bare 阅',
    (text) => {
      expect(isBareAcknowledgement(text)).toBe(true);
    },
  );

  it.each([
    '请阅处',
    '阅，请抓紧落实',
    '请加快推进',
    '已阅，月底前报进展',
    '同意',
    '阅后请区住建局牵头研究',
    '请查阅',
    '尽快审阅',
    '请传阅',
    '抓紧阅',
  ])('reads %p as an instruction that asks for an answer', (text) => {
    expect(isBareAcknowledgement(text)).toBe(false);
  });
});

describe('instructionDueOn', () => {
  it('counts working days on the calendar, make-up days included and holidays left out', () => {
    // Friday 9 October 2020, then Saturday the 10th (国庆节调休, a working day) and Monday the 12th.
    expect(instructionDueOn(calendar2020, '2020-10-09', 2)).toBe('2020-10-12');
    // 30 September, then the National Day holiday (1–8 October) is skipped.
    expect(instructionDueOn(calendar2020, '2020-09-30', 1)).toBe('2020-10-09');
  });

  it.each([0, 31, 2.5, Number.NaN])('refuses %p working days naming the field', (days) => {
    let thrown: unknown;
    try {
      instructionDueOn(calendar2020, '2020-10-09', days);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(DomainError);
    expect(thrown).toMatchObject({ code: 'INVALID_INPUT', details: { issues: [{ path: 'workingDays' }] } });
  });
});

describe('instructionOverdue', () => {
  it('is overdue only when an answer is owed and its day has passed', () => {
    expect(instructionOverdue('2020-10-12', 'owed', '2020-10-12')).toBe(false);
    expect(instructionOverdue('2020-10-12', 'owed', '2020-10-13')).toBe(true);
    expect(instructionOverdue('2020-10-12', 'responded', '2020-10-13')).toBe(false);
    expect(instructionOverdue(null, 'none', '2020-10-13')).toBe(false);
  });
});

describe('instructionSteps', () => {
  it('reminds the day before and on the day, then three working days late, each at the morning in China', () => {
    // Written Monday 28 September 2020, due 9 October (the National Day holiday between).
    const steps = instructionSteps(calendar2020, '2020-09-28', '2020-10-09', 9);
    expect(steps.map((s) => [s.step, s.on])).toEqual([
      ['before', '2020-09-30'],
      ['due', '2020-10-09'],
      ['late:1', '2020-10-10'],
      ['late:2', '2020-10-12'],
      ['late:3', '2020-10-13'],
    ]);
    expect(steps[1]!.at).toBe('2020-10-09T01:00:00.000Z');
    expect(steps.map((s) => instructionDaysLate(s.step))).toEqual([0, 0, 1, 2, 3]);
  });

  it('leaves out a reminder that would fall on or before the day it was written', () => {
    // One working day: Monday 12 October for Tuesday the 13th.
    const steps = instructionSteps(calendar2020, '2020-10-12', '2020-10-13', 9);
    expect(steps.map((s) => s.step)).toEqual(['due', 'late:1', 'late:2', 'late:3']);
  });
});
