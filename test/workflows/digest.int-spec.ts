/**
 * Mail people don't resent, on the real dev server, PostgreSQL and SMTP
 * capture, as a rehearsal whose days the test advances: a unit leading 26
 * tasks that never reports gets one digest per working day listing all 26,
 * not 26 emails; the 督办单 of day 3 late head that morning's digest (one
 * mail, 26 numbered 督办单) and the 督查室 reads of them in its own digest, never
 * a mail each; SMTP going down for a while loses nothing and sends nothing
 * twice; an address the server refuses is marked failed once per message and
 * not retried; an English-speaking reporter gets the English templates.
 *
 * 2020-Q3 in working days: opens day 0, lead deadline day 17 (10-14),
 * reminders days 14/16/17 (10-10, a make-up Saturday; 10-13; 10-14), late from
 * day 18, escalation day 20, close day 21 (this plan's setting). Digests go
 * out three quarters into each day.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime, type Worker } from '@temporalio/worker';
import type { DataSource } from 'typeorm';
import { nextDayUpdate, type CycleReportSummary } from '#contracts';
import { startCycle } from '#cycles';
import { upsertPerson } from '#directory';
import { deliveryLog } from '#notifications';
import { MailDeliveryError, Mailer, MailLedger } from '#notifications';
import { createDataSource } from '#persistence';
import type { cycleWorkflow } from '#workflows';
import {
  createTestWorker,
  demoAddress,
  importTestPlan,
  mailTo,
  rehearsalStartedAt,
  sleepMs,
  TEST_OFFICE,
  type TestPlan,
} from '../support/cycle-fixtures.js';
import { SmtpSwitch } from '../support/smtp-switch.js';
import { readTestStack, TEST_REHEARSAL_MAIL_TO } from '../support/test-stack.js';

const DAY_MS = 2000;
const CLOSE_AFTER = 4;
const QUARTER = '2020Q3';
const MANY = 26;
const stack = readTestStack();

let env: TestWorkflowEnvironment;
let dataSource: DataSource;
let mailer: Mailer;
let worker: Worker;
let running: Promise<void>;
let plan: TestPlan;
let cycleId: string;
let startedAt: number;
let summary: CycleReportSummary;
/** When SMTP answered again after the outage. */
let smtpBackAt: number;

/**
 * Whether 大户局's digest of day 16 (2020-10-13) has been tried and has failed: the outage was met.
 * (Not merely claimed: an attempt counts as soon as it claims the send, before it meets the server.)
 */
async function triedWhileDown(): Promise<boolean> {
  const [{ n }] = (await dataSource.query(
    `SELECT count(*)::int AS n FROM notification
      WHERE cycle_id = $1 AND recipient = $2 AND kind = 'digest' AND working_day = '2020-10-13'
        AND attempts >= 1 AND status = 'pending' AND claimed_until IS NULL AND smtp_response IS NOT NULL`,
    [cycleId, demoAddress('reporter', plan.unitIds['大户局']!)],
  )) as [{ n: number }];
  return n > 0;
}
const smtp = new SmtpSwitch(new URL(stack.smtpUrl));
const BROKEN = `nobody.${Date.now().toString(36)}@duban.invalid`;
let english: string;

const ROWS = [
  ...Array.from({ length: MANY }, (_, i) => ({ content: `推进第${i + 1}个老旧小区改造`, units: ['大户局'] })),
  { content: '新建口袋公园10个', units: ['坏址局'] },
];

beforeAll(async () => {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  env = await TestWorkflowEnvironment.createFromExistingServer({ address: stack.temporalAddress });
  dataSource = createDataSource(stack.databaseUrl, 'duban-digest-int-spec');
  await dataSource.initialize();
  await smtp.on();
  mailer = new Mailer(`smtp://127.0.0.1:${smtp.port}`, '督办 Duban <duban@test.local>');
  plan = await importTestPlan(dataSource, 'digest-int', ROWS);
  await dataSource.query(`UPDATE plan SET cycle_config = $2 WHERE id = $1`, [
    plan.planId,
    JSON.stringify({ closeAfterWorkingDays: CLOSE_AFTER }),
  ]);
  // 坏址局's reporters: one address the server refuses, one colleague who reads English.
  const code = plan.unitIds['坏址局']!.slice(0, 8);
  english = `english.${code}@demo.duban.local`;
  await upsertPerson(dataSource, {
    id: `broken.${code}`,
    name: '地址错误的填报人',
    email: BROKEN,
    roles: [{ role: 'reporter', unitId: plan.unitIds['坏址局'] }],
  });
  await upsertPerson(dataSource, {
    id: `english.${code}`,
    name: 'Li Lei',
    email: english,
    language: 'en',
    roles: [{ role: 'reporter', unitId: plan.unitIds['坏址局'] }],
  });
  const created = await createTestWorker(env.nativeConnection, env.client, stack, dataSource, mailer);
  worker = created.worker;
  running = worker.run();
  const started = await startCycle(env.client, {
    planId: plan.planId,
    quarter: QUARTER,
    clock: { kind: 'rehearsal', daySeconds: DAY_MS / 1000, pace: 'manual' },
    taskQueue: created.taskQueue,
    rehearsalTag: plan.suffix,
  });
  cycleId = started.cycleId;
  startedAt = await rehearsalStartedAt(dataSource, cycleId);
  const cycle = env.client.workflow.getHandle<typeof cycleWorkflow>(cycleId);
  // SMTP down after day 15: day 16's digests fail, are tried again, and go out once it is back.
  await cycle.executeUpdate(nextDayUpdate, { args: [{ through: 15 }] });
  await smtp.off();
  const day16 = cycle.executeUpdate(nextDayUpdate, { args: [{ through: 16 }] });
  for (let tries = 0; !(await triedWhileDown()); tries += 1) {
    if (tries > 600) throw new Error("day 16's digests were never tried while SMTP was down");
    await sleepMs(100);
  }
  smtpBackAt = Date.now();
  await smtp.on();
  await day16;
  await cycle.executeUpdate(nextDayUpdate, { args: [{ through: 99 }] }).catch(() => undefined);
  summary = await cycle.result();
}, 120_000);

afterAll(async () => {
  worker?.shutdown();
  await running;
  mailer?.close();
  await smtp.off().catch(() => undefined);
  await dataSource?.destroy();
  await env?.teardown();
});

interface LedgerRow {
  id: string;
  kind: string;
  items: number;
  workingDay: string;
  status: string;
  attempts: number;
  createdAt: Date;
  sentAt: Date | null;
}

async function ledgerOf(recipient: string): Promise<LedgerRow[]> {
  return dataSource.query(
    `SELECT id, kind, items, working_day::text AS "workingDay", status, attempts, created_at AS "createdAt", sent_at AS "sentAt"
       FROM notification WHERE cycle_id = $1 AND recipient = $2 ORDER BY created_at`,
    [cycleId, recipient],
  );
}

describe('daily digests', () => {
  it('give a unit leading 26 late tasks one email per working day listing all 26, not 26 emails', async () => {
    expect(summary).toMatchObject({ tasks: MANY + 1, unreported: MANY + 1 });
    const address = demoAddress('reporter', plan.unitIds['大户局']!);
    const mail = await mailTo(stack, address);
    const ledger = await ledgerOf(address);
    const digests = ledger.filter((r) => r.kind === 'digest');
    // One assignment; a digest each day with reminders (14, 16, 17) and each day late before the close (18–20).
    expect(ledger.filter((r) => r.kind === 'assignment')).toEqual([expect.objectContaining({ items: MANY })]);
    expect(digests.map((r) => r.workingDay)).toEqual([
      '2020-10-10', // the make-up Saturday, 3 working days before 10-14
      '2020-10-13',
      '2020-10-14',
      '2020-10-15',
      '2020-10-16',
      '2020-10-19',
    ]);
    expect(digests.every((r) => r.status === 'sent')).toBe(true);
    // Every day all 26; on the third day late also the 26 督办单, in the same mail.
    expect(digests.map((r) => r.items)).toEqual([MANY, MANY, MANY, MANY, MANY, 2 * MANY]);
    expect(mail).toHaveLength(1 + digests.length);
    expect(new Set(mail.map((m) => m.messageId)).size).toBe(mail.length);
    const subjects = mail.slice(1).map((m) => m.subject);
    expect(subjects[0]).toBe(`【督办】${MANY}项任务将于10月14日截止填报`);
    expect(subjects.at(-1)).toMatch(
      new RegExp(
        `^【督办单】督办〔2020〕第\\d+号等${MANY}份，请于10月22日前书面反馈；${MANY}项任务已逾期（最长3个工作日），请尽快填报$`,
      ),
    );
    const last = mail.at(-1)!;
    expect(last.text!.match(/10月14日截止，已逾期3个工作日/g)).toHaveLength(MANY);
    expect(last.text!.match(/督办要求：请立即报送本季度进展/g)).toHaveLength(MANY);
    expect(new Set(last.text!.match(/督办〔2020〕第\d+号/g)).size).toBe(MANY);
    expect(last.html).toContain('逾期3个工作日');
    expect(last.text).toMatch(/办理：http:\/\/duban\.test\/go\/[\w-]+\.[\w-]+/);
    // Signed by the organisation as configured (ORG_NAME), in text and HTML.
    expect(last.text).toMatch(new RegExp(`${TEST_OFFICE}\\n2020年10月19日`));
    expect(last.html).toContain(TEST_OFFICE);
  });

  it('tell the 督查室 of the day’s 督办单 in one digest, never a mail each', async () => {
    const office = await ledgerOf('coordinator@demo.duban.local');
    expect(office.filter((r) => r.kind !== 'digest' && r.kind !== 'assignment' && r.kind !== 'report')).toEqual([]);
    const digests = office.filter((r) => r.kind === 'digest' && r.workingDay === '2020-10-19'); // day 20, third day late
    expect(digests).toHaveLength(1);
    // (Other tests' cycles write to the same 督查室: this one's names its units.)
    const [mail] = (await mailTo(stack, 'coordinator@demo.duban.local')).filter(
      (m) => m.subject?.startsWith('【督办单】今日督办单动态') && m.text?.includes(plan.suffix),
    );
    expect(mail!.subject).toBe(`【督办单】今日督办单动态${MANY + 1}件：已签发 ${MANY + 1}`);
    expect(mail!.text).toMatch(/督办单登记簿（可批量签发、办结）：http:\/\/duban\.test\/go\/[\w-]+\.[\w-]+/);
    expect(mail!.text).toContain(TEST_OFFICE);
  });

  it('lose nothing and send nothing twice while SMTP is down, then deliver after it is back', async () => {
    const address = demoAddress('reporter', plan.unitIds['大户局']!);
    const day16 = (await ledgerOf(address)).find((r) => r.workingDay === '2020-10-13')!;
    // Tried while the server was away, sent once it answered again.
    expect(day16.attempts).toBeGreaterThanOrEqual(2);
    expect(day16.sentAt!.getTime()).toBeGreaterThanOrEqual(smtpBackAt);
    // Every reminder due before the closing day is in exactly one sent digest (or a refused one, below).
    const [{ lost }] = await dataSource.query(
      `SELECT count(*)::int AS lost FROM mail_item m LEFT JOIN notification n ON n.id = m.notification_id
        WHERE m.cycle_id = $1 AND m.step_at < $2 AND m.dropped_at IS NULL AND (n.status IS NULL OR n.status = 'pending')`,
      [cycleId, new Date(startedAt + 21 * DAY_MS)],
    );
    expect(lost).toBe(0);
    // Nobody reported: no reminder due before the closing day was dropped either.
    const [{ dropped }] = await dataSource.query(
      `SELECT count(*)::int AS dropped FROM mail_item WHERE cycle_id = $1 AND step_at < $2 AND dropped_at IS NOT NULL`,
      [cycleId, new Date(startedAt + 21 * DAY_MS)],
    );
    expect(dropped).toBe(0);
    const captured = (await mailTo(stack, address)).length;
    const [{ sent }] = await dataSource.query(
      `SELECT count(*)::int AS sent FROM notification WHERE cycle_id = $1 AND recipient = $2 AND status = 'sent'`,
      [cycleId, address],
    );
    expect(captured).toBe(sent);
  });

  it('mark a refused address failed once per message, show it to admins, and not retry it', async () => {
    const broken = await ledgerOf(BROKEN);
    expect(broken.map((r) => r.kind)).toEqual(['assignment', ...broken.slice(1).map(() => 'digest')]);
    expect(broken.length).toBeGreaterThan(3);
    expect(broken.every((r) => r.status === 'failed')).toBe(true);
    // Tried once each (the one due during the outage: once while the server was away, once refused).
    expect(broken.filter((r) => r.workingDay !== '2020-10-13').every((r) => r.attempts === 1)).toBe(true);
    expect(broken.find((r) => r.workingDay === '2020-10-13')!.attempts).toBeLessThanOrEqual(2);
    expect(await mailTo(stack, BROKEN)).toHaveLength(0);
    const log = await deliveryLog(dataSource, { cycleIds: [cycleId], status: 'failed' });
    expect(log.messages.map((m) => m.recipient)).toEqual(broken.map(() => BROKEN));
    expect(log.messages[0]!.smtpResponse).toContain('domain does not exist');
    // An admin's resend tries once more and, the address still refused, leaves it failed.
    const resender = new Mailer(stack.smtpUrl, '督办 Duban <duban@test.local>');
    try {
      const error = await new MailLedger(dataSource, resender, 'test.duban.local', TEST_REHEARSAL_MAIL_TO)
        .resend(broken[0]!.id)
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(MailDeliveryError);
      expect(error).toMatchObject({ permanent: true });
    } finally {
      resender.close();
    }
    const [after] = await dataSource.query(`SELECT status, attempts, resends FROM notification WHERE id = $1`, [
      broken[0]!.id,
    ]);
    expect(after).toEqual({ status: 'failed', attempts: 2, resends: 1 });
  });

  it('write to a reader of English in English, with the same working-day dates', async () => {
    const mail = await mailTo(stack, english);
    expect(mail[0]!.subject).toBe('[Duban] 1 task(s) due by 14 Oct');
    expect(mail[0]!.text).toContain('Dear Li Lei,');
    expect(mail[1]!.subject).toBe('[Duban] 1 task(s) due on 14 Oct: please report');
    expect(mail.at(-1)!.subject).toMatch(
      /^\[Duban\] 督办单 督办〔2020〕第\d+号: reply in writing by 22 Oct; 1 task\(s\) overdue \(up to 3 working day\(s\)\): please report now$/,
    );
    expect(mail.at(-1)!.text).toContain('due 14 Oct, 3 working day(s) late');
    // The colleague of the refused address got every one of theirs.
    expect(mail).toHaveLength((await ledgerOf(BROKEN)).length);
  });
});
