/** libs/cycles: the quarterly cycle outside the workflows — directory, read model, starting and messaging cycles. */
export {
  resolveActor,
  resolveAudiences,
  upsertPerson,
  ensureDemoDirectory,
  DEMO_MAIL_DOMAIN,
  type Recipient,
  type PersonInput,
} from './directory.js';
export {
  recordTaskCycleEvent,
  findCycle,
  listTaskCycles,
  getTaskCycle,
  assertTaskInScope,
  cycleCounts,
  openTaskCycleIds,
  type CycleRow,
  type TaskCycleFilters,
  type TaskScope,
  type TaskCycleView,
  type TimelineEvent,
} from './cycle-read-model.js';
export {
  queueReminder,
  sendDigests,
  noticeMail,
  dayOf,
  taskIdOf,
  type CycleDays,
  type DigestOptions,
} from './cycle-mail.js';
export {
  assignmentMail,
  digestMail,
  taskMail,
  reportMail,
  renderTemplate,
  formatDay,
  MAIL_LANGUAGES,
  TEMPLATE_NAMES,
  type AssignmentLine,
  type DigestLine,
  type MailLanguage,
  type RenderedMail,
  type TemplateName,
} from './mail-templates.js';
export { DeepLinks, linkSecret, linkPath, LINK_PURPOSES, type LinkClaims, type LinkPurpose } from './deep-links.js';
export {
  assertQuarterNotOver,
  startCycle,
  sendTaskCycleAction,
  ACTION_ROLES,
  TASK_CYCLE_ACTIONS,
  type StartCycleRequest,
  type StartCycleAnswer,
  type TaskCycleAction,
} from './cycle-commands.js';
export { scheduleQuarterlyCycles, unscheduleQuarterlyCycles, quarterlyScheduleId } from './cycle-schedule.js';
export { cycleReport } from './cycle-report.js';
export { deliveryLog, cyclesOf, type DeliveryLogEntry, type DeliveryLogFilters } from './delivery-log.js';
export {
  taskWorkspace,
  saveDraft,
  dropDraft,
  withFigures,
  parseDraftBody,
  audit,
  DRAFT_KINDS,
  type DraftKind,
  type DraftBody,
  type TaskWorkspace,
  type SubmissionVersion,
} from './workspace.js';
export {
  cycleDashboard,
  listEscalations,
  acknowledgeEscalation,
  type Dashboard,
  type LightCounts,
  type EscalationRow,
} from './dashboard.js';
export {
  CycleRepository,
  type AssignmentRow,
  type CycleClockRow,
  type PreparedCycleRow,
  type TaskToStart,
} from './cycle.repository.js';
