/**
 * Contract of the notification activities: the worker implements it, the
 * workflows call it through `proxyActivities` knowing only these types.
 */
import type { CycleMailKind } from './cycle.contract.js';

/** instruction: a 领导批示's mail (the instruction, its reminders and escalation). */
export type NotificationKind = 'test' | 'instruction' | CycleMailKind;
/** The demo directory's mail domain: the only addresses a rehearsal mails unless others are allowed. */
export const DEMO_MAIL_DOMAIN = 'demo.duban.local';

/**
 * May a rehearsal's mail go to `recipient`? Demo addresses always; any other
 * only when `allow` names it (an address, or "@domain" for a whole domain;
 * case-insensitive). Real people never receive rehearsal mail by default.
 */
export function rehearsalMayMail(recipient: string, allow: readonly string[]): boolean {
  const address = recipient.trim().toLowerCase();
  const domain = address.slice(address.lastIndexOf('@'));
  if (domain === `@${DEMO_MAIL_DOMAIN}`) return true;
  return allow.some((entry) => {
    const e = entry.trim().toLowerCase();
    return e === address || (e.startsWith('@') && e === domain);
  });
}

export type NotificationStatus = 'pending' | 'sent' | 'failed';

export interface SendNotificationInput {
  /** Unique per (what, step, recipient, sequence): a retried send never mails twice. */
  idempotencyKey: string;
  kind: NotificationKind;
  /** The cycle the mail belongs to, for the delivery log. */
  cycleId?: string;
  /** How many tasks the mail is about (a digest lists several). */
  items?: number;
  /** The calendar day the mail belongs to (in a rehearsal, the simulated day). */
  workingDay?: string;
  recipient: string;
  /** The template language it was written in. */
  language?: 'zh-CN' | 'en';
  subject: string;
  text: string;
  html?: string;
}

export interface SendNotificationResult {
  notificationId: string;
  status: NotificationStatus;
  messageId: string | null;
  /** True when the ledger already held this send and no mail went out now. */
  alreadySent: boolean;
}

export interface NotificationActivities {
  sendNotification(input: SendNotificationInput): Promise<SendNotificationResult>;
}

/** Input of the test-email workflow: proves API → Temporal → worker → PostgreSQL + SMTP. */
export interface TestEmailInput {
  requestId: string;
  recipient: string;
  requestedAt: string;
}

export interface TestEmailResult extends SendNotificationResult {
  workflowId: string;
}

/**
 * The ledger key of one send: what it is about (a workflow id or cycle/task
 * key), the step, the recipient and a sequence for repeated steps (the n-th
 * overdue reminder). Unique in PostgreSQL.
 */
export function notificationIdempotencyKey(parts: {
  scope: string;
  step: string;
  recipient: string;
  sequence: number;
}): string {
  return [parts.scope, parts.step, parts.recipient.toLowerCase(), String(parts.sequence)].join('|');
}
