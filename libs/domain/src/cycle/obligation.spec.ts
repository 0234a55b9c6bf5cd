import { describe, expect, it } from '@jest/globals';
import { calendar2020 } from '../calendar/notice-2020.fixture.js';
import { daysLate, dueSteps, nextStepAt, obligationFromDays, stepId } from './obligation.js';
import { parseQuarter } from '../quarter.js';
import { DEFAULT_CYCLE_CONFIG } from './cycle-config.js';
import { computeCycleSchedule } from './cycle-schedule.js';
import type { ClockMode } from './schedule-clock.js';
import { cycleDate } from './working-day-clock.js';
import { dayIndexOf, morningOf, workingDaysAfterOnGrid } from './working-day-grid.js';

const calendar = calendar2020;

describe('the working-day grid', () => {
  const grid = (clock: ClockMode) => ({ clock, days: schedule.workingDays });
  const schedule = computeCycleSchedule(parseQuarter('2020Q3'), DEFAULT_CYCLE_CONFIG, calendar);

  it('counts official working days at 09:00 China time in a real cycle', () => {
    // Returned on Wednesday 30 September 2020 at 15:00 China time: the holiday follows, then the make-up Friday/Saturday.
    expect(workingDaysAfterOnGrid(grid({ kind: 'real', hour: 9 }), '2020-09-30T07:00:00.000Z', 3)).toEqual([
      '2020-10-09T01:00:00.000Z',
      '2020-10-10T01:00:00.000Z',
      '2020-10-12T01:00:00.000Z',
    ]);
    // Before that morning's 09:00 it is still the same day: the day itself never counts.
    expect(dayIndexOf(grid({ kind: 'real', hour: 9 }), '2020-10-09T00:30:00.000Z')).toBe(13);
    // A holiday counts as the working day before it.
    expect(dayIndexOf(grid({ kind: 'real', hour: 9 }), '2020-10-03T04:00:00.000Z')).toBe(12);
    expect(dayIndexOf(grid({ kind: 'real', hour: 9 }), '2020-09-14T04:00:00.000Z')).toBe(-1);
  });

  it('counts N seconds per working day in a rehearsal, and maps instants back to simulated days', () => {
    const clock = { kind: 'rehearsal' as const, startedAt: '2026-11-26T10:00:00.000Z', daySeconds: 2 };
    // 1.5 s into the rehearsal is still its first day: the next two mornings are at 2 s and 4 s.
    expect(workingDaysAfterOnGrid(grid(clock), '2026-11-26T10:00:01.500Z', 2)).toEqual([
      '2026-11-26T10:00:02.000Z',
      '2026-11-26T10:00:04.000Z',
    ]);
    expect(morningOf(grid(clock), 17)).toBe('2026-11-26T10:00:34.000Z');
    expect(cycleDate('2026-11-26T10:00:00.500Z', '2020-09-15', clock, calendar)).toBe('2020-09-15');
    expect(cycleDate('2026-11-26T10:00:34.000Z', '2020-09-15', clock, calendar)).toBe('2020-10-14');
    expect(cycleDate('2020-10-14T01:00:00.000Z', '2020-09-15', { kind: 'real', hour: 9 }, calendar)).toBe('2020-10-14');
  });

  it('clamps days past its end to its last day', () => {
    const g = grid({ kind: 'real', hour: 9 });
    expect(morningOf(g, 10_000)).toBe(morningOf(g, g.days.length - 1));
  });
});

describe('obligation', () => {
  const days = ['2020-01-01T00:00:01.000Z', '2020-01-01T00:00:02.000Z', '2020-01-01T00:00:03.000Z'].concat([
    '2020-01-01T00:00:04.000Z',
    '2020-01-01T00:00:05.000Z',
  ]);
  const at = (s: number) => Date.parse('2020-01-01T00:00:00.000Z') + s * 1000;
  const returned = obligationFromDays({
    key: 'lead-2',
    party: 'lead',
    unitId: 'u1',
    days,
    workingDays: 2,
    remindersBefore: [3, 1],
    createdAt: '2020-01-01T00:00:00.000Z',
  });

  it('is due on the n-th day, reminded the day before and on the morning, overdue each day after', () => {
    expect(returned.deadlineAt).toBe(days[1]);
    expect(returned.reminders).toEqual([
      { at: days[0], workingDaysBefore: 1 },
      { at: days[1], workingDaysBefore: 0 },
    ]);
    expect(returned.overdueAt).toEqual(days.slice(2));
  });

  it('says which steps are due, skips those done, and counts the days late', () => {
    expect(dueSteps(returned, at(0.5))).toEqual([]);
    expect(nextStepAt(returned)).toBe(days[0]);
    const due = dueSteps(returned, at(3));
    expect(due.map(stepId)).toEqual(['remind:1', 'remind:0', 'overdue:1']);
    const done = { ...returned, done: due.map(stepId) };
    expect(dueSteps(done, at(3))).toEqual([]);
    expect(nextStepAt(done)).toBe(days[3]);
    expect(daysLate(done, at(4))).toBe(2);
    expect(dueSteps({ ...done, settledAt: days[2]! }, at(5))).toEqual([]);
  });

  it('leaves out reminders that are already past when it arises, and refuses a deadline beyond the days known', () => {
    const late = obligationFromDays({
      key: 'x',
      party: 'co',
      unitId: null,
      days,
      workingDays: 3,
      remindersBefore: [1],
      createdAt: days[1]!,
    });
    expect(late.reminders).toEqual([{ at: days[2], workingDaysBefore: 0 }]);
    expect(() =>
      obligationFromDays({
        key: 'y',
        party: 'co',
        unitId: null,
        days,
        workingDays: 6,
        remindersBefore: [],
        createdAt: days[0]!,
      }),
    ).toThrow(RangeError);
  });
});
