/** libs/notifications: outgoing mail over SMTP through the ledger, and the dev SMTP capture server. */
export { Mailer, MailDeliveryError, type OutgoingMail, type SentMail } from './mailer.js';
export { MailLedger, SendInProgressError, SEND_CLAIM_SECONDS, type Delivery, type LedgerEntry } from './ledger.js';
export { SmtpCapture, type CapturedMessage, type SmtpCaptureOptions } from './smtp-capture.js';
export { findNotification } from './notification.repository.js';
