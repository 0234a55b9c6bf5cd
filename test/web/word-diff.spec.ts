/**
 * The review desk's word diff (apps/web/src/word-diff.ts) under Node's ICU:
 * whole Chinese words and whole figures struck or added, never scattered
 * characters, and the two versions given back exactly.
 */
import { describe, expect, it } from '@jest/globals';
import { diffWords, wordsOf } from '../../apps/web/src/word-diff.js';

const changed = (pieces: ReturnType<typeof diffWords>, kind: 'added' | 'removed') =>
  pieces.filter((p) => p.kind === kind).map((p) => p.text);

describe('diffWords (a narrative’s changes, word by word)', () => {
  it('splits Chinese into words and figures', () => {
    expect(wordsOf('在建设546条')).toEqual(['在', '建设', '546', '条']);
  });

  it('adds a clause as whole words, not as characters scattered among the old ones', () => {
    const pieces = diffWords('道路建设已完工52条', '道路建设在建设546条，已完工52条');
    expect(changed(pieces, 'added')).toEqual(['在建设546条，']);
    expect(changed(pieces, 'removed')).toEqual([]);
  });

  it('strikes a changed figure whole: 588 → 598, not the 8 → 9 in its middle', () => {
    const pieces = diffWords('已完成回迁安置588户，完成率58.8%', '已完成回迁安置598户，完成率59.8%');
    expect(changed(pieces, 'removed')).toEqual(['588', '58.8']);
    expect(changed(pieces, 'added')).toEqual(['598', '59.8']);
  });

  it('gives both versions back exactly, white space and punctuation kept', () => {
    const before = '一、已开工95个；\n二、开工率72.52%。 English words too';
    const after = '一、已开工101个；\n二、开工率77.1%，超序时进度。English words, too';
    const pieces = diffWords(before, after);
    expect(
      pieces
        .filter((p) => p.kind !== 'added')
        .map((p) => p.text)
        .join(''),
    ).toBe(before);
    expect(
      pieces
        .filter((p) => p.kind !== 'removed')
        .map((p) => p.text)
        .join(''),
    ).toBe(after);
    expect(diffWords('', '')).toEqual([]);
  });
});
