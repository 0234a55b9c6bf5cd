/**
 * A webpack loader for the upgrade drill's build A: the task-cycle workflow as it was before the figure-notes
 * change, that is without the line asking patched(FIGURE_NOTES_PATCH) (the rules then take no notes). Fails
 * when the line is not there, so build A can never silently be build B. Used by the drill only, never shipped.
 */
// eslint-disable-next-line no-undef -- a CommonJS loader: webpack requires it
module.exports = function beforeFigureNotes(source) {
  const before = source.replace(/\n[ \t]*figureNotes: patched\(FIGURE_NOTES_PATCH\),/, '');
  if (before === source) {
    throw new Error('figureNotes: patched(FIGURE_NOTES_PATCH) not found in the task-cycle workflow');
  }
  return before;
};
