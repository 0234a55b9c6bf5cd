/**
 * The cycle's mail outside the workflows: queued reminders and the daily
 * digest, and the immediate notices (escalations, returns, extension
 * decisions …), each rendered from the template files in the recipient's
 * language and sent through the ledger.
 *
 * Digest rules: a task-cycle step queues one `mail_item` per recipient
 * (unique per task-cycle, step and recipient). The cycle's daily look-in
 * takes every waiting item whose step has come, drops those no longer owed
 * (reported, reviewed, approved), and writes one ledger row per person for the
 * day (key `cycle|digest:{day}|recipient|1`) linking the items it lists in
 * the same transaction. Items arriving after a person's digest of the day
 * wait for the next one. Then every pending digest row of the cycle is
 * delivered, so a retried run finishes what an interrupted one began and
 * never mails a person twice on one day. At the close, the closing day's
 * own reminders are dropped (reporting is over) and one last digest carries
 * whatever an outage left waiting from the days before — none lost.
 */
import type { DataSource } from 'typeorm';
import {
  notificationIdempotencyKey,
  type Audience,
  type CycleMailKind,
  type DigestOwed,
  type DigestRun,
  type NotifyInput,
  type QueueReminderInput,
} from '#contracts';
import { cycleDate, noticeNumber, NOTICE_REQUIREMENTS, type ClockMode, type WorkingDayCalendar } from '#domain';
import { MailDeliveryError, SendInProgressError, type MailLedger } from '#notifications';
import { returnedRows } from '#persistence';
import type { DeepLinks, LinkPurpose } from '#notifications';
import { resolveAudiences, type Recipient } from '#directory';
import {
  digestMail,
  taskMail,
  type DigestLine,
  type MailLanguage,
  type NoticeStep,
  type RenderedMail,
} from '#notifications';

/** The cycle's clock, for the days people see. */
export interface CycleDays {
  clock: ClockMode;
  opensOn: string;
  calendar: WorkingDayCalendar;
}

export function dayOf(at: string | Date, days: CycleDays): string {
  return cycleDate(typeof at === 'string' ? at : at.toISOString(), days.opensOn, days.clock, days.calendar);
}

/** `task:{taskId}:{quarter}[:rehearsal-…]` → taskId */
export function taskIdOf(taskCycleId: string): string {
  return taskCycleId.split(':')[1]!;
}

/** A digest still refused for now (4xx) after this long is marked failed, for an admin to resend. */
export const GIVE_UP_HOURS = 48;

class TakenMeanwhile extends Error {}

const PURPOSE_OF: Record<DigestOwed, LinkPurpose> = {
  progress: 'report',
  input: 'input',
  review: 'review',
  catch_up: 'catch_up',
  co_late: 'view',
  notice: 'notices',
  notice_to_unit: 'notice',
  approved: 'view',
  instruction: 'instructions',
};

/** What a 督查室 line says happened: the 督办单's state after its step, or the escalation it reports. */
function noticeStepOf(facts: NotifyInput['facts']): NoticeStep {
  if (facts.notice) return facts.notice.state;
  return facts.cause === 'review_overdue' ? 'review_overdue' : 'red';
}

// ---- queued reminders -------------------------------------------------------

/** Queues a reminder for each recipient's digest; a retried call adds nothing. Answers the rows added. */
export async function queueReminder(
  dataSource: DataSource,
  input: QueueReminderInput,
  recipients: readonly Recipient[],
): Promise<number> {
  if (recipients.length === 0) return 0;
  const result = (await dataSource.query(
    `INSERT INTO mail_item (cycle_id, task_cycle_id, step, recipient, person_id, language, owed, unit_id, step_at, facts,
                            audiences)
     SELECT $1, $2, $3, r.email, r.person_id, r.language, $4, $5, $6, $7, $11
       FROM unnest($8::text[], $9::text[], $10::text[]) AS r(email, person_id, language)
     ON CONFLICT (task_cycle_id, step, recipient) DO NOTHING
     RETURNING id`,
    [
      input.cycleId,
      input.taskCycleId,
      input.step,
      input.owed,
      input.unitId,
      input.stepAt,
      JSON.stringify(input.facts),
      recipients.map((r) => r.email.toLowerCase()),
      recipients.map((r) => r.personId),
      recipients.map((r) => r.language),
      JSON.stringify(input.audiences),
    ],
  )) as unknown[];
  return result.length;
}

/** A waiting line the person it was queued for may no longer act on. */
interface QueuedLine {
  id: string;
  cycleId: string;
  taskCycleId: string;
  step: string;
  personId: string | null;
  /** The address it was queued for (lower case). */
  recipient: string;
  owed: DigestOwed;
  unitId: string | null;
  stepAt: Date;
  facts: NotifyInput['facts'];
  audiences: Audience[];
}

/**
 * People change while lines wait. A line queued for someone who no longer
 * acts in the role it was queued for — a unit's 联络员 replaced, a supervisor
 * deactivated or out of scope, an address corrected — goes to whoever its
 * audiences name now (at their address now); when
 * they name nobody, to the coordinators, marked `unattended` so they name
 * someone. The old person's line is dropped ('reassigned'): they get nothing
 * more of it. Lines queued before audiences were kept stay as they were.
 * Answers the lines moved.
 */
export async function reassignLines(dataSource: DataSource, cycleId: string, now: Date): Promise<number> {
  const lines = (await dataSource.query(
    `SELECT m.id, m.cycle_id AS "cycleId", m.task_cycle_id AS "taskCycleId", m.step, m.person_id AS "personId", m.recipient,
            m.owed, m.unit_id AS "unitId", m.step_at AS "stepAt", m.facts, m.audiences
       FROM mail_item m
      WHERE m.cycle_id = $1 AND m.notification_id IS NULL AND m.dropped_at IS NULL AND m.step_at <= $2
        AND m.audiences IS NOT NULL
      ORDER BY m.id`,
    [cycleId, now],
  )) as QueuedLine[];
  const named = new Map<string, Promise<Recipient[]>>();
  const nowNamed = (taskCycleId: string, audiences: Audience[]) => {
    const key = `${taskCycleId}|${JSON.stringify(audiences)}`;
    let found = named.get(key);
    if (!found) {
      found = resolveAudiences(dataSource, audiences, { taskCycleId });
      named.set(key, found);
    }
    return found;
  };
  let moved = 0;
  for (const line of lines) {
    // Still theirs, at the address it was queued for (a corrected address takes the line with it).
    const theirs = (r: Recipient) => r.personId === line.personId && r.email.toLowerCase() === line.recipient;
    const current = await nowNamed(line.taskCycleId, line.audiences);
    if (current.some(theirs)) continue;
    const unattended = current.length === 0;
    const to = unattended ? await nowNamed(line.taskCycleId, [{ role: 'coordinator' }]) : current;
    // Nobody at all to give it to (not even a coordinator), or it is theirs still: it stays where it is.
    if (to.length === 0 || to.some(theirs)) continue;
    await dataSource.transaction(async (manager) => {
      const dropped = (await manager.query(
        `UPDATE mail_item SET dropped_at = now(), dropped_reason = 'reassigned'
          WHERE id = $1 AND notification_id IS NULL AND dropped_at IS NULL RETURNING id`,
        [line.id],
      )) as unknown[];
      if (returnedRows(dropped).length === 0) return; // a digest took it meanwhile
      await manager.query(
        `INSERT INTO mail_item (cycle_id, task_cycle_id, step, recipient, person_id, language, owed, unit_id, step_at,
                                facts, audiences)
         SELECT $1, $2, $3, r.email, r.person_id, r.language, $4, $5, $6, $7, $8
           FROM unnest($9::text[], $10::text[], $11::text[]) AS r(email, person_id, language)
         -- Given back to someone it was taken from (A → B → A): their line waits again.
         ON CONFLICT (task_cycle_id, step, recipient) DO UPDATE SET dropped_at = NULL, dropped_reason = NULL
          WHERE mail_item.dropped_reason = 'reassigned' AND mail_item.notification_id IS NULL`,
        [
          line.cycleId,
          line.taskCycleId,
          line.step,
          line.owed,
          line.unitId,
          line.stepAt,
          JSON.stringify(unattended ? { ...line.facts, unattended: true } : line.facts),
          JSON.stringify(line.audiences),
          to.map((r) => r.email.toLowerCase()),
          to.map((r) => r.personId),
          to.map((r) => r.language),
        ],
      );
      moved += 1;
    });
  }
  return moved;
}

interface WaitingItem {
  id: string;
  taskCycleId: string;
  recipient: string;
  personId: string | null;
  language: MailLanguage;
  owed: DigestOwed;
  unitId: string | null;
  stepAt: Date;
  facts: NotifyInput['facts'];
  /** The recipient's name, to greet them by (null for an address outside the directory). */
  name: string | null;
  /** The recipient is the unit's leader (分管领导) copied on its late report, not its reporter or backup. */
  copied: boolean;
}

export interface DigestOptions {
  dataSource: DataSource;
  ledger: MailLedger;
  links: DeepLinks;
  days: CycleDays;
  /** The office digests are signed by (ORG_NAME, e.g. 区政府督查室). */
  office: string;
  /** Called after each digest written and each delivered (an activity heartbeats). */
  progress?: (phase: 'built' | 'delivered', done: number, total: number) => void;
  now?: Date;
  /**
   * When this digest was due: it names the working day (a run the worker
   * started late still writes that day's digest, under that day's key).
   */
  scheduledAt?: Date;
  /** The last run, after the close: what is still refused for now is marked failed instead of waiting. */
  final?: boolean;
}

/** The waiting items no longer owed: reported, reviewed or approved since they were queued. */
async function dropSettled(dataSource: DataSource, cycleId: string, now: Date): Promise<number> {
  const rows = (await dataSource.query(
    `UPDATE mail_item m SET dropped_at = now(), dropped_reason = 'settled'
       FROM task_cycle tc
      WHERE tc.id = m.task_cycle_id AND m.cycle_id = $1
        AND m.notification_id IS NULL AND m.dropped_at IS NULL AND m.step_at <= $2
        AND ((m.owed IN ('progress', 'co_late', 'input') AND tc.status NOT IN ('assigned', 'returned', 'overdue'))
             -- a return or an extension moved the deadline since: the line was about the old one
             OR (m.owed = 'progress' AND (m.facts ->> 'deadlineAt')::timestamptz < tc.current_deadline_at)
             OR (m.owed IN ('input', 'co_late') AND tc.co_inputs ->> m.unit_id::text IS NOT NULL)
             OR (m.owed = 'review' AND tc.status <> 'submitted')
             OR (m.owed = 'catch_up' AND COALESCE(tc.catch_up, '') NOT IN ('due', 'overdue'))
             -- a 督办单 to reply to, withdrawn as its task was struck off
             OR (m.owed = 'notice_to_unit' AND tc.status = 'struck_off')
             -- a 领导批示 answered since (or its task struck off)
             OR (m.owed = 'instruction' AND (tc.status = 'struck_off' OR NOT EXISTS (
                   SELECT 1 FROM instruction_task it
                    WHERE it.instruction_id = (m.facts ->> 'instructionId')::uuid AND it.task_id = tc.task_id
                      AND it.duty = 'owed'))))
      RETURNING m.id`,
    [cycleId, now],
  )) as unknown[];
  return returnedRows(rows).length;
}

/** A person's lines: the newest item per task and obligation (older ones of it are listed in the same mail). */
function digestLines(
  items: readonly WaitingItem[],
  options: DigestOptions,
  cycleId: string,
  today: string,
  numbers: ReadonlyMap<string, string | null>,
) {
  const newest = new Map<string, WaitingItem>();
  for (const item of items) {
    const key = `${item.taskCycleId}|${item.owed}|${item.unitId ?? ''}`;
    const seen = newest.get(key);
    if (!seen || seen.stepAt < item.stepAt) newest.set(key, item);
  }
  const { calendar } = options.days;
  return [...newest.values()].map((item): DigestLine => {
    const dueDate = item.facts.deadlineAt ? dayOf(item.facts.deadlineAt, options.days) : today;
    const taskId = taskIdOf(item.taskCycleId);
    return {
      ordinal: item.facts.ordinal,
      content: item.facts.content,
      leadUnit: item.facts.leadUnit,
      owed: item.owed,
      ...(item.owed === 'notice' ? { noticeStep: noticeStepOf(item.facts) } : {}),
      ...(item.owed === 'notice_to_unit' && item.facts.notice
        ? {
            summons: {
              number: numbers.get(`${item.taskCycleId}#${item.facts.notice.seq}`) ?? null,
              cause: item.facts.cause === 'catch_up_overdue' ? ('catch_up_overdue' as const) : ('overdue' as const),
              daysLate: item.facts.daysLate ?? 0,
              replyDue: item.facts.notice.replyDeadlineAt
                ? dayOf(item.facts.notice.replyDeadlineAt, options.days)
                : null,
            },
          }
        : {}),
      ...(item.owed === 'approved'
        ? {
            light: item.facts.light ?? null,
            lightReason: item.facts.lightReason ?? null,
            comment: item.facts.comment ?? null,
          }
        : {}),
      copied: item.copied,
      unattended: item.facts.unattended === true,
      movedFrom: item.facts.movedFrom ?? null,
      instruction: item.owed === 'instruction' ? (item.facts.reason ?? null) : null,
      unit: item.owed === 'input' || item.owed === 'co_late' ? (item.facts.unit ?? null) : null,
      dueDate,
      workingDaysLeft: calendar.workingDaysBetween(today, dueDate),
      daysLate: item.owed === 'notice' ? (item.facts.daysLate ?? 0) : calendar.workingDaysBetween(dueDate, today),
      link: options.links.url({
        // A coordinator asked to name someone opens the task to see it, not to act in a role they do not hold.
        purpose: item.facts.unattended ? 'view' : PURPOSE_OF[item.owed],
        cycleId,
        taskId,
        unitId: item.owed === 'input' ? item.unitId : null,
        personId: item.personId ?? item.recipient,
      }),
    };
  });
}

/**
 * One digest per person with waiting reminders, for today; then delivers every
 * pending mail of the cycle: digests, and notices the workflow stopped waiting
 * for while the server was away (they go out with this run, once each).
 */
export async function sendDigests(cycleId: string, options: DigestOptions): Promise<DigestRun> {
  const { dataSource, ledger } = options;
  const now = options.now ?? new Date();
  const workingDay = dayOf(options.scheduledAt ?? now, options.days);
  const dropped = await dropSettled(dataSource, cycleId, now);
  await reassignLines(dataSource, cycleId, now);
  // The closing day's own reminders never go out, even when a late run finds them (reporting is over).
  const waiting = (await dataSource.query(
    `SELECT m.id, m.task_cycle_id AS "taskCycleId", m.recipient, m.person_id AS "personId", m.language, m.owed,
            m.unit_id AS "unitId", m.step_at AS "stepAt", m.facts,
            (SELECT p.name FROM person p WHERE p.id = m.person_id) AS name,
            -- A leader copied on the unit's late report (lead-step lines reach leaders after N days late)
            -- is asked to see to it, not to do it: unless they also report for the unit or stand in (AB角).
            (m.owed IN ('progress', 'catch_up', 'instruction')
              AND EXISTS (SELECT 1 FROM person_role r
                           WHERE r.person_id = m.person_id AND r.unit_id = m.unit_id AND r.role = 'leader')
              AND NOT EXISTS (SELECT 1 FROM person_role r
                               WHERE r.person_id = m.person_id AND r.unit_id = m.unit_id
                                 AND r.role IN ('reporter', 'backup'))) AS copied
       FROM mail_item m JOIN cycle c ON c.id = m.cycle_id
      WHERE m.cycle_id = $1 AND m.notification_id IS NULL AND m.dropped_at IS NULL AND m.step_at <= $2
        AND NOT EXISTS (SELECT 1 FROM person p WHERE p.id = m.person_id AND p.deactivated_at IS NOT NULL)
        AND m.step_at < COALESCE((c.instants->>'closeAt')::timestamptz, 'infinity')
      ORDER BY m.recipient, m.step_at, m.id`,
    [cycleId, now],
  )) as WaitingItem[];
  // The 督办单 issued to units this morning head their digests, with the numbers the register gave them.
  const numbers = new Map<string, string | null>();
  if (waiting.some((item) => item.owed === 'notice_to_unit')) {
    const rows = (await dataSource.query(
      `SELECT task_cycle_id AS "taskCycleId", seq, number_year AS year, number FROM supervision_notice WHERE cycle_id = $1`,
      [cycleId],
    )) as { taskCycleId: string; seq: number; year: number; number: number | null }[];
    for (const row of rows) numbers.set(`${row.taskCycleId}#${row.seq}`, noticeNumber(row.year, row.number));
  }
  const byRecipient = new Map<string, WaitingItem[]>();
  for (const item of waiting) {
    const mine = byRecipient.get(item.recipient);
    if (mine) mine.push(item);
    else byRecipient.set(item.recipient, [item]);
  }

  let items = 0;
  let built = 0;
  for (const [recipient, mine] of byRecipient) {
    options.progress?.('built', ++built, byRecipient.size);
    const lines = digestLines(mine, options, cycleId, workingDay, numbers);
    const noticesLink = lines.some((l) => l.owed === 'notice')
      ? options.links.url({
          purpose: 'notices',
          cycleId,
          taskId: null,
          unitId: null,
          personId: mine[0]!.personId ?? recipient,
        })
      : undefined;
    const mail = digestMail(mine[0]!.language, {
      office: options.office,
      name: mine.find((m) => m.name)?.name ?? undefined,
      today: workingDay,
      lines,
      noticesLink,
    });
    await dataSource
      .transaction(async (manager) => {
        const inserted = (await manager.query(
          `INSERT INTO notification (idempotency_key, kind, cycle_id, items, working_day, recipient, language, subject,
                                   body_text, body_html, status)
         VALUES ($1, 'digest', $2, $3, $4, $5, $6, $7, $8, $9, 'pending')
         ON CONFLICT (idempotency_key) DO NOTHING RETURNING id`,
          [
            notificationIdempotencyKey({ scope: cycleId, step: `digest:${workingDay}`, recipient, sequence: 1 }),
            cycleId,
            lines.length,
            workingDay,
            recipient,
            mail.language,
            mail.subject,
            mail.text,
            mail.html,
          ],
        )) as { id: string }[];
        // Today's digest went out already: these wait for tomorrow's.
        if (!inserted[0]) return;
        const linked = (await manager.query(
          `UPDATE mail_item SET notification_id = $1
          WHERE id = ANY($2::bigint[]) AND notification_id IS NULL AND dropped_at IS NULL RETURNING id`,
          [inserted[0].id, mine.map((m) => m.id)],
        )) as unknown[];
        // An overlapping run took some of them meanwhile: undo this digest, that run sends them.
        if (returnedRows(linked).length !== mine.length) {
          throw new TakenMeanwhile();
        }
        items += lines.length;
      })
      .catch((error: unknown) => {
        if (!(error instanceof TakenMeanwhile)) throw error;
      });
  }

  const pending = await ledger.pending(cycleId);
  let sent = 0;
  let failed = 0;
  let serverDown: unknown = null;
  for (const [index, row] of pending.entries()) {
    try {
      const delivered = await ledger.deliver(row);
      if (!delivered.alreadySent) sent += 1;
    } catch (error) {
      if (error instanceof MailDeliveryError && error.permanent) failed += 1;
      else if (error instanceof MailDeliveryError && error.responseCode === undefined) serverDown ??= error;
      else if (error instanceof MailDeliveryError) {
        // This address is refused for now (4xx): it waits for the next run, not holding up everyone else's mail.
        if (await ledger.giveUp(row.id, options.final ? 0 : GIVE_UP_HOURS)) failed += 1;
      } else if (!(error instanceof SendInProgressError)) throw error; // (another attempt is sending that one)
    }
    options.progress?.('delivered', index + 1, pending.length);
  }
  // The server is unreachable: fail the run so that it is retried with backoff (what went out stays sent).
  if (serverDown) throw serverDown;
  return { workingDay, recipients: byRecipient.size, items, sent, failed, dropped };
}

// ---- immediate notices ------------------------------------------------------

/**
 * The mail of one task-cycle notice for one recipient. Reminders and overdue
 * notices of task-cycles that predate the digest come here one by one and
 * are rendered as a one-line digest. `options.office` signs the mail
 * (ORG_NAME, e.g. 区政府督查室).
 */
export function noticeMail(
  notice: Pick<NotifyInput, 'kind' | 'step' | 'facts' | 'taskCycleId' | 'cycleId'>,
  recipient: Recipient,
  options: { links: DeepLinks; days: CycleDays; office: string; now?: Date; noticeNumber?: string | null },
): RenderedMail {
  const { kind, step, facts } = notice;
  const dueDate = facts.deadlineAt ? dayOf(facts.deadlineAt, options.days) : null;
  const link = (purpose: LinkPurpose) =>
    options.links.url({
      purpose,
      cycleId: notice.cycleId,
      taskId: taskIdOf(notice.taskCycleId),
      unitId: null,
      personId: recipient.personId,
    });
  const view = { office: options.office, task: facts, dueDate, comment: facts.comment, name: recipient.name };
  const language = recipient.language;
  switch (kind as CycleMailKind) {
    case 'escalation':
      return taskMail('escalation', language, {
        ...view,
        link: link('view'),
        daysLate: facts.daysLate,
        cause: facts.cause ?? (facts.light === 'red' ? 'red' : undefined),
        reason: facts.cause ? undefined : facts.reason,
        lightReason: facts.lightReason,
      });
    case 'return':
      return taskMail('return', language, {
        ...view,
        link: link('report'),
        reasonCode: facts.reasonCode,
        reason: facts.reasonCode ? undefined : facts.reason,
      });
    case 'approval':
      return taskMail('approval', language, {
        ...view,
        link: link('view'),
        light: facts.light,
        lightReason: facts.lightReason,
      });
    case 'extension':
      if (step.startsWith('extension-requested')) {
        return taskMail('extension-request', language, {
          ...view,
          link: link('decide_extension'),
          reason: facts.reason,
          workingDays: facts.workingDays,
        });
      }
      return taskMail('extension-decision', language, {
        ...view,
        link: link('report'),
        granted: facts.granted ?? !/未获批准|refused/.test(facts.reason ?? ''),
      });
    case 'catch_up':
      if (step === 'catch-up') {
        return taskMail('catch-up', language, { ...view, link: link('catch_up'), lightReason: facts.lightReason });
      }
      return oneLineDigest('catch_up');
    case 'nudge':
      return taskMail('nudge', language, { ...view, link: link('view') });
    case 'notice': {
      const notice = facts.notice;
      const replyDue = notice?.replyDeadlineAt ? dayOf(notice.replyDeadlineAt, options.days) : null;
      const askedAgain = step.endsWith(':again');
      return taskMail('notice', language, {
        ...view,
        link: link('notice'),
        daysLate: facts.daysLate,
        cause: facts.cause,
        notice: {
          number: options.noticeNumber ?? null,
          replyDue,
          askedAgain,
          requirement:
            askedAgain && notice?.text
              ? notice.text
              : NOTICE_REQUIREMENTS[facts.cause === 'catch_up_overdue' ? 'catch_up_overdue' : 'overdue'][
                  language === 'zh-CN' ? 'zh' : 'en'
                ],
        },
      });
    }
    case 'review':
      return oneLineDigest('review');
    default:
      return oneLineDigest(facts.unit ? 'input' : 'progress');
  }

  function oneLineDigest(owed: DigestOwed): RenderedMail {
    const today = dayOf(options.now ?? new Date(), options.days);
    const due = dueDate ?? today;
    const { calendar } = options.days;
    return digestMail(language, {
      office: options.office,
      name: recipient.name,
      today,
      lines: [
        {
          ...facts,
          owed,
          unit: facts.unit ?? null,
          dueDate: due,
          workingDaysLeft: calendar.workingDaysBetween(today, due),
          daysLate: calendar.workingDaysBetween(due, today),
          link: link(PURPOSE_OF[owed]),
        },
      ],
    });
  }
}
