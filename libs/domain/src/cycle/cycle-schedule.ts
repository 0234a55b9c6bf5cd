/**
 * The timeline of one cycle (plan × quarter), computed once at cycle start
 * from the configuration and the working-day calendar, and handed to the
 * workflows as input: workflow code never computes a date or a duration.
 */
import type { WorkingDayCalendar } from '../calendar/working-day-calendar.js';
import { formatQuarter, type Quarter } from '../quarter.js';
import type { CycleConfig } from './cycle-config.js';
import { GRID_DAYS_AFTER_CLOSE } from './working-day-grid.js';

export type ReminderKind = 'before' | 'deadline-morning';

export interface ScheduledReminder {
  date: string;
  kind: ReminderKind;
  /** Working days before the deadline (0 on its morning). */
  workingDaysBefore: number;
}

export interface CycleSchedule {
  quarter: string;
  opensOn: string;
  coUnitDeadline: string;
  leadDeadline: string;
  /** Reminders to lead units before and on the deadline day, in date order. */
  leadReminders: ScheduledReminder[];
  /** Reminders to co-units for their input, in date order. */
  coUnitReminders: ScheduledReminder[];
  /** First working day late: the unit's leader is copied from here on. */
  leaderCopiedOn: string;
  /** The coordinator receives a 督办单 on this working day. */
  escalatedOn: string;
  /** The working days after the lead deadline up to the close, each one a day late. */
  leadOverdueOn: string[];
  /** The working days after the co-unit deadline up to the close. */
  coUnitOverdueOn: string[];
  /** The cycle closes and reports on this day, unless every task is approved before. */
  closesOn: string;
  /** True when a date falls in a year the calendar has no official notice for. */
  provisional: boolean;
  /**
   * The working days from the opening day (index 0) to GRID_DAYS_AFTER_CLOSE
   * past the close: the grid the task-cycles count deadlines on.
   */
  workingDays: string[];
}

function remindersFor(
  deadline: string,
  config: CycleConfig,
  calendar: WorkingDayCalendar,
): { reminders: ScheduledReminder[]; provisional: boolean } {
  let provisional = false;
  const before = [...new Set(config.reminderWorkingDaysBefore)]
    .filter((n) => n > 0)
    .sort((a, b) => b - a)
    .map((n) => {
      const answer = calendar.addWorkingDays(deadline, -n);
      provisional ||= answer.provisional;
      return { date: answer.date, kind: 'before' as const, workingDaysBefore: n };
    });
  return { reminders: [...before, { date: deadline, kind: 'deadline-morning', workingDaysBefore: 0 }], provisional };
}

export function computeCycleSchedule(
  quarter: Quarter,
  config: CycleConfig,
  calendar: WorkingDayCalendar,
): CycleSchedule {
  // A quarter's last month, or the month itself for a plan reporting monthly.
  const lastMonth = quarter.month ?? quarter.quarter * 3;
  const openDay = `${quarter.year}-${String(lastMonth).padStart(2, '0')}-${String(config.openDayOfLastMonth).padStart(2, '0')}`;
  const opens = calendar.isWorkingDay(openDay)
    ? { date: openDay, provisional: !calendar.isOfficial(openDay) }
    : calendar.addWorkingDays(openDay, 1);
  const [deadlineYear, deadlineMonth] = lastMonth === 12 ? [quarter.year + 1, 1] : [quarter.year, lastMonth + 1];
  const lead = calendar.nthWorkingDayOfMonth(deadlineYear, deadlineMonth, config.leadDeadlineWorkingDay);
  const coUnit = calendar.addWorkingDays(lead.date, -config.coUnitLeadWorkingDays);
  const leadReminders = remindersFor(lead.date, config, calendar);
  const coUnitReminders = remindersFor(coUnit.date, config, calendar);
  const leaderCopied = calendar.addWorkingDays(lead.date, config.leaderCopiedAfterWorkingDays);
  const escalated = calendar.addWorkingDays(lead.date, config.escalatedAfterWorkingDays);
  const after = (date: string, count: number) =>
    Array.from({ length: count }, (_, i) => calendar.addWorkingDays(date, i + 1));
  const leadOverdue = after(lead.date, config.closeAfterWorkingDays);
  const coUnitOverdue = after(coUnit.date, config.closeAfterWorkingDays + config.coUnitLeadWorkingDays);
  const closes = leadOverdue.at(-1) ?? lead;
  const gridLength = calendar.workingDaysBetween(opens.date, closes.date) + 1 + GRID_DAYS_AFTER_CLOSE;
  const workingDays = [opens.date, ...after(opens.date, gridLength - 1).map((a) => a.date)];
  return {
    quarter: formatQuarter(quarter),
    opensOn: opens.date,
    coUnitDeadline: coUnit.date,
    leadDeadline: lead.date,
    leadReminders: leadReminders.reminders,
    coUnitReminders: coUnitReminders.reminders,
    leaderCopiedOn: leaderCopied.date,
    escalatedOn: escalated.date,
    leadOverdueOn: leadOverdue.map((a) => a.date),
    coUnitOverdueOn: coUnitOverdue.map((a) => a.date),
    closesOn: closes.date,
    provisional:
      [opens, lead, coUnit, leaderCopied, escalated, closes].some((a) => a.provisional) ||
      leadReminders.provisional ||
      coUnitReminders.provisional,
    workingDays,
  };
}
