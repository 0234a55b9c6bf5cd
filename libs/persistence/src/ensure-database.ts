/**
 * Creates the application's database on a server if it is missing, so a
 * fresh machine needs nothing but a reachable PostgreSQL.
 */
import pg from 'pg';

export async function ensureDatabase(url: string): Promise<{ created: boolean; database: string }> {
  const { client, database } = await connectToMaintenance(url);
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (found.rowCount) return { created: false, database };
    try {
      await client.query(`CREATE DATABASE ${client.escapeIdentifier(database)}`);
    } catch (error) {
      // Two processes racing to create it: the other one won, which is fine.
      if ((error as { code?: string }).code !== '42P04') throw error;
    }
    return { created: true, database };
  } finally {
    await client.end();
  }
}

/** Drops the database (test runs start empty); other sessions on it are ended. */
export async function dropDatabase(url: string): Promise<void> {
  const { client, database } = await connectToMaintenance(url);
  try {
    await client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(database)} WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

/** A connection to the server's `postgres` database, for creating and dropping others. */
async function connectToMaintenance(url: string): Promise<{ client: pg.Client; database: string }> {
  const database = decodeURIComponent(new URL(url).pathname.replace(/^\//, ''));
  if (!database) {
    throw new Error(`DATABASE_URL 未指定数据库名 / DATABASE_URL names no database: ${redactUrl(url)}`);
  }
  const maintenance = new URL(url);
  maintenance.pathname = '/postgres';
  const client = new pg.Client({ connectionString: maintenance.toString(), connectionTimeoutMillis: 5000 });
  await client.connect();
  return { client, database };
}

/** Checks that a server answers, without creating anything. */
export async function canConnect(url: string, timeoutMs = 2000): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: timeoutMs });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparseable URL)';
  }
}
