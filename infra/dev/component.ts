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
