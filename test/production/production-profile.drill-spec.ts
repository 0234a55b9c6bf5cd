/**
 * The production profile as its one command starts it (`DUBAN_TEMPORAL=server`, here on an embedded PostgreSQL
 * of the test's own): Temporal Server on PostgreSQL, two workers and two APIs behind one entry. /health there
 * names each piece; a session made through the entry is good at either API. Drill: one worker killed (SIGKILL)
 * in the middle of the seed plan's rehearsed quarter; the other carries the cycle to its close, and the ledger
 * holds each mail the capture received, once, and nothing else.
 */
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from '@jest/globals';
import pg from 'pg';
import { childEnvironment } from '#config';
import type { CapturedMessage } from '#notifications';
import { REPO_ROOT } from '../../infra/dev/processes.js';
import { DEMO_PASSWORD } from '../../infra/dev/seed-plan.js';
import { sleepMs } from '../support/cycle-fixtures.js';
import { descendantsOf, freePort, freePortBlock, isAlive, killTree, recordTestProcess } from '../support/test-stack.js';

/** The command line of a process, its arguments joined by spaces ('' once it is gone). */
function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
  } catch {
    return '';
  }
}

it('runs on Temporal Server with two workers and two APIs; a worker killed mid-cycle loses nothing and sends nothing twice', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'duban-production-'));
  chmodSync(dataDir, 0o755); // the embedded server runs as the postgres user when we are root
  const entryPort = await freePortBlock([0, 1, 2]);
  const temporalPort = await freePortBlock([0, 1, 2, 6]);
  const membershipPort = await freePortBlock([0, 1, 2, 3, 4, 5, 6]);
  const [smtpPort, mailPort, pgPort] = await Promise.all([freePort(), freePort(), freePort()]);
  const env = childEnvironment({
    DUBAN_TEMPORAL: 'server',
    DUBAN_DATA_DIR: dataDir,
    POSTGRES_PROVIDER: 'embedded',
    DATABASE_URL: '',
    TEMPORAL_ADDRESS: '',
    SMTP_URL: '',
    API_PORT: String(entryPort),
    TEMPORAL_DEV_PORT: String(temporalPort),
    TEMPORAL_MEMBERSHIP_PORT: String(membershipPort),
    SMTP_CAPTURE_PORT: String(smtpPort),
    SMTP_CAPTURE_HTTP_PORT: String(mailPort),
    EMBEDDED_PG_PORT: String(pgPort),
  });
  const up = spawn(process.execPath, [join(REPO_ROOT, 'dist', 'infra', 'dev', 'up.js')], {
    cwd: REPO_ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  recordTestProcess(up.pid);
  let output = '';
  up.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  up.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => up.on('exit', (code) => resolve(code)));
  const entry = `http://127.0.0.1:${entryPort}`;
  let db: pg.Client | undefined;

  try {
    // The first run on a machine builds Temporal Server (minutes).
    const deadline = Date.now() + 900_000;
    while (!output.includes('Ctrl-C') && up.exitCode === null && Date.now() < deadline) await sleepMs(500);
    expect(output).toContain('Duban is running');
    expect(output).toContain(`Temporal Server: starting on 127.0.0.1:${temporalPort}`);
    expect(output).toMatch(/schema of duban_temporal up to date/);
    expect(output).toMatch(/schema of duban_temporal_visibility up to date/);

    // One sign-in through the entry; the session is good at either API (sessions live in PostgreSQL).
    const signIn = await fetch(`${entry}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ login: 'admin', password: DEMO_PASSWORD }),
    });
    expect(signIn.status).toBe(200);
    const cookie = signIn.headers.get('set-cookie')!.split(';')[0]!;
    for (const port of [entryPort + 1, entryPort + 2]) {
      const plans = await fetch(`http://127.0.0.1:${port}/api/plans`, { headers: { cookie } });
      expect(plans.status).toBe(200);
    }

    // /health at the entry: each API, and (to an admin) each dependency with both workers polling.
    const health = await fetch(`${entry}/health`, { headers: { cookie } });
    expect(health.status).toBe(200);
    const body = (await health.json()) as {
      status: string;
      apis: Record<string, string>;
      dependencies: Record<string, { status: string; instances?: string[] }>;
    };
    expect(body).toMatchObject({ status: 'up', apis: { 'api-1': 'up', 'api-2': 'up' } });
    expect(body.dependencies).toMatchObject({ temporal: { status: 'up' }, postgres: { status: 'up' } });
    expect(body.dependencies.workers!.instances).toHaveLength(2);

    // The engine keeps its histories in PostgreSQL (the embedded server's, beside the app's database).
    const { databaseUrl } = JSON.parse(readFileSync(join(dataDir, 'dev', 'stack.json'), 'utf8')) as {
      databaseUrl: string;
    };
    expect(databaseUrl).toContain(`:${pgPort}/duban`);
    db = new pg.Client({ connectionString: databaseUrl });
    await db.connect();
    const temporalDb = new pg.Client({
      connectionString: Object.assign(new URL(databaseUrl), { pathname: '/duban_temporal' }).toString(),
    });
    await temporalDb.connect();
    const namespaces = await temporalDb
      .query<{ name: string }>(`SELECT name FROM namespaces`)
      .finally(() => temporalDb.end());
    expect(namespaces.rows.map((r) => r.name)).toContain('default');

    // The drill: the seed plan's quarter rehearsed; once mail is going out, one worker is killed.
    const plan = /cycle rehearse --plan (\S+)/.exec(output)![1]!;
    const rehearsal = spawn(
      process.execPath,
      [
        join(REPO_ROOT, 'dist', 'apps', 'cli', 'src', 'main.js'),
        'cycle',
        'rehearse',
        '--plan',
        plan,
        '--quarter',
        '2020Q3',
        '--day-seconds',
        '1',
        '--simulate',
        '--json',
      ],
      { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    recordTestProcess(rehearsal.pid);
    let rehearsed = '';
    let progress = '';
    rehearsal.stdout.on('data', (chunk: Buffer) => (rehearsed += chunk.toString()));
    rehearsal.stderr.on('data', (chunk: Buffer) => (progress += chunk.toString()));
    const rehearsalDone = new Promise<number | null>((resolve) => rehearsal.on('exit', (code) => resolve(code)));
    let sent = 0;
    for (let i = 0; i < 600 && sent < 50 && rehearsal.exitCode === null; i += 1) {
      await sleepMs(500);
      sent = (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM notification WHERE status = 'sent'`))
        .rows[0]!.n;
    }
    expect(sent).toBeGreaterThanOrEqual(50);
    const workers = descendantsOf(up.pid!).filter((pid) => commandLine(pid).includes('apps/worker/src/main.js'));
    expect(workers).toHaveLength(2);
    process.kill(workers[0]!, 'SIGKILL');
    // Mid-cycle: the rehearsal's days go on after the kill.
    const dayAtKill = Math.max(0, ...[...progress.matchAll(/第 (\d+)\/(\d+) 工作日/g)].map((m) => Number(m[1])));

    expect(await rehearsalDone).toBe(0);
    expect(output).toMatch(/worker-\d exited unexpectedly \(code null, signal SIGKILL\)/);
    expect(output).toMatch(/worker-\d carries on/);
    expect(isAlive(workers[1]!)).toBe(true);

    // Nothing lost, nothing twice: every mail the ledger says it sent reached the capture once, and the capture
    // holds nothing the ledger does not; no mail is left half-sent.
    const ledger = (
      await db.query<{ messageId: string; status: string }>(
        `SELECT message_id AS "messageId", status FROM notification ORDER BY id`,
      )
    ).rows;
    expect(ledger.filter((row) => row.status !== 'sent')).toEqual([]);
    const captured = (await (await fetch(`http://127.0.0.1:${mailPort}/api/messages`)).json()) as Omit<
      CapturedMessage,
      'raw'
    >[];
    const capturedIds = captured.map((m) => m.messageId);
    expect(new Set(capturedIds).size).toBe(capturedIds.length);
    expect(capturedIds.sort()).toEqual(ledger.map((row) => row.messageId).sort());
    const days = [...progress.matchAll(/第 (\d+)\/(\d+) 工作日/g)].map((m) => [Number(m[1]), Number(m[2])] as const);
    expect(days.some(([day]) => day > dayAtKill)).toBe(true);
    expect(dayAtKill).toBeLessThan(days.at(-1)![1]);
    // Every task of the seed plan reached its end on the surviving worker.
    const result = JSON.parse(rehearsed) as { tasks: { assigned: string | null; status: string }[] };
    expect(result.tasks).toHaveLength(128);
    expect(result.tasks.filter((t) => !t.assigned)).toEqual([]);
    // The simulated units reported and the supervisors decided on the surviving worker: most tasks approved.
    expect(result.tasks.filter((t) => t.status === 'approved').length).toBeGreaterThan(64);

    await db.end();
    const children = descendantsOf(up.pid!);
    process.kill(-up.pid!, 'SIGINT');
    expect(await exited).toBe(0);
    expect(output).toContain('nothing left running');
    expect(children.filter(isAlive)).toEqual([]);
  } finally {
    await db?.end().catch(() => undefined);
    if (up.exitCode === null) killTree(up.pid!);
    await rm(dataDir, { recursive: true, force: true });
  }
}, 1_500_000);
