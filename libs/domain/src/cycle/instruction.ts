/**
 * 领导批示: a district leader's (区领导) instruction on one or more tasks. Unless it is a bare
 * acknowledgement ("阅"), it obliges each task's lead unit to answer in writing within a number of
 * working days, counted on the working-day calendar from the day it was written.
 */
import type { WorkingDayCalendar } from '../calendar/working-day-calendar.js';
import { DomainError } from '../domain-error.js';
import { chinaMorning } from './working-day-clock.js';

/** The working days a lead unit has to answer, unless the leader gives another number. */
export const INSTRUCTION_RESPONSE_WORKING_DAYS = 5;
/** Bounds of the working days a leader may give (1 … 30). */
export const INSTRUCTION_WORKING_DAYS_MAX = 30;
/** The longest instruction or response, in characters. */
export const INSTRUCTION_TEXT_MAX = 2000;
/** The most tasks one instruction names. */
export const INSTRUCTION_TASKS_MAX = 50;

/** What a task's lead unit owes on an instruction: nothing ('none', a bare 阅), an answer, or has answered. */
export type InstructionDuty = 'none' | 'owed' | 'responded';

/** The words of a bare acknowledgement, at the end of what a leader wrote. */
const ACKNOWLEDGED = /(已阅知|已阅悉|已阅|阅知|阅悉|知悉|圈阅|阅示|阅)$/u;
/** Words that make "…阅" an ask (请查阅, 尽快审阅, 请传阅, 抓紧阅), not a name before it. */
const ASKING = /[请速尽查审传抓批参再即拟要应须需催]/u;

/**
 * A bare acknowledgement creates no obligation: 阅, 已阅, 圈阅, 阅示, 阅悉, 知悉, alone or after the leader's name
 * (王阅, 王伟同志已阅), with or without a full stop. Anything else asks for an answer, "…阅" that asks someone
 * to read (请查阅, 尽快审阅, 请传阅) included.
 */
export function isBareAcknowledgement(text: string): boolean {
  const words = text.replace(/\s+/g, '').replace(/[。．.!！,，;；、]+$/u, '');
  const bare = ACKNOWLEDGED.exec(words);
  if (!bare) return false;
  const name = words.slice(0, bare.index).replace(/同志$/u, '');
  return name === '' || (/^\p{Script=Han}{1,3}$/u.test(name) && !ASKING.test(name));
}

/**
 * The day an answer is due: `workingDays` working days after `writtenOn` (yyyy-mm-dd), on the
 * calendar (a year without an official notice counts on its statutory days, provisionally). Errors:
 * INVALID_INPUT (workingDays not a whole number in 1 … 30), INVALID_DATE (writtenOn not a date).
 */
export function instructionDueOn(calendar: WorkingDayCalendar, writtenOn: string, workingDays: number): string {
  if (!Number.isInteger(workingDays) || workingDays < 1 || workingDays > INSTRUCTION_WORKING_DAYS_MAX) {
    throw new DomainError(
      'INVALID_INPUT',
      `回复期限应为 1 至 ${INSTRUCTION_WORKING_DAYS_MAX} 个工作日，收到 ${workingDays}`,
      `the answer's time should be 1 to ${INSTRUCTION_WORKING_DAYS_MAX} working days, got ${workingDays}`,
      { issues: [{ path: 'workingDays', message: `1 … ${INSTRUCTION_WORKING_DAYS_MAX}` }] },
    );
  }
  return calendar.addWorkingDays(writtenOn, workingDays).date;
}

/** Where an owed answer stands on `today`: due (today or later) or overdue (after its day). */
export function instructionOverdue(dueOn: string | null, duty: InstructionDuty, today: string): boolean {
  return duty === 'owed' && dueOn !== null && today > dueOn;
}

/** The working days late at which the 督查室 (and the leader who wrote it) are told of an unanswered instruction. */
export const INSTRUCTION_ESCALATED_AFTER_WORKING_DAYS = 3;

/**
 * The mail of an instruction's obligation: `written` at once to the owing unit; a reminder the working day
 * before (`before`) and on the morning of the day (`due`); then each working day late (`late:1` …), the
 * unit's leader copied from the first, its backup (AB角) from the second, and at the third the 督查室 and
 * the leader who wrote it told (the last step).
 */
export type InstructionStep = 'written' | 'before' | 'due' | `late:${number}`;

/**
 * When each reminder of an owed answer goes: its step, its day and the instant of that day's morning
 * (`hour` in China). A reminder that would fall on or before the day it was written is left out (the
 * `written` mail has just told them).
 */
export function instructionSteps(
  calendar: WorkingDayCalendar,
  writtenOn: string,
  dueOn: string,
  hour: number,
): { step: InstructionStep; on: string; at: string }[] {
  const days: { step: InstructionStep; on: string }[] = [
    { step: 'before', on: calendar.addWorkingDays(dueOn, -1).date },
    { step: 'due', on: dueOn },
  ];
  for (let late = 1; late <= INSTRUCTION_ESCALATED_AFTER_WORKING_DAYS; late += 1) {
    days.push({ step: `late:${late}`, on: calendar.addWorkingDays(dueOn, late).date });
  }
  return days.filter((d) => d.on > writtenOn).map((d) => ({ ...d, at: chinaMorning(d.on, hour) }));
}

/** Working days late of a step (`late:2` → 2; 0 for the others). */
export function instructionDaysLate(step: InstructionStep): number {
  return step.startsWith('late:') ? Number(step.slice(5)) : 0;
}
