/** libs/plans: plans in PostgreSQL — import (idempotent, versioned), a task's corrections (its next version), read, export. */
export {
  PlanRepository,
  PlanReader,
  PlanNotFound,
  setPlanCycleConfig,
  type StoreSummary,
  type StoredPlan,
  type StoredPlanTask,
  type StoredTaskHistory,
  type StoredTaskVersion,
  type TaskEditResult,
} from './plan.repository.js';
export {
  importPlan,
  type ImportPlanRequest,
  type ImportPlanResponse,
  type ImportedTaskView,
} from './import-plan.use-case.js';
export {
  exportPlan,
  exportText,
  exportHtml,
  exportXlsx,
  EXPORT_FORMATS,
  type ExportFormat,
  type Lights,
  type ReportStatus,
  type TaskLight,
} from './plan-export.js';
export { pickGroupMembers, suggestedPicks, PICKED_FROM, type GroupPick } from './group-picks.js';
export {
  decideMilestones,
  listMilestoneProposals,
  proposeMilestones,
  taskMilestones,
  type MilestoneProposal,
  type TaskMilestones,
} from './milestone-proposals.js';
export {
  instructionDuties,
  listInstructions,
  respondToInstruction,
  writeInstruction,
  INSTRUCTIONS_READ_MAX,
  type Instruction,
  type InstructionDuties,
  type InstructionFile,
  type InstructionScope,
  type InstructionTask,
} from './instructions.js';
export { invalidInput } from './invalid-input.js';
export { assertReadsTaskLead, type LeadScope } from './lead-scope.js';
