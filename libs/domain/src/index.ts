/**
 * libs/domain: the pure core. No I/O, no clock, no environment: everything
 * it needs (time, ids, data) is passed in, so workflows may import it.
 */
export { DomainError } from './domain-error.js';
export { ERROR_CODES, NOT_TAKEN_IN_TIME, isErrorCode, type ErrorCode } from './error-codes.js';
export {
  parseQuarter,
  formatQuarter,
  periodEnd,
  quarterName,
  periodKind,
  thisPeriod,
  type Quarter,
} from './quarter.js';
export { inLanguage } from './bilingual-text.js';
export { longDate, shortDate, makeUpDayName } from './calendar/day-text.js';
export { parseEmailAddress } from './email-address.js';
export { isUuid } from './uuid.js';
export { firstNonText, codePointName } from './plain-text.js';
export { documentText } from './document-text.js';
export * from './plan/index.js';
export {
  readContactList,
  groupPhrase,
  type ContactList,
  type ContactPerson,
  type ContactGroup,
  type ContactWarning,
  type DirectoryRole,
} from './directory/contact-list.js';
export { WorkingDayCalendar, type CalendarData, type CalendarAnswer } from './calendar/working-day-calendar.js';
export {
  DEFAULT_CYCLE_CONFIG,
  NOTICE_ISSUE,
  REPORTING_RHYTHMS,
  checkCycleConfig,
  type CycleConfig,
  type NoticeIssue,
  type ReportingRhythm,
} from './cycle/cycle-config.js';
export { NOTICE_REQUIREMENTS, noticeNumber } from './cycle/notice-words.js';
export {
  computeCycleSchedule,
  type CycleSchedule,
  type ScheduledReminder,
  type ReminderKind,
} from './cycle/cycle-schedule.js';
export {
  evaluateLight,
  expectedProgress,
  type StatusLight,
  type LightInput,
  type LightOptions,
  type LightResult,
} from './cycle/status-light.js';
export { figureNotes, figuresBelowPrevious, type FigureNote } from './cycle/figure-notes.js';
export { figureNoteText } from './cycle/figure-note-text.js';
export {
  EVIDENCE_DEFAULT_MAX_MEGABYTES,
  EVIDENCE_PARTS,
  EVIDENCE_TYPES,
  assertEvidenceType,
  evidenceCountText,
  evidenceFileName,
  evidenceTypesText,
  type EvidencePart,
} from './cycle/evidence.js';
export {
  INSTRUCTION_ESCALATED_AFTER_WORKING_DAYS,
  INSTRUCTION_RESPONSE_WORKING_DAYS,
  INSTRUCTION_TEXT_MAX,
  INSTRUCTION_TASKS_MAX,
  INSTRUCTION_WORKING_DAYS_MAX,
  instructionDaysLate,
  instructionDueOn,
  instructionOverdue,
  instructionSteps,
  isBareAcknowledgement,
  type InstructionDuty,
  type InstructionStep,
} from './cycle/instruction.js';
export { scheduleInstants, type ClockMode, type ScheduleInstants } from './cycle/schedule-clock.js';
export {
  cycleDate,
  chinaDate,
  chinaMorning,
  nextDigestAt,
  DIGEST_DELAY_MS,
  REHEARSAL_DIGEST_DELAY,
} from './cycle/working-day-clock.js';
export {
  dueSteps,
  nextStepAt,
  daysLate,
  stepId,
  obligationFromDays,
  type Obligation,
  type ObligationParty,
  type ObligationStep,
} from './cycle/obligation.js';
export {
  morningOf,
  dayIndexOf,
  workingDaysAfterOnGrid,
  GRID_DAYS_AFTER_CLOSE,
  type WorkingDayGrid,
} from './cycle/working-day-grid.js';
export * from './cycle/task-cycle.model.js';
export {
  validateCommand,
  reviewsReportOf,
  activeLeadObligation,
  DECLARED_STATES,
  MAX_NARRATIVE,
  MAX_COMMENT,
} from './cycle/task-cycle.validators.js';
export {
  openTaskCycle,
  decideCommand,
  advanceClock,
  closeTaskCycle,
  strikeOffTaskCycle,
  beginClose,
  nextWakeAt,
  isFinished,
  readSubmission,
  replanCalendar,
  type CalendarReplan,
  type CommandOutcome,
} from './cycle/task-cycle.rules.js';
export { tallyCycle, type CycleTally } from './cycle/cycle-tally.js';
