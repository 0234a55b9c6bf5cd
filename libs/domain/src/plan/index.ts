/** Plan import, the pure part: from cells to an understood plan. */
export { textToCells } from './text-cells.js';
export {
  interpretPlanTable,
  type ImportedPlan,
  type PlanTask,
  type PlanCategory,
  type InterpretOptions,
} from './plan.interpreter.js';
export {
  positionOf,
  warning,
  type SourceCell,
  type SourceTable,
  type GridTable,
  type ImportWarning,
} from './source-table.js';
export { extractTargets, type Target, type Comparator, type TargetKind } from './targets.parser.js';
export { targetText } from './target-text.js';
export { readTaskEdit, MAX_TASK_TEXT, type TaskEdit, type ReadTaskEdit } from './task-edit.js';
export { readFigures, type FigureReading } from './figures.js';
export { figureBasisOf, targetFigures, type FigureBasis, type TargetFigure } from './target-figures.js';
export {
  compareWithTarget,
  exceededBy,
  exceededText,
  incomparableText,
  incomparableWhyText,
  formatAmount,
  averageCompletion,
  COMPLETION_CAP,
  INCOMPARABLE_WHYS,
  type CompletionReading,
  type CompletionSummary,
  type Comparison,
  type Exceeded,
  type Figure,
  type Incomparable,
  type IncomparableWhy,
} from './completion.js';
export {
  readProgress,
  explainCompletion,
  type ProgressReading,
  type DeclaredState,
  type TargetReading,
  type LimitReading,
} from './progress.parser.js';
export { LATEST_READING_EDITION, type ReadingEdition } from './quantities.js';
export { parseUnitList, classifyUnit, type UnitRef, type UnitGroupKind } from './units.parser.js';
export { parseCategoryCell } from './category.parser.js';
export { parseChineseNumeral, formatChineseNumeral } from './chinese-numeral.js';
export { cleanCellText } from './text-normalize.js';
export { columnRoleOf, isUsableHeader, type ColumnRole } from './columns.js';
export { datedMilestones, milestoneOf, milestoneQuarterOf, readMilestone, type Milestone } from './milestones.js';
