/**
 * The 督办单 register (supervision notices), kept from the task-cycles'
 * notice events in the same transaction as the event itself, and read for the
 * 督查室's register page, its DOCX and the unit's mail.
 *
 * Numbering: a 督办单 gets its number when it is issued, never before and
 * never again (督办〔2020〕第12号): one counter per year for real cycles (the
 * year the notices of a quarter arise in: the quarter's, or the next for Q4),
 * one per rehearsal so a rehearsal never uses up real numbers.
 */
import type { DataSource, EntityManager } from 'typeorm';
import type { TaskCycleEvent } from '#contracts';
import { cycleDate, DomainError, noticeNumber, parseQuarter } from '#domain';
import { cycleDaysOf, type TaskScope } from './cycle-read-model.js';

const NOTICE_EVENTS = new Set([
  'notice_proposed',
  'notice_issued',
  'notice_replied',
  'notice_asked_again',
  'notice_closed',
]);

/**
 * The year a 督办单 of a period (2020Q3, 2020M07) is numbered in: notices arise after the period, so those of
 * Q4 and of December in the next year.
 */
export function noticeYear(quarter: string): number {
  const period = parseQuarter(quarter);
  return (period.month ?? period.quarter * 3) === 12 ? period.year + 1 : period.year;
}

/**
 * Keeps the register row of the 督办单 an event is about (events of other
 * kinds change nothing). Idempotent: a row moves only forward by event seq,
 * and a number once given stays.
 */
export async function keepNoticeRegister(manager: EntityManager, event: TaskCycleEvent): Promise<void> {
  if (!NOTICE_EVENTS.has(event.kind)) return;
  const d = event.details as {
    notice: number;
    cause: string;
    state: string;
    daysLate: number;
    deadlineAt: string;
    replyDeadlineAt: string | null;
    reply?: string | null;
    requirement?: string | null;
    outcome?: string;
    comment?: string | null;
  };
  const [cycle] = (await manager.query(`SELECT mode, quarter FROM cycle WHERE id = $1`, [event.ref.cycleId])) as {
    mode: 'real' | 'rehearsal';
    quarter: string;
  }[];
  const year = noticeYear(cycle!.quarter);
  const scope = cycle!.mode === 'real' ? String(year) : `rehearsal:${event.ref.cycleId}`;
  const kind = event.kind;
  await manager.query(
    `INSERT INTO supervision_notice (task_cycle_id, seq, cycle_id, number_scope, number_year, cause, state, days_late,
            deadline_at, proposed_at, issued_at, reply_deadline_at, replied_at, reply, requirement, asked_again,
            closed_at, outcome, closing_comment, last_event_seq)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20)
     ON CONFLICT (task_cycle_id, seq) DO UPDATE SET
       state = EXCLUDED.state,
       issued_at = COALESCE(supervision_notice.issued_at, EXCLUDED.issued_at),
       reply_deadline_at = COALESCE(EXCLUDED.reply_deadline_at, supervision_notice.reply_deadline_at),
       replied_at = COALESCE(EXCLUDED.replied_at, supervision_notice.replied_at),
       reply = COALESCE(EXCLUDED.reply, supervision_notice.reply),
       requirement = COALESCE(EXCLUDED.requirement, supervision_notice.requirement),
       asked_again = supervision_notice.asked_again + EXCLUDED.asked_again,
       closed_at = EXCLUDED.closed_at, outcome = EXCLUDED.outcome, closing_comment = EXCLUDED.closing_comment,
       last_event_seq = EXCLUDED.last_event_seq
     WHERE supervision_notice.last_event_seq < EXCLUDED.last_event_seq`,
    [
      event.taskCycleId,
      d.notice,
      event.ref.cycleId,
      scope,
      year,
      d.cause,
      d.state,
      d.daysLate,
      d.deadlineAt,
      event.at,
      kind === 'notice_issued' ? event.at : null,
      d.replyDeadlineAt,
      kind === 'notice_replied' ? event.at : null,
      kind === 'notice_replied' ? (d.reply ?? null) : null,
      kind === 'notice_asked_again' ? (d.requirement ?? null) : null,
      kind === 'notice_asked_again' ? 1 : 0,
      kind === 'notice_closed' ? event.at : null,
      kind === 'notice_closed' ? (d.outcome ?? null) : null,
      kind === 'notice_closed' ? (d.comment ?? null) : null,
      event.seq,
    ],
  );
  if (kind !== 'notice_issued') return;
  // The number, once: the next of its scope (the counter row locks out a concurrent issue until this commits).
  const [row] = (await manager.query(
    `SELECT number FROM supervision_notice WHERE task_cycle_id = $1 AND seq = $2 FOR UPDATE`,
    [event.taskCycleId, d.notice],
  )) as { number: number | null }[];
  if (row!.number !== null) return;
  const [counter] = (await manager.query(
    `INSERT INTO supervision_notice_number (scope, last) VALUES ($1, 1)
     ON CONFLICT (scope) DO UPDATE SET last = supervision_notice_number.last + 1 RETURNING last`,
    [scope],
  )) as { last: number }[];
  await manager.query(`UPDATE supervision_notice SET number = $3 WHERE task_cycle_id = $1 AND seq = $2`, [
    event.taskCycleId,
    d.notice,
    counter!.last,
  ]);
}

/** The printed number of a task-cycle's n-th 督办单 (null: not issued yet, or no such notice). */
export async function noticeNumberOf(
  dataSource: Pick<EntityManager, 'query'>,
  taskCycleId: string,
  seq: number,
): Promise<string | null> {
  const [row] = (await dataSource.query(
    `SELECT number_year AS year, number FROM supervision_notice WHERE task_cycle_id = $1 AND seq = $2`,
    [taskCycleId, seq],
  )) as { year: number; number: number | null }[];
  return row ? noticeNumber(row.year, row.number) : null;
}

/** One 督办单 as the register shows it; days are the days people see (a rehearsal's simulated ones). */
export interface NoticeRow {
  taskCycleId: string;
  taskId: string;
  seq: number;
  /** 督办〔2020〕第12号, null until issued. */
  number: string | null;
  /** The number alone, for sorting (null until issued). */
  numberValue: number | null;
  ordinal: number;
  content: string;
  leadUnitId: string;
  leadUnit: string;
  categoryId: string | null;
  cause: 'overdue' | 'catch_up_overdue';
  state: 'proposed' | 'issued' | 'replied' | 'closed';
  daysLate: number;
  /** The missed deadline, and the days of each step (YYYY-MM-DD). */
  deadline: string;
  proposedOn: string;
  issuedOn: string | null;
  replyDue: string | null;
  repliedOn: string | null;
  reply: string | null;
  requirement: string | null;
  askedAgain: number;
  closedOn: string | null;
  outcome: 'accepted' | 'withdrawn' | 'cycle_closed' | null;
  closingComment: string | null;
  /** The reply is past its deadline (issued, not replied, as of today). */
  replyOverdue: boolean;
}

/**
 * The cycle's 督办单 register, by number (proposed ones last), within the
 * caller's scope. Errors: NOT_FOUND when the cycle does not exist.
 */
export async function listNotices(
  dataSource: DataSource,
  cycleId: string,
  options: { scope?: TaskScope | null; taskCycleId?: string } = {},
): Promise<NoticeRow[]> {
  const days = await cycleDaysOf(dataSource, cycleId);
  if (!days) throw new DomainError('NOT_FOUND', `没有周期 ${cycleId}`, `No cycle ${cycleId}`);
  const scope = options.scope ?? null;
  const rows = (await dataSource.query(
    `SELECT n.task_cycle_id AS "taskCycleId", tc.task_id AS "taskId", n.seq, n.number_year AS "year", n.number,
            tc.ordinal, v.content, tc.lead_unit_id AS "leadUnitId", u.name AS "leadUnit", v.category_id AS "categoryId",
            n.cause, n.state, n.days_late AS "daysLate", n.deadline_at AS "deadlineAt", n.proposed_at AS "proposedAt",
            n.issued_at AS "issuedAt", n.reply_deadline_at AS "replyDeadlineAt", n.replied_at AS "repliedAt", n.reply,
            n.requirement, n.asked_again AS "askedAgain", n.closed_at AS "closedAt", n.outcome,
            n.closing_comment AS "closingComment"
       FROM supervision_notice n
       JOIN task_cycle tc ON tc.id = n.task_cycle_id
       JOIN task_version v ON v.id = tc.task_version_id
       JOIN unit u ON u.id = tc.lead_unit_id
      WHERE n.cycle_id = $1 AND ($2::text IS NULL OR n.task_cycle_id = $2)
        AND ($3::uuid[] IS NULL OR tc.lead_unit_id = ANY($3::uuid[]) OR v.category_id = ANY($4::uuid[]))
      ORDER BY n.number NULLS LAST, tc.ordinal, n.seq`,
    [
      cycleId,
      options.taskCycleId ?? null,
      scope ? [...scope.unitIds, ...(scope.leadUnitIds ?? [])] : null,
      scope ? scope.categoryIds : [],
    ],
  )) as (Omit<
    NoticeRow,
    | 'number'
    | 'numberValue'
    | 'deadline'
    | 'proposedOn'
    | 'issuedOn'
    | 'replyDue'
    | 'repliedOn'
    | 'closedOn'
    | 'replyOverdue'
  > & {
    year: number;
    number: number | null;
    deadlineAt: Date;
    proposedAt: Date;
    issuedAt: Date | null;
    replyDeadlineAt: Date | null;
    repliedAt: Date | null;
    closedAt: Date | null;
  })[];
  const day = (at: Date | null) => (at ? cycleDate(at.toISOString(), days.opensOn, days.clock, days.calendar) : null);
  const today = days.rehearsalDate ?? cycleDate(new Date().toISOString(), days.opensOn, days.clock, days.calendar);
  return rows.map(
    ({ year, number, deadlineAt, proposedAt, issuedAt, replyDeadlineAt, repliedAt, closedAt, ...row }) => {
      const replyDue = day(replyDeadlineAt);
      return {
        ...row,
        number: noticeNumber(year, number),
        numberValue: number,
        deadline: day(deadlineAt)!,
        proposedOn: day(proposedAt)!,
        issuedOn: day(issuedAt),
        replyDue,
        repliedOn: day(repliedAt),
        closedOn: day(closedAt),
        replyOverdue: row.state === 'issued' && replyDue !== null && today > replyDue,
      };
    },
  );
}
