/**
 * The audit trail (`audit_event`): one line per change that is not a
 * task-cycle event (those are the timeline) — accounts, drafts, plan imports,
 * cycle starts, calendar and cycle-number corrections, acknowledgements,
 * resends — each with its actor. Written inside the change's own transaction
 * where there is one; read newest first by an admin.
 */
import type { DataSource, EntityManager } from 'typeorm';

/** One line of the trail as the API answers it. */
export interface AuditEvent {
  /** bigserial, as text (beyond 2^53 a number would lose digits). */
  id: string;
  /** When it was written (timestamptz). */
  at: string;
  /** The person who made the change; null for the command line and the system. */
  actorId: string | null;
  /** What happened, e.g. `plan.imported`, `draft.saved`. */
  action: string;
  /** What it happened to, e.g. `plan:<id>`, `person:<id>`, a task-cycle id. */
  subject: string;
  details: Record<string, unknown>;
}

/**
 * Appends one line to the audit trail; pass the EntityManager of the change's
 * transaction so the line and the change are kept or lost together.
 */
export async function audit(
  db: DataSource | EntityManager,
  actorId: string | null,
  action: string,
  subject: string,
  details: Record<string, unknown> = {},
): Promise<void> {
  await db.query(`INSERT INTO audit_event (actor_id, action, subject, details) VALUES ($1, $2, $3, $4)`, [
    actorId,
    action,
    subject,
    JSON.stringify(details),
  ]);
}

/** The most lines one read answers (and the default is 200). */
export const AUDIT_TRAIL_MAX = 1000;

/**
 * The trail newest first: every line, or those of one `subject` (exactly as
 * written, e.g. `plan:<id>`). `limit` is clamped to 1 … AUDIT_TRAIL_MAX
 * (default 200).
 */
export async function auditTrail(
  db: DataSource | EntityManager,
  options: { subject?: string; limit?: number } = {},
): Promise<AuditEvent[]> {
  return (await db.query(
    `SELECT id::text, at, actor_id AS "actorId", action, subject, details FROM audit_event
      WHERE $1::text IS NULL OR subject = $1 ORDER BY id DESC LIMIT $2`,
    [options.subject || null, Math.min(Math.max(options.limit ?? 200, 1), AUDIT_TRAIL_MAX)],
  )) as AuditEvent[];
}
