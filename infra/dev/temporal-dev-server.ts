/**
 * Provides Temporal: TEMPORAL_ADDRESS if set; otherwise `temporal server
 * start-dev` from the Temporal CLI v1.5.1 — TEMPORAL_CLI, else the binary
 * cached outside the clone, else built there with `go install`, else (no Go)
 * the SDK's own download. Persistent SQLite file, WAL, our search attributes.
 */
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Connection } from '@temporalio/client';
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import { DUBAN_SEARCH_ATTRIBUTES } from '#contracts';
import type { DubanConfig } from '#config';
import { superviseProcess, waitFor, type Component, type Say } from './component.js';
import { goInstall } from './go-build.js';

export const TEMPORAL_CLI_VERSION = 'v1.5.1';

export interface TemporalComponent extends Component {
  readonly address: string;
  readonly uiUrl: string | undefined;
}

export interface TemporalDevServerOptions {
  port: number;
  uiPort: number;
  dbFile: string;
  logFile: string;
  namespace: string;
}

export async function provideTemporal(
  config: DubanConfig,
  options: TemporalDevServerOptions,
  say: Say,
): Promise<TemporalComponent> {
  const external = externalTemporal(config, say);
  if (external) return external;
  const cli = config.temporal.cliPath ?? (await ensureTemporalCli(config.cacheDir, say));
  if (cli) return startDevServer(cli, options, say);
  say('Temporal: no Go toolchain; letting @temporalio/testing download the dev server');
  return downloadAndStart(options);
}

/** The Temporal of TEMPORAL_ADDRESS, when set (nothing to start or stop). */
export function externalTemporal(config: DubanConfig, say: Say): TemporalComponent | undefined {
  if (!config.temporal.address) return undefined;
  say(`Temporal: using TEMPORAL_ADDRESS=${config.temporal.address}`);
  return {
    name: 'temporal',
    provenance: 'external',
    address: config.temporal.address,
    uiUrl: undefined,
    stop: async () => {},
  };
}

/** The cached CLI, building it on first use. Undefined when there is no Go to build with. */
export async function ensureTemporalCli(cacheDir: string, say: Say): Promise<string | undefined> {
  const binDir = join(cacheDir, `temporal-cli-${TEMPORAL_CLI_VERSION}`);
  const built = await goInstall(binDir, [`github.com/temporalio/cli/cmd/temporal@${TEMPORAL_CLI_VERSION}`], {
    label: `Temporal CLI ${TEMPORAL_CLI_VERSION}`,
    binaries: ['temporal'],
    say,
  });
  return built?.temporal;
}

async function startDevServer(cli: string, options: TemporalDevServerOptions, say: Say): Promise<TemporalComponent> {
  await mkdir(join(options.dbFile, '..'), { recursive: true });
  const args = [
    'server',
    'start-dev',
    '--ip',
    '127.0.0.1',
    '--port',
    String(options.port),
    '--ui-port',
    String(options.uiPort),
    '--db-filename',
    options.dbFile,
    '--sqlite-pragma',
    'journal_mode=WAL',
    '--namespace',
    options.namespace,
    '--log-level',
    'warn',
    ...Object.entries(DUBAN_SEARCH_ATTRIBUTES).flatMap(([name, type]) => ['--search-attribute', `${name}=${type}`]),
  ];
  // detached: Ctrl-C in a terminal goes to our supervisor, which stops the server last.
  const server = superviseProcess(cli, args, { label: 'dev server', logFile: options.logFile, graceMs: 10_000 });
  const address = `127.0.0.1:${options.port}`;
  say(`Temporal: starting dev server on ${address} (db ${options.dbFile})`);
  const stop = () => server.stop();
  try {
    await waitFor(
      'Temporal dev server',
      async () => {
        const connection = await Connection.connect({ address, connectTimeout: 1000 });
        try {
          await connection.workflowService.describeNamespace({ namespace: options.namespace });
          return true;
        } finally {
          await connection.close();
        }
      },
      { timeoutMs: 120_000, intervalMs: 500, abort: () => server.exited() },
    );
  } catch (error) {
    await stop();
    throw new Error(`${(error as Error).message}\n${await tailOf(options.logFile)}`);
  }
  return {
    name: 'temporal',
    provenance: 'started',
    address,
    uiUrl: `http://127.0.0.1:${options.uiPort}`,
    pids: server.pid ? [server.pid] : [],
    stop,
  };
}

async function downloadAndStart(options: TemporalDevServerOptions): Promise<TemporalComponent> {
  const { TestWorkflowEnvironment } = await import('@temporalio/testing');
  const env = await TestWorkflowEnvironment.createLocal({
    server: {
      executable: { type: 'cached-download', version: TEMPORAL_CLI_VERSION },
      ip: '127.0.0.1',
      port: options.port,
      uiPort: options.uiPort,
      dbFilename: options.dbFile,
      namespace: options.namespace,
      searchAttributes: Object.entries(DUBAN_SEARCH_ATTRIBUTES).map(([name, type]) =>
        defineSearchAttributeKey(name, type === 'Keyword' ? SearchAttributeType.KEYWORD : SearchAttributeType.DATETIME),
      ),
      extraArgs: ['--sqlite-pragma', 'journal_mode=WAL'],
    },
  });
  return {
    name: 'temporal',
    provenance: 'started',
    address: env.address,
    uiUrl: `http://127.0.0.1:${options.uiPort}`,
    stop: () => env.teardown(),
  };
}

async function tailOf(file: string): Promise<string> {
  try {
    return (await readFile(file, 'utf8')).split('\n').slice(-15).join('\n');
  } catch {
    return '';
  }
}
