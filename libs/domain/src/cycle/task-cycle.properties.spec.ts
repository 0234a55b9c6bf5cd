/**
 * The task-cycle's invariants over any quarter people can make of it: random
 * runs of days and commands (right and wrong people, on time and late, with
 * returns, extensions, red lights and nudges), checked after every decision.
 */
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import type { Actor, TaskCycleCommand, TaskCycleEffect, TaskCycleModel } from './task-cycle.model.js';
import { advanceClock, closeTaskCycle, decideCommand, openTaskCycle } from './task-cycle.rules.js';
import { validateCommand } from './task-cycle.validators.js';
import { DAY, onDay, people, taskCycleSetup } from './task-cycle.fixture.js';

const reporters = fc.constantFrom<Actor>(people.reporter, people.reporter, people.otherReporter, people.supervisor);
const narratives = fc.constantFrom('已完成回迁安置900户', '已完成回迁安置100户', '正常推进中', '活动停办', '已完成');

const command: fc.Arbitrary<TaskCycleCommand> = fc.oneof(
  fc.record({
    kind: fc.constant('submitProgress' as const),
    request: fc.record({
      actor: reporters,
      narrative: narratives,
      completion: fc.option(fc.integer({ min: 0, max: 120 }), { nil: undefined }),
    }),
  }),
  fc.record({
    kind: fc.constant('submitInput' as const),
    request: fc.record({ actor: fc.constant(people.coReporter), unitId: fc.constant('co1'), narrative: narratives }),
  }),
  fc.record({
    kind: fc.constant('review' as const),
    request: fc.oneof(
      fc.record({
        actor: fc.constantFrom<Actor>(people.supervisor, people.reporter),
        decision: fc.constant('approve' as const),
      }),
      fc.record({
        actor: fc.constant<Actor>(people.supervisor),
        decision: fc.constant('return' as const),
        reason: fc.constantFrom('incomplete' as const, 'figures' as const),
      }),
    ),
  }),
  fc.record({
    kind: fc.constant('requestExtension' as const),
    request: fc.record({
      actor: fc.constant<Actor>(people.reporter),
      workingDays: fc.integer({ min: 0, max: 12 }),
      reason: fc.constant('等待批复'),
    }),
  }),
  fc.record({
    kind: fc.constant('decideExtension' as const),
    request: fc.record({ actor: fc.constantFrom<Actor>(people.coordinator, people.reporter), grant: fc.boolean() }),
  }),
  fc.record({
    kind: fc.constant('nudge' as const),
    request: fc.record({ actor: fc.constant<Actor>(people.coordinator) }),
  }),
  fc.record({
    kind: fc.constant('submitCatchUpPlan' as const),
    request: fc.record({ actor: fc.constant<Actor>(people.reporter), plan: fc.constant('加快进度') }),
  }),
);

/** A run: after each gap of working days, a few commands on that day. */
const run = fc.array(
  fc.record({ days: fc.integer({ min: 0, max: 4 }), commands: fc.array(command, { maxLength: 3 }) }),
  {
    maxLength: 14,
  },
);
const coUnits = fc.integer({ min: 0, max: 2 });

/** The obligation a clock step belongs to: 'lead-2:remind:1' → 'lead-2', 'co:u1:overdue:1:lead' → 'co:u1'. */
function obligationKeyOf(step: string): string {
  return step.replace(/:(remind|overdue):\d+(:lead)?$/, '');
}

describe('task-cycle invariants (property tests)', () => {
  it('hold after every decision of any run', () => {
    fc.assert(
      fc.property(run, coUnits, (plan, co) => {
        const setup = taskCycleSetup({ coUnits: co });
        const opened = openTaskCycle(setup, onDay(0, 0.1));
        let model: TaskCycleModel = opened.model;
        const effects: TaskCycleEffect[] = [...opened.effects];
        let lastDeadline = Date.parse(model.view.currentDeadlineAt);
        let day = 0;

        const apply = (next: TaskCycleModel, made: TaskCycleEffect[], before: TaskCycleModel, clock: boolean) => {
          for (const effect of made) {
            if (effect.kind === 'record')
              expect(effect.seq).toBe(effects.filter((e) => e.kind === 'record').length + 1);
            // Nothing is sent for a settled obligation.
            if (clock && effect.kind === 'queue') {
              const owner = before.obligations.find((o) => o.key === obligationKeyOf(effect.step));
              expect(owner?.settledAt ?? null).toBeNull();
            }
            effects.push(effect);
          }
          // A deadline never moves earlier.
          const deadline = Date.parse(next.view.currentDeadlineAt);
          expect(deadline).toBeGreaterThanOrEqual(lastDeadline);
          lastDeadline = deadline;
          // Counts add up: every report is returned, waiting or approved.
          const { view } = next;
          expect(view.submissions).toBe(view.returns + (['submitted', 'approved'].includes(view.status) ? 1 : 0));
          expect(view.escalations).toBe(effects.filter((e) => e.kind === 'record' && e.event === 'escalated').length);
          expect(next.seq).toBe(effects.filter((e) => e.kind === 'record').length);
          model = next;
        };

        for (const step of plan) {
          for (let d = 0; d < step.days && day < DAY.close - 1; d += 1) {
            day += 1;
            const before = model;
            const decision = advanceClock(setup, model, onDay(day, 0.01));
            apply(decision.model, decision.effects, before, true);
          }
          step.commands.forEach((cmd, k) => {
            const at = onDay(day, 0.5 + k * 0.01);
            const outcome = decideCommand(setup, model, cmd, at);
            // The validator and the decision agree.
            expect('rejection' in outcome).toBe(validateCommand(setup, model, cmd, at) !== null);
            if (!('rejection' in outcome)) apply(outcome.model, outcome.effects, model, false);
          });
        }

        // Each step fires at most once: no clock step or mail is made twice.
        const queued = effects.flatMap((e) => (e.kind === 'queue' ? [e.step] : []));
        expect(new Set(queued).size).toBe(queued.length);
        const mailed = effects.flatMap((e) => (e.kind === 'mail' ? [`${e.step}#${e.sequence}`] : []));
        expect(new Set(mailed).size).toBe(mailed.length);

        // After the close nothing fires and nothing is accepted.
        const closed = closeTaskCycle(setup, model, onDay(DAY.close)).model;
        expect(advanceClock(setup, closed, onDay(DAY.close + 3)).effects).toEqual([]);
        for (const cmd of plan.flatMap((s) => s.commands)) {
          expect(decideCommand(setup, closed, cmd, onDay(DAY.close, 0.5))).toHaveProperty('rejection');
        }
      }),
      { numRuns: 300 },
    );
  });

  it('a return or an extension never gives a deadline earlier than the unit had', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: DAY.close - 2 }), fc.integer({ min: 1, max: 10 }), (returnDay, extra) => {
        const setup = taskCycleSetup({ coUnits: 0 });
        let model = openTaskCycle(setup, onDay(0, 0.1)).model;
        const at = onDay(returnDay);
        const steps: TaskCycleCommand[] = [
          { kind: 'requestExtension', request: { actor: people.reporter, workingDays: extra, reason: '等待批复' } },
          { kind: 'decideExtension', request: { actor: people.coordinator, grant: true } },
          { kind: 'submitProgress', request: { actor: people.reporter, narrative: '已完成回迁安置900户' } },
          { kind: 'review', request: { actor: people.supervisor, decision: 'return', reason: 'figures' } },
        ];
        for (const cmd of steps) {
          const before = Date.parse(model.view.currentDeadlineAt);
          const outcome = decideCommand(setup, model, cmd, at);
          if ('rejection' in outcome) continue;
          model = outcome.model;
          expect(Date.parse(model.view.currentDeadlineAt)).toBeGreaterThanOrEqual(before);
        }
        // The return gives at least the configured working days from the return day.
        if (model.view.status === 'returned') {
          const twoDaysOn = Date.parse(onDay(returnDay + setup.config.returnWorkingDays, 0));
          expect(Date.parse(model.view.currentDeadlineAt)).toBeGreaterThanOrEqual(twoDaysOn);
        }
      }),
      { numRuns: 200 },
    );
  });
});
