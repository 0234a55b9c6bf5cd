/**
 * Activities of the quarterly cycle. Every one is safe to retry: the cycle
 * row and task-cycle events are keyed (cycle id; task-cycle id + position),
 * task-cycle workflows are started under business ids (a second start is
 * refused and counted as existing), submissions are versioned under a lock,
 * and each mail goes through the notification ledger under its own key.
 */
import { ApplicationFailure, Context } from '@temporalio/activity';
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import { WorkflowIdReusePolicy } from '@temporalio/common';
import type { DataSource } from 'typeorm';
import { loadWorkingDayCalendar } from '#calendar';
import {
  notificationIdempotencyKey,
  rehearsalTagOf,
  SEARCH_ATTRIBUTE_KEYS,
  taskCycleWorkflowId,
  type CycleActivities,
  type CycleReportSummary,
  type DigestRun,
  type NotifyInput,
  type NotifyResult,
  type QueueReminderInput,
  type PreparedCycle,
  type StoredSubmission,
  type StoreSubmissionInput,
  type TaskCycleEvent,
  type TaskCycleInput,
  type UnitRef,
} from '#contracts';
import {
  computeCycleSchedule,
  nextDigestAt,
  DEFAULT_CYCLE_CONFIG,
  DomainError,
  parseQuarter,
  scheduleInstants,
  tallyCycle,
  type ClockMode,
  type CycleConfig,
  type ScheduleInstants,
  type Target,
  type WorkingDayCalendar,
} from '#domain';
import {
  assignmentMail,
  cycleCounts,
  dayOf,
  ensureDemoDirectory,
  noticeMail,
  queueReminder,
  recordTaskCycleEvent,
  reportMail,
  resolveAudiences,
  sendDigests,
  type AssignmentLine,
  type CycleDays,
  type DeepLinks,
  type Recipient,
} from '#cycles';
import type { LedgerEntry } from '#notifications';
import type { taskCycleWorkflow } from '#workflows';
import { asActivity, type NotificationActivitiesImpl } from './notification.activities.js';

/**
 * A database refusal of the data itself (SQLSTATE class 22, data exception,
 * e.g. a NUL byte in text; class 23, a constraint) cannot succeed on retry:
 * it fails the command at once instead of wedging the task-cycle in retries.
 * Anything else (the connection, a deadlock) is thrown for Temporal to retry.
 */
function permanentIfRefused(error: unknown): unknown {
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && /^2[23]/.test(code)) {
    return ApplicationFailure.create({
      type: 'INVALID_INPUT',
      message: `数据库拒绝了此内容 / the database refused this content (SQLSTATE ${code})`,
      nonRetryable: true,
    });
  }
  return error;
}

/** Heartbeats when running as an activity (a bench or test may call the methods directly). */
function heartbeat(details: unknown): void {
  try {
    Context.current().heartbeat(details);
  } catch {
    // not inside an activity
  }
}

const CALENDAR_TTL_MS = 60_000;
const START_CONCURRENCY = 32;

interface CycleClock {
  clock: ClockMode;
  opensOn: string;
  instants: ScheduleInstants;
  config: CycleConfig;
}

export class CycleActivitiesImpl implements CycleActivities {
  private calendar?: { value: WorkingDayCalendar; loadedAt: number };
  private readonly clocks = new Map<string, CycleClock>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly notifications: NotificationActivitiesImpl,
    private readonly temporal: () => Promise<Client>,
    private readonly links: DeepLinks,
  ) {}

  private async workingDayCalendar(): Promise<WorkingDayCalendar> {
    if (!this.calendar || Date.now() - this.calendar.loadedAt > CALENDAR_TTL_MS) {
      this.calendar = { value: await loadWorkingDayCalendar(this.dataSource), loadedAt: Date.now() };
    }
    return this.calendar.value;
  }

  private async cycleClock(cycleId: string): Promise<CycleClock> {
    let found = this.clocks.get(cycleId);
    if (!found) {
      const rows = (await this.dataSource.query(
        `SELECT clock, schedule->>'opensOn' AS "opensOn", instants, config FROM cycle WHERE id = $1`,
        [cycleId],
      )) as CycleClock[];
      if (!rows[0]) throw new DomainError('NOT_FOUND', `没有填报周期 ${cycleId}`, `No cycle ${cycleId}`);
      found = rows[0];
      this.clocks.set(cycleId, found);
    }
    return found;
  }

  async prepareCycle(input: {
    cycleId: string;
    planId: string;
    quarter: string;
    clock: ClockMode;
    demoContacts?: boolean;
  }): Promise<PreparedCycle> {
    const plans = (await this.dataSource.query(
      `SELECT p.id, p.name, p.cycle_config AS "cycleConfig", (SELECT count(*)::int FROM task t WHERE t.plan_id = p.id) AS tasks
         FROM plan p WHERE p.id = $1`,
      [input.planId],
    )) as { id: string; name: string; cycleConfig: Partial<CycleConfig> | null; tasks: number }[];
    const plan = plans[0];
    if (!plan) throw new DomainError('NOT_FOUND', `没有计划 ${input.planId}`, `No plan ${input.planId}`);
    if (input.demoContacts) await ensureDemoDirectory(this.dataSource, plan.id);
    const config: CycleConfig = { ...DEFAULT_CYCLE_CONFIG, ...(plan.cycleConfig ?? {}) };
    // A real cycle sends at the plan's hour.
    const clock: ClockMode = input.clock.kind === 'real' ? { kind: 'real', hour: config.reminderHour } : input.clock;
    const calendar = await this.workingDayCalendar();
    const schedule = computeCycleSchedule(parseQuarter(input.quarter), config, calendar);
    const instants = scheduleInstants(schedule, calendar, clock);
    // A retried activity finds the row it wrote and answers the same.
    await this.dataSource.query(
      `INSERT INTO cycle (id, plan_id, quarter, mode, clock, config, schedule, instants, provisional, task_count)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (id) DO NOTHING`,
      [
        input.cycleId,
        plan.id,
        schedule.quarter,
        clock.kind,
        JSON.stringify(clock),
        JSON.stringify(config),
        JSON.stringify(schedule),
        JSON.stringify(instants),
        schedule.provisional,
        plan.tasks,
      ],
    );
    const stored = (await this.dataSource.query(
      `SELECT config, schedule, instants, provisional, task_count AS "taskCount" FROM cycle WHERE id = $1`,
      [input.cycleId],
    )) as {
      config: CycleConfig;
      schedule: typeof schedule;
      instants: ScheduleInstants;
      provisional: boolean;
      taskCount: number;
    }[];
    const row = stored[0]!;
    return {
      cycleId: input.cycleId,
      planId: plan.id,
      planName: plan.name,
      quarter: schedule.quarter,
      config: row.config,
      instants: row.instants,
      opensOn: row.schedule.opensOn,
      closesOn: row.schedule.closesOn,
      provisional: row.provisional,
      taskCount: row.taskCount,
    };
  }

  async startTaskCycles(input: {
    cycleId: string;
    afterOrdinal: number | null;
    limit: number;
    taskQueue: string;
  }): Promise<{ started: number; existing: number; lastOrdinal: number | null }> {
    const cycle = (await this.dataSource.query(
      `SELECT plan_id AS "planId", quarter, config, instants, clock, schedule->'workingDays' AS "workingDays"
         FROM cycle WHERE id = $1`,
      [input.cycleId],
    )) as {
      planId: string;
      quarter: string;
      config: CycleConfig;
      instants: ScheduleInstants;
      clock: ClockMode;
      workingDays: string[];
    }[];
    const { planId, quarter, config, instants, clock, workingDays } = cycle[0]!;
    const tasks = (await this.dataSource.query(
      `SELECT t.id AS "taskId", t.ordinal, c.name AS "categoryName", v.content,
              COALESCE((SELECT json_agg(json_build_object('id', u.id, 'name', u.name, 'role', tu.role) ORDER BY tu.position)
                          FROM task_unit tu JOIN unit u ON u.id = tu.unit_id WHERE tu.task_version_id = v.id), '[]') AS units,
              COALESCE((SELECT json_agg(json_build_object('metric', g.metric, 'value', g.value::float8, 'unit', g.unit,
                                                          'comparator', g.comparator, 'kind', g.kind) ORDER BY g.position)
                          FROM target g WHERE g.task_version_id = v.id), '[]') AS targets
         FROM task t
         JOIN task_version v ON v.task_id = t.id AND v.version = t.current_version
         JOIN category c ON c.id = v.category_id
        WHERE t.plan_id = $1 AND t.ordinal > $2
        ORDER BY t.ordinal LIMIT $3`,
      [planId, input.afterOrdinal ?? 0, input.limit],
    )) as {
      taskId: string;
      ordinal: number;
      categoryName: string;
      content: string;
      units: (UnitRef & { role: 'lead' | 'co' })[];
      targets: Target[];
    }[];
    if (tasks.length === 0) return { started: 0, existing: 0, lastOrdinal: null };
    const client = await this.temporal();
    const tag = rehearsalTagOf(input.cycleId);
    let started = 0;
    let existing = 0;
    let next = 0;
    const startOne = async (row: (typeof tasks)[number]) => {
      const leadUnit = row.units.find((u) => u.role === 'lead')!;
      const taskInput: TaskCycleInput = {
        cycleId: input.cycleId,
        planId,
        quarter,
        config,
        instants,
        grid: { clock, days: workingDays },
        task: {
          taskId: row.taskId,
          ordinal: row.ordinal,
          categoryName: row.categoryName,
          content: row.content,
          targets: row.targets,
          leadUnit: { id: leadUnit.id, name: leadUnit.name },
          coUnits: row.units.filter((u) => u.role === 'co').map((u) => ({ id: u.id, name: u.name })),
        },
      };
      try {
        await client.workflow.start<typeof taskCycleWorkflow>('taskCycleWorkflow', {
          workflowId: taskCycleWorkflowId(row.taskId, quarter, tag),
          taskQueue: input.taskQueue,
          args: [taskInput],
          workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
          typedSearchAttributes: [
            { key: SEARCH_ATTRIBUTE_KEYS.plan, value: planId },
            { key: SEARCH_ATTRIBUTE_KEYS.quarter, value: quarter },
            { key: SEARCH_ATTRIBUTE_KEYS.status, value: 'assigned' },
            { key: SEARCH_ATTRIBUTE_KEYS.leadUnit, value: leadUnit.name },
            { key: SEARCH_ATTRIBUTE_KEYS.deadline, value: new Date(instants.leadDeadlineAt) },
          ],
        });
        started += 1;
      } catch (error) {
        if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
        existing += 1;
      }
      Context.current().heartbeat({ started, existing });
    };
    await Promise.all(
      Array.from({ length: Math.min(START_CONCURRENCY, tasks.length) }, async () => {
        while (next < tasks.length) await startOne(tasks[next++]!);
      }),
    );
    return { started, existing, lastOrdinal: tasks.at(-1)!.ordinal };
  }

  async recordEvent(event: TaskCycleEvent): Promise<void> {
    await recordTaskCycleEvent(this.dataSource, event);
  }

  async storeSubmission(input: StoreSubmissionInput): Promise<StoredSubmission> {
    const { reading } = input;
    try {
      return await this.dataSource.transaction(async (manager) => {
        await manager.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [
          `submission:${input.taskId}:${input.quarter}`,
        ]);
        // A retried activity finds the row its first attempt wrote.
        const mine = (await manager.query(
          `SELECT version FROM submission
            WHERE cycle_id = $1 AND task_id = $2 AND unit_id = $3 AND kind = $4 AND cycle_sequence = $5`,
          [input.cycleId, input.taskId, input.unitId, input.kind, input.sequence],
        )) as StoredSubmission[];
        if (mine[0]) return mine[0];
        const latest = (await manager.query(
          `SELECT max(version) AS version FROM submission WHERE task_id = $1 AND quarter = $2 AND unit_id = $3 AND kind = $4`,
          [input.taskId, input.quarter, input.unitId, input.kind],
        )) as { version: number | null }[];
        const version = (latest[0]?.version ?? 0) + 1;
        await manager.query(
          `INSERT INTO submission (task_id, quarter, unit_id, version, source, kind, cycle_id, actor_id, narrative,
                                   declared_state, completion, stated_rate, growth, readings, cycle_sequence)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`,
          [
            input.taskId,
            input.quarter,
            input.unitId,
            version,
            // A rehearsal's submissions never stand in the real report.
            (await this.cycleClock(input.cycleId)).clock.kind === 'rehearsal' ? 'simulation' : 'reporter',
            input.kind,
            input.cycleId,
            input.actorId,
            input.narrative,
            reading.state,
            reading.completion,
            reading.statedRate,
            reading.growth,
            JSON.stringify(reading.readings),
            input.sequence,
          ],
        );
        return { version };
      });
    } catch (error) {
      throw permanentIfRefused(error);
    }
  }

  /** The days people see in this cycle. */
  private async cycleDays(cycleId: string): Promise<CycleDays> {
    const { clock, opensOn } = await this.cycleClock(cycleId);
    return { clock, opensOn, calendar: await this.workingDayCalendar() };
  }

  /** Sends one recorded mail; a refused address is marked failed and must not hold up the others' mail. */
  private async sendOne(entry: LedgerEntry): Promise<boolean> {
    try {
      const result = await asActivity(() => this.notifications.ledger.send(entry));
      return !result.alreadySent;
    } catch (error) {
      if ((error as { nonRetryable?: boolean }).nonRetryable) return false;
      throw error;
    } finally {
      heartbeat(entry.recipient);
    }
  }

  async notify(input: NotifyInput): Promise<NotifyResult> {
    const recipients = await resolveAudiences(this.dataSource, input.audiences, { taskCycleId: input.taskCycleId });
    const days = await this.cycleDays(input.cycleId);
    const workingDay = dayOf(new Date(), days);
    let sent = 0;
    for (const recipient of recipients) {
      const mail = noticeMail(input, recipient, { links: this.links, days });
      const newlySent = await this.sendOne({
        idempotencyKey: notificationIdempotencyKey({
          scope: input.taskCycleId,
          step: input.step,
          recipient: recipient.email,
          sequence: input.sequence,
        }),
        kind: input.kind,
        cycleId: input.cycleId,
        workingDay,
        recipient: recipient.email,
        ...mail,
      });
      if (newlySent) sent += 1;
    }
    return { recipients: recipients.map((r) => r.email), sent };
  }

  async queueReminder(input: QueueReminderInput): Promise<{ recipients: number }> {
    const recipients = await resolveAudiences(this.dataSource, input.audiences, { taskCycleId: input.taskCycleId });
    await queueReminder(this.dataSource, input, recipients);
    return { recipients: recipients.length };
  }

  async nextDigestAt(input: { cycleId: string; after: string }): Promise<string> {
    const { clock } = await this.cycleClock(input.cycleId);
    return nextDigestAt(input.after, clock, await this.workingDayCalendar());
  }

  async sendDigests(input: { cycleId: string; final?: boolean; at?: string }): Promise<DigestRun> {
    return sendDigests(input.cycleId, {
      final: input.final,
      scheduledAt: input.at ? new Date(input.at) : undefined,
      dataSource: this.dataSource,
      ledger: this.notifications.ledger,
      links: this.links,
      days: await this.cycleDays(input.cycleId),
      progress: (phase, done, total) => heartbeat({ phase, done, total }),
    });
  }

  async sendAssignments(input: { cycleId: string }): Promise<NotifyResult> {
    const { instants } = await this.cycleClock(input.cycleId);
    const days = await this.cycleDays(input.cycleId);
    const due = { lead: dayOf(instants.leadDeadlineAt, days), co: dayOf(instants.coUnitDeadlineAt, days) };
    const rows = (await this.dataSource.query(
      // The plan's tasks as the cycle started them (not the read model, which fills as task-cycles begin).
      `SELECT p.id AS "personId", p.name, p.email, p.language, u.name AS unit, tu.role, t.ordinal, v.content
         FROM cycle c
         JOIN task t ON t.plan_id = c.plan_id
         JOIN task_version v ON v.task_id = t.id AND v.version = t.current_version
         JOIN task_unit tu ON tu.task_version_id = v.id
         JOIN unit u ON u.id = tu.unit_id
         JOIN person_role r ON r.unit_id = u.id AND r.role = 'reporter'
         JOIN person p ON p.id = r.person_id
        WHERE c.id = $1
        ORDER BY p.email, t.ordinal`,
      [input.cycleId],
    )) as (Recipient & { unit: string; role: 'lead' | 'co'; ordinal: number; content: string })[];
    const byRecipient = new Map<string, { person: Recipient; lines: AssignmentLine[] }>();
    for (const row of rows) {
      const mine = byRecipient.get(row.email) ?? { person: row, lines: [] };
      mine.lines.push({
        unit: row.unit,
        role: row.role,
        ordinal: row.ordinal,
        content: row.content,
        dueDate: due[row.role],
      });
      byRecipient.set(row.email, mine);
    }
    const workingDay = dayOf(new Date(), days);
    let sent = 0;
    for (const [recipient, { person, lines }] of byRecipient) {
      const mail = assignmentMail(person.language, {
        name: person.name,
        lines,
        link: this.links.url({
          purpose: 'view',
          cycleId: input.cycleId,
          taskId: null,
          unitId: null,
          personId: person.personId,
        }),
      });
      const newlySent = await this.sendOne({
        idempotencyKey: notificationIdempotencyKey({
          scope: input.cycleId,
          step: 'assignment',
          recipient,
          sequence: 1,
        }),
        kind: 'assignment',
        cycleId: input.cycleId,
        items: lines.length,
        workingDay,
        recipient,
        ...mail,
      });
      if (newlySent) sent += 1;
    }
    return { recipients: [...byRecipient.keys()], sent };
  }

  async cycleProgress(input: { cycleId: string }): Promise<{ total: number; open: number }> {
    const [{ total, closed }] = (await this.dataSource.query(
      `SELECT c.task_count AS total, (SELECT count(*)::int FROM task_cycle tc WHERE tc.cycle_id = c.id AND tc.closed_at IS NOT NULL) AS closed
         FROM cycle c WHERE c.id = $1`,
      [input.cycleId],
    )) as [{ total: number; closed: number }];
    return { total, open: total - closed };
  }

  async closeCycle(input: { cycleId: string }): Promise<CycleReportSummary> {
    const { open, total } = await this.cycleProgress(input);
    // Task-cycles close themselves at the close instant; wait (by retrying) a little for the last of them.
    if (open > 0 && Context.current().info.attempt < 20) {
      throw new Error(`${open} of ${total} task-cycles still closing`);
    }
    const counts = await cycleCounts(this.dataSource, input.cycleId);
    const tally = tallyCycle(counts.byStatus, total);
    const summary: CycleReportSummary = {
      cycleId: input.cycleId,
      tasks: tally.tasks,
      byStatus: counts.byStatus,
      byLight: counts.byLight,
      approved: tally.approved,
      awaitingReview: tally.awaitingReview,
      unreported: tally.unreported,
    };
    await this.dataSource.query(
      `UPDATE cycle SET status = 'closed', report = $2, closed_at = COALESCE(closed_at, now()) WHERE id = $1`,
      [input.cycleId, JSON.stringify(summary)],
    );
    // The closing day's own reminders are not sent: reporting is over (earlier ones still go, in a last digest).
    await this.dataSource.query(
      `UPDATE mail_item m SET dropped_at = now(), dropped_reason = 'closed' FROM cycle c
        WHERE c.id = m.cycle_id AND m.cycle_id = $1 AND m.notification_id IS NULL AND m.dropped_at IS NULL
          AND m.step_at >= (c.instants->>'closeAt')::timestamptz`,
      [input.cycleId],
    );
    const coordinators = await resolveAudiences(this.dataSource, [{ role: 'coordinator' }]);
    const days = await this.cycleDays(input.cycleId);
    const [cycle] = (await this.dataSource.query(
      `SELECT p.name AS "planName", c.quarter FROM cycle c JOIN plan p ON p.id = c.plan_id WHERE c.id = $1`,
      [input.cycleId],
    )) as { planName: string; quarter: string }[];
    for (const coordinator of coordinators) {
      const mail = reportMail(coordinator.language, {
        name: coordinator.name,
        planName: cycle!.planName,
        quarter: cycle!.quarter,
        tasks: summary.tasks,
        approved: summary.approved,
        awaitingReview: summary.awaitingReview,
        unreported: summary.unreported,
        lights: counts.byLight,
        link: this.links.url({
          purpose: 'report_table',
          cycleId: input.cycleId,
          taskId: null,
          unitId: null,
          personId: coordinator.personId,
        }),
      });
      await this.sendOne({
        idempotencyKey: notificationIdempotencyKey({
          scope: input.cycleId,
          step: 'report',
          recipient: coordinator.email,
          sequence: 1,
        }),
        kind: 'report',
        cycleId: input.cycleId,
        items: counts.total,
        workingDay: dayOf(new Date(), days),
        recipient: coordinator.email,
        ...mail,
      });
    }
    return summary;
  }
}
