/**
 * Activities of the quarterly cycle. Every one is safe to retry: the cycle
 * row and task-cycle events are keyed (cycle id; task-cycle id + position),
 * task-cycle workflows are started under business ids (a second start is
 * refused and counted as existing), submissions are versioned under a lock,
 * and each mail goes through the notification ledger under its own key.
 */
import { ApplicationFailure, Context } from '@temporalio/activity';
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, type Client } from '@temporalio/client';
import { WorkflowIdReusePolicy } from '@temporalio/common';
import type { DataSource } from 'typeorm';
import { calendarVersion, loadWorkingDayCalendar } from '#calendar';
import {
  advanceDayUpdate,
  notificationIdempotencyKey,
  periodOfCycleId,
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
} from '#contracts';
import {
  computeCycleSchedule,
  nextDigestAt,
  DEFAULT_CYCLE_CONFIG,
  parseQuarter,
  scheduleInstants,
  tallyCycle,
  type ClockMode,
  type CycleConfig,
  type ScheduleInstants,
  type WorkingDayCalendar,
} from '#domain';
import { cycleCounts, CycleRepository, noticeNumberOf, openTaskCycleIds, recordTaskCycleEvent } from '#cycles';
import { dayOf, noticeMail, queueReminder, sendDigests, type CycleDays } from '#digest';
import { ensureDemoDirectory, resolveAudiences, type Recipient } from '#directory';
import { assignmentMail, reportMail, type AssignmentLine, type DeepLinks } from '#notifications';
import type { LedgerEntry } from '#notifications';
import { simulateRehearsalDay } from '#rehearsal';
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

/** Heartbeats every 2 s while `work` runs (its steps may each take a while), so a lost worker is noticed soon. */
async function whileBeating<T>(details: unknown, work: () => Promise<T>): Promise<T> {
  heartbeat(details);
  const beat = setInterval(() => heartbeat(details), 2000);
  try {
    return await work();
  } finally {
    clearInterval(beat);
  }
}

const CALENDAR_TTL_MS = 60_000;
const START_CONCURRENCY = 32;
/** Task-cycles asked at once to carry out a rehearsal's day. */
const DAY_CONCURRENCY = 16;

interface CycleClock {
  clock: ClockMode;
  opensOn: string;
  instants: ScheduleInstants;
  config: CycleConfig;
}

export class CycleActivitiesImpl implements CycleActivities {
  private calendar?: { value: WorkingDayCalendar; loadedAt: number; version: string };
  private readonly clocks = new Map<string, CycleClock>();
  private readonly cycles: CycleRepository;

  constructor(
    private readonly dataSource: DataSource,
    private readonly notifications: NotificationActivitiesImpl,
    private readonly temporal: () => Promise<Client>,
    private readonly links: DeepLinks,
    /** The office mails speak for and are signed by (ORG_NAME). */
    private readonly office: string,
  ) {
    this.cycles = new CycleRepository(dataSource);
  }

  private async workingDayCalendar(): Promise<WorkingDayCalendar> {
    // An admin's correction takes effect at once: the stored corrections' version is asked each time (one row).
    const version = await calendarVersion(this.dataSource);
    if (!this.calendar || this.calendar.version !== version || Date.now() - this.calendar.loadedAt > CALENDAR_TTL_MS) {
      this.calendar = { value: await loadWorkingDayCalendar(this.dataSource), loadedAt: Date.now(), version };
    }
    return this.calendar.value;
  }

  private async cycleClock(cycleId: string): Promise<CycleClock> {
    let found = this.clocks.get(cycleId);
    if (!found) {
      found = await this.cycles.clockOf(cycleId);
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
    const plan = await this.cycles.planOf(input.planId);
    if (input.demoContacts) await ensureDemoDirectory(this.dataSource, plan.id);
    const config: CycleConfig = { ...DEFAULT_CYCLE_CONFIG, ...(plan.cycleConfig ?? {}) };
    // A real cycle sends at the plan's hour.
    const clock: ClockMode = input.clock.kind === 'real' ? { kind: 'real', hour: config.reminderHour } : input.clock;
    const calendar = await this.workingDayCalendar();
    const schedule = computeCycleSchedule(parseQuarter(input.quarter), config, calendar);
    const instants = scheduleInstants(schedule, calendar, clock);
    // A retried activity finds the row it wrote and answers the same.
    const row = await this.cycles.prepare({
      cycleId: input.cycleId,
      planId: plan.id,
      clock,
      config,
      schedule,
      instants,
      taskCount: plan.tasks,
    });
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
      workingDays: row.schedule.workingDays,
    };
  }

  async startTaskCycles(input: {
    cycleId: string;
    afterOrdinal: number | null;
    limit: number;
    taskQueue: string;
  }): Promise<{ started: number; existing: number; lastOrdinal: number | null }> {
    const { planId, quarter, config, instants, clock, workingDays } = await this.cycles.startingPoint(input.cycleId);
    const tasks = await this.cycles.tasksToStart(
      planId,
      input.afterOrdinal,
      input.limit,
      parseQuarter(quarter).quarter,
    );
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
          versionId: row.versionId,
          ordinal: row.ordinal,
          categoryName: row.categoryName,
          categoryId: row.categoryId,
          content: row.content,
          targets: row.targets,
          ...(row.milestone ? { milestone: row.milestone } : {}),
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
    // A rehearsal's submissions never stand in the real report.
    const source = (await this.cycleClock(input.cycleId)).clock.kind === 'rehearsal' ? 'simulation' : 'reporter';
    try {
      return await this.cycles.storeSubmission(input, source);
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
    const workingDay = dayOf(input.at ?? new Date(), days);
    const noticeNumber =
      input.kind === 'notice' && input.facts.notice
        ? await noticeNumberOf(this.dataSource, input.taskCycleId, input.facts.notice.seq)
        : null;
    const entries: LedgerEntry[] = recipients.map((recipient) => ({
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
      ...noticeMail(input, recipient, { links: this.links, days, office: this.office, noticeNumber }),
    }));
    // Every notice is in the ledger before any is sent: one the server cannot take now waits there (pending)
    // for the cycle's next digest run, should the workflow stop waiting for this activity.
    for (const entry of entries) await this.notifications.ledger.record(entry);
    let sent = 0;
    for (const entry of entries) if (await this.sendOne(entry)) sent += 1;
    return { recipients: recipients.map((r) => r.email), sent };
  }

  async queueReminder(input: QueueReminderInput): Promise<{ recipients: number }> {
    const recipients = await resolveAudiences(this.dataSource, input.audiences, { taskCycleId: input.taskCycleId });
    if (recipients.length === 0) {
      // Nobody acts for it (a unit without a reporter, a scope without a supervisor): the coordinators are asked
      // to name someone, so the item is in somebody's list.
      const coordinators = await resolveAudiences(this.dataSource, [{ role: 'coordinator' }]);
      await queueReminder(this.dataSource, { ...input, facts: { ...input.facts, unattended: true } }, coordinators);
      return { recipients: coordinators.length };
    }
    await queueReminder(this.dataSource, input, recipients);
    return { recipients: recipients.length };
  }

  async nextDigestAt(input: { cycleId: string; after: string }): Promise<string> {
    const { clock } = await this.cycleClock(input.cycleId);
    return nextDigestAt(input.after, clock, await this.workingDayCalendar());
  }

  async sendDigests(input: { cycleId: string; final?: boolean; at?: string }): Promise<DigestRun> {
    const days = await this.cycleDays(input.cycleId);
    const at = input.at ? new Date(input.at) : undefined;
    return sendDigests(input.cycleId, {
      final: input.final,
      scheduledAt: at,
      // A rehearsal's time is its simulated day, which may run ahead of the clock: what is due is due by it.
      ...(days.clock.kind === 'rehearsal' && at ? { now: at } : {}),
      dataSource: this.dataSource,
      ledger: this.notifications.ledger,
      links: this.links,
      days,
      office: this.office,
      progress: (phase, done, total) => heartbeat({ phase, done, total }),
    });
  }

  async sendAssignments(input: { cycleId: string; at?: string }): Promise<NotifyResult> {
    const { instants } = await this.cycleClock(input.cycleId);
    const days = await this.cycleDays(input.cycleId);
    const due = { lead: dayOf(instants.leadDeadlineAt, days), co: dayOf(instants.coUnitDeadlineAt, days) };
    const rows = await this.cycles.assignments(input.cycleId);
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
    const workingDay = dayOf(input.at ?? new Date(), days);
    let sent = 0;
    for (const [recipient, { person, lines }] of byRecipient) {
      const mail = assignmentMail(person.language, {
        name: person.name,
        lines,
        period: periodOfCycleId(input.cycleId),
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

  async beginDay(input: { cycleId: string; day: number }): Promise<{ taskCycles: number; open: number }> {
    const ids = await openTaskCycleIds(this.dataSource, input.cycleId);
    const client = await this.temporal();
    let next = 0;
    let open = 0;
    const advanceOne = async (id: string) => {
      try {
        // The same update id on a retry: a day is carried out once.
        const answer = await client.workflow
          .getHandle(id)
          .executeUpdate(advanceDayUpdate, { args: [{ day: input.day }], updateId: `day-${input.day}` });
        if (!answer.closed) open += 1;
      } catch (error) {
        // A task-cycle that closed (finished early) meanwhile has no day to carry out.
        if (!(error instanceof WorkflowNotFoundError) && !/already completed/i.test((error as Error).message ?? '')) {
          throw error;
        }
      }
    };
    await whileBeating({ day: input.day }, () =>
      Promise.all(
        Array.from({ length: Math.min(DAY_CONCURRENCY, ids.length) }, async () => {
          while (next < ids.length) await advanceOne(ids[next++]!);
        }),
      ),
    );
    await this.cycles.reachedDay(input.cycleId, input.day);
    return { taskCycles: ids.length, open };
  }

  async simulateDay(input: { cycleId: string; day: number }): Promise<{ actions: number; refused: number }> {
    const client = await this.temporal();
    return whileBeating({ day: input.day }, () =>
      simulateRehearsalDay(client, this.dataSource, input.cycleId, input.day),
    );
  }

  async cycleProgress(input: { cycleId: string }): Promise<{ total: number; open: number }> {
    return this.cycles.progress(input.cycleId);
  }

  async closeCycle(input: { cycleId: string; at?: string }): Promise<CycleReportSummary> {
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
      struckOff: tally.struckOff,
    };
    // The closing day's own reminders are not sent: reporting is over (earlier ones still go, in a last digest).
    const cycle = await this.cycles.close(input.cycleId, summary);
    const coordinators = await resolveAudiences(this.dataSource, [{ role: 'coordinator' }]);
    const days = await this.cycleDays(input.cycleId);
    for (const coordinator of coordinators) {
      const mail = reportMail(coordinator.language, {
        name: coordinator.name,
        planName: cycle.planName,
        quarter: cycle.quarter,
        tasks: summary.tasks,
        approved: summary.approved,
        awaitingReview: summary.awaitingReview,
        unreported: summary.unreported,
        struckOff: tally.struckOff,
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
        workingDay: dayOf(input.at ?? new Date(), days),
        recipient: coordinator.email,
        ...mail,
      });
    }
    return summary;
  }
}
