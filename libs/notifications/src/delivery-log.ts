/**
 * The delivery log: every mail the ledger holds, with how many tasks it is
 * about and the (in a rehearsal, simulated) day it belongs to — for admins
 * (REST) and for `duban mail log`.
 */
import type { DataSource } from 'typeorm';
import { DomainError } from '#domain';

export interface DeliveryLogFilters {
  /** Cycle ids; the log of these cycles only. */
  cycleIds?: string[];
  recipient?: string;
  status?: 'pending' | 'sent' | 'failed';
  kind?: string;
  limit?: number;
  offset?: number;
}

export interface DeliveryLogEntry {
  id: string;
  cycleId: string | null;
  recipient: string;
  kind: string;
  items: number;
  workingDay: string | null;
  status: string;
  messageId: string | null;
  subject: string;
  attempts: number;
  smtpResponse: string | null;
  createdAt: string;
  sentAt: string | null;
}

export async function deliveryLog(
  dataSource: DataSource,
  filters: DeliveryLogFilters,
): Promise<{ total: number; messages: DeliveryLogEntry[] }> {
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (clause: (n: string) => string, value: unknown) => {
    params.push(value);
    where.push(clause(`$${params.length}`));
  };
  if (filters.cycleIds) add((n) => `cycle_id = ANY(${n}::text[])`, filters.cycleIds);
  if (filters.recipient) add((n) => `lower(recipient) = lower(${n})`, filters.recipient);
  if (filters.status) add((n) => `status = ${n}`, filters.status);
  if (filters.kind) add((n) => `kind = ${n}`, filters.kind);
  const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
  const limit = Math.min(Math.max(filters.limit ?? 1000, 1), 10_000);
  const offset = Math.max(filters.offset ?? 0, 0);
  const [{ total }] = (await dataSource.query(`SELECT count(*)::int AS total FROM notification ${clause}`, params)) as [
    { total: number },
  ];
  const messages = (await dataSource.query(
    `SELECT id, cycle_id AS "cycleId", recipient, kind, items, to_char(working_day, 'YYYY-MM-DD') AS "workingDay", status,
            message_id AS "messageId", subject, attempts, smtp_response AS "smtpResponse", created_at AS "createdAt",
            sent_at AS "sentAt"
       FROM notification ${clause}
      ORDER BY created_at, id LIMIT ${limit} OFFSET ${offset}`,
    params,
  )) as DeliveryLogEntry[];
  return { total, messages };
}

/** The cycles of a plan and quarter (the real one and its rehearsals), newest first. */
export async function cyclesOf(dataSource: DataSource, planId: string, quarter: string): Promise<string[]> {
  const rows = (await dataSource.query(
    `SELECT id FROM cycle WHERE plan_id = $1 AND quarter = $2 ORDER BY started_at DESC`,
    [planId, quarter],
  )) as { id: string }[];
  if (rows.length === 0) {
    throw new DomainError('NOT_FOUND', `计划在 ${quarter} 没有填报周期`, `The plan has no cycle in ${quarter}`);
  }
  return rows.map((r) => r.id);
}
