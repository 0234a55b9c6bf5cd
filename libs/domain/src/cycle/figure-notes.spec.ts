/** The notes a submitted report's figures get, from real task texts and narratives of the seed's kind. */
import { describe, expect, it } from '@jest/globals';
import { readProgress } from '../plan/progress.parser.js';
import { extractTargets } from '../plan/targets.parser.js';
import { targetFigures } from '../plan/target-figures.js';
import { figureNoteText } from './figure-note-text.js';
import { figureNotes, figuresBelowPrevious } from './figure-notes.js';

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

describe('figuresBelowPrevious', () => {
  const targets = extractTargets('完成老旧小区综合改造600户以上，新增绿地面积8万平方米，城镇登记失业率控制在3%以内');
  /** A report's figures against the targets, read from its narrative and the figures typed in the form. */
  const figuresOf = (narrative: string, typed: Record<string, number | null> | null = null) =>
    targetFigures(targets, typed, readProgress(narrative, targets, 3).readings);
  const q2 = { quarter: '2020Q2', targetFigures: figuresOf('已完成改造600户，新增绿地5万平方米，失业率2.8%。') };

  it('notes a year-so-far amount lower than the approved one of an earlier quarter (588户 after 600户)', () => {
    expect(figuresBelowPrevious('2020Q3', figuresOf('已完成改造588户，新增绿地6万平方米。'), q2, targets)).toEqual([
      {
        kind: 'below_previous',
        target: 0,
        metric: targets[0]!.metric,
        achieved: 588,
        previous: 600,
        unit: '户',
        quarter: '2020Q2',
      },
    ]);
    // A figure typed in the form counts as the report's own.
    expect(figuresBelowPrevious('2020Q3', figuresOf('稳步推进。', { '1': 40000 }), q2, targets)).toEqual([
      expect.objectContaining({ kind: 'below_previous', target: 1, achieved: 40000, previous: 50000 }),
    ]);
  });

  it('leaves alone what may fall, what is missing, and an earlier year', () => {
    // A level (a rate that may go down), an equal figure, a figure not given.
    expect(figuresBelowPrevious('2020Q3', figuresOf('已完成改造600户，失业率2.5%。'), q2, targets)).toEqual([]);
    expect(figuresBelowPrevious('2020Q3', figuresOf('稳步推进。'), q2, targets)).toEqual([]);
    expect(figuresBelowPrevious('2020Q3', figuresOf('已完成改造588户。'), null, targets)).toEqual([]);
    // The year's amounts start again in January: 2019Q4's 600户 says nothing of 2020Q1.
    expect(
      figuresBelowPrevious('2020Q1', figuresOf('已完成改造120户。'), { ...q2, quarter: '2019Q4' }, targets),
    ).toEqual([]);
  });
});

describe('figureNoteText', () => {
  it('writes each note as people read it, rates to one decimal as the target lines show them', () => {
    expect(figureNoteText({ kind: 'stated_rate_disagrees', stated: 100, computed: [83.33, 50] }, 'zh-CN')).toBe(
      '写明完成 100%，按目标计算为 83.3%、50%',
    );
    const fell = {
      kind: 'below_previous',
      target: 0,
      metric: '新增绿地',
      achieved: 40000,
      previous: 50000,
      unit: '平方米',
      quarter: '2020Q2',
    } as const;
    expect(figureNoteText(fell, 'zh-CN')).toBe('新增绿地：累计 4万平方米，低于2020年第二季度已通过的 5万平方米');
    expect(figureNoteText(fell, 'en')).toBe(
      '新增绿地: 4万平方米 so far this year, below the 5万平方米 approved for 2020 Q2',
    );
  });
});
