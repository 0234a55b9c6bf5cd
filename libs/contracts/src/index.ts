/**
 * libs/contracts: what the API, the worker and the workflows agree on —
 * task queues, workflow ids, search attributes, activity and input types.
 * Pure declarations; safe to import from workflow code.
 */
export { DUBAN_TASK_QUEUE } from './task-queues.js';
export {
  cycleWorkflowId,
  periodOfCycleId,
  taskCycleWorkflowId,
  testEmailWorkflowId,
  rehearsalTagOf,
} from './workflow-ids.js';
export { DUBAN_SEARCH_ATTRIBUTES, SEARCH_ATTRIBUTE_KEYS, type DubanSearchAttributeName } from './search-attributes.js';
export type {
  NotificationKind,
  NotificationStatus,
  SendNotificationInput,
  SendNotificationResult,
  NotificationActivities,
  TestEmailInput,
  TestEmailResult,
} from './notification.contract.js';
export { notificationIdempotencyKey, rehearsalMayMail, DEMO_MAIL_DOMAIN } from './notification.contract.js';
export * from './cycle.contract.js';
export {
  instructionAnsweredSignal,
  instructionWorkflowId,
  type InstructionActivities,
  type InstructionWorkflowInput,
  type InstructionWorkflowResult,
} from './instruction.contract.js';
