/** libs/cycles: the quarterly cycle outside the workflows — starting cycles, people's commands, the read model, the workspace. */
export {
  recordTaskCycleEvent,
  findCycle,
  listCycles,
  listTaskCycles,
  getTaskCycle,
  assertCycleInScope,
  assertTaskInScope,
  cycleCounts,
  openTaskCycleIds,
  runningTaskCycles,
  type CycleRow,
  type CycleListRow,
  type TaskCycleFilters,
  type TaskScope,
  type TaskCycleView,
  type TimelineEvent,
} from './cycle-read-model.js';
export {
  assertQuarterNotOver,
  assertPeriodFitsPlan,
  planRhythm,
  startCycle,
  sendTaskCycleAction,
  isDeadlineExceeded,
  ACTION_ROLES,
  TASK_CYCLE_ACTIONS,
  type StartCycleRequest,
  type StartCycleAnswer,
  type TaskCycleAction,
} from './cycle-commands.js';
export { keepNoticeRegister, listNotices, noticeNumberOf, noticeYear, type NoticeRow } from './notice-register.js';
export { scheduleQuarterlyCycles, unscheduleQuarterlyCycles, quarterlyScheduleId } from './cycle-schedule.js';
export {
  taskWorkspace,
  checkProgress,
  saveDraft,
  dropDraft,
  withFigures,
  parseDraftBody,
  DRAFT_KINDS,
  type DraftKind,
  type DraftBody,
  type TaskWorkspace,
  type SubmissionVersion,
  type ProgressDraft,
} from './workspace.js';
export {
  CycleRepository,
  type AssignmentRow,
  type CycleClockRow,
  type PreparedCycleRow,
  type TaskToStart,
} from './cycle.repository.js';
export {
  preflight,
  assertPreflightPassed,
  type PreflightAnswer,
  type PreflightProblem,
  type PreflightCode,
} from './preflight.js';
export { replanOpenCycles, type CalendarReplanResult } from './calendar-replan.js';
export { registerNamespace, type NamespaceSetup } from './temporal-namespace.js';
export {
  EVIDENCE_CHUNK_BYTES,
  PostgresEvidenceStore,
  evidenceFiles,
  openEvidence,
  owingUnitOf,
  removeEvidence,
  uploadEvidence,
  type EvidenceFile,
  type EvidenceStore,
  type EvidenceUpload,
} from './evidence.js';
export { bindReplyEvidence, bindSubmissionEvidence } from './evidence-binding.js';
export { reporterScope, reporterUnits } from './reporter-units.js';
export {
  TASK_CHANGE_KINDS,
  attachTaskChangeFile,
  decideTaskChange,
  listTaskChanges,
  openTaskChangeFile,
  requestTaskChange,
  taskChanges,
  withdrawTaskChange,
  type StrikeOff,
  type TaskChangeAsk,
  type TaskChangeFile,
  type TaskChangeKind,
  type TaskChangeRequest,
  type TaskChangeState,
  type TaskChanges,
} from './task-changes.js';
export {
  attachInstructionFile,
  openInstructionFile,
  removeInstructionFile,
  type InstructionAnswerRef,
} from './instruction-evidence.js';
