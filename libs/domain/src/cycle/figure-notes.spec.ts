/** The notes a submitted report's figures get, from real task texts and narratives of the seed's kind. */
import { describe, expect, it } from '@jest/globals';
import { readProgress } from '../plan/progress.parser.js';
import { extractTargets } from '../plan/targets.parser.js';
import { figureNotes } from './figure-notes.js';

const TASK = '完成老旧小区综合改造600户以上';

function notesFor(narrative: string, request: Parameters<typeof figureNotes>[0] = {}, task = TASK) {
  const targets = extractTargets(task);
  return figureNotes(request, readProgress(narrative, targets, 3), targets);
}

describe('figureNotes', () => {
  it('has nothing to say when the figures hold together', () => {
    expect(notesFor('已完成改造450户，完成率75%。')).toEqual([]);
    expect(notesFor('已完成改造600户。', { declaredState: 'completed' })).toEqual([]);
  });

  it('notes 已完成 declared while the figures say less', () => {
    expect(notesFor('已完成改造450户。', { declaredState: 'completed' })).toEqual([
      { kind: 'declared_done_below_full', completion: 75 },
    ]);
    expect(notesFor('改造工作已全面完成。', { declaredState: 'completed', completion: 90 })).toEqual([
      { kind: 'declared_done_below_full', completion: 90 },
    ]);
  });

  it('notes a stated rate that the figures do not give', () => {
    expect(notesFor('已完成改造300户，完成率80%。')).toEqual([
      { kind: 'stated_rate_disagrees', stated: 80, computed: [50] },
    ]);
  });

  it('notes a narrative without any figure for a task with numeric targets', () => {
    expect(notesFor('高度重视，统筹推进，加强督查，确保按期完成。')).toEqual([{ kind: 'no_figure' }]);
    // A completion typed in is a figure; a task without targets has nothing to count.
    expect(notesFor('高度重视，统筹推进。', { completion: 60 })).toEqual([]);
    expect(notesFor('高度重视，统筹推进。', {}, '深化“最多跑一次”改革')).toEqual([]);
  });
});
