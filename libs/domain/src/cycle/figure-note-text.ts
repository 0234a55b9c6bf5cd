/**
 * A note on a report's figures (figureNotes, figuresBelowPrevious) as people read it, after "核对提示：":
 * "改造老旧小区：累计 588户，低于2020年第二季度已通过的 600户". Pure and without imports beyond the shared
 * text helpers, so the web app shows the same words on the reporter's form, the review desk and the timeline.
 */
import { formatAmount } from '../plan/target-text.js';
import { quarterName } from '../quarter.js';
import type { FigureNote } from './figure-notes.js';

/**
 * @param note one note as recorded or checked (its kind decides the words)
 * @param language 'zh-CN' (the product's own) or 'en'
 * @returns one line, without the "核对提示" lead-in. Never throws (a kind it does not know reads as no_figure's).
 */
export function figureNoteText(note: FigureNote, language: 'zh-CN' | 'en'): string {
  const zh = language === 'zh-CN';
  // As the target lines show a rate (one decimal): 83.33 → 83.3.
  const percent = (n: number) => String(Math.round(n * 10) / 10);
  switch (note.kind) {
    case 'declared_done_below_full':
      return zh
        ? `申报“已完成”，但按数据完成 ${percent(note.completion)}%`
        : `declared done, but the figures give ${percent(note.completion)}%`;
    case 'stated_rate_disagrees':
      return zh
        ? `写明完成 ${percent(note.stated)}%，按目标计算为 ${note.computed.map(percent).join('%、')}%`
        : `states ${percent(note.stated)}%, the targets give ${note.computed.map(percent).join('%, ')}%`;
    case 'below_previous': {
      const [now, before] = [note.achieved, note.previous].map((n) => `${formatAmount(n)}${note.unit}`);
      return zh
        ? `${note.metric}：累计 ${now}，低于${quarterName(note.quarter, language)}已通过的 ${before}`
        : `${note.metric}: ${now} so far this year, below the ${before} approved for ${quarterName(note.quarter, language)}`;
    }
    default:
      return zh ? '任务有量化目标，进展中没有任何数据' : 'the task has numeric targets; the report gives no figure';
  }
}
