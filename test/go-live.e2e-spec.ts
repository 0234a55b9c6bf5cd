/**
 * Going live from an empty database, as a district would on its first
 * afternoon: the seed plan, then the district's contact list (通讯录, invented
 * people of Gongshu's units and 街道) through `duban directory import`, the
 * 相关街道 picked per task (`duban plan pick`), `duban cycle preflight` clean —
 * then a rehearsed cycle in which every member 街道 of 各街道 owes its own
 * input and is told so in its assignment mail.
 *
 * Its own database (nothing another test stored can make the preflight
 * dirty or clean) and its own task queue, on the shared Temporal, PostgreSQL
 * and SMTP capture.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, type Worker } from '@temporalio/worker';
import type { DataSource } from 'typeorm';
import { childEnvironment } from '#config';
import { cycleWorkflowId } from '#contracts';
import { startCycle } from '#cycles';
import { Mailer } from '#notifications';
import { importPlan, pickGroupMembers, PlanRepository } from '#plans';
import { REPO_ROOT } from '../infra/dev/processes.js';
import { createTestWorker } from './support/cycle-fixtures.js';
import { ownDatabase } from './support/own-database.js';
import { capturedMessages, readTestStack } from './support/test-stack.js';

const stack = readTestStack();
const tag = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 5)}`;
const PLAN = '2020年政府工作报告重点任务';
const DIRECTORY = join(REPO_ROOT, 'test/fixtures/gongshu-directory.csv');
const STREETS = [
  '米市巷街道',
  '湖墅街道',
  '小河街道',
  '和睦街道',
  '拱宸桥街道',
  '大关街道',
  '上塘街道',
  '祥符街道',
  '康桥街道',
  '半山街道',
];
const database = ownDatabase(stack, 'golive', tag);
let dataSource: DataSource;
let planId: string;

type Preflight = {
  ready: boolean;
  problems: { code: string; message: string; unit?: string; task?: { ordinal: number } }[];
};

/** `duban …` against this test's database; answers stdout, or the failure's exit code and output. */
async function duban(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return promisify(execFile)(process.execPath, [join(REPO_ROOT, 'dist/apps/cli/src/main.js'), ...args], {
    cwd: REPO_ROOT,
    env: childEnvironment({ DATABASE_URL: database.url }),
    maxBuffer: 32 * 1024 * 1024,
  }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => error,
  );
}

async function preflight(): Promise<Preflight> {
  return JSON.parse(
    (await duban('cycle', 'preflight', '--plan', PLAN, '--quarter', '2020Q3', '--json')).stdout,
  ) as Preflight;
}

beforeAll(async () => {
  dataSource = await database.open('duban-go-live-e2e');
}, 120_000);

afterAll(async () => {
  await dataSource?.destroy();
  await database.drop();
});

describe('going live from an empty database', () => {
  it('imports the seed plan and the district’s contact list, picks 相关街道, and comes out of preflight clean', async () => {
    const imported = await importPlan(new PlanRepository(dataSource), {
      bytes: readFileSync(join(REPO_ROOT, 'test/fixtures/gongshu-2020-q3-key-tasks.txt')),
      fileName: 'gongshu-2020-q3-key-tasks.txt',
      planName: PLAN,
      acceptWarnings: true,
    });
    planId = imported.plan.id!;

    // Before the directory: nobody to remind, nobody to escalate to, groups standing for nobody.
    const before = await preflight();
    expect(before.ready).toBe(false);
    expect(new Set(before.problems.map((p) => p.code))).toEqual(
      new Set(['NO_COORDINATOR', 'NO_SUPERVISOR', 'NO_REPORTER', 'GROUP_NO_MEMBERS', 'GROUP_NOT_PICKED']),
    );
    expect(before.problems).toContainEqual(expect.objectContaining({ code: 'NO_REPORTER', unit: '区住建局' }));
    // A real start is refused while they stand, saying why.
    const refused = await duban('cycle', 'preflight', '--plan', PLAN, '--quarter', '2020Q3');
    expect(refused.code).toBe(1);
    expect(refused.stdout).toMatch(/\[NO_REPORTER\] 牵头单位“区住建局”没有填报人/);

    // The contact list, previewed first: nothing stored.
    const preview = await duban('directory', 'import', DIRECTORY, '--dry-run', '--json');
    const list = JSON.parse(preview.stdout) as {
      people: { id: string; roles: { role: string; unit: string | null }[] }[];
      groups: { name: string; members: string[] }[];
      warnings: unknown[];
      summary: { dryRun: boolean; people: { added: number } };
    };
    expect(list.warnings).toEqual([]);
    expect(list.summary).toMatchObject({ dryRun: true, people: { added: list.people.length } });
    expect(list.groups.find((g) => g.name === '各街道')?.members.sort()).toEqual([...STREETS].sort());
    expect(await dataSource.query(`SELECT count(*)::int AS n FROM person`)).toEqual([{ n: 0 }]);
    // One person reporting for two units is one person.
    expect(list.people.filter((p) => p.roles.filter((r) => r.role === 'reporter').length === 2)).toHaveLength(1);

    const stored = await duban('directory', 'import', DIRECTORY);
    expect(stored.code).toBe(0);
    expect(stored.stdout).toMatch(/已导入 \/ imported/);
    // The same list again changes nothing.
    expect((await duban('directory', 'import', DIRECTORY)).stdout).toMatch(
      /\(0 新 \/ new, 0 更新 \/ changed\), 角色 \/ roles \+0 −0/,
    );

    // Exported, the directory reads back as the same list: importing the export changes nothing.
    const exported = join(mkdtempSync(join(tmpdir(), 'duban-directory-')), '通讯录.xlsx');
    expect((await duban('directory', 'export', exported)).stdout).toMatch(/已导出 \/ exported \d+ 行/);
    const again = JSON.parse((await duban('directory', 'import', exported, '--json')).stdout) as {
      people: unknown[];
      warnings: unknown[];
      summary: unknown;
    };
    expect(again.warnings).toEqual([]);
    expect(again.people).toHaveLength(list.people.length);
    expect(again.summary).toMatchObject({
      people: { added: 0, changed: 0 },
      roles: { granted: 0, revoked: 0 },
      groups: { added: 0, membersAdded: 0, membersRemoved: 0 },
    });

    // What remains: which 街道 and 指挥部 are "the relevant ones" of each task.
    const remaining = await preflight();
    expect(new Set(remaining.problems.map((p) => p.code))).toEqual(new Set(['GROUP_NOT_PICKED']));
    // The task's own text helps: 第78项 names 半山 (半山国家森林公园).
    expect(remaining.problems.find((p) => p.task?.ordinal === 78)?.message).toMatch(/任务中提到：半山街道/);
    // One pick from the command line, as a coordinator would; the rest through the same library call.
    const first = remaining.problems[0]!;
    const picked = await duban(
      'plan',
      'pick',
      '--plan',
      PLAN,
      '--task',
      String(first.task!.ordinal),
      '--group',
      first.unit!,
      '--units',
      first.unit === '相关街道' ? '祥符街道,上塘街道' : '拱宸桥指挥部',
    );
    expect(picked.stdout).toMatch(new RegExp(`第${first.task!.ordinal}项`));
    for (const problem of remaining.problems.slice(1)) {
      const named = /任务中提到：([^）]+)/.exec(problem.message)?.[1]?.split('、');
      await pickGroupMembers(
        dataSource,
        {
          planId,
          ordinal: problem.task!.ordinal,
          group: problem.unit!,
          members: named ?? (problem.unit === '相关街道' ? ['祥符街道', '上塘街道'] : ['拱宸桥指挥部']),
        },
        null,
      );
    }
    const clean = await duban('cycle', 'preflight', '--plan', PLAN, '--quarter', '2020Q3');
    expect(clean.code).toBe(0);
    expect(clean.stdout).toMatch(/ready: no problems/);
    expect(await preflight()).toEqual({ ready: true, problems: [] });
  }, 180_000);

  it('rehearses the quarter: every member 街道 of 各街道, and each picked one, owes its input and is told so', async () => {
    const connection = await NativeConnection.connect({ address: stack.temporalAddress });
    const clientConnection = await Connection.connect({ address: stack.temporalAddress });
    const client = new Client({ connection: clientConnection });
    const mailer = new Mailer(stack.smtpUrl, '督办 Duban <duban@test.local>');
    let worker: Worker | undefined;
    let running: Promise<void> | undefined;
    try {
      const created = await createTestWorker(connection, client, stack, dataSource, mailer, `golive-${tag}`, [
        '@gongshu.example',
      ]);
      worker = created.worker;
      running = worker.run();
      const cycleId = cycleWorkflowId(planId, '2020Q3', tag);
      await startCycle(client, {
        planId,
        quarter: '2020Q3',
        clock: { kind: 'rehearsal', daySeconds: 600, pace: 'manual' },
        taskQueue: created.taskQueue,
        rehearsalTag: tag,
      });
      const owing = async (ordinal: number) =>
        (await dataSource.query(
          `SELECT u.name FROM task_cycle tc JOIN current_task_version v ON v.task_id = tc.task_id
             JOIN unit u ON tc.co_inputs ? u.id::text WHERE tc.cycle_id = $1 AND v.ordinal = $2 ORDER BY u.name`,
          [cycleId, ordinal],
        )) as { name: string }[];
      for (let i = 0; i < 300 && (await owing(128)).length === 0; i += 1) await new Promise((r) => setTimeout(r, 500));
      // 第1项: 区发改经信局 leads, 区科技工业区管委会 and 各街道 co-operate — each of the ten 街道 owes its input.
      expect((await owing(1)).map((u) => u.name).sort()).toEqual(['区科技工业区管委会', ...STREETS].sort());
      // 第12项: 区商务局 and 相关街道, as picked.
      const [{ members }] = (await dataSource.query(
        `SELECT array_agg(m.name ORDER BY m.name) AS members FROM task_group_pick p JOIN unit m ON m.id = p.member_id
           JOIN current_task_version v ON v.task_id = p.task_id WHERE v.plan_id = $1 AND v.ordinal = 12`,
        [planId],
      )) as [{ members: string[] }];
      expect((await owing(12)).map((u) => u.name)).toEqual(members);

      // Each 街道's 联络员 is told at the opening, in one assignment mail listing the tasks it co-operates on.
      const reporters = (await dataSource.query(
        `SELECT u.name AS unit, p.email FROM person_role r JOIN person p ON p.id = r.person_id JOIN unit u ON u.id = r.unit_id
          WHERE r.role = 'reporter' AND u.name = ANY($1)`,
        [STREETS],
      )) as { unit: string; email: string }[];
      expect(reporters).toHaveLength(STREETS.length);
      const told = async () => {
        const messages = await capturedMessages(stack);
        return reporters.filter((r) =>
          messages.some((m) => m.envelopeTo.includes(r.email) && /项任务将于/.test(m.subject ?? '')),
        );
      };
      for (let i = 0; i < 240 && (await told()).length < reporters.length; i += 1)
        await new Promise((r) => setTimeout(r, 500));
      expect((await told()).map((r) => r.unit).sort()).toEqual([...STREETS].sort());
      await client.workflow.getHandle(cycleId).terminate('test over');
    } finally {
      worker?.shutdown();
      await running;
      await connection.close();
      await clientConnection.close();
    }
  }, 300_000);
});
