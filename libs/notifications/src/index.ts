/** libs/notifications: outgoing mail over SMTP through the ledger, its templates, signed deep links, the delivery log, and the dev SMTP capture server. */
export { Mailer, MailDeliveryError, type OutgoingMail, type SentMail } from './mailer.js';
export { MailLedger, SendInProgressError, SEND_CLAIM_SECONDS, type Delivery, type LedgerEntry } from './ledger.js';
export { SmtpCapture, type CapturedMessage, type SmtpCaptureOptions } from './smtp-capture.js';
export { findNotification } from './notification.repository.js';
export {
  assignmentMail,
  digestMail,
  taskMail,
  reportMail,
  instructionMail,
  type InstructionMailView,
  renderTemplate,
  formatDay,
  MAIL_LANGUAGES,
  TEMPLATE_NAMES,
  type AssignmentLine,
  type DigestLine,
  type MailLanguage,
  type RenderedMail,
  type TemplateName,
  type NoticeStep,
} from './mail-templates.js';
export { DeepLinks, linkSecret, linkPath, LINK_PURPOSES, type LinkClaims, type LinkPurpose } from './deep-links.js';
export { deliveryLog, cyclesOf, type DeliveryLogEntry, type DeliveryLogFilters } from './delivery-log.js';
