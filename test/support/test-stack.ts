/**
 * The components of one test run, as the global setup started them. Tests
 * read this instead of the environment so every test file sees the same
 * Temporal server, test database and SMTP capture.
 */
import { randomUUID } from 'node:crypto';
import { appendFileSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { childEnvironment, loadConfig, setForThisRun, type DubanConfig } from '#config';
import { DUBAN_TASK_QUEUE } from '#contracts';
import type { CapturedMessage } from '#notifications';
import { startApp, waitForHealthy, type ManagedProcess } from '../../infra/dev/processes.js';

export interface TestStack {
  temporalAddress: string;
  databaseUrl: string;
  smtpUrl: string;
  mailboxUrl: string;
  workflowBundlePath: string;
}

export function testDataDir(config: DubanConfig = loadConfig()): string {
  return join(config.dataDir, 'test');
}

/**
 * This test file's own Temporal task queue. The suites share one Temporal dev server; on one queue, a suite's
 * worker took another suite's workflow tasks, and a worker that cycle-durability kills on purpose held another
 * suite's Update until a task timed out (CI: "task 1 never became returned"). Jest gives each test file its own
 * copy of `process.env` and its own modules, so the value differs per file.
 */
export const SUITE_TASK_QUEUE = `${DUBAN_TASK_QUEUE}-suite-${randomUUID().slice(0, 8)}`;

/**
 * The stack the global setup started. Also sets TEMPORAL_TASK_QUEUE to this file's `SUITE_TASK_QUEUE`, so the
 * workers, APIs and CLI runs it starts (their environment is `childEnvironment`'s copy of it) poll and start
 * workflows there; a workflow the file starts itself names `SUITE_TASK_QUEUE`.
 */
export function readTestStack(): TestStack {
  setForThisRun({ TEMPORAL_TASK_QUEUE: SUITE_TASK_QUEUE });
  return JSON.parse(readFileSync(join(testDataDir(), 'stack.json'), 'utf8')) as TestStack;
}

/** Every message the capture holds, oldest first. */
export async function capturedMessages(stack: TestStack): Promise<Omit<CapturedMessage, 'raw'>[]> {
  const response = await fetch(`${stack.mailboxUrl}/api/messages`);
  if (!response.ok) throw new Error(`mailbox answered ${response.status}`);
  return (await response.json()) as Omit<CapturedMessage, 'raw'>[];
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** All descendants of a process, from /proc. */
export function descendantsOf(root: number): number[] {
  const parents = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // exited while we looked
    }
  }
  const found: number[] = [];
  const queue = [root];
  while (queue.length) {
    const parent = queue.shift()!;
    for (const [pid, ppid] of parents) {
      if (ppid === parent) {
        found.push(pid);
        queue.push(pid);
      }
    }
  }
  return found;
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * SIGKILLs a process and all its descendants (the start command's children run in process groups of their own,
 * so killing its group alone would orphan them). Ones that exit meanwhile are skipped.
 */
export function killTree(root: number): void {
  for (const pid of [...descendantsOf(root), root]) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone already
    }
  }
}

/** Whether a local port can be listened on now. */
function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/**
 * A base port in [20000, below) whose offsets are all free now: for a server that takes several ports from one
 * base (Temporal Server's services; an entry and the APIs after it). `below` defaults to 32768: Temporal keeps
 * membership ports in a smallint column.
 */
export async function freePortBlock(offsets: readonly number[], below = 32_768): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const base = 20_000 + Math.floor(Math.random() * (below - 1 - Math.max(...offsets) - 20_000));
    const free = await Promise.all(offsets.map((offset) => portFree(base + offset)));
    if (free.every(Boolean)) return base;
  }
  throw new Error('no free block of ports');
}

/** A unique mailbox per test, so tests sharing the capture never read each other's mail. */
export function uniqueAddress(label: string): string {
  return `${label}.${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}@test.duban.local`;
}

function pidFile(): string {
  return join(testDataDir(), 'pids');
}

/** Remembers a process a test started, so the next run can stop it if this one is interrupted. */
export function recordTestProcess(pid: number | undefined): void {
  if (pid) appendFileSync(pidFile(), `${pid}\n`);
}

/** Stops what an interrupted earlier run (Ctrl-C skips the global teardown) left behind. */
export function killLeftoverTestProcesses(): number {
  let pids: number[] = [];
  try {
    pids = readFileSync(pidFile(), 'utf8').split('\n').filter(Boolean).map(Number);
  } catch {
    return 0;
  }
  let killed = 0;
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
      killed += 1;
    } catch {
      // already gone
    }
  }
  return killed;
}

/** The api app as a real process on a free port, against the run's components. */
export async function startTestApi(
  logDir: string,
  overrides: Record<string, string> = {},
): Promise<{ api: ManagedProcess; url: string }> {
  const stack = readTestStack();
  const port = await freePort();
  const api = startApp(
    'api',
    childEnvironment({
      DATABASE_URL: stack.databaseUrl,
      TEMPORAL_ADDRESS: stack.temporalAddress,
      SMTP_URL: stack.smtpUrl,
      // (A development setting: refused in production.)
      ...(overrides.NODE_ENV === 'production' ? {} : { MAILBOX_URL: stack.mailboxUrl }),
      API_PORT: String(port),
      DEV_IDENTITY_HEADER: 'on',
      ...overrides,
    }),
    join(logDir, `api-${port}.log`),
  );
  recordTestProcess(api.child.pid);
  return { api, url: `http://127.0.0.1:${port}` };
}

/**
 * Tests' own mail domains: their rehearsals may mail them, as a district lists
 * its trainees in REHEARSAL_MAIL_TO (the global setup sets it for every process);
 * and the domain the capture refuses, so that tests reach the server's refusal.
 */
export const TEST_REHEARSAL_MAIL_TO = ['@test.local', '@test.duban.local', '@duban.invalid'];

/** The admin the global setup puts in the directory, for API calls that need a caller. */
export const TEST_ADMIN = 'test-admin';

/** Request options naming the test admin as the caller (outside production the API takes X-Duban-User), unless they name one. */
export function asTestAdmin(init: RequestInit = {}): RequestInit {
  const headers = new Headers(init.headers);
  if (!headers.has('x-duban-user')) headers.set('x-duban-user', TEST_ADMIN);
  return { ...init, headers };
}

/** A JSON call to the API as `login` (X-Duban-User, outside production): GET without a body, else POST. */
export async function callAs(
  url: string,
  login: string,
  path: string,
  body?: unknown,
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the suites read answers as loosely as JSON is
): Promise<{ status: number; body: any }> {
  const response = await fetch(`${url}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'x-duban-user': login, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
}

/** A file's bytes POSTed to the API as `login` (application/octet-stream), as the web app's upload sends them. */
export async function uploadAs(
  url: string,
  login: string,
  path: string,
  bytes: Buffer,
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the suites read answers as loosely as JSON is
): Promise<{ status: number; body: any }> {
  const response = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: { 'x-duban-user': login, 'content-type': 'application/octet-stream' },
    body: bytes,
  });
  return { status: response.status, body: await response.json() };
}

/** A PNG of one pixel: a photo's magic bytes, for evidence uploads. */
export const ONE_PIXEL_PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

/** Debian's Chromium, which infra/scripts/ensure-chromium.sh installs for the browser tests. */
export function chromiumPath(): string {
  const found = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((path) => existsSync(path));
  if (!found) throw new Error('Chromium is missing: run infra/scripts/ensure-chromium.sh (apt-get install chromium)');
  return found;
}

/** A worker and an API as their own processes on the test stack (the caller stops them), the API healthy. */
export async function startWorkerAndApi(logDir: string): Promise<{ url: string; processes: ManagedProcess[] }> {
  const stack = readTestStack();
  const worker = startApp(
    'worker',
    childEnvironment({
      DATABASE_URL: stack.databaseUrl,
      TEMPORAL_ADDRESS: stack.temporalAddress,
      SMTP_URL: stack.smtpUrl,
    }),
    join(logDir, 'worker.log'),
  );
  recordTestProcess(worker.child.pid);
  const { api, url } = await startTestApi(logDir);
  await waitForHealthy(`${url}/health`, 60_000, () => (api.child.exitCode !== null ? 'api exited' : undefined));
  return { url, processes: [worker, api] };
}

/** Starts a rehearsal with ten-minute days (nothing moves by the clock) through the API; answers once a task shows. */
export async function startQuietRehearsal(url: string, planName: string, taskId: string): Promise<string> {
  const started = await fetch(
    `${url}/api/cycles`,
    asTestAdmin({
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ plan: planName, quarter: '2020Q3', rehearsal: { daySeconds: 600 } }),
    }),
  );
  const { cycleId } = (await started.json()) as { cycleId: string };
  const taskUrl = `${url}/api/cycles/${encodeURIComponent(cycleId)}/tasks/${taskId}`;
  for (let i = 0; i < 150 && (await fetch(taskUrl, asTestAdmin())).status !== 200; i += 1) {
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return cycleId;
}
