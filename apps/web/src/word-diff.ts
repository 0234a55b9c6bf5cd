/**
 * What changed between two versions of a narrative, word by word: Chinese has
 * no spaces, so the words are ICU's (`Intl.Segmenter('zh', { granularity:
 * 'word' })`: 在建设546条 → 在 / 建设 / 546 / 条), and the difference of the two
 * word lists is jsdiff's (`diffArrays`, Myers' O(ND) algorithm). A changed
 * figure is then struck and added whole (588 → 612), not digit by digit.
 * Pure: no DOM, so the same module runs in the browser and under Node.
 */
import { diffArrays } from 'diff';

/** One run of the diff: words both versions share, or words only the later (added) or the earlier (removed) has. */
export interface DiffPiece {
  kind: 'same' | 'added' | 'removed';
  /** The run's words joined: the text exactly as it stands in its version (white space and punctuation kept). */
  text: string;
}

const segmenter = new Intl.Segmenter('zh', { granularity: 'word' });

/**
 * The words of `text` in order, white space and punctuation as their own
 * segments, so that joining them gives `text` back. Mixed Chinese and
 * English text is split by the same ICU rules.
 */
export function wordsOf(text: string): string[] {
  return Array.from(segmenter.segment(text), (s) => s.segment);
}

/**
 * The runs that turn `before` into `after`: joining the same and removed runs
 * gives `before`, the same and added ones `after`. Where a stretch changed,
 * its removed run comes before its added one. Never throws; empty texts give
 * no runs.
 */
export function diffWords(before: string, after: string): DiffPiece[] {
  const pieces: DiffPiece[] = [];
  for (const change of diffArrays(wordsOf(before), wordsOf(after))) {
    const kind = change.added ? 'added' : change.removed ? 'removed' : 'same';
    const text = change.value.join('');
    const last = pieces[pieces.length - 1];
    if (last?.kind === kind) last.text += text;
    else if (text) pieces.push({ kind, text });
  }
  return pieces;
}
