/**
 * Temporal Server (go.temporal.io/server v1.29.1) on PostgreSQL: the
 * production profile's engine, in place of the CLI's dev server (one process,
 * a SQLite file). Built once from the Go module proxy into the cache outside
 * the clone (`server` and the schema tool `sql`); its two databases
 * (persistence and SQL visibility) are created and brought to the schema
 * version the tool embeds; it starts with the project's configuration
 * (`infra/temporal/production.yaml`, rendered by the server from the
 * environment), and Duban's namespace and search attributes are registered.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { Connection } from '@temporalio/client';
import pg from 'pg';
import { registerNamespace } from '#cycles';
import { childEnvironment, type DubanConfig } from '#config';
import { ensureDatabase } from '#persistence';
import { superviseProcess, waitFor, type Say } from './component.js';
import { REPO_ROOT } from './processes.js';
import { goInstall } from './go-build.js';
import { externalTemporal, type TemporalComponent } from './temporal-dev-server.js';

export const TEMPORAL_SERVER_VERSION = 'v1.29.1';
/** Temporal keeps each service's membership port in a smallint column: a higher one stops the server at start. */
export const MAX_MEMBERSHIP_PORT = 32_767;

export interface TemporalServerBinaries {
  server: string;
  sql: string;
}

/** The cached server and schema tool, building them on first use (minutes). Undefined when there is no Go. */
export async function ensureTemporalServer(cacheDir: string, say: Say): Promise<TemporalServerBinaries | undefined> {
  const built = await goInstall(
    join(cacheDir, `temporal-server-${TEMPORAL_SERVER_VERSION}`),
    [
      `go.temporal.io/server/cmd/server@${TEMPORAL_SERVER_VERSION}`,
      `go.temporal.io/server/cmd/tools/sql@${TEMPORAL_SERVER_VERSION}`,
    ],
    { label: `Temporal Server ${TEMPORAL_SERVER_VERSION}`, binaries: ['server', 'sql'], say },
  );
  return built ? { server: built.server!, sql: built.sql! } : undefined;
}

/** Where Temporal keeps its data: two databases on one PostgreSQL server. */
export interface TemporalDatabases {
  /** postgres://user[:password]@host:port (no database). */
  serverUrl: string;
  database: string;
  visibilityDatabase: string;
}

/** Runs the schema tool; throws with its output when it fails. */
async function schemaTool(sql: string, url: URL, database: string, args: string[]): Promise<void> {
  const tool = spawn(
    sql,
    [
      '--ep',
      url.hostname,
      '-p',
      url.port || '5432',
      '-u',
      decodeURIComponent(url.username),
      ...(url.password ? ['--pw', decodeURIComponent(url.password)] : []),
      '--pl',
      'postgres12',
      '--db',
      database,
      ...args,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  tool.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  tool.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => tool.on('exit', resolve));
  if (code !== 0) throw new Error(`temporal sql ${args.join(' ')} on ${database} failed (exit ${code}):\n${output}`);
}

/**
 * Creates both databases when missing and brings each to the newest schema the tool embeds
 * (`setup-schema -v 0.0` on an empty one, then `update-schema` to postgresql/v12/{temporal,visibility}).
 * Safe to run again: a database already set up is only updated.
 */
export async function setupTemporalSchemas(sql: string, databases: TemporalDatabases, say: Say): Promise<void> {
  const url = new URL(databases.serverUrl);
  for (const [database, dir] of [
    [databases.database, 'postgresql/v12/temporal'],
    [databases.visibilityDatabase, 'postgresql/v12/visibility'],
  ] as const) {
    const databaseUrl = new URL(url);
    databaseUrl.pathname = `/${database}`;
    await ensureDatabase(databaseUrl.toString());
    const client = new pg.Client({ connectionString: databaseUrl.toString() });
    await client.connect();
    const { rows } = await client
      .query<{ present: boolean }>(`SELECT to_regclass('schema_version') IS NOT NULL AS present`)
      .finally(() => client.end());
    if (!rows[0]!.present) await schemaTool(sql, url, database, ['setup-schema', '-v', '0.0']);
    await schemaTool(sql, url, database, ['update-schema', '-s', dir]);
    say(`Temporal Server: schema of ${database} up to date`);
  }
}

export interface TemporalServerOptions {
  databases: TemporalDatabases;
  /** The frontend's gRPC port; history, matching and worker take the next ones (+1, +2, +6). */
  port: number;
  /** Membership ports, likewise from this base (+6 at most MAX_MEMBERSHIP_PORT). */
  membershipPortBase: number;
  namespace: string;
  logFile: string;
}

/**
 * Starts the server with the project's configuration, waits for its frontend, registers the namespace
 * (30 days' retention) and Duban's search attributes (each once), and answers the component. stop(): SIGTERM,
 * then SIGKILL after 20 s.
 */
export async function startTemporalServer(
  binaries: TemporalServerBinaries,
  options: TemporalServerOptions,
  say: Say,
): Promise<TemporalComponent> {
  if (options.membershipPortBase + 6 > MAX_MEMBERSHIP_PORT) {
    throw new RangeError(
      `membership ports ${options.membershipPortBase}…${options.membershipPortBase + 6}: Temporal keeps them as smallint (≤ ${MAX_MEMBERSHIP_PORT})`,
    );
  }
  const url = new URL(options.databases.serverUrl);
  const server = superviseProcess(
    binaries.server,
    ['--root', REPO_ROOT, '--config', 'infra/temporal', '--env', 'production', '--allow-no-auth', 'start'],
    {
      label: 'Temporal Server',
      logFile: options.logFile,
      graceMs: 20_000,
      env: childEnvironment({
        TEMPORAL_DB: options.databases.database,
        TEMPORAL_VISIBILITY_DB: options.databases.visibilityDatabase,
        TEMPORAL_DB_HOST: url.hostname,
        TEMPORAL_DB_PORT: url.port || '5432',
        TEMPORAL_DB_USER: decodeURIComponent(url.username),
        TEMPORAL_DB_PASSWORD: decodeURIComponent(url.password),
        TEMPORAL_PORT: String(options.port),
        TEMPORAL_MEMBERSHIP_PORT_BASE: String(options.membershipPortBase),
      }),
    },
  );
  const stop = () => server.stop();
  const address = `127.0.0.1:${options.port}`;
  say(`Temporal Server: starting on ${address} (PostgreSQL ${url.host}/${options.databases.database})`);
  try {
    await waitFor(
      'Temporal Server',
      async () => {
        const exited = server.exited();
        if (exited) throw new Error(exited);
        const connection = await Connection.connect({ address, connectTimeout: 1000 });
        try {
          await connection.workflowService.getSystemInfo({});
          return true;
        } finally {
          await connection.close();
        }
      },
      { timeoutMs: 120_000 },
    );
    await registerDubanNamespace(address, options.namespace);
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    name: 'temporal',
    provenance: 'started',
    address,
    uiUrl: undefined,
    pids: server.pid ? [server.pid] : [],
    stop,
  };
}

/**
 * The production profile's Temporal: TEMPORAL_ADDRESS when set (external), otherwise Temporal Server built into
 * the cache, its two databases (TEMPORAL_DB, TEMPORAL_VISIBILITY_DB) set up on the PostgreSQL server of
 * `postgresUrl`, started on `port` with membership ports from TEMPORAL_MEMBERSHIP_PORT.
 * @throws Error when there is no Go to build it with, or the build, the schema tool or the start fails.
 */
export async function provideTemporalServer(
  config: DubanConfig,
  { postgresUrl, port, logFile }: { postgresUrl: string; port: number; logFile: string },
  say: Say,
): Promise<TemporalComponent> {
  const external = externalTemporal(config, say);
  if (external) return external;
  const binaries = await ensureTemporalServer(config.cacheDir, say);
  if (!binaries) {
    throw new Error(
      '没有 Go 工具链，无法构建 Temporal Server / DUBAN_TEMPORAL=server needs Go ≥ 1.25 to build Temporal Server (or set TEMPORAL_ADDRESS)',
    );
  }
  const serverUrl = new URL(postgresUrl);
  serverUrl.pathname = '';
  const databases: TemporalDatabases = {
    serverUrl: serverUrl.toString(),
    database: config.temporal.server.database,
    visibilityDatabase: config.temporal.server.visibilityDatabase,
  };
  await setupTemporalSchemas(binaries.sql, databases, say);
  return startTemporalServer(
    binaries,
    {
      databases,
      port,
      membershipPortBase: config.temporal.server.membershipPortBase,
      namespace: config.temporal.namespace,
      logFile,
    },
    say,
  );
}

/** The namespace and Duban's search attributes, each registered once (again: nothing). */
async function registerDubanNamespace(address: string, namespace: string): Promise<void> {
  const connection = await Connection.connect({ address });
  try {
    await registerNamespace(connection, namespace);
  } finally {
    await connection.close();
  }
}
