/**
 * Runs Duban's own processes (api, worker) as children with their output in
 * log files, and stops them gracefully: SIGTERM, a grace period, then SIGKILL.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Environment } from '#config';
import { appendOutput } from './component.js';

/** The repository root, from dist/infra/dev/. */
export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

export interface ManagedProcess {
  readonly name: string;
  readonly child: ChildProcess;
  readonly logFile: string;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stop(graceMs?: number): Promise<void>;
  logTail(lines?: number): Promise<string>;
}

/**
 * Starts dist/apps/{app}/src/main.js with `env`, its output appended to `logFile`.
 * @param name how it is called in messages (default: the app's; api-2, worker-1 … when several run).
 */
export function startApp(app: 'api' | 'worker', env: Environment, logFile: string, name: string = app): ManagedProcess {
  const log = createWriteStream(logFile, { flags: 'a' });
  const child = spawn(process.execPath, [join(REPO_ROOT, 'dist', 'apps', app, 'src', 'main.js')], {
    cwd: REPO_ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    // Own process group: a terminal's Ctrl-C reaches only the supervisor, which
    // then stops each child once, in order, letting the worker drain.
    detached: true,
  });
  const finishLog = appendOutput(child, log);
  let done = false;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => {
      done = true;
      resolve({ code, signal });
    }),
  );
  return {
    name,
    child,
    logFile,
    exited,
    async stop(graceMs = 30_000) {
      if (!done) {
        child.kill('SIGTERM');
        const killer = setTimeout(() => child.kill('SIGKILL'), graceMs);
        await exited;
        clearTimeout(killer);
      }
      await finishLog();
    },
    async logTail(lines = 20) {
      try {
        return (await readFile(logFile, 'utf8')).trimEnd().split('\n').slice(-lines).join('\n');
      } catch {
        return '';
      }
    },
  };
}

/** Resolves once GET url answers 200 with {status:'up'}; throws with the last answer otherwise. */
export async function waitForHealthy(
  url: string,
  timeoutMs: number,
  abort: () => string | undefined,
): Promise<unknown> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  while (Date.now() < deadline) {
    const aborted = abort();
    if (aborted) throw new Error(aborted);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(5000) });
      const body = (await response.json()) as { status?: string };
      if (response.status === 200 && body.status === 'up') return body;
      last = `${response.status} ${JSON.stringify(body)}`;
    } catch (error) {
      last = (error as Error).message;
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  throw new Error(`${url} not healthy after ${timeoutMs / 1000}s: ${last}`);
}
