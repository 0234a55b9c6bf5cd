/**
 * A database of a test's own, on the shared PostgreSQL: for what is the whole
 * system's (the calendar, the directory's supervisors and coordinators, a
 * preflight's verdict), which other tests running beside it would change.
 */
import type { DataSource } from 'typeorm';
import { createDataSource, dropDatabase, ensureDatabase, migrate } from '#persistence';
import type { TestStack } from './test-stack.js';

export interface OwnDatabase {
  /** Its URL (for a CLI or worker run against it). */
  url: string;
  /** Creates it with every migration applied, and opens a data source on it. */
  open(name: string): Promise<DataSource>;
  /** Drops it (errors ignored: a session another process left open keeps it until the stack's end). */
  drop(): Promise<void>;
}

/** `duban_{prefix}_{tag}` on the stack's PostgreSQL. */
export function ownDatabase(stack: TestStack, prefix: string, tag: string): OwnDatabase {
  const url = new URL(stack.databaseUrl);
  url.pathname = `/duban_${prefix}_${tag}`;
  const text = url.toString();
  return {
    url: text,
    async open(name) {
      await ensureDatabase(text);
      await migrate(text);
      const dataSource = createDataSource(text, name);
      await dataSource.initialize();
      return dataSource;
    },
    drop: () => dropDatabase(text).catch(() => undefined),
  };
}
