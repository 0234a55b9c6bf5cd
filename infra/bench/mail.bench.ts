/**
 * npm run bench:mail — a digest run for 10,000 pending reminders across 500
 * recipients (select, group, render both languages' templates, ledger rows
 * linking every item, deliver over pooled SMTP), measured beside raw
 * delivery of 500 messages of the same size to the same local SMTP server
 * (nodemailer alone, no database), in one run: raw, digest, raw again.
 * PostgreSQL: a fresh `duban_bench` database. Results go to docs/benchmarks.md.
 */
import { randomUUID } from 'node:crypto';
import { loadConfig } from '#config';
import { sendDigests, type CycleDays } from '#digest';
import { DeepLinks, digestMail } from '#notifications';
import { DEFAULT_CYCLE_CONFIG, WorkingDayCalendar } from '#domain';
import { loadWorkingDayCalendar } from '#calendar';
import { Mailer, MailLedger, SmtpCapture } from '#notifications';
import { createDataSource } from '#persistence';
import { importPlan, PlanRepository } from '#plans';
import { sayToStderr as say } from '../dev/component.js';
import { providePostgres } from '../dev/postgres.js';
import { writeBenchmarkTable } from './benchmarks-file.js';
import { syntheticCsv } from './synthetic-plan.js';

const RECIPIENTS = 500;
const PER_RECIPIENT = 20; // 10,000 items
const CYCLE_ID = 'cycle:bench-mail:2020Q3';

const config = loadConfig();
const postgres = await providePostgres(config, { database: 'duban', suffix: '_bench', fresh: true }, say);
const dataSource = createDataSource(postgres.url, 'duban-bench-mail');
await dataSource.initialize();
const capture = new SmtpCapture({ smtpPort: 0, httpPort: 0, limit: 2 * RECIPIENTS });
await capture.start();
const mailer = new Mailer(capture.smtpUrl, '督办 Duban <duban@bench.local>');

// A cycle to hang the reminders on: the 2020-Q3 calendar, one working day per hour of rehearsal.
const plan = await importPlan(new PlanRepository(dataSource), {
  bytes: syntheticCsv(20),
  fileName: 'bench-mail.csv',
  planName: 'bench-mail',
  acceptWarnings: true,
});
const startedAt = new Date(Date.now() - 17.9 * 3_600_000).toISOString(); // now: day 17, the deadline
const clock = { kind: 'rehearsal' as const, daySeconds: 3600, startedAt };
await dataSource.query(
  `INSERT INTO cycle (id, plan_id, quarter, mode, clock, config, schedule, instants, provisional, task_count)
   VALUES ($1, $2, '2020Q3', 'rehearsal', $3, $4, $5, '{}', false, $6)`,
  [
    CYCLE_ID,
    plan.plan.id,
    JSON.stringify(clock),
    JSON.stringify(DEFAULT_CYCLE_CONFIG),
    JSON.stringify({ opensOn: '2020-09-15' }),
    RECIPIENTS * PER_RECIPIENT,
  ],
);
const deadlineAt = new Date(Date.parse(startedAt) + 17 * 3_600_000).toISOString();
say(`queueing ${RECIPIENTS * PER_RECIPIENT} reminders for ${RECIPIENTS} people…`);
await dataSource.query(
  `INSERT INTO mail_item (cycle_id, task_cycle_id, step, recipient, person_id, language, owed, unit_id, step_at, facts)
   SELECT $1, 'task:' || gen_random_uuid() || ':2020Q3', 'lead:remind:0', 'person' || r || '@bench.local',
          'person' || r, CASE WHEN r % 10 = 0 THEN 'en' ELSE 'zh-CN' END, 'progress', NULL, now() - interval '1 minute',
          jsonb_build_object('ordinal', t, 'content', '推进第' || t || '个老旧小区综合改造，完成雨污分流和加装电梯',
                             'leadUnit', '区住建局', 'deadlineAt', $2::text)
     FROM generate_series(1, $3) r, generate_series(1, $4) t`,
  [CYCLE_ID, deadlineAt, RECIPIENTS, PER_RECIPIENT],
);

const calendar: WorkingDayCalendar = await loadWorkingDayCalendar(dataSource);
const days: CycleDays = { clock, opensOn: '2020-09-15', calendar };
const links = new DeepLinks(randomUUID() + randomUUID(), 'https://duban.bench');
const OFFICE = '区政府督查室';

// The raw messages: a digest of the same size, rendered once.
const sample = digestMail('zh-CN', {
  office: OFFICE,
  lines: Array.from({ length: PER_RECIPIENT }, (_, i) => ({
    ordinal: i + 1,
    content: '推进老旧小区综合改造，完成雨污分流和加装电梯',
    leadUnit: '区住建局',
    owed: 'progress' as const,
    dueDate: '2020-10-14',
    workingDaysLeft: 0,
    daysLate: 0,
    link: links.url({ purpose: 'report', cycleId: CYCLE_ID, taskId: randomUUID(), unitId: null, personId: 'x' }),
  })),
});

async function rawDelivery(label: string): Promise<number> {
  const started = performance.now();
  for (let i = 0; i < RECIPIENTS; i += 1) {
    await mailer.send({
      to: `raw-${label}-${i}@bench.local`,
      subject: sample.subject,
      text: sample.text,
      html: sample.html,
    });
    if ((i + 1) % 100 === 0) say(`raw ${label}: ${i + 1}/${RECIPIENTS}`);
  }
  return performance.now() - started;
}

// Warm the pool and the JIT on a few messages first.
for (let i = 0; i < 10; i += 1) await mailer.send({ to: `warm-${i}@bench.local`, subject: 'warm', text: 'warm' });
const rawFirst = await rawDelivery('a');
let lastSay = 0;
const digestStarted = performance.now();
const run = await sendDigests(CYCLE_ID, {
  dataSource,
  ledger: new MailLedger(dataSource, mailer, 'bench.duban.local'),
  links,
  days,
  office: OFFICE,
  progress: (phase, done, total) => {
    if (phase === 'delivered' && (done - lastSay >= 100 || done === total))
      say(`digests delivered: ${(lastSay = done)}/${total}`);
  },
});
const digestMs = performance.now() - digestStarted;
const rawSecond = await rawDelivery('b');
const rawMs = (rawFirst + rawSecond) / 2;
say(`digest run: ${JSON.stringify(run)}`);

const [{ linked }] = (await dataSource.query(
  `SELECT count(*)::int AS linked FROM mail_item WHERE cycle_id = $1 AND notification_id IS NOT NULL`,
  [CYCLE_ID],
)) as [{ linked: number }];
if (run.sent !== RECIPIENTS || linked !== RECIPIENTS * PER_RECIPIENT) {
  throw new Error(`the digest run sent ${run.sent} mails and linked ${linked} items; expected ${RECIPIENTS} and all`);
}
mailer.close();
await capture.stop();
await dataSource.destroy();
await postgres.stop();

await writeBenchmarkTable(
  'mail',
  [
    `PostgreSQL ${postgres.provenance}, the in-process SMTP capture (it parses every message it receives), one pooled nodemailer transport.`,
    `Digest: ${RECIPIENTS * PER_RECIPIENT} queued reminders for ${RECIPIENTS} recipients (one in ten reads English) → ${RECIPIENTS} digests of ${PER_RECIPIENT} lines, each with its signed link; raw: ${RECIPIENTS} ready-made messages of the same size, sent one after another, before and after the digest run (mean of both).`,
  ],
  [
    [
      `digest run: ${RECIPIENTS * PER_RECIPIENT} items → ${RECIPIENTS} emails`,
      `${(digestMs / 1000).toFixed(2)} s`,
      '—',
    ],
    [
      `raw delivery: ${RECIPIENTS} emails (runs: ${(rawFirst / 1000).toFixed(2)} s, ${(rawSecond / 1000).toFixed(2)} s)`,
      `${(rawMs / 1000).toFixed(2)} s`,
      '—',
    ],
    [
      'ratio digest / raw (the cost of selecting, rendering and ledgering around the same sends)',
      `${(digestMs / rawMs).toFixed(2)}×`,
      'reported',
    ],
    ['digest throughput', `${((RECIPIENTS * PER_RECIPIENT) / (digestMs / 1000)).toFixed(0)} items/s`, '—'],
  ],
);
