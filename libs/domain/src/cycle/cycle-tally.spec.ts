import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { tallyCycle } from './cycle-tally.js';

describe('tallyCycle', () => {
  it('counts reports waiting for review apart, so the parts add up (the 76 + 35 of 128 report email)', () => {
    expect(tallyCycle({ approved: 76, submitted: 17, assigned: 20, overdue: 10, returned: 5 })).toEqual({
      tasks: 128,
      approved: 76,
      awaitingReview: 17,
      unreported: 35,
      struckOff: 0,
    });
  });

  it('counts tasks struck off (closed or cancelled) while the quarter ran apart', () => {
    expect(tallyCycle({ approved: 3, struck_off: 2, assigned: 1 }, 7)).toEqual({
      tasks: 7,
      approved: 3,
      awaitingReview: 0,
      unreported: 2,
      struckOff: 2,
    });
  });

  it('counts tasks without a task-cycle as unreported', () => {
    expect(tallyCycle({ approved: 2 }, 5)).toEqual({
      tasks: 5,
      approved: 2,
      awaitingReview: 0,
      unreported: 3,
      struckOff: 0,
    });
  });

  it('always adds up to the whole, whatever the statuses', () => {
    const statuses = fc.constantFrom('assigned', 'overdue', 'submitted', 'returned', 'approved', 'struck_off', 'other');
    fc.assert(
      fc.property(
        fc.dictionary(statuses, fc.nat(10_000)),
        fc.option(fc.nat(50_000), { nil: undefined }),
        (byStatus, taskCount) => {
          const tally = tallyCycle(byStatus, taskCount);
          const sum = Object.values(byStatus).reduce((a, b) => a + b, 0);
          expect(tally.approved + tally.awaitingReview + tally.unreported + tally.struckOff).toBe(tally.tasks);
          expect(tally.tasks).toBe(Math.max(sum, taskCount ?? sum));
        },
      ),
    );
  });
});
