import { describe, expect, it } from '@jest/globals';
import type {
  Decision,
  TaskCycleCommand,
  TaskCycleEffect,
  TaskCycleModel,
  TaskCycleSetup,
} from './task-cycle.model.js';
import {
  advanceClock,
  closeTaskCycle,
  decideCommand,
  isFinished,
  nextWakeAt,
  openTaskCycle,
  strikeOffTaskCycle,
  type CommandOutcome,
} from './task-cycle.rules.js';
import { validateCommand } from './task-cycle.validators.js';
import { dayIndexOf } from './working-day-grid.js';
import { DAY, onDay, people, taskCycleSetup } from './task-cycle.fixture.js';

/** A task-cycle driven through days and commands, keeping every effect. */
class Run {
  model: TaskCycleModel;
  readonly effects: { day: number; effect: TaskCycleEffect }[] = [];
  day = 0;

  constructor(readonly setup: TaskCycleSetup = taskCycleSetup()) {
    const opened = openTaskCycle(setup, onDay(0, 0.1));
    this.model = opened.model;
    this.keep(opened);
  }

  keep(decision: Decision): Decision {
    this.model = decision.model;
    for (const effect of decision.effects) this.effects.push({ day: this.day, effect });
    return decision;
  }

  /** The clock through the morning of each day up to `day` (steps fire on their day). */
  until(day: number): this {
    for (let d = this.day; d <= day; d += 1) {
      this.day = d;
      this.keep(advanceClock(this.setup, this.model, onDay(d, 0.01)));
    }
    return this;
  }

  send(command: TaskCycleCommand, fraction = 0.5): CommandOutcome {
    const outcome = decideCommand(this.setup, this.model, command, onDay(this.day, fraction));
    if (!('rejection' in outcome)) this.keep(outcome);
    return outcome;
  }

  accept(command: TaskCycleCommand): Decision {
    const outcome = this.send(command);
    if ('rejection' in outcome) throw new Error(`refused: ${outcome.rejection.en}`);
    return outcome;
  }

  refusal(command: TaskCycleCommand): string {
    const outcome = this.send(command);
    if (!('rejection' in outcome)) throw new Error(`accepted: ${command.kind}`);
    return outcome.rejection.code;
  }

  records(event?: string) {
    return this.effects
      .map((e) => ({ day: e.day, effect: e.effect }))
      .filter(
        (e): e is { day: number; effect: Extract<TaskCycleEffect, { kind: 'record' }> } => e.effect.kind === 'record',
      )
      .filter((e) => !event || e.effect.event === event);
  }

  queued(owed?: string) {
    return this.effects
      .filter(
        (e): e is { day: number; effect: Extract<TaskCycleEffect, { kind: 'queue' }> } => e.effect.kind === 'queue',
      )
      .filter((e) => !owed || e.effect.owed === owed);
  }

  mails(kind?: string) {
    return this.effects
      .filter((e): e is { day: number; effect: Extract<TaskCycleEffect, { kind: 'mail' }> } => e.effect.kind === 'mail')
      .filter((e) => !kind || e.effect.mail === kind);
  }
}

const submit = (narrative = '已完成回迁安置800户', extra: object = {}): TaskCycleCommand => ({
  kind: 'submitProgress',
  request: { actor: people.reporter, narrative, ...extra },
});
const approve = (comment?: string): TaskCycleCommand => ({
  kind: 'review',
  request: { actor: people.supervisor, decision: 'approve', ...(comment ? { comment } : {}) },
});
const giveBack = (comment = '请补充数据'): TaskCycleCommand => ({
  kind: 'review',
  request: { actor: people.supervisor, decision: 'return', reason: 'figures', comment },
});
/** The calendar date an instant stands for on the task-cycle's grid. */
const dateOf = (setup: TaskCycleSetup, at: string) => setup.grid.days[dayIndexOf(setup.grid, at)];

describe('opening a task-cycle (step 1)', () => {
  it('owes the lead unit its progress and each co-unit its input, and records the assignment', () => {
    const run = new Run();
    expect(run.model.obligations.map((o) => o.key)).toEqual(['lead', 'co:co1']);
    expect(run.records().map((r) => r.effect.event)).toEqual(['assigned']);
    expect(run.model.view).toMatchObject({
      status: 'assigned',
      submissions: 0,
      currentDeadlineAt: run.setup.instants.leadDeadlineAt,
    });
  });

  it("gives co-units their own deadline, the one their emails name (defect 6: a co-unit's page showed 10-14)", () => {
    const run = new Run();
    expect(dateOf(run.setup, run.model.view.coUnitDeadlineAt!)).toBe('2020-10-12');
    expect(dateOf(run.setup, run.model.view.currentDeadlineAt)).toBe('2020-10-14');
    expect(new Run(taskCycleSetup({ coUnits: 0 })).model.view.coUnitDeadlineAt).toBeNull();
  });
});

describe('the clock (steps 2–5)', () => {
  it('reminds 3 and 1 working days before and on the morning, then every working day late, each once', () => {
    const run = new Run(taskCycleSetup({ coUnits: 0 })).until(DAY.close - 1);
    // Asking the clock again at the same instant fires nothing twice.
    run.until(DAY.close - 1);
    const lead = run.queued('progress').map((q) => [q.day, q.effect.step]);
    expect(lead.slice(0, 6)).toEqual([
      [14, 'lead:remind:3'],
      [16, 'lead:remind:1'],
      [17, 'lead:remind:0'],
      [18, 'lead:overdue:1'],
      [19, 'lead:overdue:2'],
      [20, 'lead:overdue:3'],
    ]);
    expect(new Set(lead.map(([, step]) => step)).size).toBe(lead.length);
    expect(run.model.view).toMatchObject({ status: 'overdue', daysLate: DAY.close - 1 - DAY.leadDeadline });
  });

  it('copies the leader from the first day late, tells the backup from the second, issues a 督办单 on the third', () => {
    const run = new Run(taskCycleSetup({ coUnits: 0 })).until(DAY.escalated + 1);
    const roles = (day: number) =>
      run
        .queued('progress')
        .find((q) => q.day === day)!
        .effect.audiences.flatMap((a) => ('roles' in a ? a.roles : []));
    expect(roles(17)).toEqual(['reporter']);
    expect(roles(18)).toEqual(['reporter', 'leader']);
    expect(roles(19)).toEqual(['reporter', 'leader', 'backup']);
    expect(run.records('leader_copied').map((r) => r.day)).toEqual([18]);
    expect(run.mails('escalation').map((m) => [m.day, m.effect.step, m.effect.facts.cause])).toEqual([
      [20, 'lead:escalation', 'overdue'],
    ]);
    expect(run.model.view.escalations).toBe(1);
  });

  it('chases a co-unit before its own deadline and tells the lead unit once when it is late', () => {
    const run = new Run().until(DAY.coDeadline + 2);
    expect(run.queued('input').map((q) => [q.day, q.effect.step])).toEqual([
      [12, 'co:co1:remind:3'],
      [14, 'co:co1:remind:1'],
      [15, 'co:co1:remind:0'],
      [16, 'co:co1:overdue:1'],
      [17, 'co:co1:overdue:2'],
    ]);
    expect(run.queued('co_late').map((q) => [q.day, q.effect.audiences])).toEqual([
      [16, [{ unitId: 'lead', roles: ['reporter'] }]],
    ]);
    expect(run.records('input_late').map((r) => r.day)).toEqual([16]);
  });

  it('sends nothing for what is settled: no reminder after the report, no co-unit chase after its input', () => {
    const run = new Run().until(13);
    run.accept({ kind: 'submitInput', request: { actor: people.coReporter, unitId: 'co1', narrative: '已配合完成' } });
    run.accept(submit());
    run.until(DAY.close - 1);
    expect(run.queued('progress')).toEqual([]);
    expect(run.queued('input').map((q) => q.effect.step)).toEqual(['co:co1:remind:3']);
  });

  it('wakes for the next step, or the close when nothing else is due', () => {
    const run = new Run(taskCycleSetup({ coUnits: 0 }));
    expect(nextWakeAt(run.setup, run.model)).toBe(run.setup.instants.leadReminders[0]!.at);
    run.accept(submit());
    run.accept(approve());
    expect(isFinished(run.model)).toBe(true);
    expect(nextWakeAt(run.setup, run.model)).toBe(run.setup.instants.closeAt);
  });
});

describe('a submission and its review (steps 5–7)', () => {
  it('stores the report with its reading once and numbers it 第1版 (defect 7: the first was labelled 第3版)', () => {
    const run = new Run().until(5);
    const decision = run.accept(submit('已完成回迁安置588户'));
    expect(decision.store).toMatchObject({ kind: 'progress', sequence: 1, unitId: 'lead', actorId: 'r.lead' });
    expect(decision.store!.reading).toMatchObject({ completion: 58.8, state: expect.any(String) });
    expect(run.records('submitted')[0]!.effect).toMatchObject({
      details: { sequence: 1, completion: 58.8 },
      withVersion: true,
    });
    expect(run.model.view).toMatchObject({ status: 'submitted', submissions: 1, completion: 58.8 });
  });

  it('counts a report late by the deadline, even before the morning steps were carried out', () => {
    const run = new Run(taskCycleSetup({ coUnits: 0 })).until(DAY.leadDeadline);
    run.day = DAY.firstLate; // the clock's step of this morning not yet carried out
    run.accept(submit());
    expect(run.records('submitted')[0]!.effect.details).toMatchObject({ late: true });
  });

  it('gives supervisors 3 working days, a line in their digest, and the same ladder when they are late', () => {
    const run = new Run(taskCycleSetup({ coUnits: 0 })).until(5);
    run.accept(submit());
    run.until(10);
    expect(run.queued('review').map((q) => [q.day, q.effect.step])).toEqual([
      [5, 'submitted-1'],
      [7, 'review-1:remind:1'],
      [8, 'review-1:remind:0'],
      [9, 'review-1:overdue:1'],
      [10, 'review-1:overdue:2'],
    ]);
    run.until(11);
    expect(run.mails('escalation').map((m) => [m.day, m.effect.facts.cause])).toEqual([[11, 'review_overdue']]);
  });

  it('keeps the approval comment in the timeline and the email (defect 3)', () => {
    const run = new Run().until(5);
    run.accept(submit('已完成回迁安置600户'));
    run.accept(approve('数据详实，继续保持'));
    expect(run.records('approved')[0]!.effect.details).toMatchObject({
      comment: '数据详实，继续保持',
      light: 'yellow',
    });
    expect(run.mails('approval')[0]!.effect.facts).toMatchObject({ comment: '数据详实，继续保持', light: 'yellow' });
    expect(run.model.view).toMatchObject({ status: 'approved', light: 'yellow', expected: 75 });
  });

  it('says what was exceeded when a report goes past its target (not a bare 1154%)', () => {
    const run = new Run().until(5);
    run.accept(submit('已完成回迁安置1200户'));
    run.accept(approve());
    expect(run.model.view).toMatchObject({ light: 'green', completion: 120 });
    expect(run.model.view.lightReason).toContain('超额');
    expect(run.model.view.lightReason).toContain('1200');
  });

  it('says why a report gives no comparable completion, for the dashboard to count it apart', () => {
    const run = new Run(taskCycleSetup({ content: '研发经费投入占比达到3%', coUnits: 0 })).until(5);
    run.accept(submit('研发经费投入同比增长15%'));
    expect(run.model.view).toMatchObject({ completion: null, incomparableWhy: 'change' });
    run.accept(giveBack());
    run.accept(submit('研发经费投入占比达到2.4%'));
    expect(run.model.view).toMatchObject({ completion: 80, incomparableWhy: null });
  });

  it('judges limits and reductions by their direction in task-cycles of reading edition 2, and as before in older ones', () => {
    const lightOf = (content: string, narrative: string, readingEdition?: 1 | 2) => {
      const run = new Run({
        ...taskCycleSetup({ content, coUnits: 0 }),
        ...(readingEdition ? { readingEdition } : {}),
      }).until(5);
      run.accept(submit(narrative));
      run.accept(approve());
      return [run.model.view.light, run.model.view.lightReason];
    };
    expect(lightOf('城镇调查失业率控制在5.5%以内', '1-9月城镇调查失业率为6.1%。', 2)).toEqual([
      'red',
      '超出上限：城镇调查失业率 6.1%，上限 5.5% / over the limit: 城镇调查失业率 6.1%, limit 5.5%',
    ]);
    expect(lightOf('单位地区生产总值能耗下降3%以上', '1-9月单位地区生产总值能耗下降1.2%。', 2)[0]).toBe('red');
    expect(lightOf('生产安全事故死亡人数下降10%以上', '1-9月生产安全事故死亡人数同比下降25%。', 2)[0]).toBe('green');
    // Started before the patch: the light it always gave (the unit's word where no completion speaks).
    expect(lightOf('城镇调查失业率控制在5.5%以内', '1-9月城镇调查失业率为6.1%。')[0]).toBe('green');
    expect(lightOf('单位地区生产总值能耗下降3%以上', '1-9月单位地区生产总值能耗下降1.2%。', 1)[0]).toBe('green');
  });

  it('escalates a red light and owes a catch-up plan within 5 working days, chased like a report', () => {
    const run = new Run(taskCycleSetup({ coUnits: 0 })).until(5);
    run.accept(submit('已完成回迁安置100户'));
    run.accept(approve());
    expect(run.model.view).toMatchObject({ light: 'red', catchUp: 'due', escalations: 1 });
    expect(run.mails('escalation')[0]!.effect.facts.cause).toBe('red');
    expect(run.mails('catch_up')).toHaveLength(1);
    run.until(13);
    expect(run.queued('catch_up').map((q) => [q.day, q.effect.step])).toEqual([
      [7, 'catch-up:remind:3'],
      [9, 'catch-up:remind:1'],
      [10, 'catch-up:remind:0'],
      [11, 'catch-up:overdue:1'],
      [12, 'catch-up:overdue:2'],
      [13, 'catch-up:overdue:3'],
    ]);
    expect(run.mails('escalation').map((m) => m.effect.facts.cause)).toEqual(['red', 'catch_up_overdue']);
    expect(isFinished(run.model)).toBe(false);
    run.accept({ kind: 'submitCatchUpPlan', request: { actor: people.reporter, plan: '加快签约进度' } });
    expect(isFinished(run.model)).toBe(true);
  });
});

describe('a return (step 6)', () => {
  it('never gives less time than the unit had (defect 1: returned on 09-21, "请于9月23日前重新报送")', () => {
    const run = new Run(taskCycleSetup({ coUnits: 0 })).until(4);
    run.accept(submit());
    run.accept(giveBack());
    expect(run.model.view.currentDeadlineAt).toBe(run.setup.instants.leadDeadlineAt);
    expect(dateOf(run.setup, run.mails('return')[0]!.effect.facts.deadlineAt!)).toBe('2020-10-14');
    // Nothing overdue, no 督办单 before the unit's own deadline.
    run.until(DAY.leadDeadline);
    expect(run.records('overdue')).toEqual([]);
    expect(run.mails('escalation')).toEqual([]);
    expect(run.queued('progress').map((q) => [q.day, q.effect.step])).toEqual([
      [14, 'lead-2:remind:3'],
      [16, 'lead-2:remind:1'],
      [17, 'lead-2:remind:0'],
    ]);
  });

  it('gives the configured working days from the return when that is later than the deadline', () => {
    const run = new Run(taskCycleSetup({ coUnits: 0 })).until(16);
    run.accept(submit());
    run.accept(giveBack());
    expect(dateOf(run.setup, run.model.view.currentDeadlineAt)).toBe(run.setup.grid.days[18]);
    expect(run.model.view).toMatchObject({ status: 'returned', returns: 1, daysLate: 0 });
    expect(run.records('returned')[0]!.effect.details).toMatchObject({ reason: 'figures', comment: '请补充数据' });
  });

  it('keeps the figures typed with the report, for the resubmission to start from (defect 2)', () => {
    const run = new Run().until(5);
    const decision = run.accept(submit('已完成回迁安置600户', { figures: { '0': 600 }, declaredState: 'behind' }));
    expect(decision.store).toMatchObject({ figures: { '0': 600 }, reading: { state: 'behind' } });
    expect(run.refusal(submit('x', { figures: { '7': 1 } }))).toBe('WRONG_STATE');
    const fresh = new Run().until(5);
    expect(fresh.refusal(submit('x', { figures: { '7': 1 } }))).toBe('INVALID_INPUT');
    expect(fresh.refusal(submit('x', { figures: { '0': 'many' } }))).toBe('INVALID_INPUT');
    expect(fresh.refusal(submit('x', { figures: [600] }))).toBe('INVALID_INPUT');
  });

  it('counts every return and numbers the resubmission 第2版', () => {
    const run = new Run().until(5);
    run.accept(submit());
    run.accept(giveBack());
    const again = run.accept(submit('已完成回迁安置900户'));
    expect(again.store).toMatchObject({ sequence: 2 });
    expect(run.model.view).toMatchObject({ submissions: 2, returns: 1, status: 'submitted' });
  });
});

describe('extensions (step 8)', () => {
  const ask = (workingDays = 3): TaskCycleCommand => ({
    kind: 'requestExtension',
    request: { actor: people.reporter, workingDays, reason: '等待上级批复' },
  });
  const decide = (grant: boolean): TaskCycleCommand => ({
    kind: 'decideExtension',
    request: { actor: people.coordinator, grant, comment: '同意' },
  });

  it('moves the deadline later by the working days granted, counted from the deadline', () => {
    const run = new Run(taskCycleSetup({ coUnits: 0 })).until(10);
    run.accept(ask(3));
    expect(run.mails('extension')).toHaveLength(1);
    run.accept(decide(true));
    expect(dateOf(run.setup, run.model.view.currentDeadlineAt)).toBe(run.setup.grid.days[DAY.leadDeadline + 3]);
    run.until(DAY.leadDeadline + 3);
    expect(run.records('overdue')).toEqual([]);
  });

  it('leaves the deadline as it was when refused', () => {
    const run = new Run().until(10);
    run.accept(ask());
    run.accept(decide(false));
    expect(run.model.view).toMatchObject({
      extension: 'refused',
      currentDeadlineAt: run.setup.instants.leadDeadlineAt,
    });
  });

  it('is asked for only before the deadline, once at a time, within the longest allowed', () => {
    const run = new Run().until(10);
    expect(run.refusal(ask(11))).toBe('INVALID_INPUT');
    run.accept(ask());
    expect(run.refusal(ask())).toBe('WRONG_STATE');
    run.accept(decide(false));
    run.until(DAY.firstLate);
    expect(run.refusal(ask())).toBe('WRONG_STATE');
  });

  it('is withdrawn when the unit reports before the decision', () => {
    const run = new Run().until(10);
    run.accept(ask());
    run.accept(submit());
    expect(run.model.view.extension).toBe('withdrawn');
    expect(run.refusal(decide(true))).toBe('WRONG_STATE');
  });
});

describe('who may do what (validators)', () => {
  const run = () => new Run().until(5);

  it('refuses a report from another unit, from a supervisor, and a review from a reporter', () => {
    expect(run().refusal({ kind: 'submitProgress', request: { actor: people.otherReporter, narrative: 'x' } })).toBe(
      'WRONG_UNIT',
    );
    expect(run().refusal({ kind: 'submitProgress', request: { actor: people.supervisor, narrative: 'x' } })).toBe(
      'WRONG_ROLE',
    );
    const r = run();
    r.accept(submit());
    expect(r.refusal({ kind: 'review', request: { actor: people.reporter, decision: 'approve' } })).toBe('WRONG_ROLE');
    expect(r.refusal({ kind: 'review', request: { actor: people.otherSupervisor, decision: 'approve' } })).toBe(
      'WRONG_UNIT',
    );
  });

  it('refuses a review or an extension decision by someone who reports for the unit (a reporter who also supervises)', () => {
    const r = run();
    const both = { ...people.supervisor, userId: 'r.lead+sup', reportsFor: ['lead'] };
    r.accept(submit());
    expect(r.refusal({ kind: 'review', request: { actor: both, decision: 'approve' } })).toBe('WRONG_UNIT');
    const e = run();
    e.accept({ kind: 'requestExtension', request: { actor: people.reporter, workingDays: 2, reason: '等待批复' } });
    const coordinating = { ...people.coordinator, reportsFor: ['lead'] };
    expect(e.refusal({ kind: 'decideExtension', request: { actor: coordinating, grant: true } })).toBe('WRONG_UNIT');
    // The person who sent the report, now a supervisor with no unit of their own (moved to 督查室): refused.
    expect(
      r.refusal({
        kind: 'review',
        request: { actor: { ...people.supervisor, userId: people.reporter.userId }, decision: 'approve' },
      }),
    ).toBe('WRONG_UNIT');
    // A co-unit's reporter (or its leader, or backup: the directory counts them all) does not review the task either.
    const coStaff = { ...people.supervisor, userId: 'co1.leader+sup', reportsFor: ['co1'] };
    expect(r.refusal({ kind: 'review', request: { actor: coStaff, decision: 'approve' } })).toBe('WRONG_UNIT');
    // Reporting for another unit is no conflict.
    expect(
      r.send({ kind: 'review', request: { actor: { ...both, reportsFor: ['other'] }, decision: 'approve' } }),
    ).not.toHaveProperty('rejection');
  });

  it('lets a supervisor review by the units and categories of that role alone (one scope rule)', () => {
    const asSupervisor = (scope: { unitIds: string[]; categoryIds?: string[] }) => ({
      ...people.supervisor,
      userId: 'scoped',
      ...scope,
    });
    const outcome = (scope: { unitIds: string[]; categoryIds?: string[] }) => {
      const r = run();
      r.accept(submit());
      return r.send({ kind: 'review', request: { actor: asSupervisor(scope), decision: 'approve' } });
    };
    // A supervisor of category 11 only (not this task's 10): no unit list does not mean every unit.
    expect(outcome({ unitIds: [], categoryIds: ['cat11'] })).toMatchObject({ rejection: { code: 'WRONG_UNIT' } });
    // Of another unit only; of a co-unit only (a co-unit is no lead unit).
    expect(outcome({ unitIds: ['other'] })).toMatchObject({ rejection: { code: 'WRONG_UNIT' } });
    expect(outcome({ unitIds: ['co1'], categoryIds: [] })).toMatchObject({ rejection: { code: 'WRONG_UNIT' } });
    // Of the task's category, of the lead unit, of every unit: accepted.
    expect(outcome({ unitIds: [], categoryIds: ['cat10'] })).not.toHaveProperty('rejection');
    expect(outcome({ unitIds: ['lead'], categoryIds: ['cat11'] })).not.toHaveProperty('rejection');
    expect(outcome({ unitIds: [], categoryIds: [] })).not.toHaveProperty('rejection');
    // A command recorded before actors carried categories (no categoryIds) reads as it did: plan-wide.
    expect(outcome({ unitIds: [] })).not.toHaveProperty('rejection');
  });

  it('refuses a second review of one report, a return without a reason, and a report while one waits', () => {
    const r = run();
    r.accept(submit());
    expect(r.refusal(submit())).toBe('WRONG_STATE');
    expect(r.refusal({ kind: 'review', request: { actor: people.supervisor, decision: 'return' } })).toBe(
      'INVALID_INPUT',
    );
    r.accept(approve());
    expect(r.refusal(approve())).toBe('WRONG_STATE');
  });

  it('refuses empty, overlong and control-character text with the position, in Chinese and English', () => {
    expect(run().refusal(submit('   '))).toBe('INVALID_INPUT');
    expect(run().refusal(submit('x'.repeat(5001)))).toBe('INVALID_INPUT');
    const r = run();
    const outcome = r.send(submit('已完成\u0000回迁'));
    expect(outcome).toEqual({
      rejection: {
        code: 'INVALID_INPUT',
        zh: '进展情况 narrative 第4个字符（U+0000）不是可用的文字，请删除后重试',
        en: '进展情况 narrative has a character that is not text (U+0000) at position 4; remove it and retry',
      },
    });
    expect(r.model.view.submissions).toBe(0);
    expect(run().refusal(submit('完成\uD800'))).toBe('INVALID_INPUT');
    expect(run().refusal(submit('完成\u007F'))).toBe('INVALID_INPUT');
    // A character outside the basic plane (a surrogate pair) is text.
    expect(run().send(submit('完成𠀀项'))).not.toHaveProperty('rejection');
    // Line breaks and tabs are text.
    expect(run().send(submit('第一行\n第二行\t完成'))).not.toHaveProperty('rejection');
  });

  it('refuses malformed commands instead of throwing', () => {
    const r = run();
    const malformed = [
      { kind: 'submitProgress', request: null },
      { kind: 'submitProgress', request: { narrative: 'x' } },
      { kind: 'submitProgress', request: { actor: people.reporter, narrative: 'x', declaredState: 'bogus' } },
      { kind: 'submitProgress', request: { actor: people.reporter, narrative: 'x', completion: 'lots' } },
      { kind: 'nudge', request: { actor: people.coordinator, comment: 42 } },
      { kind: 'explode', request: { actor: people.coordinator } },
    ] as unknown as TaskCycleCommand[];
    for (const command of malformed) {
      expect(validateCommand(r.setup, r.model, command, onDay(5))).toMatchObject({ code: 'INVALID_INPUT' });
    }
  });

  it('lets a coordinator nudge the unit, or the supervisor while a report waits, numbered', () => {
    const r = run();
    r.accept({ kind: 'nudge', request: { actor: people.coordinator } });
    r.accept(submit());
    r.accept({ kind: 'nudge', request: { actor: people.coordinator, comment: '请尽快审核' } });
    expect(r.mails('nudge').map((m) => [m.effect.sequence, m.effect.audiences])).toEqual([
      [1, [{ unitId: 'lead', roles: ['reporter', 'leader'] }]],
      [2, [{ role: 'supervisor', unitId: 'lead' }]],
    ]);
    r.accept(approve());
    expect(r.refusal({ kind: 'nudge', request: { actor: people.coordinator } })).toBe('WRONG_STATE');
  });
});

describe('the close (step 9)', () => {
  it('settles everything, records the outcome and refuses every command after', () => {
    const run = new Run().until(DAY.close);
    const closed = closeTaskCycle(run.setup, run.model, onDay(DAY.close));
    run.model = closed.model;
    expect(closed.effects).toEqual([
      expect.objectContaining({
        kind: 'record',
        event: 'closed',
        details: { outcome: 'overdue', light: null, early: false },
      }),
    ]);
    expect(run.model.obligations.every((o) => o.settledAt)).toBe(true);
    expect(run.refusal(submit())).toBe('WRONG_STATE');
    expect(advanceClock(run.setup, run.model, onDay(DAY.close + 5)).effects).toEqual([]);
  });
});

describe('督办单 to the lead unit (step 5, task-cycles with notices)', () => {
  const notice = (action: string, actor: object, text?: string, seq = 1): TaskCycleCommand =>
    ({
      kind: 'notice',
      request: { actor, notice: seq, action, ...(text !== undefined ? { text } : {}) },
    }) as TaskCycleCommand;

  it('issues it to the reporter and leader at the ladder step; the 督查室 hears of it in its digest, not by a mail', () => {
    const setup = taskCycleSetup({ coUnits: 0, notices: true });
    const run = new Run(setup).until(DAY.escalated + 1);
    const issued = run.records('notice_issued');
    expect(issued.map((r) => r.day)).toEqual([DAY.escalated]);
    expect(issued[0]!.effect.details).toMatchObject({ notice: 1, cause: 'overdue', state: 'issued', daysLate: 3 });
    // The written reply is due three working days after the issue.
    const replyDeadlineAt = issued[0]!.effect.details['replyDeadlineAt'] as string;
    expect(dayIndexOf(setup.grid, replyDeadlineAt)).toBe(DAY.escalated + 3);
    // Issued at the ladder's step: it heads the unit's digest of that morning (reporter and leader), no mail of its own.
    expect(run.mails('notice')).toEqual([]);
    expect(run.queued('notice_to_unit').map((q) => [q.day, q.effect.audiences, q.effect.facts.notice?.state])).toEqual([
      [DAY.escalated, [{ unitId: 'lead', roles: ['reporter', 'leader'] }], 'issued'],
    ]);
    expect(run.mails('escalation')).toEqual([]);
    expect(run.queued('notice').map((q) => [q.day, q.effect.audiences, q.effect.facts.notice?.state])).toEqual([
      [DAY.escalated, [{ role: 'coordinator' }], 'issued'],
    ]);
    expect(run.model.view.escalations).toBe(1);
    expect(run.model.notices).toMatchObject([{ seq: 1, state: 'issued', issuedAt: expect.any(String) }]);
  });

  it('goes issued → replied → (asked again) → replied → closed, each in the timeline; the task is not finished until then', () => {
    const run = new Run(taskCycleSetup({ coUnits: 0, notices: true })).until(DAY.escalated);
    run.accept(submit());
    run.accept(approve());
    expect(isFinished(run.model)).toBe(false); // the 督办单 is still open
    run.accept(notice('reply', people.reporter, '因拆迁协议未签订导致逾期，已于今日报送。'));
    expect(run.model.notices![0]!.state).toBe('replied');
    expect(run.queued('notice').at(-1)!.effect.facts.notice?.state).toBe('replied');
    run.accept(notice('again', people.coordinator, '请说明下一步整改时间表'));
    expect(run.model.notices![0]).toMatchObject({ state: 'issued', askedAgain: 1 });
    const again = run.mails('notice').at(-1)!.effect;
    expect([again.step, again.facts.notice?.text]).toEqual(['notice-1:again', '请说明下一步整改时间表']);
    run.accept(notice('reply', people.reporter, '计划于11月底前完成全部签约。'));
    run.accept(notice('accept', people.coordinator, '同意'));
    expect(run.model.notices![0]).toMatchObject({ state: 'closed', outcome: 'accepted' });
    expect(isFinished(run.model)).toBe(true);
    expect(
      run
        .records()
        .filter((r) => r.effect.event.startsWith('notice_'))
        .map((r) => r.effect.event),
    ).toEqual(['notice_issued', 'notice_replied', 'notice_asked_again', 'notice_replied', 'notice_closed']);
    expect(run.records('notice_replied')[0]!.effect.details['reply']).toBe('因拆迁协议未签订导致逾期，已于今日报送。');
  });

  it('refuses what a step does not allow, with its code', () => {
    const run = new Run(taskCycleSetup({ coUnits: 0, notices: true })).until(DAY.escalated);
    expect(run.refusal(notice('reply', people.otherReporter, '反馈'))).toBe('WRONG_UNIT');
    expect(run.refusal(notice('reply', people.reporter, '  '))).toBe('INVALID_INPUT');
    expect(run.refusal(notice('accept', people.coordinator))).toBe('WRONG_STATE'); // nothing replied yet
    expect(run.refusal(notice('issue', people.supervisor))).toBe('WRONG_ROLE');
    expect(run.refusal(notice('issue', people.coordinator))).toBe('WRONG_STATE'); // issued already
    expect(run.refusal(notice('reply', people.reporter, '反馈', 2))).toBe('WRONG_STATE'); // no such notice
    expect(run.refusal(notice('again', people.coordinator, '请说明'))).toBe('WRONG_STATE');
    run.accept(notice('reply', people.reporter, '已报送'));
    expect(run.refusal(notice('again', people.coordinator))).toBe('INVALID_INPUT'); // asking again needs the requirement
  });

  it('with noticeIssue confirm, proposes it to the 督查室, who issues or withdraws it', () => {
    const run = new Run(taskCycleSetup({ coUnits: 0, notices: true, config: { noticeIssue: 'confirm' } })).until(
      DAY.escalated,
    );
    expect(run.model.notices![0]!.state).toBe('proposed');
    expect(run.mails('notice')).toEqual([]);
    expect(run.queued('notice').map((q) => q.effect.facts.notice?.state)).toEqual(['proposed']);
    expect(run.refusal(notice('reply', people.reporter, '反馈'))).toBe('WRONG_STATE');
    run.accept(notice('issue', people.coordinator));
    expect(run.records('notice_issued')[0]!.effect.actor).toEqual({ userId: 'coord', role: 'coordinator' });
    expect(run.mails('notice')).toHaveLength(1);
    const other = new Run(taskCycleSetup({ coUnits: 0, notices: true, config: { noticeIssue: 'confirm' } })).until(
      DAY.escalated,
    );
    other.accept(notice('withdraw', people.coordinator, '单位已当面说明'));
    expect(other.model.notices![0]).toMatchObject({ state: 'closed', outcome: 'withdrawn' });
    expect(other.mails('notice')).toEqual([]);
  });

  it('closes a 督办单 still open with its quarter, saying so', () => {
    const setup = taskCycleSetup({ coUnits: 0, notices: true });
    const run = new Run(setup).until(DAY.escalated);
    const closed = closeTaskCycle(setup, run.model, onDay(DAY.close));
    const events = closed.effects.flatMap((e) => (e.kind === 'record' ? [e] : []));
    expect(events.map((e) => [e.event, e.details['outcome']])).toEqual([
      ['notice_closed', 'cycle_closed'],
      ['closed', 'overdue'],
    ]);
  });

  it('batches what is not urgent: an approval and a catch-up request come with the unit’s next digest', () => {
    const run = new Run(taskCycleSetup({ coUnits: 0, notices: true })).until(5);
    run.accept(submit('已完成回迁安置100户'));
    run.accept(approve('请加快进度'));
    expect(run.mails()).toEqual([]);
    expect(
      run.queued('approved').map((q) => [q.effect.audiences, q.effect.facts.light, q.effect.facts.comment]),
    ).toEqual([[[{ unitId: 'lead', roles: ['reporter'] }], 'red', '请加快进度']]);
    expect(run.queued('catch_up').map((q) => q.effect.step)).toEqual(['catch-up']);
  });

  it('tells the 督查室 of a late review and of a red light in its digest, never by a mail each', () => {
    const run = new Run(taskCycleSetup({ coUnits: 0, notices: true })).until(DAY.leadDeadline);
    run.accept(submit());
    run.until(DAY.leadDeadline + 3 + 3);
    expect(run.mails('escalation')).toEqual([]);
    expect(run.queued('notice').map((q) => q.effect.facts.cause)).toEqual(['review_overdue']);
    const red = new Run(taskCycleSetup({ coUnits: 0, notices: true })).until(5);
    red.accept(submit('已完成回迁安置100户'));
    red.accept(approve());
    expect(red.model.view.light).toBe('red');
    expect(red.mails('escalation')).toEqual([]);
    expect(red.queued('notice').map((q) => q.effect.facts.cause)).toEqual(['red']);
  });
});

describe('a task struck off while its quarter runs (办结销号, 取消)', () => {
  const strikeOff = (run: Run, as: 'closed' | 'cancelled' = 'closed') =>
    run.keep(
      strikeOffTaskCycle(
        run.setup,
        run.model,
        { as, requestId: 'r1', reason: '项目已全部完工', actor: { userId: 'coordinator', role: 'coordinator' } },
        onDay(run.day, 0.6),
      ),
    );

  it('owes nothing more: no reminder, overdue step or 督办单 follows, and commands are refused', () => {
    const run = new Run(taskCycleSetup({ notices: true })).until(DAY.leadDeadline - 2);
    const before = run.effects.length;
    strikeOff(run);
    expect(run.model.view.status).toBe('struck_off');
    expect(isFinished(run.model)).toBe(true);
    expect(run.model.obligations.every((o) => o.settledAt !== null)).toBe(true);
    run.until(DAY.close - 1);
    const after = run.effects.slice(before).map((e) => e.effect);
    expect(after.filter((e) => e.kind === 'queue' || e.kind === 'mail')).toEqual([]);
    expect(after.filter((e) => e.kind === 'record').map((e) => (e.kind === 'record' ? e.event : ''))).toEqual([
      'struck_off',
    ]);
    expect(run.refusal(submit())).toBe('WRONG_STATE');
    expect(validateCommand(run.setup, run.model, submit(), onDay(run.day, 0.5))?.zh).toContain('销号');
  });

  it('records who approved it and why, withdraws an open 督办单, and ends with the outcome struck_off', () => {
    const run = new Run(taskCycleSetup({ coUnits: 0, notices: true })).until(DAY.escalated);
    expect(run.model.notices?.some((n) => n.state !== 'closed')).toBe(true);
    strikeOff(run, 'cancelled');
    const struck = run.records('struck_off').map((r) => [r.effect.details, r.effect.actor]);
    expect(struck).toEqual([
      [
        { as: 'cancelled', requestId: 'r1', reason: '项目已全部完工', was: 'overdue' },
        { userId: 'coordinator', role: 'coordinator' },
      ],
    ]);
    expect(run.records('notice_closed').map((r) => [r.effect.details.outcome, r.effect.details.because])).toEqual([
      ['withdrawn', 'struck_off'],
    ]);
    run.keep(closeTaskCycle(run.setup, run.model, onDay(run.day, 0.7)));
    expect(run.records('closed').map((r) => r.effect.details.outcome)).toEqual(['struck_off']);
  });

  it('keeps an approval given before, settles a catch-up plan still owed, and changes nothing the second time', () => {
    const run = new Run(taskCycleSetup({ coUnits: 0, notices: true })).until(5);
    run.accept(submit('已完成回迁安置100户'));
    run.accept(approve());
    expect(run.model.view).toMatchObject({ status: 'approved', light: 'red', catchUp: 'due' });
    expect(isFinished(run.model)).toBe(false);
    strikeOff(run);
    expect(run.model.view).toMatchObject({ status: 'approved', light: 'red', catchUp: null });
    expect(isFinished(run.model)).toBe(true);
    const again = strikeOffTaskCycle(
      run.setup,
      run.model,
      { as: 'cancelled', requestId: 'r2', reason: 'x', actor: { userId: 'c', role: 'coordinator' } },
      onDay(run.day, 0.9),
    );
    expect(again.effects).toEqual([]);
    expect(again.model.struckOff).toBe('closed');
  });

  it('withdraws an extension waiting for the coordinator', () => {
    const run = new Run(taskCycleSetup({ coUnits: 0 })).until(5);
    run.accept({ kind: 'requestExtension', request: { actor: people.reporter, workingDays: 3, reason: '汛期' } });
    expect(run.model.view.extension).toBe('requested');
    strikeOff(run);
    expect(run.model.pendingExtension).toBeNull();
    expect(run.model.view.extension).toBe('withdrawn');
  });
});
