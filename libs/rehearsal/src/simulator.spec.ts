/**
 * The rehearsal's simulated people: nobody acts in the name of a group
 * (各街道 as lead or co-unit has no reporter of its own); they act as the
 * directory's people, not only the demo contacts.
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

  it('acts as the district’s own people once its 通讯录 has replaced the demo contacts', () => {
    const plans = planSimulation([task(1, 'bbbbbbbb-0000-0000-0000-000000000002'), task(2, null)], days, {
      reporter: (unitId) => (unitId.startsWith('bbbb') ? 'gs025@gongshu.example' : 'gs145@gongshu.example'),
      supervisor: 'gs180@gongshu.example',
      coordinator: 'gs181@gongshu.example',
    });
    const everyone = new Set([...plans.values()].flat().map((a) => a.userId));
    expect([...everyone].sort()).toEqual(
      expect.arrayContaining(['gs025@gongshu.example', 'gs145@gongshu.example', 'gs181@gongshu.example']),
    );
    expect([...everyone].filter((id) => !id.endsWith('@gongshu.example'))).toEqual([]);
  });
});
