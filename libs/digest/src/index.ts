/** libs/digest: reminders queued as lines and sent as one digest per person per working day; notices mailed at once. */
export {
  queueReminder,
  sendDigests,
  noticeMail,
  dayOf,
  taskIdOf,
  type CycleDays,
  type DigestOptions,
} from './digest.js';
