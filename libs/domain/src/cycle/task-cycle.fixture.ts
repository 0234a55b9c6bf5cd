/**
 * Test fixture: one task-cycle of 2020-Q3 on a rehearsal clock of one second
 * per working day, with the people who act on it. Working days of 2020-Q3:
 * opens day 0 (09-15), co-unit deadline day 15 (10-12), lead deadline day 17
 * (10-14), lead reminders days 14/16/17, first day late 18 (leader copied),
 * 19 (backup told), 20 (督办单), close day 27 (10-28).
 */
import { calendar2020 } from '../calendar/notice-2020.fixture.js';
import { extractTargets } from '../plan/index.js';
import { parseQuarter } from '../quarter.js';
import { DEFAULT_CYCLE_CONFIG, type CycleConfig } from './cycle-config.js';
import { computeCycleSchedule } from './cycle-schedule.js';
import { scheduleInstants } from './schedule-clock.js';
import type { Actor, TaskCycleSetup } from './task-cycle.model.js';

export const REHEARSAL_START = '2026-01-05T00:00:00.000Z';
export const DAY = { coDeadline: 15, leadDeadline: 17, firstLate: 18, escalated: 20, close: 27 } as const;

/** The instant `fraction` into working day `day` of the rehearsal. */
export function onDay(day: number, fraction = 0.5): string {
  return new Date(Date.parse(REHEARSAL_START) + (day + fraction) * 1000).toISOString();
}

export function taskCycleSetup(
  options: { content?: string; coUnits?: number; config?: Partial<CycleConfig>; notices?: boolean } = {},
): TaskCycleSetup {
  const config = { ...DEFAULT_CYCLE_CONFIG, ...options.config };
  const schedule = computeCycleSchedule(parseQuarter('2020Q3'), config, calendar2020);
  const clock = { kind: 'rehearsal' as const, startedAt: REHEARSAL_START, daySeconds: 1 };
  const content = options.content ?? '回迁安置1000户以上';
  return {
    cycleId: 'cycle:plan:2020Q3:rehearsal',
    taskCycleId: 'task:t1:2020Q3:rehearsal',
    quarter: '2020Q3',
    config,
    instants: scheduleInstants(schedule, calendar2020, clock),
    grid: { clock, days: schedule.workingDays },
    task: {
      taskId: 't1',
      ordinal: 12,
      categoryName: '(十)加快城市开发建设',
      categoryId: 'cat10',
      content,
      targets: extractTargets(content),
      leadUnit: { id: 'lead', name: '区住建局' },
      coUnits: Array.from({ length: options.coUnits ?? 1 }, (_, i) => ({ id: `co${i + 1}`, name: `配合局${i + 1}` })),
    },
    ...(options.notices ? { notices: true } : {}),
  };
}

export const people = {
  reporter: { userId: 'r.lead', role: 'reporter', unitIds: ['lead'] },
  coReporter: { userId: 'r.co1', role: 'reporter', unitIds: ['co1'] },
  otherReporter: { userId: 'r.other', role: 'reporter', unitIds: ['other'] },
  supervisor: { userId: 'sup', role: 'supervisor', unitIds: [] },
  otherSupervisor: { userId: 'sup.other', role: 'supervisor', unitIds: ['other'] },
  coordinator: { userId: 'coord', role: 'coordinator', unitIds: [] },
} satisfies Record<string, Actor>;
