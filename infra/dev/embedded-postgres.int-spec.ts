/**
 * The embedded fallback for machines without a PostgreSQL server: binaries
 * from npm, run (as root) as the postgres user, migrated, then stopped.
 */
import { chmodSync, mkdtempSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from '@jest/globals';
import pg from 'pg';
import { canConnect, ensureDatabase, migrate, MIGRATIONS } from '#persistence';
import { freePort } from '../../test/support/test-stack.js';
import { startEmbeddedPostgres } from './embedded-postgres.js';

it('initialises, migrates and stops an embedded PostgreSQL cluster', async () => {
  const lines: string[] = [];
  const parent = mkdtempSync(join(tmpdir(), 'duban-embedded-pg-'));
  chmodSync(parent, 0o755); // reachable by the postgres user when the test runs as root
  const databaseDir = join(parent, 'postgres');
  const server = await startEmbeddedPostgres(
    { databaseDir, port: await freePort(), database: 'duban_embedded' },
    (line) => lines.push(line),
  );
  try {
    expect(server.provenance).toBe('started');
    expect(lines.join('\n')).toContain('initialising embedded cluster');
    expect(await ensureDatabase(server.url)).toEqual({ created: true, database: 'duban_embedded' });
    expect(await migrate(server.url)).toEqual(MIGRATIONS.map((Migration) => new Migration().name));
    const client = new pg.Client({ connectionString: server.url });
    await client.connect();
    const tables = await client.query("SELECT to_regclass('notification') IS NOT NULL AS present");
    await client.end();
    expect(tables.rows[0].present).toBe(true);
  } finally {
    await server.stop();
  }
  expect(await canConnect(server.url, 1000)).toBe(false);
  await rm(parent, { recursive: true, force: true });
}, 120_000);
