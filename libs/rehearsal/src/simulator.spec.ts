/**
 * The rehearsal's simulated people: nobody acts in the name of a group
 * (各街道 as lead or co-unit has no reporter of its own).
 */
import { describe, expect, it } from '@jest/globals';
import { planSimulation, type SimTask } from './simulator.js';

const days = { coUnitDeadline: 8, leadDeadline: 10, close: 20 };
const task = (ordinal: number, leadUnitId: string | null): SimTask => ({
  taskId: `task-${ordinal}`,
  ordinal,
  leadUnitId,
  coUnitIds: ['aaaaaaaa-0000-0000-0000-000000000001'],
  narrative: '已完成',
  completion: 100,
});

describe('planSimulation', () => {
  it('lets a unit’s reporter report, and a task led by a group only be nudged by the coordinator', () => {
    const plans = planSimulation([task(1, 'bbbbbbbb-0000-0000-0000-000000000002'), task(2, null)], days);
    const actors = (id: string) => [...new Set(plans.get(id)!.map((a) => `${a.action}:${a.userId}`))];
    expect(actors('task-1')).toEqual(expect.arrayContaining(['progress:reporter.bbbbbbbb']));
    expect(actors('task-2').filter((a) => a.startsWith('progress') || a.startsWith('extension'))).toEqual([]);
    expect(actors('task-2')).toContain('nudge:coordinator');
  });
});
