/**
 * The README's start command (its last step, `node dist/infra/dev/up.js`) on
 * a machine without a PostgreSQL server (POSTGRES_PROVIDER=embedded): brings
 * the whole stack up on its own ports and data folder, prints the URLs, is
 * healthy, and on Ctrl-C — SIGINT to the whole process group, as a terminal
 * sends it — stops every process it started.
 */
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from '@jest/globals';
import { childEnvironment } from '#config';
import { REPO_ROOT } from '../infra/dev/processes.js';
import { DEMO_PASSWORD } from '../infra/dev/seed-plan.js';
import { descendantsOf, freePort, isAlive, killTree, recordTestProcess } from './support/test-stack.js';

/** The demo admin's session cookie. */
async function demoSession(apiPort: number): Promise<string> {
  const response = await fetch(`http://127.0.0.1:${apiPort}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ login: 'admin', password: DEMO_PASSWORD }),
  });
  return response.headers.get('set-cookie')!.split(';')[0]!;
}

it('starts the stack with embedded PostgreSQL, serves /health, and leaves nothing running after Ctrl-C', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'duban-up-'));
  chmodSync(dataDir, 0o755); // the embedded server runs as the postgres user when we are root
  const [apiPort, temporalPort, uiPort, smtpPort, mailPort, pgPort] = await Promise.all(
    [1, 2, 3, 4, 5, 6].map(() => freePort()),
  );
  const up = spawn(process.execPath, [join(REPO_ROOT, 'dist', 'infra', 'dev', 'up.js')], {
    cwd: REPO_ROOT,
    env: childEnvironment({
      DUBAN_DATA_DIR: dataDir,
      POSTGRES_PROVIDER: 'embedded',
      DATABASE_URL: '',
      TEMPORAL_ADDRESS: '',
      SMTP_URL: '',
      API_PORT: String(apiPort),
      TEMPORAL_DEV_PORT: String(temporalPort),
      TEMPORAL_UI_PORT: String(uiPort),
      SMTP_CAPTURE_PORT: String(smtpPort),
      SMTP_CAPTURE_HTTP_PORT: String(mailPort),
      EMBEDDED_PG_PORT: String(pgPort),
    }),
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // its own process group, like a shell job
  });
  recordTestProcess(up.pid);
  let output = '';
  up.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  up.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => up.on('exit', (code) => resolve(code)));

  try {
    const deadline = Date.now() + 120_000;
    while (!output.includes('Ctrl-C') && up.exitCode === null && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(output).toContain('initialising embedded cluster');
    expect(output).toContain('Duban is running');
    expect(output).toContain(`http://127.0.0.1:${apiPort}/health`);
    expect(output).toContain(`http://127.0.0.1:${uiPort}`);
    expect(output).toContain(`http://127.0.0.1:${mailPort}`);

    const health = await fetch(`http://127.0.0.1:${apiPort}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'up' });
    expect(output).toContain('seed plan / 种子计划: 2020年政府工作报告重点任务 2020Q3, 128 tasks');
    // Demo accounts for each role, printed with their password, that sign in.
    expect(output).toContain(`demo logins / 演示账号 (password 密码: ${DEMO_PASSWORD}`);
    for (const login of ['supervisor', 'coordinator', 'admin'])
      expect(output).toMatch(new RegExp(`^  ${login} +`, 'm'));
    expect(output).toMatch(/^ {2}reporter\.[0-9a-f]{8} +区住建局 填报人/m);
    expect(output).toMatch(/^ {2}reporter\.[0-9a-f]{8} +区城改办 填报人/m);
    const signIn = await fetch(`http://127.0.0.1:${apiPort}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ login: 'coordinator', password: DEMO_PASSWORD }),
    });
    expect(signIn.status).toBe(200);
    expect(await signIn.json()).toMatchObject({ person: { roles: [{ role: 'coordinator' }] } });
    const plans = (await (
      await fetch(`http://127.0.0.1:${apiPort}/api/plans`, { headers: { cookie: await demoSession(apiPort) } })
    ).json()) as {
      name: string;
      tasks: number;
    }[];
    expect(plans).toEqual([expect.objectContaining({ name: '2020年政府工作报告重点任务', tasks: 128 })]);
    const mailbox = await fetch(`http://127.0.0.1:${mailPort}/api/messages`);
    expect(mailbox.status).toBe(200);
    expect(JSON.parse(readFileSync(join(dataDir, 'dev', 'stack.json'), 'utf8'))).toMatchObject({
      databaseUrl: expect.stringContaining(`:${pgPort}/duban`),
    });

    const children = descendantsOf(up.pid!);
    expect(children.length).toBeGreaterThanOrEqual(4); // temporal, postgres, worker, api
    process.kill(-up.pid!, 'SIGINT'); // the terminal's Ctrl-C reaches the whole foreground group
    expect(await exited).toBe(0);
    expect(output).toContain('nothing left running');
    expect(children.filter(isAlive)).toEqual([]);
    await expect(fetch(`http://127.0.0.1:${apiPort}/health`)).rejects.toThrow();
  } finally {
    if (up.exitCode === null) killTree(up.pid!);
    await rm(dataDir, { recursive: true, force: true });
  }
}, 180_000);
