/** libs/notifications: outgoing mail over SMTP, and the dev SMTP capture server. */
export { Mailer, MailDeliveryError, type OutgoingMail, type SentMail } from './mailer.js';
export { SmtpCapture, type CapturedMessage, type SmtpCaptureOptions } from './smtp-capture.js';
