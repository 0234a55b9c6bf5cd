import { describe, expect, it } from '@jest/globals';
import { calendar2020 } from '../calendar/notice-2020.fixture.js';
import { parseQuarter } from '../quarter.js';
import { DEFAULT_CYCLE_CONFIG } from './cycle-config.js';
import { computeCycleSchedule } from './cycle-schedule.js';
import { scheduleInstants } from './schedule-clock.js';

const calendar = calendar2020;
const schedule = computeCycleSchedule(parseQuarter('2020Q3'), DEFAULT_CYCLE_CONFIG, calendar);

describe('scheduleInstants', () => {
  it('fires a real cycle at 09:00 China time on each date', () => {
    const instants = scheduleInstants(schedule, calendar, { kind: 'real', hour: 9 });
    expect(instants.leadDeadlineAt).toBe('2020-10-14T01:00:00.000Z');
    expect(instants.leadReminders.map((r) => r.at)).toEqual([
      '2020-10-10T01:00:00.000Z',
      '2020-10-13T01:00:00.000Z',
      '2020-10-14T01:00:00.000Z',
    ]);
    expect(instants.workingDayMs).toBe(86_400_000);
  });

  it('compresses a rehearsal: one working day = N seconds, holidays take no time', () => {
    const instants = scheduleInstants(schedule, calendar, {
      kind: 'rehearsal',
      startedAt: '2026-11-26T10:00:00.000Z',
      daySeconds: 2,
    });
    // 2020-09-15 → 2020-10-14 is 17 working days (the 8 holiday days are skipped, the two make-up days count)
    expect(calendar.workingDaysBetween('2020-09-15', '2020-10-14')).toBe(17);
    expect(instants.opensAt).toBe('2026-11-26T10:00:00.000Z');
    expect(instants.leadDeadlineAt).toBe('2026-11-26T10:00:34.000Z');
    expect(instants.coUnitDeadlineAt).toBe('2026-11-26T10:00:30.000Z');
    expect(instants.escalatedAt).toBe('2026-11-26T10:00:40.000Z');
    expect(instants.workingDayMs).toBe(2000);
  });
});
