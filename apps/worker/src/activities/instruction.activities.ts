/**
 * Activities of a 领导批示's obligation: its reminders' schedule from the working-day calendar, and each
 * step's mail to whoever the step names, for the units whose answer is still owed. A reminder or late step
 * about a task that a real cycle holds while its digests run is a line of that day's digest instead (owed
 * `instruction`, dropped once answered), so a unit with a quarter under way gets one mail a day, not one more
 * per instruction. Safe to retry: every send goes through the ledger under (instruction, step, unit,
 * recipient), every line is queued once per (task-cycle, step, recipient).
 */
import { ApplicationFailure } from '@temporalio/activity';
import type { DataSource } from 'typeorm';
import { loadWorkingDayCalendar } from '#calendar';
import { instructionWorkflowId, notificationIdempotencyKey, type InstructionActivities } from '#contracts';
import {
  chinaDate,
  DEFAULT_CYCLE_CONFIG,
  INSTRUCTION_ESCALATED_AFTER_WORKING_DAYS,
  instructionDaysLate,
  instructionSteps,
  type InstructionStep,
} from '#domain';
import { runningTaskCycles } from '#cycles';
import { queueReminder } from '#digest';
import { resolveAudiences, type Recipient } from '#directory';
import { instructionMail, type InstructionMailView } from '#notifications';
import { instructionDuties, type InstructionDuties } from '#plans';
import { asActivity, type NotificationActivitiesImpl } from './notification.activities.js';

type UnitRole = 'reporter' | 'leader' | 'backup';

/** Who of an owing unit a step mails: the reporter; the leader from the first day late; the backup from the second. */
function unitRolesOf(step: InstructionStep): UnitRole[] {
  const late = instructionDaysLate(step);
  return ['reporter', ...(late >= 1 ? (['leader'] as const) : []), ...(late >= 2 ? (['backup'] as const) : [])];
}

export class InstructionActivitiesImpl implements InstructionActivities {
  constructor(
    private readonly dataSource: DataSource,
    private readonly notifications: NotificationActivitiesImpl,
    /** The web app's base URL: the mail links to its 领导批示 page (the page asks the person to sign in). */
    private readonly publicUrl: string,
    private readonly office: string,
    /** The clock (tests set the morning a step comes). */
    private readonly now: () => Date = () => new Date(),
  ) {}

  async instructionSchedule(input: {
    instructionId: string;
  }): Promise<{ steps: { step: InstructionStep; at: string }[] }> {
    const duties = await instructionDuties(this.dataSource, input.instructionId);
    // The workflow starts inside the instruction's transaction: a first look may come before its commit.
    if (!duties)
      throw ApplicationFailure.retryable(`批示 ${input.instructionId} 尚未保存 / not stored yet`, 'NOT_FOUND');
    if (!duties.dueOn) return { steps: [] };
    const calendar = await loadWorkingDayCalendar(this.dataSource);
    const steps = instructionSteps(calendar, duties.writtenOn, duties.dueOn, DEFAULT_CYCLE_CONFIG.reminderHour);
    return { steps: steps.map(({ step, at }) => ({ step, at })) };
  }

  async instructionStep(input: {
    instructionId: string;
    step?: InstructionStep;
  }): Promise<{ owed: number; sent: number }> {
    const duties = await instructionDuties(this.dataSource, input.instructionId);
    const owed = duties?.owing.reduce((n, u) => n + u.tasks.length, 0) ?? 0;
    if (!duties?.dueOn || !input.step || owed === 0) return { owed, sent: 0 };
    const step = input.step;
    const daysLate = instructionDaysLate(step);
    const kind = step === 'written' ? 'written' : daysLate > 0 ? 'late' : 'reminder';
    let sent = 0;
    // Reminders and late steps about tasks a running real cycle holds go into its digest; the rest are mailed.
    const mailed = step === 'written' ? duties.owing : await this.queueWhereCyclesRun(duties, step);
    // One mail a person for the step, listing every owing unit of theirs (a reporter of two units gets one).
    const byPerson = new Map<string, { recipient: Recipient; units: InstructionDuties['owing'] }>();
    for (const unit of mailed) {
      const recipients = await resolveAudiences(this.dataSource, [{ unitId: unit.unitId, roles: unitRolesOf(step) }]);
      for (const recipient of recipients) {
        const mine = byPerson.get(recipient.personId) ?? { recipient, units: [] };
        mine.units.push(unit);
        byPerson.set(recipient.personId, mine);
      }
    }
    for (const { recipient, units } of byPerson.values()) {
      if (await this.send(duties, step, 'units', recipient, { kind, daysLate, units })) sent += 1;
    }
    if (daysLate >= INSTRUCTION_ESCALATED_AFTER_WORKING_DAYS) {
      // The 督查室 follows it up; the leader who wrote it learns who has not answered.
      const office = await resolveAudiences(this.dataSource, [{ role: 'coordinator' }]);
      const told = duties.writer.active ? [...office, duties.writer] : office;
      for (const recipient of told.filter((r, i) => told.findIndex((o) => o.personId === r.personId) === i)) {
        if (await this.send(duties, step, 'office', recipient, { kind: 'escalated', daysLate, units: duties.owing })) {
          sent += 1;
        }
      }
    }
    return { owed, sent };
  }

  /**
   * Queues a digest line for each owing task that a real cycle's open task-cycle holds (its digests run each
   * working morning until the close), for whoever the step names at its unit. Answers the units with the tasks
   * left to mail.
   */
  private async queueWhereCyclesRun(
    duties: InstructionDuties,
    step: InstructionStep,
  ): Promise<InstructionDuties['owing']> {
    const held = await runningTaskCycles(
      this.dataSource,
      duties.owing.flatMap((u) => u.tasks.map((t) => t.taskId)),
    );
    if (held.size === 0) return duties.owing;
    // A step carried out after this morning's digest (a worker that was away) would wait a working day: mailed.
    const now = this.now();
    const hour = String(DEFAULT_CYCLE_CONFIG.reminderHour).padStart(2, '0');
    if (now.getTime() >= Date.parse(`${chinaDate(now.toISOString())}T${hour}:30:00+08:00`)) return duties.owing;
    const dueAt = new Date(`${duties.dueOn}T${String(DEFAULT_CYCLE_CONFIG.reminderHour).padStart(2, '0')}:00:00+08:00`);
    const words = duties.text.length > 60 ? `${duties.text.slice(0, 60)}…` : duties.text;
    const mailed: InstructionDuties['owing'] = [];
    for (const unit of duties.owing) {
      const audiences = [{ unitId: unit.unitId, roles: unitRolesOf(step) }];
      const recipients = await resolveAudiences(this.dataSource, audiences);
      for (const task of unit.tasks) {
        const cycle = held.get(task.taskId);
        if (!cycle) continue;
        await queueReminder(
          this.dataSource,
          {
            cycleId: cycle.cycleId,
            taskCycleId: cycle.taskCycleId,
            step: `instruction:${duties.id}:${step}`,
            stepAt: now.toISOString(),
            at: now.toISOString(),
            owed: 'instruction',
            unitId: unit.unitId,
            audiences,
            facts: {
              ordinal: task.ordinal,
              content: task.content,
              leadUnit: unit.unit,
              deadlineAt: dueAt.toISOString(),
              instructionId: duties.id,
              reason: `${duties.writer.name}批示：${words}`,
            },
          },
          recipients,
        );
      }
      const left = unit.tasks.filter((t) => !held.has(t.taskId));
      if (left.length > 0) mailed.push({ ...unit, tasks: left });
    }
    return mailed;
  }

  /** Sends one mail through the ledger: true once it went (now or before); a refused address holds up no one else. */
  private async send(
    duties: InstructionDuties,
    step: InstructionStep,
    about: string,
    recipient: Recipient,
    view: Pick<InstructionMailView, 'kind' | 'daysLate' | 'units'>,
  ): Promise<boolean> {
    const mail = instructionMail(recipient.language, {
      ...view,
      office: this.office,
      name: recipient.name,
      writer: duties.writer.name,
      text: duties.text,
      writtenOn: duties.writtenOn,
      dueOn: duties.dueOn!,
      link: `${this.publicUrl}/#/instructions`,
    });
    const entry = {
      idempotencyKey: notificationIdempotencyKey({
        scope: instructionWorkflowId(duties.id),
        step: `${step}:${about}`,
        recipient: recipient.email,
        sequence: 1,
      }),
      kind: 'instruction' as const,
      items: view.units.reduce((n, u) => n + u.tasks.length, 0),
      recipient: recipient.email,
      language: mail.language,
      subject: mail.subject,
      text: mail.text,
      html: mail.html,
    };
    try {
      await asActivity(() => this.notifications.ledger.send(entry));
      return true;
    } catch (error) {
      if ((error as { nonRetryable?: boolean }).nonRetryable) return false;
      throw error;
    }
  }
}
