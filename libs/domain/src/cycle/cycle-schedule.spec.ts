import { describe, expect, it } from '@jest/globals';
import { calendar2020 } from '../calendar/notice-2020.fixture.js';
import { parseQuarter } from '../quarter.js';
import { DEFAULT_CYCLE_CONFIG } from './cycle-config.js';
import { computeCycleSchedule } from './cycle-schedule.js';

const calendar = calendar2020;

describe('computeCycleSchedule', () => {
  it('lays out 2020-Q3 by working days, around the National Day holiday', () => {
    const { workingDays, ...schedule } = computeCycleSchedule(parseQuarter('2020Q3'), DEFAULT_CYCLE_CONFIG, calendar);
    // The grid the task-cycles count on: day 0 the opening, day 17 the deadline, 45 working days past the close.
    expect(workingDays.slice(0, 3)).toEqual(['2020-09-15', '2020-09-16', '2020-09-17']);
    expect(workingDays.slice(12, 16)).toEqual(['2020-09-30', '2020-10-09', '2020-10-10', '2020-10-12']);
    expect(workingDays[17]).toBe('2020-10-14');
    expect(workingDays.indexOf('2020-10-28')).toBe(27);
    expect(workingDays).toHaveLength(27 + 1 + 45);
    expect(schedule).toEqual({
      quarter: '2020Q3',
      opensOn: '2020-09-15',
      coUnitDeadline: '2020-10-12',
      leadDeadline: '2020-10-14',
      leadReminders: [
        { date: '2020-10-10', kind: 'before', workingDaysBefore: 3 }, // the make-up Saturday
        { date: '2020-10-13', kind: 'before', workingDaysBefore: 1 },
        { date: '2020-10-14', kind: 'deadline-morning', workingDaysBefore: 0 },
      ],
      coUnitReminders: [
        { date: '2020-09-30', kind: 'before', workingDaysBefore: 3 }, // before the holiday
        { date: '2020-10-10', kind: 'before', workingDaysBefore: 1 },
        { date: '2020-10-12', kind: 'deadline-morning', workingDaysBefore: 0 },
      ],
      leaderCopiedOn: '2020-10-15',
      escalatedOn: '2020-10-19',
      leadOverdueOn: ['2020-10-15', '2020-10-16', '2020-10-19', '2020-10-20', '2020-10-21'].concat([
        '2020-10-22',
        '2020-10-23',
        '2020-10-26',
        '2020-10-27',
        '2020-10-28',
      ]),
      coUnitOverdueOn: ['2020-10-13', '2020-10-14', '2020-10-15', '2020-10-16', '2020-10-19', '2020-10-20'].concat([
        '2020-10-21',
        '2020-10-22',
        '2020-10-23',
        '2020-10-26',
        '2020-10-27',
        '2020-10-28',
      ]),
      closesOn: '2020-10-28',
      provisional: false,
    });
  });

  it('follows the plan configuration, and flags a schedule past the known calendar', () => {
    const schedule = computeCycleSchedule(
      parseQuarter('2020Q4'),
      { ...DEFAULT_CYCLE_CONFIG, leadDeadlineWorkingDay: 3, reminderWorkingDaysBefore: [2] },
      calendar,
    );
    expect(schedule).toMatchObject({ opensOn: '2020-12-15', leadDeadline: '2021-01-05', provisional: true });
    expect(schedule.leadReminders.map((r) => r.date)).toEqual(['2021-01-01', '2021-01-05']);
  });

  it('lays out one month for a plan reporting monthly: opens mid-month, due by the 5th working day of the next', () => {
    const july = computeCycleSchedule(parseQuarter('2020M07'), DEFAULT_CYCLE_CONFIG, calendar);
    expect([july.quarter, july.opensOn, july.coUnitDeadline, july.leadDeadline]).toEqual([
      '2020M07',
      '2020-07-15',
      '2020-08-05',
      '2020-08-07',
    ]);
    // September's is the quarter's own dates: the month and its quarter end together.
    const september = computeCycleSchedule(parseQuarter('2020M09'), DEFAULT_CYCLE_CONFIG, calendar);
    const q3 = computeCycleSchedule(parseQuarter('2020Q3'), DEFAULT_CYCLE_CONFIG, calendar);
    expect({ ...september, quarter: q3.quarter }).toEqual(q3);
  });
});
