/**
 * The README's start command (its last step, `node dist/infra/dev/up.js`):
 * brings the whole stack up on its own ports and data folder, prints the
 * URLs, is healthy, and on Ctrl-C (SIGINT) stops every process it started.
 */
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from '@jest/globals';
import { childEnvironment } from '#config';
import { REPO_ROOT } from '../infra/dev/processes.js';
import { freePort, readTestStack } from './support/test-stack.js';

/** All descendants of a process, from `ps`. */
function descendantsOf(root: number): number[] {
  const table = execFileSync('ps', ['-e', '-o', 'pid=,ppid='], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .map((line) => line.trim().split(/\s+/).map(Number) as [number, number]);
  const found: number[] = [];
  const queue = [root];
  while (queue.length) {
    const parent = queue.shift()!;
    for (const [pid, ppid] of table) {
      if (ppid === parent) {
        found.push(pid);
        queue.push(pid);
      }
    }
  }
  return found;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

it('starts the stack, serves /health, and leaves nothing running after Ctrl-C', async () => {
  const stack = readTestStack();
  const [apiPort, temporalPort, uiPort, smtpPort, mailPort] = await Promise.all([1, 2, 3, 4, 5].map(() => freePort()));
  const up = spawn(process.execPath, [join(REPO_ROOT, 'dist', 'infra', 'dev', 'up.js')], {
    cwd: REPO_ROOT,
    env: childEnvironment({
      DUBAN_DATA_DIR: mkdtempSync(join(tmpdir(), 'duban-up-')),
      DATABASE_URL: stack.databaseUrl,
      TEMPORAL_ADDRESS: '',
      SMTP_URL: '',
      API_PORT: String(apiPort),
      TEMPORAL_DEV_PORT: String(temporalPort),
      TEMPORAL_UI_PORT: String(uiPort),
      SMTP_CAPTURE_PORT: String(smtpPort),
      SMTP_CAPTURE_HTTP_PORT: String(mailPort),
    }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  up.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  up.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => up.on('exit', (code) => resolve(code)));

  const deadline = Date.now() + 90_000;
  while (!output.includes('Ctrl-C') && up.exitCode === null && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  expect(output).toContain('Duban is running');
  expect(output).toContain(`http://127.0.0.1:${apiPort}/health`);
  expect(output).toContain(`http://127.0.0.1:${uiPort}`);
  expect(output).toContain(`http://127.0.0.1:${mailPort}`);

  const health = await fetch(`http://127.0.0.1:${apiPort}/health`);
  expect(health.status).toBe(200);
  const mailbox = await fetch(`http://127.0.0.1:${mailPort}/api/messages`);
  expect(mailbox.status).toBe(200);

  const children = descendantsOf(up.pid!);
  expect(children.length).toBeGreaterThanOrEqual(3); // temporal, worker, api
  up.kill('SIGINT');
  expect(await exited).toBe(0);
  expect(output).toContain('nothing left running');
  expect(children.filter(isAlive)).toEqual([]);
  await expect(fetch(`http://127.0.0.1:${apiPort}/health`)).rejects.toThrow();
}, 120_000);
