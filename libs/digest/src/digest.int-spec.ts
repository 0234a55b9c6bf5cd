/**
 * A digest run against real PostgreSQL and the test SMTP capture: a run the
 * worker starts late (after its simulated day has ended) still writes the
 * digest of the day it was due, under that day's ledger key; a unit's leader
 * copied on its late report is asked to see to it, greeted by name.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { loadWorkingDayCalendar } from '#calendar';
import { DEFAULT_CYCLE_CONFIG } from '#domain';
import { Mailer, MailLedger } from '#notifications';
import { createDataSource } from '#persistence';
import { importPlan, PlanRepository } from '#plans';
import { syntheticCsv } from '../../../infra/bench/synthetic-plan.js';
import { readTestStack } from '../../../test/support/test-stack.js';
import { DeepLinks } from '#notifications';
import { dayOf, sendDigests, type CycleDays } from '#digest';
import { upsertPerson } from '#directory';

const stack = readTestStack();
const suffix = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 5)}`;
const cycleId = `cycle:digest-day-${suffix}:2020Q3`;
let dataSource: DataSource;
let mailer: Mailer;

beforeAll(async () => {
  dataSource = createDataSource(stack.databaseUrl, 'duban-cycle-mail-int-spec');
  await dataSource.initialize();
  mailer = new Mailer(stack.smtpUrl, '督办 Duban <duban@test.local>');
});

afterAll(async () => {
  mailer?.close();
  await dataSource?.destroy();
});

describe('a digest run', () => {
  it('names the day it was due, not the day it ran', async () => {
    const plan = await importPlan(new PlanRepository(dataSource), {
      bytes: syntheticCsv(2),
      fileName: `digest-day-${suffix}.csv`,
      planName: `digest-day-${suffix}`,
      acceptWarnings: true,
    });
    // Hour-long simulated days; now is well into day 17, the digest was due at ¾ of day 16.
    const startedAt = new Date(Date.now() - 17.5 * 3_600_000).toISOString();
    const clock = { kind: 'rehearsal' as const, daySeconds: 3600, startedAt };
    await dataSource.query(
      `INSERT INTO cycle (id, plan_id, quarter, mode, clock, config, schedule, instants, provisional, task_count)
       VALUES ($1, $2, '2020Q3', 'rehearsal', $3, $4, $5, '{}', false, 2)`,
      [cycleId, plan.plan.id, JSON.stringify(clock), JSON.stringify(DEFAULT_CYCLE_CONFIG), '{"opensOn":"2020-09-15"}'],
    );
    await dataSource.query(
      `INSERT INTO mail_item (cycle_id, task_cycle_id, step, recipient, person_id, language, owed, step_at, facts)
       VALUES ($1, 'task:late-run:2020Q3', 'lead:remind:0', $2, NULL, 'zh-CN', 'progress', now() - interval '2 hours',
               jsonb_build_object('ordinal', 1, 'content', '新建道路1条', 'leadUnit', '区住建局'))`,
      [cycleId, `late-run-${suffix}@test.local`],
    );
    const days: CycleDays = { clock, opensOn: '2020-09-15', calendar: await loadWorkingDayCalendar(dataSource) };
    const scheduledAt = new Date(Date.parse(startedAt) + 16.75 * 3_600_000);
    expect(dayOf(scheduledAt, days)).not.toBe(dayOf(new Date(), days));

    const run = await sendDigests(cycleId, {
      dataSource,
      ledger: new MailLedger(dataSource, mailer, 'test.duban.local'),
      links: new DeepLinks('test-link-secret-of-at-least-32-characters', 'http://duban.test'),
      days,
      office: '测试区人民政府督查室',
      scheduledAt,
    });
    expect(run).toMatchObject({ workingDay: dayOf(scheduledAt, days), sent: 1, items: 1 });
    const [mail] = (await dataSource.query(
      `SELECT idempotency_key AS key FROM notification WHERE cycle_id = $1 AND kind = 'digest'`,
      [cycleId],
    )) as { key: string }[];
    expect(mail?.key).toContain(`digest:${dayOf(scheduledAt, days)}`);
  });

  it('asks the unit’s leader to see to a late report, and the reporter to make it, each by name', async () => {
    const plan = await importPlan(new PlanRepository(dataSource), {
      bytes: syntheticCsv(1),
      fileName: `digest-leader-${suffix}.csv`,
      planName: `digest-leader-${suffix}`,
      acceptWarnings: true,
    });
    const [unit] = (await dataSource.query(
      `SELECT tu.unit_id AS id FROM task t JOIN task_version v ON v.task_id = t.id JOIN task_unit tu ON tu.task_version_id = v.id
        WHERE t.plan_id = $1 AND tu.role = 'lead' LIMIT 1`,
      [plan.plan.id],
    )) as { id: string }[];
    const leaderCycle = `cycle:digest-leader-${suffix}:2020Q3`;
    const clock = {
      kind: 'rehearsal' as const,
      daySeconds: 3600,
      startedAt: new Date(Date.now() - 3_600_000).toISOString(),
    };
    await dataSource.query(
      `INSERT INTO cycle (id, plan_id, quarter, mode, clock, config, schedule, instants, provisional, task_count)
       VALUES ($1, $2, '2020Q3', 'rehearsal', $3, $4, $5, '{}', false, 1)`,
      [
        leaderCycle,
        plan.plan.id,
        JSON.stringify(clock),
        JSON.stringify(DEFAULT_CYCLE_CONFIG),
        '{"opensOn":"2020-09-15"}',
      ],
    );
    for (const [role, name] of [
      ['reporter', '李四'],
      ['leader', '张三'],
    ] as const) {
      await upsertPerson(dataSource, {
        id: `${role}.digest.${suffix}`,
        name,
        email: `${role}.digest.${suffix}@test.local`,
        roles: [{ role, unitId: unit!.id }],
      });
      // One lead-step line, queued alike for both (the audience reporter + leader, one day late).
      await dataSource.query(
        `INSERT INTO mail_item (cycle_id, task_cycle_id, step, recipient, person_id, language, owed, unit_id, step_at, facts)
         VALUES ($1, 'task:leader-copy:2020Q3', 'lead:late:1', $2, $3, 'zh-CN', 'progress', $4, now() - interval '1 minute',
                 jsonb_build_object('ordinal', 1, 'content', '新建道路1条', 'leadUnit', '区住建局'))`,
        [leaderCycle, `${role}.digest.${suffix}@test.local`, `${role}.digest.${suffix}`, unit!.id],
      );
    }
    const days: CycleDays = { clock, opensOn: '2020-09-15', calendar: await loadWorkingDayCalendar(dataSource) };
    await sendDigests(leaderCycle, {
      dataSource,
      ledger: new MailLedger(dataSource, mailer, 'test.duban.local'),
      links: new DeepLinks('test-link-secret-of-at-least-32-characters', 'http://duban.test'),
      days,
      office: '测试区人民政府督查室',
    });
    const mails = (await dataSource.query(
      `SELECT recipient, subject, body_text AS text FROM notification WHERE cycle_id = $1 AND kind = 'digest'`,
      [leaderCycle],
    )) as { recipient: string; subject: string; text: string }[];
    const to = (role: string) => mails.find((m) => m.recipient === `${role}.digest.${suffix}@test.local`)!;
    expect(to('leader').text).toMatch(/^张三：/);
    expect(to('leader').subject).toContain('请督促按时报送');
    expect(to('leader').text).toContain('抄送您知悉');
    expect(to('leader').text).not.toContain('办理：');
    expect(to('reporter').text).toMatch(/^李四：/);
    expect(to('reporter').text).not.toContain('请督促');
    // Dated by the (simulated) working day it is for.
    expect(to('leader').text).toMatch(/测试区人民政府督查室\n2020年\d+月\d+日/);
  });
});
