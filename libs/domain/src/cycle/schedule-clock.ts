/**
 * From calendar dates to instants, the form workflows take their timers in.
 * A real cycle fires on the day in China (UTC+8) at the configured hour. A
 * rehearsal compresses time: one working day lasts `daySeconds`, counted
 * from the rehearsal's start, so the same schedule plays out in minutes.
 */
import type { WorkingDayCalendar } from '../calendar/working-day-calendar.js';
import type { CycleSchedule } from './cycle-schedule.js';

export type ClockMode = { kind: 'real'; hour: number } | { kind: 'rehearsal'; startedAt: string; daySeconds: number };

export interface ScheduleInstants {
  opensAt: string;
  coUnitDeadlineAt: string;
  leadDeadlineAt: string;
  leadReminders: { at: string; workingDaysBefore: number }[];
  coUnitReminders: { at: string; workingDaysBefore: number }[];
  leaderCopiedAt: string;
  escalatedAt: string;
  leadOverdueAt: string[];
  coUnitOverdueAt: string[];
  closeAt: string;
  /** Length of one working day in this mode, for "every working day while overdue". */
  workingDayMs: number;
}

const CHINA_OFFSET_HOURS = 8;

export function scheduleInstants(
  schedule: CycleSchedule,
  calendar: WorkingDayCalendar,
  mode: ClockMode,
): ScheduleInstants {
  let at: (date: string) => string;
  let workingDayMs: number;
  if (mode.kind === 'real') {
    at = (date) => {
      const [y, m, d] = date.split('-').map(Number) as [number, number, number];
      return new Date(Date.UTC(y, m - 1, d, mode.hour - CHINA_OFFSET_HOURS)).toISOString();
    };
    workingDayMs = 86_400_000;
  } else {
    // Day 0 is the opening day; every later date sits at its working-day distance from it.
    const start = Date.parse(mode.startedAt);
    workingDayMs = mode.daySeconds * 1000;
    at = (date) => new Date(start + calendar.workingDaysBetween(schedule.opensOn, date) * workingDayMs).toISOString();
  }
  return {
    opensAt: at(schedule.opensOn),
    coUnitDeadlineAt: at(schedule.coUnitDeadline),
    leadDeadlineAt: at(schedule.leadDeadline),
    leadReminders: schedule.leadReminders.map((r) => ({ at: at(r.date), workingDaysBefore: r.workingDaysBefore })),
    coUnitReminders: schedule.coUnitReminders.map((r) => ({ at: at(r.date), workingDaysBefore: r.workingDaysBefore })),
    leaderCopiedAt: at(schedule.leaderCopiedOn),
    escalatedAt: at(schedule.escalatedOn),
    leadOverdueAt: schedule.leadOverdueOn.map(at),
    coUnitOverdueAt: schedule.coUnitOverdueOn.map(at),
    closeAt: at(schedule.closesOn),
    workingDayMs,
  };
}
