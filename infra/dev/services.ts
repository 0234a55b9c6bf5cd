/**
 * Duban's own processes on one machine: `workers` worker processes and `apis` API processes, with (when there is
 * more than one API) the entry proxy on the API port passing requests to them, each API on the ports after it.
 * Sessions, sign-in limits and every other state live in PostgreSQL, so any API can answer any request.
 */
import { join } from 'node:path';
import type { Environment } from '#config';
import { startEntryProxy, type EntryProxy, type Upstream } from './entry-proxy.js';
import { startApp, waitForHealthy, type ManagedProcess } from './processes.js';

export interface ServicesOptions {
  /** What every process gets (DATABASE_URL, TEMPORAL_ADDRESS, SMTP_URL, …). */
  env: Environment;
  workers: number;
  apis: number;
  /** Where people reach the service: the entry (several APIs) or the API itself (one). */
  host: string;
  port: number;
  /** Where PUBLIC_URL points (links in mail); the APIs behind the entry take it, not their own address. */
  publicUrl: string;
  logDir: string;
  /** Called once when a process exits by itself (not by stop()). */
  onExit(app: ManagedProcess, code: number | null, signal: NodeJS.Signals | null): void;
}

export interface Services {
  /** http://host:port where people and /health reach the service. */
  readonly url: string;
  readonly workers: readonly ManagedProcess[];
  readonly apis: readonly ManagedProcess[];
  /** The entry, once it listens (several APIs). */
  entry(): EntryProxy | undefined;
  /**
   * Resolves once /health at `url` answers up (a worker polls; PostgreSQL, Temporal and SMTP answer).
   * @throws Error when the service is not healthy within 90 s or `abort` says why not to wait.
   */
  readonly ready: Promise<void>;
  /** The entry first, then the APIs, then the workers (each drains its activities). */
  stop(): Promise<void>;
}

/**
 * Starts the workers and the APIs at once, then (several APIs) the entry once they answer; `ready` says when the
 * whole service is healthy. stop() may come at any time, before `ready` too.
 */
export function startServices(options: ServicesOptions, abort: () => string | undefined): Services {
  const workers: ManagedProcess[] = [];
  const apis: ManagedProcess[] = [];
  let entry: EntryProxy | undefined;
  let stopping = false;
  const stop = async () => {
    stopping = true;
    await entry?.stop();
    await Promise.all(apis.map((app) => app.stop()));
    await Promise.all(workers.map((app) => app.stop()));
  };
  const watch = (app: ManagedProcess) =>
    void app.exited.then(({ code, signal }) => {
      if (!stopping) options.onExit(app, code, signal);
    });
  const several = options.apis > 1;
  for (let i = 1; i <= options.workers; i += 1) {
    const name = options.workers > 1 ? `worker-${i}` : 'worker';
    const app = startApp('worker', options.env, join(options.logDir, `${name}.log`), name);
    workers.push(app);
    watch(app);
  }
  const upstreams: Upstream[] = [];
  for (let i = 1; i <= options.apis; i += 1) {
    const name = several ? `api-${i}` : 'api';
    const port = several ? options.port + i : options.port;
    const env: Environment = {
      ...options.env,
      API_HOST: options.host,
      API_PORT: String(port),
      PUBLIC_URL: options.publicUrl,
      // The entry on this machine names the client in X-Forwarded-For.
      ...(several && (options.env.TRUST_PROXY ?? 'off') === 'off' ? { TRUST_PROXY: 'loopback' } : {}),
    };
    const app = startApp('api', env, join(options.logDir, `${name}.log`), name);
    apis.push(app);
    watch(app);
    upstreams.push({ name, url: `http://${options.host}:${port}` });
  }
  const url = `http://${options.host}:${options.port}`;
  const ready = (async () => {
    if (several) {
      await Promise.all(upstreams.map((u) => waitForHealthy(`${u.url}/health/api`, 90_000, abort)));
      if (stopping) throw new Error('stopping');
      const started = await startEntryProxy({ host: options.host, port: options.port, upstreams });
      if (stopping) {
        // stop() ran while the entry was starting: it did not see it.
        await started.stop();
        throw new Error('stopping');
      }
      entry = started;
    }
    await waitForHealthy(`${url}/health`, 90_000, abort);
  })();
  return { url, workers, apis, entry: () => entry, ready, stop };
}
