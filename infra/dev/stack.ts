/**
 * The whole set of real components Duban needs, provided in one call and
 * stopped in reverse order. Used by the start command and by the tests.
 */
import { join } from 'node:path';
import type { DubanConfig } from '#config';
import type { Component, Say } from './component.js';
import { providePostgres, type PostgresComponent } from './postgres.js';
import { provideSmtp, type SmtpComponent } from './smtp.js';
import { provideTemporal, type TemporalComponent } from './temporal-dev-server.js';
import { provideTemporalServer } from './temporal-server.js';

export interface Stack {
  temporal: TemporalComponent;
  postgres: PostgresComponent;
  smtp: SmtpComponent;
  stop(): Promise<void>;
}

export interface StackProfile {
  /** Appended to the database name: '' for the app (`duban`), '_test' for the tests (`duban_test`). */
  databaseSuffix: string;
  /** Drop and recreate the database first (tests). */
  freshDatabase: boolean;
  /** Sub-folder of the data dir, so tests never touch the app's Temporal file or mail. */
  dataSubdir: string;
  temporalPort: number;
  temporalUiPort: number;
  smtpPort: number;
  mailboxPort: number;
}

/** Stops components in reverse order of start; each one once. */
export async function stopComponents(started: Component[], say: Say): Promise<void> {
  while (started.length) {
    const component = started.pop()!;
    await component.stop().catch((error: Error) => say(`stopping ${component.name} failed: ${error.message}`));
  }
}

/**
 * @param started receives each component as soon as it runs, so a Ctrl-C
 *   during a slow start (the first Temporal CLI build, initdb) can stop what
 *   is already up.
 */
export async function startStack(
  config: DubanConfig,
  profile: StackProfile,
  say: Say,
  started: Component[] = [],
): Promise<Stack> {
  const dataDir = join(config.dataDir, profile.dataSubdir);
  const stop = () => stopComponents(started, say);
  try {
    const smtp = await provideSmtp(
      config,
      { smtpPort: profile.smtpPort, httpPort: profile.mailboxPort, storeDir: join(dataDir, 'mail') },
      say,
    );
    started.push(smtp);
    const postgres = await providePostgres(
      config,
      { database: 'duban', suffix: profile.databaseSuffix, fresh: profile.freshDatabase },
      say,
    );
    started.push(postgres);
    const temporal =
      config.temporal.engine === 'server'
        ? await provideTemporalServer(
            config,
            { postgresUrl: postgres.url, port: profile.temporalPort, logFile: join(dataDir, 'temporal-server.log') },
            say,
          )
        : await provideTemporal(
            config,
            {
              port: profile.temporalPort,
              uiPort: profile.temporalUiPort,
              dbFile: join(dataDir, 'temporal.db'),
              logFile: join(dataDir, 'temporal.log'),
              namespace: config.temporal.namespace,
            },
            say,
          );
    started.push(temporal);
    return { temporal, postgres, smtp, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
