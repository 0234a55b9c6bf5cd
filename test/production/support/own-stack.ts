/**
 * The production profile's parts, each started by the drill itself so it can stop them: a PostgreSQL server of
 * the drill's own (never the machine's shared one), Temporal Server on it, worker and API processes. Mail goes to
 * the test run's SMTP capture (each drill's plan has units of its own, so its mailboxes are its own).
 *
 * The PostgreSQL is Debian's (the version whose pg_dump is on this machine, as a government cloud's would be),
 * in a cluster of the drill's; without it, the embedded one.
 */
import { chmodSync, existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { DataSource } from 'typeorm';
import { childEnvironment, loadConfig, type Environment } from '#config';
import { createDataSource, ensureDatabase, migrate } from '#persistence';
import { startEmbeddedPostgres, type Binaries } from '../../../infra/dev/embedded-postgres.js';
import { startApp, waitForHealthy, type ManagedProcess } from '../../../infra/dev/processes.js';
import {
  ensureTemporalServer,
  setupTemporalSchemas,
  startTemporalServer,
  type TemporalServerBinaries,
} from '../../../infra/dev/temporal-server.js';
import type { TemporalComponent } from '../../../infra/dev/temporal-dev-server.js';
import { freePort, freePortBlock, readTestStack, recordTestProcess, type TestStack } from '../../support/test-stack.js';

const DEBIAN_POSTGRES = '/usr/lib/postgresql';
const say = () => {};

/**
 * Debian's PostgreSQL binaries when installed, the newest major version (pg_dump of the same version beside
 * them); undefined without them (the drills then use the embedded server, which has no pg_dump).
 */
export function postgresBinaries(): (Binaries & { pgDump: string; pgRestore: string }) | undefined {
  const versions = existsSync(DEBIAN_POSTGRES)
    ? readdirSync(DEBIAN_POSTGRES)
        .filter((v) => /^\d+$/.test(v) && existsSync(join(DEBIAN_POSTGRES, v, 'bin', 'postgres')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (versions.length === 0) return undefined;
  const bin = join(DEBIAN_POSTGRES, versions[0]!, 'bin');
  return {
    initdb: join(bin, 'initdb'),
    postgres: join(bin, 'postgres'),
    pgDump: join(bin, 'pg_dump'),
    pgRestore: join(bin, 'pg_restore'),
  };
}

export interface OwnPostgres {
  /** postgres://postgres:…@127.0.0.1:PORT (no database). */
  readonly serverUrl: string;
  url(database: string): string;
  stop(): Promise<void>;
  /** Starts it again on the same cluster and port. */
  start(): Promise<void>;
}

/** A PostgreSQL cluster of the drill's own in a new folder, started. */
export async function startOwnPostgres(label: string): Promise<OwnPostgres> {
  const parent = mkdtempSync(join(tmpdir(), `duban-${label}-pg-`));
  chmodSync(parent, 0o755); // the server runs as the postgres user when we are root
  const port = await freePort();
  const binaries = postgresBinaries();
  const options = {
    databaseDir: join(parent, 'cluster'),
    port,
    database: 'postgres',
    ...(binaries ? { binaries } : {}),
  };
  let server = await startEmbeddedPostgres(options, say);
  server.pids.forEach(recordTestProcess);
  const serverUrl = Object.assign(new URL(server.url), { pathname: '' }).toString().replace(/\/$/, '');
  return {
    serverUrl,
    url: (database) => `${serverUrl}/${database}`,
    stop: () => server.stop(),
    async start() {
      server = await startEmbeddedPostgres(options, say);
      server.pids.forEach(recordTestProcess);
    },
  };
}

export interface OwnTemporal {
  readonly address: string;
  stop(): Promise<void>;
  /** Starts it again on the same databases and ports. */
  start(): Promise<void>;
}

/** Temporal Server on `postgres` (databases temporal, temporal_visibility), its schemas set up, started. */
export async function startOwnTemporal(postgres: OwnPostgres, logDir: string): Promise<OwnTemporal> {
  const binaries: TemporalServerBinaries | undefined = await ensureTemporalServer(loadConfig().cacheDir, say);
  if (!binaries) throw new Error('no Go toolchain to build Temporal Server with');
  const databases = { serverUrl: postgres.serverUrl, database: 'temporal', visibilityDatabase: 'temporal_visibility' };
  await setupTemporalSchemas(binaries.sql, databases, say);
  const options = {
    databases,
    port: await freePortBlock([0, 1, 2, 6]),
    membershipPortBase: await freePortBlock([0, 1, 2, 6]),
    namespace: 'default',
    logFile: join(logDir, 'temporal-server.log'),
  };
  let server: TemporalComponent = await startTemporalServer(binaries, options, say);
  server.pids?.forEach(recordTestProcess);
  return {
    address: server.address,
    stop: () => server.stop(),
    async start() {
      server = await startTemporalServer(binaries, options, say);
      server.pids?.forEach(recordTestProcess);
    },
  };
}

export interface OwnStack {
  readonly postgres: OwnPostgres;
  readonly temporal: OwnTemporal;
  /** The test run's SMTP capture. */
  readonly shared: TestStack;
  /** The application's database (migrated) and a data source on it. */
  readonly databaseUrl: string;
  readonly dataSource: DataSource;
  readonly client: Client;
  /** What Duban's processes get: DATABASE_URL, TEMPORAL_ADDRESS, SMTP_URL. */
  readonly env: Environment;
  readonly logDir: string;
  /** A worker process; `env` adds to what every process gets (WORKFLOW_BUNDLE_PATH of another build …). */
  startWorker(name: string, env?: Environment): ManagedProcess;
  /** An API process on a free port, once its /health/api answers up. */
  startApi(name: string): Promise<{ process: ManagedProcess; url: string }>;
  /** Stops the processes, Temporal and PostgreSQL (each only if still running). */
  dispose(): Promise<void>;
}

/** PostgreSQL, Temporal Server on it and the application's database, all the drill's own. */
export async function startOwnStack(label: string): Promise<OwnStack> {
  const logDir = mkdtempSync(join(tmpdir(), `duban-${label}-`));
  const shared = readTestStack();
  const postgres = await startOwnPostgres(label);
  const temporal = await startOwnTemporal(postgres, logDir);
  const databaseUrl = postgres.url('duban');
  await ensureDatabase(databaseUrl);
  await migrate(databaseUrl);
  const dataSource = createDataSource(databaseUrl, `duban-${label}-drill`);
  await dataSource.initialize();
  const connection = await Connection.connect({ address: temporal.address });
  const client = new Client({ connection });
  const env = childEnvironment({
    DATABASE_URL: databaseUrl,
    TEMPORAL_ADDRESS: temporal.address,
    SMTP_URL: shared.smtpUrl,
    DEV_IDENTITY_HEADER: 'on',
    LOG_LEVEL: 'warn',
  });
  const processes: ManagedProcess[] = [];
  return {
    postgres,
    temporal,
    shared,
    databaseUrl,
    dataSource,
    client,
    env,
    logDir,
    startWorker(name, extra = {}) {
      const worker = startApp('worker', { ...env, ...extra }, join(logDir, `${name}.log`), name);
      recordTestProcess(worker.child.pid);
      processes.push(worker);
      return worker;
    },
    async startApi(name) {
      const port = await freePort();
      const api = startApp('api', { ...env, API_PORT: String(port) }, join(logDir, `${name}.log`), name);
      recordTestProcess(api.child.pid);
      processes.push(api);
      const url = `http://127.0.0.1:${port}`;
      await waitForHealthy(`${url}/health/api`, 90_000, () =>
        api.child.exitCode !== null ? `${name} exited` : undefined,
      );
      return { process: api, url };
    },
    async dispose() {
      await Promise.all(processes.map((p) => p.stop(20_000)));
      await connection.close().catch(() => undefined);
      await dataSource.destroy().catch(() => undefined);
      await temporal.stop().catch(() => undefined);
      await postgres.stop().catch(() => undefined);
    },
  };
}
