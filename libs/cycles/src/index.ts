/** libs/cycles: the quarterly cycle outside the workflows — directory, read model, starting and messaging cycles. */
export {
  resolveActor,
  resolveAudiences,
  upsertPerson,
  ensureDemoDirectory,
  unitDirectory,
  DEMO_MAIL_DOMAIN,
  type DirectoryUnit,
  type Recipient,
  type PersonInput,
} from './directory.js';
export {
  recordTaskCycleEvent,
  findCycle,
  listCycles,
  listTaskCycles,
  getTaskCycle,
  assertTaskInScope,
  cycleCounts,
  openTaskCycleIds,
  type CycleRow,
  type CycleListRow,
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
  DRAFT_KINDS,
  type DraftKind,
  type DraftBody,
  type TaskWorkspace,
  type SubmissionVersion,
} from './workspace.js';
export { audit, auditTrail, AUDIT_TRAIL_MAX, type AuditEvent } from './audit-trail.js';
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
