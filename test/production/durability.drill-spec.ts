/**
 * Drills on the production profile's parts, each on a PostgreSQL server and a Temporal Server of its own, with
 * two worker processes (and an API where people would notice): a rehearsed quarter paced by hand (nextDay) so
 * each fault falls on a known day.
 *   - Temporal Server stopped and started again mid-cycle: the cycle continues where it was.
 *   - PostgreSQL stopped for 30 s: the API answers 503 DATABASE_UNAVAILABLE meanwhile; afterwards the cycle goes
 *     on and nothing is lost.
 *   - Backup and restore: infra/deploy/backup.sh (pg_dump of Temporal's and the application's databases) while
 *     the cycle runs, restore.sh into a fresh server, where the cycle resumes and closes.
 * After each: every mail of the drill's units is in the ledger once and in the capture once (nothing lost,
 * nothing twice).
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { Client, Connection, type WorkflowHandle } from '@temporalio/client';
import type { DataSource } from 'typeorm';
import { nextDayUpdate } from '#contracts';
import { getTaskCycle } from '#cycles';
import { DEMO_MAIL_DOMAIN, upsertPerson } from '#directory';
import { childEnvironment } from '#config';
import { createDataSource } from '#persistence';
import { REPO_ROOT, startApp, type ManagedProcess } from '../../infra/dev/processes.js';
import { importTwoTaskPlan, sleepMs, startManualRehearsal } from '../support/cycle-fixtures.js';
import { capturedMessages, recordTestProcess } from '../support/test-stack.js';
import {
  postgresBinaries,
  startOwnPostgres,
  startOwnStack,
  startOwnTemporal,
  type OwnPostgres,
  type OwnStack,
} from './support/own-stack.js';

const stacks: { dispose(): Promise<void> }[] = [];
afterAll(async () => {
  for (const stack of stacks) await stack.dispose();
});

async function ownStack(label: string): Promise<OwnStack> {
  const stack = await startOwnStack(label);
  stacks.push(stack);
  return stack;
}

/** Runs the rehearsal's days through `day`, retrying while the engine or the database is coming back. */
async function runThrough(cycle: WorkflowHandle, day: number): Promise<void> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      await cycle.executeUpdate(nextDayUpdate, { args: [{ through: day }] });
      return;
    } catch (error) {
      if (attempt >= 60) throw error;
      await sleepMs(2000);
    }
  }
}

/** Runs the remaining days and answers the cycle's report. */
async function finish(cycle: WorkflowHandle): Promise<{ tasks: number; byStatus: Record<string, number> }> {
  await cycle.executeUpdate(nextDayUpdate, { args: [{ through: 99 }] }).catch(() => undefined);
  return (await cycle.result()) as { tasks: number; byStatus: Record<string, number> };
}

/**
 * Nothing lost, nothing twice: the mail the capture received for the cycle's recipients since `since` (epoch ms)
 * is the ledger's sent mail, one message each, and nothing in the ledger is left unsent.
 */
async function expectLedgerMatchesMailbox(stack: OwnStack, dataSource: DataSource, since: number, cycleId: string) {
  const ledger = (await dataSource.query(
    `SELECT message_id AS "messageId", status, recipient FROM notification WHERE cycle_id = $1`,
    [cycleId],
  )) as { messageId: string | null; status: string; recipient: string }[];
  expect(ledger.filter((row) => row.status !== 'sent')).toEqual([]);
  expect(ledger.length).toBeGreaterThan(4);
  // The drills run one after another: what the capture received since this one began, for its recipients.
  const recipients = new Set(ledger.map((row) => row.recipient));
  const captured = (await capturedMessages(stack.shared)).filter(
    (m) => Date.parse(m.receivedAt) >= since && m.envelopeTo.some((to) => recipients.has(to)),
  );
  const ids = captured.map((m) => m.messageId);
  expect(new Set(ids).size).toBe(ids.length);
  expect(ids.sort()).toEqual(ledger.map((row) => row.messageId).sort());
}

const DEPLOY = join(REPO_ROOT, 'infra', 'deploy');

/** What infra/deploy's backup and restore scripts read (duban.env's variables), for a drill's own server. */
function scriptEnvironment(postgres: OwnPostgres, binaries: NonNullable<ReturnType<typeof postgresBinaries>>) {
  const server = new URL(postgres.serverUrl);
  return childEnvironment({
    DATABASE_URL: postgres.url('duban'),
    TEMPORAL_DB: 'temporal',
    TEMPORAL_VISIBILITY_DB: 'temporal_visibility',
    TEMPORAL_DB_HOST: server.hostname,
    TEMPORAL_DB_PORT: server.port,
    TEMPORAL_DB_USER: decodeURIComponent(server.username),
    TEMPORAL_DB_PASSWORD: decodeURIComponent(server.password),
    PG_DUMP: binaries.pgDump,
    PG_RESTORE: binaries.pgRestore,
  });
}

describe('the production profile under faults', () => {
  it('carries a cycle on when Temporal Server is stopped and started again in the middle of it', async () => {
    const began = Date.now();
    const stack = await ownStack('temporal-restart');
    stack.startWorker('worker-1');
    stack.startWorker('worker-2');
    const plan = await importTwoTaskPlan(stack.dataSource, 'temporal-restart', 3);
    const cycle = await startManualRehearsal(stack.client, plan);
    await runThrough(cycle, 13);
    await stack.temporal.stop();
    await sleepMs(5000);
    await stack.temporal.start();
    await runThrough(cycle, 15);
    const report = await finish(cycle);
    expect(report).toMatchObject({ tasks: 2, byStatus: { overdue: 2 } });
    const lone = await getTaskCycle(stack.dataSource, cycle.workflowId, plan.taskIds[0]!);
    // Every reminder and every day late, the ones after the restart included, once each.
    expect(lone.timeline.filter((e) => e.kind === 'reminded')).toHaveLength(3);
    expect(lone.timeline.filter((e) => e.kind === 'overdue').map((e) => e.details.daysLate)).toEqual([1, 2, 3]);
    await expectLedgerMatchesMailbox(stack, stack.dataSource, began, cycle.workflowId);
  }, 600_000);

  it('answers 503 with the reason while PostgreSQL is stopped for 30 s, and afterwards loses nothing', async () => {
    const began = Date.now();
    const stack = await ownStack('postgres-down');
    const workers = [stack.startWorker('worker-1'), stack.startWorker('worker-2')];
    const api = await stack.startApi('api');
    await upsertPerson(stack.dataSource, {
      id: 'admin',
      name: '系统管理员',
      email: `admin@${DEMO_MAIL_DOMAIN}`,
      roles: [{ role: 'admin' }],
      demo: true,
    });
    const plan = await importTwoTaskPlan(stack.dataSource, 'postgres-down', 3);
    const cycle = await startManualRehearsal(stack.client, plan);
    await runThrough(cycle, 13);

    await stack.postgres.stop();
    const stoppedAt = Date.now();
    // The next day falls due while the database is away: its reminders wait in Temporal, the activities retry.
    const dayDuringOutage = runThrough(cycle, 14);
    const answers: { status: number; code?: string; message?: string }[] = [];
    while (Date.now() - stoppedAt < 30_000) {
      const response = await fetch(`${api.url}/api/plans`, { headers: { 'x-duban-user': 'admin' } });
      const body = (await response.json()) as { code?: string; message?: string };
      answers.push({ status: response.status, code: body.code, message: body.message });
      const health = await fetch(`${api.url}/health`);
      expect(health.status).toBe(503);
      await sleepMs(2000);
    }
    // Every answer meanwhile: 503, saying why in Chinese (and English).
    expect(answers.length).toBeGreaterThan(5);
    for (const answer of answers) {
      expect(answer).toEqual({ status: 503, code: 'DATABASE_UNAVAILABLE', message: expect.stringContaining('数据库') });
    }
    await stack.postgres.start();

    // The API serves again once the database is back; the processes lived through it.
    for (let i = 0; ; i += 1) {
      const response = await fetch(`${api.url}/api/plans`, { headers: { 'x-duban-user': 'admin' } });
      if (response.status === 200) break;
      expect(i).toBeLessThan(60);
      await sleepMs(1000);
    }
    expect(api.process.child.exitCode).toBeNull();
    await dayDuringOutage;
    expect(workers.map((w) => w.child.exitCode)).toEqual([null, null]);
    await runThrough(cycle, 15);
    const report = await finish(cycle);
    expect(report).toMatchObject({ tasks: 2, byStatus: { overdue: 2 } });
    const lone = await getTaskCycle(stack.dataSource, cycle.workflowId, plan.taskIds[0]!);
    expect(lone.timeline.filter((e) => e.kind === 'overdue').map((e) => e.details.daysLate)).toEqual([1, 2, 3]);
    await expectLedgerMatchesMailbox(stack, stack.dataSource, began, cycle.workflowId);
  }, 600_000);

  it('resumes a cycle from a pg_dump of both databases, restored into a fresh server', async () => {
    const binaries = postgresBinaries();
    expect(binaries).toBeDefined(); // Debian's PostgreSQL and its pg_dump
    const began = Date.now();
    const source = await ownStack('backup');
    source.startWorker('worker-1');
    const plan = await importTwoTaskPlan(source.dataSource, 'backup', 3);
    const cycle = await startManualRehearsal(source.client, plan);
    await runThrough(cycle, 13);

    // The backup, taken while the cycle runs (its workflows open, the worker polling), by the documented script.
    const backupDir = join(source.logDir, 'backup');
    const backup = spawnSync('sh', [join(DEPLOY, 'backup.sh'), backupDir], {
      encoding: 'utf8',
      env: scriptEnvironment(source.postgres, binaries!),
    });
    expect([backup.status, backup.stderr, backup.stdout]).toEqual([0, '', `backup: ${backupDir}\n`]);
    // The old installation is gone (its machine lost).
    await source.dispose();

    const target = await startOwnPostgres('restore');
    stacks.push({ dispose: () => target.stop() });
    const restore = spawnSync('sh', [join(DEPLOY, 'restore.sh'), backupDir], {
      encoding: 'utf8',
      env: scriptEnvironment(target, binaries!),
    });
    expect([restore.status, restore.stderr, restore.stdout]).toEqual([0, '', `restore: ${backupDir} restored\n`]);
    const temporal = await startOwnTemporal(target, source.logDir);
    stacks.push({ dispose: () => temporal.stop() });
    const dataSource = createDataSource(target.url('duban'), 'duban-restored');
    await dataSource.initialize();
    stacks.push({ dispose: () => dataSource.destroy() });
    const worker: ManagedProcess = startApp(
      'worker',
      { ...source.env, DATABASE_URL: target.url('duban'), TEMPORAL_ADDRESS: temporal.address },
      join(source.logDir, 'restored-worker.log'),
      'restored-worker',
    );
    recordTestProcess(worker.child.pid);
    stacks.push({ dispose: () => worker.stop(20_000) });
    const connection = await Connection.connect({ address: temporal.address });
    stacks.push({ dispose: () => connection.close() });
    const restored = new Client({ connection }).workflow.getHandle(cycle.workflowId);

    await runThrough(restored, 15);
    const report = await finish(restored);
    expect(report).toMatchObject({ tasks: 2, byStatus: { overdue: 2 } });
    const lone = await getTaskCycle(dataSource, cycle.workflowId, plan.taskIds[0]!);
    expect(lone.timeline.filter((e) => e.kind === 'overdue').map((e) => e.details.daysLate)).toEqual([1, 2, 3]);
    await expectLedgerMatchesMailbox(source, dataSource, began, cycle.workflowId);
  }, 600_000);
});
