/**
 * An amended calendar re-plans a running task-cycle (`replanCalendar`): a
 * holiday declared on the lead deadline moves the deadline and every later
 * step by a working day; what is past stays; nothing is sent twice or moves
 * earlier.
 */
import { describe, expect, it } from '@jest/globals';
import { WorkingDayCalendar } from '../calendar/working-day-calendar.js';
import { parseQuarter } from '../quarter.js';
import { DEFAULT_CYCLE_CONFIG } from './cycle-config.js';
import { computeCycleSchedule } from './cycle-schedule.js';
import type { Obligation } from './obligation.js';
import { scheduleInstants, type ClockMode } from './schedule-clock.js';
import type { TaskCycleSetup } from './task-cycle.model.js';
import { advanceClock, openTaskCycle, replanCalendar } from './task-cycle.rules.js';
import { onDay, taskCycleSetup } from './task-cycle.fixture.js';
import { chinaDate } from './working-day-clock.js';
import { dayIndexOf } from './working-day-grid.js';

const notice = {
  years: [2020],
  holidays: Object.fromEntries(['01', '02', '03', '04', '05', '06', '07', '08'].map((d) => [`2020-10-${d}`, '国庆节'])),
  workdays: { '2020-09-27': '国庆节', '2020-10-10': '国庆节' },
};
const before = new WorkingDayCalendar(notice);
/** The amendment: 14 October (the lead deadline) declared a day off. */
const amended = new WorkingDayCalendar({ ...notice, holidays: { ...notice.holidays, '2020-10-14': '补充假日' } });

function onCalendar(calendar: WorkingDayCalendar, clock: ClockMode) {
  const schedule = computeCycleSchedule(parseQuarter('2020Q3'), DEFAULT_CYCLE_CONFIG, calendar);
  return { grid: { clock, days: schedule.workingDays }, instants: scheduleInstants(schedule, calendar, clock) };
}

function realSetup(): TaskCycleSetup {
  const clock: ClockMode = { kind: 'real', hour: 9 };
  return { ...taskCycleSetup(), ...onCalendar(before, clock) };
}

const lead = (obligations: Obligation[]) => obligations.find((o) => o.key === 'lead')!;
const dates = (instants: string[]) => instants.map((at) => chinaDate(at));

describe('replanCalendar', () => {
  it('moves a real cycle’s deadline declared a holiday, and every later step, by a working day', () => {
    const setup = realSetup();
    // 12 October, after the morning's reminder (3 working days before 14 October: 9 October has gone out).
    const at = '2020-10-12T03:00:00.000Z';
    let model = openTaskCycle(setup, '2020-09-15T01:00:00.000Z').model;
    model = advanceClock(setup, model, at).model;
    const sent = lead(model.obligations).done;
    expect(sent).toContain('remind:3');
    expect(chinaDate(model.view.currentDeadlineAt)).toBe('2020-10-14');

    const { setup: next, decision } = replanCalendar(setup, model, onCalendar(amended, setup.grid.clock), at);
    const replanned = lead(decision.model.obligations);
    expect(chinaDate(decision.model.view.currentDeadlineAt)).toBe('2020-10-15');
    expect(chinaDate(decision.model.view.leadDeadlineAt)).toBe('2020-10-15');
    expect(chinaDate(replanned.deadlineAt)).toBe('2020-10-15');
    // The reminders still to come count back from the new deadline; the one sent stays sent, never again.
    expect(replanned.done).toEqual(sent);
    expect(
      replanned.reminders
        .filter((r) => !replanned.done.includes(`remind:${r.workingDaysBefore}`))
        .map((r) => chinaDate(r.at)),
    ).toEqual(['2020-10-13', '2020-10-15']); // 14 October is a day off now
    // The overdue ladder starts the working day after the new deadline: 16 October, then 19, 20 …
    expect(dates(replanned.overdueAt).slice(0, 3)).toEqual(['2020-10-16', '2020-10-19', '2020-10-20']);
    // The co-units' deadline (12 October) has come already: it stays.
    expect(chinaDate(decision.model.view.coUnitDeadlineAt!)).toBe('2020-10-12');
    // The close moves with the lead deadline, never earlier.
    expect(Date.parse(next.instants.closeAt)).toBeGreaterThan(Date.parse(setup.instants.closeAt));
    // Recorded, told to the lead unit in its next digest, published.
    expect(decision.effects.map((e) => e.kind)).toEqual(['record', 'queue', 'publish']);
    const record = decision.effects[0]!;
    expect(record.kind === 'record' && record.event).toBe('calendar_replanned');
    expect(record.kind === 'record' && record.details.currentDeadlineAt).toMatchObject({
      fromDate: '2020-10-14',
      toDate: '2020-10-15',
    });
    const queued = decision.effects[1]!;
    expect(queued.kind === 'queue' && queued.facts.movedFrom).toBe('2020-10-14');
    // Nothing due at the amendment's instant fires twice on the next look at the clock.
    expect(advanceClock(next, decision.model, at).effects).toEqual([]);
  });

  it('in a rehearsal moves the days people see, and steps after the holiday by a working day', () => {
    const setup = taskCycleSetup();
    const at = onDay(10);
    const model = advanceClock(setup, openTaskCycle(setup, setup.instants.opensAt).model, at).model;
    const { setup: next, decision } = replanCalendar(setup, model, onCalendar(amended, setup.grid.clock), at);
    const dayOf = (instant: string, grid = next.grid) => grid.days[dayIndexOf(grid, instant)];
    expect(dayOf(model.view.currentDeadlineAt, setup.grid)).toBe('2020-10-14');
    expect(dayOf(decision.model.view.currentDeadlineAt)).toBe('2020-10-15');
    expect(dayOf(lead(decision.model.obligations).overdueAt[0]!)).toBe('2020-10-16');
    // Simulated time never runs back.
    expect(Date.parse(decision.model.view.currentDeadlineAt)).toBeGreaterThanOrEqual(
      Date.parse(model.view.currentDeadlineAt),
    );
  });

  it('moves a deadline the schedule set by its rule when a day before it is declared off', () => {
    const setup = realSetup();
    const at = '2020-10-09T03:00:00.000Z'; // 9 October, before the co-units' deadline (12 October)
    const model = advanceClock(setup, openTaskCycle(setup, '2020-09-15T01:00:00.000Z').model, at).model;
    const monday = new WorkingDayCalendar({ ...notice, holidays: { ...notice.holidays, '2020-10-12': '补充假日' } });
    const { decision } = replanCalendar(setup, model, onCalendar(monday, setup.grid.clock), at);
    // The 5th working day of October is 15 October now; the co-units' two working days before it, 13 October.
    expect(chinaDate(decision.model.view.currentDeadlineAt)).toBe('2020-10-15');
    expect(chinaDate(decision.model.view.coUnitDeadlineAt!)).toBe('2020-10-13');
    const co = decision.model.obligations.find((o) => o.party === 'co')!;
    expect(chinaDate(co.deadlineAt)).toBe('2020-10-13');
    // Each co-unit still owing hears of it, as the lead unit does.
    expect(decision.effects.filter((e) => e.kind === 'queue').map((e) => e.kind === 'queue' && e.owed)).toEqual([
      'progress',
      'input',
    ]);
  });

  it('changes nothing, records nothing, when the amendment falls outside what is still to come', () => {
    const setup = realSetup();
    const at = '2020-10-12T03:00:00.000Z';
    const model = advanceClock(setup, openTaskCycle(setup, '2020-09-15T01:00:00.000Z').model, at).model;
    // A day in September, already past, declared a holiday.
    const september = new WorkingDayCalendar({ ...notice, holidays: { ...notice.holidays, '2020-09-16': '补充假日' } });
    const { decision } = replanCalendar(setup, model, onCalendar(september, setup.grid.clock), at);
    expect(decision.effects).toEqual([]);
    expect(decision.model.view).toEqual(model.view);
    expect(decision.model.obligations).toEqual(model.obligations);
  });
});
