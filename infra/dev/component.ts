import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';

/**
 * What each dev component provider returns: where it is, how it was
 * provided, and how to stop what we started (nothing, if it was external).
 */
export interface Component {
  readonly name: string;
  /** external (configured), local (already running here), started (by us). */
  readonly provenance: 'external' | 'local' | 'started';
  /** Processes we started for it, so a later run can clean up after an interrupted one. */
  readonly pids?: readonly number[];
  stop(): Promise<void>;
}

/** Human-facing progress lines for the start and test commands (not logs). */
export type Say = (line: string) => void;

export const sayToStderr: Say = (line) => {
  process.stderr.write(`[duban] ${line}\n`);
};

export async function waitFor<T>(
  what: string,
  attempt: () => Promise<T | undefined>,
  { timeoutMs, intervalMs = 250, abort }: { timeoutMs: number; intervalMs?: number; abort?: () => string | undefined },
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    const aborted = abort?.();
    if (aborted) throw new Error(`${what}: ${aborted}`);
    try {
      const value = await attempt();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  throw new Error(
    `${what}: not ready after ${timeoutMs / 1000}s${lastError ? ` (${(lastError as Error).message})` : ''}`,
  );
}

/** A server process started by us: its output appended to a log file, why it exited, and how to stop it. */
export interface Supervised {
  /** Its process id (undefined when it could not be spawned). */
  readonly pid: number | undefined;
  /** Why it exited ("… exited (code 1, signal null); see the log"), or undefined while it runs. */
  exited(): string | undefined;
  /** SIGTERM, then SIGKILL after `graceMs`; closes the log. */
  stop(): Promise<void>;
}

/**
 * Appends a child's stdout and stderr to `log` (neither ends it: whichever closes first must not cut off the
 * other's last lines, a crash trace). A read error of either is written to the log, never thrown (an 'error'
 * no one listens for would end the supervising process: the dev stack, a test).
 * @returns `finish`, for once the child has exited: waits (at most `graceMs`) for the output still in the
 *   pipes, then ends the log. Ending it at 'exit' alone lost that output, and a last chunk arriving after
 *   the end threw ERR_STREAM_WRITE_AFTER_END in the supervisor.
 */
export function appendOutput(child: ChildProcess, log: WriteStream): (graceMs?: number) => Promise<void> {
  const streams = [child.stdout, child.stderr].filter((stream) => stream !== null);
  for (const stream of streams) {
    stream.on('error', (error) => log.write(`[duban] output of pid ${child.pid} cut off: ${error.message}\n`));
    stream.pipe(log, { end: false });
  }
  const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
  return async (graceMs = 2_000) => {
    let timer: NodeJS.Timeout | undefined;
    // A grandchild holding the pipes open must not hold the stop up.
    await Promise.race([closed, new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)))]);
    clearTimeout(timer);
    for (const stream of streams) stream.unpipe(log);
    await new Promise<void>((resolve) => log.end(resolve));
  };
}

/**
 * Spawns `command` detached (Ctrl-C in a terminal reaches our supervisor, which stops servers last),
 * with its stdout and stderr appended to `logFile`.
 */
export function superviseProcess(
  command: string,
  args: readonly string[],
  { label, logFile, graceMs, env }: { label: string; logFile: string; graceMs: number; env?: NodeJS.ProcessEnv },
): Supervised {
  const log = createWriteStream(logFile, { flags: 'a' });
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true, ...(env ? { env } : {}) });
  const finishLog = appendOutput(child, log);
  let exited: string | undefined;
  const exitedPromise = new Promise<void>((resolve) =>
    child.on('exit', (code, signal) => {
      exited = `${label} exited (code ${code}, signal ${signal}); see ${logFile}`;
      resolve();
    }),
  );
  return {
    pid: child.pid,
    exited: () => exited,
    async stop() {
      if (!exited) {
        child.kill('SIGTERM');
        const killer = setTimeout(() => child.kill('SIGKILL'), graceMs);
        await exitedPromise;
        clearTimeout(killer);
      }
      await finishLog();
    },
  };
}
