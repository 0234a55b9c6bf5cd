import { describe, expect, it } from '@jest/globals';
import { WorkingDayCalendar } from '../calendar/working-day-calendar.js';
import { parseQuarter } from '../quarter.js';
import { DEFAULT_CYCLE_CONFIG } from './cycle-config.js';
import { computeCycleSchedule } from './cycle-schedule.js';

// The State Council's 2020 notice, October part: 1–8 October off, make-up Sunday 27 September and Saturday 10 October.
const calendar = new WorkingDayCalendar({
  years: [2020],
  holidays: Object.fromEntries(['01', '02', '03', '04', '05', '06', '07', '08'].map((d) => [`2020-10-${d}`, '国庆节'])),
  workdays: { '2020-09-27': '国庆节', '2020-10-10': '国庆节' },
});

describe('computeCycleSchedule', () => {
  it('lays out 2020-Q3 by working days, around the National Day holiday', () => {
    expect(computeCycleSchedule(parseQuarter('2020Q3'), DEFAULT_CYCLE_CONFIG, calendar)).toEqual({
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
});
