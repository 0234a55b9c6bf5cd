/**
 * The cycle read model in PostgreSQL: the workflows project every transition
 * here (idempotently, by the event's position in the timeline), and the API,
 * the CLI and the dashboard read it — never Temporal visibility.
 */
import type { DataSource } from 'typeorm';
import { calendarVersion, loadWorkingDayCalendar } from '#calendar';
import { rehearsalTagOf, taskCycleWorkflowId, type TaskCycleEvent, type TaskCycleStatus } from '#contracts';
import { owingUnitsOf } from '#persistence';
import { bindReplyEvidence } from './evidence-binding.js';
import { keepNoticeRegister } from './notice-register.js';
import { cycleDate, DomainError, isUuid, type ClockMode, type WorkingDayCalendar } from '#domain';

/** Writes the event and the state after it; an event already written (a replayed activity) changes nothing. */

export async function recordTaskCycleEvent(dataSource: DataSource, event: TaskCycleEvent): Promise<void> {
  const s = event.state;
  await dataSource.transaction(async (manager) => {
    await manager.query(
      `INSERT INTO task_cycle (id, cycle_id, task_id, ordinal, lead_unit_id, status, light, light_reason, expected, completion,
              lead_deadline_at, current_deadline_at, review_deadline_at, days_late, submissions, returns, reminders, escalations,
              extension, catch_up, co_inputs, submitted_at, approved_at, closed_at, last_seq, co_unit_deadline_at,
              incomparable_why, task_version_id, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, $26,
               $27, COALESCE($28::uuid, (SELECT v.id FROM current_task_version v WHERE v.task_id = $3)), now())
       ON CONFLICT (id) DO UPDATE SET
         status = EXCLUDED.status, light = EXCLUDED.light, light_reason = EXCLUDED.light_reason, expected = EXCLUDED.expected,
         completion = EXCLUDED.completion, incomparable_why = EXCLUDED.incomparable_why,
         current_deadline_at = EXCLUDED.current_deadline_at,
         review_deadline_at = EXCLUDED.review_deadline_at, days_late = EXCLUDED.days_late, submissions = EXCLUDED.submissions,
         returns = EXCLUDED.returns, reminders = EXCLUDED.reminders, escalations = EXCLUDED.escalations,
         extension = EXCLUDED.extension, catch_up = EXCLUDED.catch_up, co_inputs = EXCLUDED.co_inputs,
         submitted_at = EXCLUDED.submitted_at, approved_at = EXCLUDED.approved_at, closed_at = EXCLUDED.closed_at,
         last_seq = EXCLUDED.last_seq, updated_at = now()
       WHERE task_cycle.last_seq < EXCLUDED.last_seq`,
      [
        event.taskCycleId,
        event.ref.cycleId,
        event.ref.taskId,
        event.ref.ordinal,
        event.ref.leadUnitId,
        s.status,
        s.light,
        s.lightReason,
        s.expected,
        s.completion,
        s.leadDeadlineAt,
        s.currentDeadlineAt,
        s.reviewDeadlineAt,
        s.daysLate,
        s.submissions,
        s.returns,
        s.reminders,
        s.escalations,
        s.extension,
        s.catchUp,
        JSON.stringify(s.coInputs),
        s.submittedAt,
        s.approvedAt,
        s.closedAt,
        event.seq,
        s.coUnitDeadlineAt,
        s.incomparableWhy ?? null,
        event.ref.taskVersionId ?? null,
      ],
    );
    const inserted = (await manager.query(
      `INSERT INTO task_cycle_event (task_cycle_id, seq, kind, at, actor_id, actor_role, unit_id, details)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING RETURNING seq`,
      [
        event.taskCycleId,
        event.seq,
        event.kind,
        event.at,
        event.actor?.userId ?? null,
        event.actor?.role ?? null,
        event.unitId,
        JSON.stringify(event.details),
      ],
    )) as unknown[];
    await keepNoticeRegister(manager, event);
    // Recorded now, not again by a retry: the reply takes the files pending now, never those attached since.
    if (event.kind === 'notice_replied' && inserted.length > 0) {
      await bindReplyEvidence(manager, {
        taskCycleId: event.taskCycleId,
        seq: event.seq,
        unitId: event.unitId,
        at: event.at,
      });
    }
  });
}

export interface CycleRow {
  id: string;
  planId: string;
  planName: string;
  quarter: string;
  mode: 'real' | 'rehearsal';
  status: 'open' | 'closed';
  taskCount: number;
  provisional: boolean;
  schedule: Record<string, unknown>;
  instants: Record<string, unknown>;
  clock: Record<string, unknown>;
  report: Record<string, unknown> | null;
  startedAt: string;
  closedAt: string | null;
}

export async function findCycle(dataSource: DataSource, cycleId: string): Promise<CycleRow> {
  const rows = (await dataSource.query(
    `SELECT c.id, c.plan_id AS "planId", p.name AS "planName", c.quarter, c.mode, c.status, c.task_count AS "taskCount",
            c.provisional, c.schedule, c.instants, c.clock, c.report, c.started_at AS "startedAt", c.closed_at AS "closedAt"
       FROM cycle c JOIN plan p ON p.id = c.plan_id WHERE c.id = $1`,
    [cycleId],
  )) as CycleRow[];
  if (!rows[0]) throw new DomainError('NOT_FOUND', `没有填报周期 ${cycleId}`, `No cycle ${cycleId}`);
  return rows[0];
}

/**
 * Whose tasks a caller may see: those their own units (as reporter, leader or
 * backup) lead or co-operate on; those led by the units they supervise; and
 * those in the categories they supervise.
 */
export interface TaskScope {
  /** Units one works for: their tasks, led or co-operated on. */
  unitIds: string[];
  /** Units one supervises: the tasks they lead (a supervisor reads what they review, no more). */
  leadUnitIds?: string[];
  categoryIds: string[];
}

/**
 * The SQL condition of `scope` over `tc` (task_cycle) and `v` (its task
 * version), its arrays appended to `params`. The units this cycle assigned
 * (lead and co-units), not a later version of the plan's.
 */
function scopeWhere(scope: TaskScope, params: unknown[]): string {
  params.push(scope.unitIds, scope.leadUnitIds ?? [], scope.categoryIds);
  const [units, leads, categories] = [params.length - 2, params.length - 1, params.length].map((n) => `$${n}`);
  return `(tc.lead_unit_id = ANY(${units}::uuid[]) OR tc.co_inputs ?| ${units}::text[]
           OR tc.lead_unit_id = ANY(${leads}::uuid[]) OR v.category_id = ANY(${categories}::uuid[]))`;
}

/** The SQL condition "cycle `c` holds a task in the scope" (null: every cycle), its arrays appended to `params`. */
function cycleInScope(scope: TaskScope | null, params: unknown[]): string {
  if (!scope) return 'true';
  return `EXISTS (SELECT 1 FROM task_cycle tc JOIN task_version v ON v.id = tc.task_version_id
                   WHERE tc.cycle_id = c.id AND ${scopeWhere(scope, params)})`;
}

/**
 * Refuses (403 WRONG_UNIT) a cycle in which no task is in `scope`: the cycles
 * one may open are those `listCycles` lists for the same scope. NOT_FOUND
 * when there is no such cycle.
 */
export async function assertCycleInScope(dataSource: DataSource, cycleId: string, scope: TaskScope): Promise<void> {
  const params: unknown[] = [cycleId];
  const rows = (await dataSource.query(
    `SELECT ${cycleInScope(scope, params)} AS "inScope" FROM cycle c WHERE c.id = $1`,
    params,
  )) as { inScope: boolean }[];
  if (!rows[0]) throw new DomainError('NOT_FOUND', `没有填报周期 ${cycleId}`, `No cycle ${cycleId}`);
  if (!rows[0].inScope) {
    throw new DomainError('WRONG_UNIT', '您的单位不参与此填报周期', 'your units take no part in this cycle');
  }
}

/** A cycle as the list of cycles shows it (CycleRow without its schedule, clock and report). */
export type CycleListRow = Pick<
  CycleRow,
  'id' | 'planId' | 'planName' | 'quarter' | 'mode' | 'status' | 'taskCount' | 'startedAt' | 'closedAt'
>;

/**
 * The cycles, newest first (at most 200): of one plan (`plan`: its id or its
 * name), or of every plan; with a `scope`, only those in which one of its
 * units leads or co-operates on a task, or which hold a task of one of its
 * categories (a reporter's or a scoped supervisor's view). Null scope: all.
 */
export async function listCycles(
  dataSource: DataSource,
  filters: { plan?: string; scope: TaskScope | null },
): Promise<CycleListRow[]> {
  const params: unknown[] = [filters.plan || null];
  return (await dataSource.query(
    `SELECT c.id, c.plan_id AS "planId", p.name AS "planName", c.quarter, c.mode, c.status, c.task_count AS "taskCount",
            c.started_at AS "startedAt", c.closed_at AS "closedAt"
       FROM cycle c JOIN plan p ON p.id = c.plan_id
      WHERE ($1::text IS NULL OR p.id::text = $1 OR p.name = $1)
        AND ${cycleInScope(filters.scope, params)}
      ORDER BY c.started_at DESC LIMIT 200`,
    params,
  )) as CycleListRow[];
}

export interface TaskCycleFilters {
  status?: TaskCycleStatus;
  light?: 'green' | 'yellow' | 'red';
  /** Unit id or name: tasks it leads or co-operates on (a name no unit has: none). */
  unit?: string;
  /** The caller's scope (undefined: every task). */
  scope?: TaskScope;
  /** Category ordinal or name. */
  category?: string;
  overdue?: boolean;
  lagging?: boolean;
  /** An extension in this state (requested: waiting for the coordinator). */
  extension?: 'requested' | 'granted' | 'refused' | 'withdrawn';
  limit?: number;
  offset?: number;
}

const TASK_CYCLE_COLUMNS = `tc.id, tc.task_id AS "taskId", tc.task_version_id AS "taskVersionId", tc.ordinal, c.ordinal AS "categoryOrdinal", c.name AS category,
  v.content, lu.name AS "leadUnit", tc.lead_unit_id AS "leadUnitId",
  (SELECT array_agg(u.name ORDER BY tu.position) FROM task_unit tu JOIN unit u ON u.id = tu.unit_id
    WHERE tu.task_version_id = v.id AND tu.role = 'co') AS "coUnits",
  tc.status, tc.light, tc.light_reason AS "lightReason", tc.expected::float8 AS expected, tc.completion::float8 AS completion,
  tc.lead_deadline_at AS "leadDeadlineAt", tc.current_deadline_at AS "currentDeadlineAt",
  tc.review_deadline_at AS "reviewDeadlineAt", tc.co_unit_deadline_at AS "coUnitDeadlineAt", tc.days_late AS "daysLate", tc.submissions, tc.returns, tc.reminders,
  tc.escalations, tc.extension, tc.catch_up AS "catchUp", tc.co_inputs AS "coInputs", tc.submitted_at AS "submittedAt",
  tc.approved_at AS "approvedAt", tc.closed_at AS "closedAt",
  (SELECT p.light FROM task_cycle p JOIN cycle pc ON pc.id = p.cycle_id JOIN cycle cc ON cc.id = tc.cycle_id
    WHERE p.task_id = tc.task_id AND pc.plan_id = cc.plan_id AND pc.mode = cc.mode AND p.light IS NOT NULL
      AND period_end(pc.quarter) < period_end(cc.quarter)
    ORDER BY period_end(pc.quarter) DESC, pc.started_at DESC LIMIT 1) AS "previousLight",
  (SELECT jsonb_build_object('workingDays', (e.details->>'workingDays')::int, 'reason', e.details->>'reason', 'at', e.at)
     FROM task_cycle_event e WHERE e.task_cycle_id = tc.id AND e.kind = 'extension_requested'
    ORDER BY e.seq DESC LIMIT 1) AS "extensionAsked"`;

const TASK_CYCLE_FROM = `FROM task_cycle tc
  JOIN task_version v ON v.id = tc.task_version_id
  JOIN category c ON c.id = v.category_id
  JOIN unit lu ON lu.id = tc.lead_unit_id`;

export type TaskCycleView = Record<string, unknown> & {
  id: string;
  taskId: string;
  /** The task version the task-cycle holds to (its content, units and targets). */
  taskVersionId: string;
  ordinal: number;
  status: string;
  currentDeadlineAt: string | Date;
  coUnitDeadlineAt: string | Date | null;
  coInputs: Record<string, string | null> | null;
  leadUnitId: string;
  /**
   * The unit's latest extension request (延期申请): working days asked, its
   * reason, the instant asked; null when it never asked. What `extension`
   * says of it (requested: waiting for a coordinator's decision).
   */
  extensionAsked: { workingDays: number; reason: string; at: string } | null;
  /** The day the caller's deadline is, as people see it (a rehearsal's simulated day): a co-unit's own for a caller who only co-operates. */
  deadlineDate?: string;
  /** Working days from today (as people see it) to that deadline; 0 on the day and after. */
  workingDaysLeft?: number;
};

const calendarCache = new WeakMap<DataSource, { value: WorkingDayCalendar; version: string }>();

/** How a cycle tells its days: its clock, opening day, a rehearsal's current date, and the calendar (cached a minute). */
export async function cycleDaysOf(
  dataSource: DataSource,
  cycleId: string,
): Promise<
  { clock: ClockMode; opensOn: string; rehearsalDate: string | null; calendar: WorkingDayCalendar } | undefined
> {
  const [cycle] = (await dataSource.query(
    `SELECT clock, schedule->>'opensOn' AS "opensOn", schedule->'workingDays'->>rehearsal_day AS "rehearsalDate"
       FROM cycle WHERE id = $1`,
    [cycleId],
  )) as { clock: ClockMode; opensOn: string; rehearsalDate: string | null }[];
  if (!cycle) return undefined;
  // Each database its own calendar; an admin's correction shows at once (its version is asked, one short row).
  const version = await calendarVersion(dataSource);
  let cached = calendarCache.get(dataSource);
  if (!cached || cached.version !== version) {
    cached = { value: await loadWorkingDayCalendar(dataSource), version };
    calendarCache.set(dataSource, cached);
  }
  return { ...cycle, calendar: cached.value };
}

/**
 * Adds each task-cycle's deadline as the day people see (a rehearsal's
 * simulated day, a real cycle's date in China) and the working days left to it.
 */
async function withDeadlineDates<T extends TaskCycleView>(
  dataSource: DataSource,
  cycleId: string,
  items: T[],
  /** The caller's units: one who only co-operates on a task works to the co-units' deadline. */
  callerUnits: readonly string[] = [],
): Promise<T[]> {
  if (items.length === 0) return items;
  const cycle = await cycleDaysOf(dataSource, cycleId);
  if (!cycle) return items;
  const { calendar } = cycle;
  // A rehearsal's today is its simulated day, which advances by the work (not the clock).
  const today = cycle.rehearsalDate ?? cycleDate(new Date().toISOString(), cycle.opensOn, cycle.clock, calendar);
  const coOnly = (item: T) =>
    item.coUnitDeadlineAt !== null &&
    !callerUnits.includes(item.leadUnitId) &&
    Object.keys(item.coInputs ?? {}).some((unit) => callerUnits.includes(unit));
  return items.map((item) => {
    const deadlineDate = cycleDate(
      new Date(coOnly(item) ? item.coUnitDeadlineAt! : item.currentDeadlineAt).toISOString(),
      cycle.opensOn,
      cycle.clock,
      calendar,
    );
    return { ...item, deadlineDate, workingDaysLeft: calendar.workingDaysBetween(today, deadlineDate) };
  });
}

/**
 * One page of the cycle's task-cycles in plan order (category, then task
 * ordinal), filtered, with `total` the count of all that pass the filters.
 * `limit` is clamped to 1 … 1000 (default 200), `offset` to ≥ 0. Each item
 * carries its deadline as people see it (`deadlineDate`, `workingDaysLeft`).
 */
export async function listTaskCycles(
  dataSource: DataSource,
  cycleId: string,
  filters: TaskCycleFilters = {},
): Promise<{ total: number; items: TaskCycleView[] }> {
  const where = ['tc.cycle_id = $1'];
  const params: unknown[] = [cycleId];
  const add = (clause: (n: string) => string, value: unknown) => {
    params.push(value);
    where.push(clause(`$${params.length}`));
  };
  if (filters.status) add((n) => `tc.status = ${n}`, filters.status);
  if (filters.light) add((n) => `tc.light = ${n}`, filters.light);
  if (filters.unit)
    add(
      (n) =>
        isUuid(filters.unit!)
          ? `EXISTS (SELECT 1 FROM task_unit tu WHERE tu.task_version_id = v.id AND tu.unit_id = ${n}::uuid)`
          : `EXISTS (SELECT 1 FROM task_unit tu JOIN unit u ON u.id = tu.unit_id
                      WHERE tu.task_version_id = v.id AND u.name = ${n})`,
      filters.unit,
    );
  if (filters.scope) where.push(scopeWhere(filters.scope, params));
  if (filters.category)
    add((n) => (/^\d{1,4}$/.test(filters.category!) ? `c.ordinal = ${n}::int` : `c.name = ${n}`), filters.category);
  if (filters.overdue) where.push(`tc.days_late > 0 AND tc.status IN ('overdue', 'returned', 'assigned')`);
  if (filters.lagging) where.push(`tc.light IN ('yellow', 'red')`);
  if (filters.extension) add((n) => `tc.extension = ${n}`, filters.extension);
  const limit = Math.min(Math.max(filters.limit ?? 200, 1), 1000);
  const offset = Math.max(filters.offset ?? 0, 0);
  const [{ total }] = (await dataSource.query(
    `SELECT count(*)::int AS total ${TASK_CYCLE_FROM} WHERE ${where.join(' AND ')}`,
    params,
  )) as [{ total: number }];
  const items = (await dataSource.query(
    `SELECT ${TASK_CYCLE_COLUMNS} ${TASK_CYCLE_FROM} WHERE ${where.join(' AND ')}
      ORDER BY c.ordinal, tc.ordinal LIMIT ${limit} OFFSET ${offset}`,
    params,
  )) as TaskCycleView[];
  return { total, items: await withDeadlineDates(dataSource, cycleId, items, filters.scope?.unitIds) };
}

export interface TimelineEvent {
  seq: number;
  kind: string;
  /** The instant decided: a real cycle's clock time; in a rehearsal, an instant on its simulated-day grid. */
  at: string;
  /** The day people saw it (YYYY-MM-DD): a rehearsal's simulated working day, a real cycle's date in China. */
  day: string;
  /** A rehearsal's event: its day is simulated, its clock time means nothing. */
  simulated: boolean;
  actorId: string | null;
  actorRole: string | null;
  unit: string | null;
  details: Record<string, unknown>;
  /** The evidence files (佐证材料) sent with this event's report, input, catch-up plan or 督办单 reply. */
  evidence?: TimelineEvidence[];
}

/** An evidence file as a timeline names it. */
export interface TimelineEvidence {
  id: string;
  fileName: string;
  mediaType: string;
  sizeBytes: number;
}

function notInCycle(cycleId: string, taskId: string): DomainError {
  return new DomainError(
    'NOT_FOUND',
    `周期 ${cycleId} 中没有任务 ${taskId}`,
    `Task ${taskId} is not part of cycle ${cycleId}`,
  );
}

/** Refuses a task outside the caller's scope (WRONG_UNIT), or not in the cycle at all (NOT_FOUND); one small query. */
export async function assertTaskInScope(
  dataSource: DataSource,
  cycleId: string,
  taskId: string,
  scope: TaskScope,
): Promise<void> {
  const params: unknown[] = [cycleId, taskId];
  const rows = isUuid(taskId)
    ? ((await dataSource.query(
        `SELECT ${scopeWhere(scope, params)} AS "inScope" ${TASK_CYCLE_FROM}
          WHERE tc.cycle_id = $1 AND tc.task_id = $2::uuid`,
        params,
      )) as { inScope: boolean }[])
    : [];
  if (!rows[0]) throw notInCycle(cycleId, taskId);
  if (!rows[0].inScope)
    throw new DomainError('WRONG_UNIT', '您的单位不承担此任务', 'your units do not work on this task');
}

export async function getTaskCycle(
  dataSource: DataSource,
  cycleId: string,
  taskId: string,
  /** The caller's scope (null: every task): a task outside it is refused. */
  scope: TaskScope | null = null,
): Promise<TaskCycleView & { timeline: TimelineEvent[] }> {
  if (scope) await assertTaskInScope(dataSource, cycleId, taskId, scope);
  const rows = isUuid(taskId)
    ? ((await dataSource.query(
        `SELECT ${TASK_CYCLE_COLUMNS} ${TASK_CYCLE_FROM} WHERE tc.cycle_id = $1 AND tc.task_id = $2::uuid`,
        [cycleId, taskId],
      )) as TaskCycleView[])
    : [];
  if (!rows[0]) throw notInCycle(cycleId, taskId);
  const events = (await dataSource.query(
    `SELECT e.seq, e.kind, e.at, e.actor_id AS "actorId", e.actor_role AS "actorRole", u.name AS unit, e.details,
            e.unit_id AS "unitId"
       FROM task_cycle_event e LEFT JOIN unit u ON u.id = e.unit_id WHERE e.task_cycle_id = $1 ORDER BY e.seq`,
    [rows[0].id],
  )) as (Omit<TimelineEvent, 'day' | 'simulated'> & { unitId: string | null })[];
  const days = await cycleDaysOf(dataSource, cycleId);
  const evidenceOf = await timelineEvidence(dataSource, rows[0].id as string, events);
  // Each event on the day people saw it: a rehearsal's simulated day, a real cycle's date in China.
  const timeline: TimelineEvent[] = events.map(({ unitId: _unit, ...e }) => ({
    ...e,
    ...(evidenceOf.has(e.seq) ? { evidence: evidenceOf.get(e.seq) } : {}),
    day: days ? cycleDate(new Date(e.at).toISOString(), days.opensOn, days.clock, days.calendar) : '',
    simulated: days?.clock.kind === 'rehearsal',
  }));
  const changes = await contactChanges(dataSource, rows[0].id);
  const [row] = await withDeadlineDates(dataSource, cycleId, [rows[0]], scope?.unitIds);
  return { ...row!, timeline: withContactChanges(timeline, changes, days) };
}

/** The part each sending event sends, by its kind (the submission kind, or a 督办单 reply). */
const SENDING_EVENTS: Record<string, string> = {
  submitted: 'progress',
  input_submitted: 'input',
  catch_up_submitted: 'catch_up',
  notice_replied: 'notice_reply',
};

/**
 * The evidence files each sending event of a task-cycle sent, by the event's seq: a report, an input or a
 * catch-up plan sent the files of its version (its `sequence`, else the n-th such event at its unit), a
 * 督办单 reply the files bound to it.
 */
async function timelineEvidence(
  dataSource: DataSource,
  taskCycleId: string,
  events: readonly { seq: number; kind: string; unitId: string | null; details: Record<string, unknown> }[],
): Promise<Map<number, TimelineEvidence[]>> {
  const files = (await dataSource.query(
    `SELECT e.id, e.file_name AS "fileName", e.media_type AS "mediaType", e.size_bytes::float8 AS "sizeBytes",
            e.part, e.unit_id AS "unitId", e.reply_seq AS "replySeq",
            COALESCE((SELECT array_agg(s.cycle_sequence) FROM submission_evidence se JOIN submission s ON s.id = se.submission_id
                       WHERE se.evidence_id = e.id), '{}') AS versions
       FROM evidence e WHERE e.task_cycle_id = $1 AND e.sent_at IS NOT NULL ORDER BY e.uploaded_at, e.id`,
    [taskCycleId],
  )) as (TimelineEvidence & { part: string; unitId: string; replySeq: number | null; versions: number[] })[];
  const found = new Map<number, TimelineEvidence[]>();
  if (files.length === 0) return found;
  const counted = new Map<string, number>();
  for (const event of events) {
    const part = SENDING_EVENTS[event.kind];
    if (!part) continue;
    const key = `${part}:${event.unitId}`;
    const sequence = event.details.sequence;
    const version = typeof sequence === 'number' ? sequence : (counted.get(key) ?? 0) + 1;
    counted.set(key, version);
    const sent = files.filter((f) =>
      part === 'notice_reply'
        ? f.replySeq === event.seq
        : f.part === part && f.unitId === event.unitId && f.versions.includes(version),
    );
    if (sent.length > 0) {
      found.set(
        event.seq,
        sent.map(({ id, fileName, mediaType, sizeBytes }) => ({ id, fileName, mediaType, sizeBytes })),
      );
    }
  }
  return found;
}

/** A change of who acts for one of a task-cycle's units, while it ran (`contact_change`). */
interface ContactChangeRow {
  id: string;
  at: Date;
  change: 'granted' | 'revoked' | 'deactivated' | 'reactivated';
  role: string | null;
  personId: string;
  person: string | null;
  unit: string | null;
  /** The last event of the task-cycle recorded before the change (its position in the timeline), or null. */
  afterSeq: number | null;
}

/**
 * The people changes at a task-cycle's units while it ran — a unit role (填报人, 分管领导, AB角) granted or
 * taken away at its lead unit or a unit owing input, a person holding one deactivated or reactivated — each
 * placed after the event recorded just before it. From the task-cycle's first event to its close (or now).
 */
async function contactChanges(dataSource: DataSource, taskCycleId: string): Promise<ContactChangeRow[]> {
  return (await dataSource.query(
    `WITH tc AS (SELECT tc.id, tc.lead_unit_id, tc.task_version_id,
                        (SELECT min(e.recorded_at) FROM task_cycle_event e WHERE e.task_cycle_id = tc.id) AS began,
                        (SELECT max(e.recorded_at) FROM task_cycle_event e
                          WHERE e.task_cycle_id = tc.id AND e.kind = 'closed') AS ended
                   FROM task_cycle tc WHERE tc.id = $1),
          units AS (SELECT tc.lead_unit_id AS unit_id FROM tc
                    UNION SELECT w.unit_id FROM tc CROSS JOIN LATERAL ${owingUnitsOf('tc.task_version_id')} w)
     SELECT c.id, c.at, c.change, c.role, c.person_id AS "personId", p.name AS person,
            (SELECT u.name FROM unit u WHERE u.id = COALESCE(c.unit_id,
                (SELECT r.unit_id FROM person_role r WHERE r.person_id = c.person_id
                   AND r.unit_id IN (SELECT unit_id FROM units) ORDER BY r.unit_id LIMIT 1))) AS unit,
            (SELECT max(e.seq) FROM task_cycle_event e WHERE e.task_cycle_id = $1 AND e.recorded_at <= c.at) AS "afterSeq"
       FROM contact_change c CROSS JOIN tc
       LEFT JOIN person p ON p.id = c.person_id
      WHERE c.at >= tc.began AND c.at <= COALESCE(tc.ended, 'infinity')
        AND ((c.role IN ('reporter', 'leader', 'backup') AND c.unit_id IN (SELECT unit_id FROM units))
             OR (c.change IN ('deactivated', 'reactivated')
                 AND EXISTS (SELECT 1 FROM person_role r
                              WHERE r.person_id = c.person_id AND r.unit_id IN (SELECT unit_id FROM units))))
      ORDER BY c.id`,
    [taskCycleId],
  )) as ContactChangeRow[];
}

/**
 * The timeline with each people change after the event recorded before it (kind `contact_changed`,
 * details `{ change, role, personId, person }`, a negative seq of its own). Its day: in a rehearsal,
 * the simulated day of the event before it (the day everyone saw then); in a real cycle, its date in China.
 */
function withContactChanges(
  timeline: TimelineEvent[],
  changes: readonly ContactChangeRow[],
  days: Awaited<ReturnType<typeof cycleDaysOf>>,
): TimelineEvent[] {
  if (changes.length === 0) return timeline;
  const rehearsal = days?.clock.kind === 'rehearsal';
  const merged: TimelineEvent[] = [];
  const entry = (c: ContactChangeRow, before: TimelineEvent | undefined): TimelineEvent => ({
    seq: -Number(c.id),
    kind: 'contact_changed',
    at: new Date(c.at).toISOString(),
    day: rehearsal
      ? (before?.day ?? '')
      : days
        ? cycleDate(new Date(c.at).toISOString(), days.opensOn, days.clock, days.calendar)
        : '',
    simulated: rehearsal,
    actorId: null,
    actorRole: null,
    unit: c.unit,
    details: { change: c.change, role: c.role, personId: c.personId, person: c.person },
  });
  let next = 0;
  for (const e of timeline) {
    while (next < changes.length && changes[next]!.afterSeq !== null && changes[next]!.afterSeq! < e.seq) {
      merged.push(entry(changes[next]!, merged.at(-1)));
      next += 1;
    }
    merged.push(e);
  }
  for (; next < changes.length; next += 1) merged.push(entry(changes[next]!, merged.at(-1)));
  return merged;
}

/**
 * The workflow ids of a cycle's task-cycles not known to have closed, in task
 * order: every task of the plan (a task-cycle not yet in the read model
 * counts as open), less those whose close is recorded and those struck off
 * without a task-cycle in it (closed or cancelled before it started).
 */
export async function openTaskCycleIds(dataSource: DataSource, cycleId: string): Promise<string[]> {
  const rows = (await dataSource.query(
    `SELECT t.id AS "taskId", c.quarter FROM cycle c JOIN task t ON t.plan_id = c.plan_id
      WHERE c.id = $1 AND NOT EXISTS (SELECT 1 FROM task_cycle tc
                                       WHERE tc.cycle_id = c.id AND tc.task_id = t.id AND tc.closed_at IS NOT NULL)
        AND (t.struck_off IS NULL OR EXISTS (SELECT 1 FROM task_cycle tc WHERE tc.cycle_id = c.id AND tc.task_id = t.id))
      ORDER BY t.ordinal`,
    [cycleId],
  )) as { taskId: string; quarter: string }[];
  const tag = rehearsalTagOf(cycleId);
  return rows.map((r) => taskCycleWorkflowId(r.taskId, r.quarter, tag));
}

/**
 * For each of `taskIds` a real cycle holds in an open task-cycle while its digests still run (before its
 * close), that task-cycle (the newest cycle's, should two): the tasks whose reminders can go in a digest.
 */
export async function runningTaskCycles(
  dataSource: DataSource,
  taskIds: readonly string[],
): Promise<Map<string, { cycleId: string; taskCycleId: string }>> {
  const rows = (await dataSource.query(
    `SELECT DISTINCT ON (tc.task_id) tc.task_id AS "taskId", tc.cycle_id AS "cycleId", tc.id AS "taskCycleId"
       FROM task_cycle tc JOIN cycle c ON c.id = tc.cycle_id
      WHERE tc.task_id = ANY($1::uuid[]) AND c.mode = 'real' AND c.status = 'open' AND tc.closed_at IS NULL
        AND now() < COALESCE((c.instants ->> 'closeAt')::timestamptz, '-infinity')
      ORDER BY tc.task_id, c.started_at DESC`,
    [taskIds],
  )) as { taskId: string; cycleId: string; taskCycleId: string }[];
  return new Map(rows.map(({ taskId, ...held }) => [taskId, held]));
}

/** Counts the cycle's task-cycles by status and by light. */
export async function cycleCounts(
  dataSource: DataSource,
  cycleId: string,
): Promise<{ total: number; closed: number; byStatus: Record<string, number>; byLight: Record<string, number> }> {
  const rows = (await dataSource.query(
    `SELECT status, COALESCE(light, 'none') AS light, (closed_at IS NOT NULL) AS closed, count(*)::int AS n
       FROM task_cycle WHERE cycle_id = $1 GROUP BY 1, 2, 3`,
    [cycleId],
  )) as { status: string; light: string; closed: boolean; n: number }[];
  const byStatus: Record<string, number> = {};
  const byLight: Record<string, number> = {};
  let total = 0;
  let closed = 0;
  for (const r of rows) {
    byStatus[r.status] = (byStatus[r.status] ?? 0) + r.n;
    byLight[r.light] = (byLight[r.light] ?? 0) + r.n;
    total += r.n;
    if (r.closed) closed += r.n;
  }
  return { total, closed, byStatus, byLight };
}
