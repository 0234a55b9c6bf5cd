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
  cycleCounts,
  type CycleRow,
  type TaskCycleFilters,
  type TaskCycleView,
  type TimelineEvent,
} from './cycle-read-model.js';
export { renderCycleMail, renderAssignmentDigest, type MailText, type AssignmentLine } from './cycle-mail.js';
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
export {
  runRehearsal,
  planSimulation,
  summarise,
  type RehearsalOptions,
  type RehearsalProgress,
  type RehearsalResult,
  type RehearsalTaskSummary,
} from './rehearsal.js';
export { scheduleQuarterlyCycles, unscheduleQuarterlyCycles, quarterlyScheduleId } from './cycle-schedule.js';
export { cycleReport } from './cycle-report.js';
export { deliveryLog, cyclesOf, type DeliveryLogEntry, type DeliveryLogFilters } from './delivery-log.js';
