/**
 * Where a standalone api/worker process looks when nothing is configured:
 * the components that `npm start` (infra/dev) provides on this machine.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DubanConfig } from './config.schema.js';

export const LOCAL_DEFAULTS = {
  databaseUrl: 'postgres://postgres@127.0.0.1:5432/duban',
  temporalAddress: '127.0.0.1:7233',
  smtpUrl: 'smtp://127.0.0.1:1025',
} as const;

/** The configuration of a running api/worker: every endpoint decided. */
export interface Endpoints {
  databaseUrl: string;
  temporalAddress: string;
  smtpUrl: string;
}

/** Where `npm start` records the endpoints of the stack it runs, for the CLI and standalone processes. */
export function devStackFile(config: DubanConfig): string {
  return join(config.dataDir, 'dev', 'stack.json');
}

/** Configured endpoints first, then those of a running `npm start`, then the local defaults. */
export function resolveEndpoints(config: DubanConfig): Endpoints {
  let running: Partial<Endpoints> = {};
  try {
    running = JSON.parse(readFileSync(devStackFile(config), 'utf8')) as Partial<Endpoints>;
  } catch {
    // no stack running: fall through to the defaults
  }
  return {
    databaseUrl: config.databaseUrl ?? running.databaseUrl ?? LOCAL_DEFAULTS.databaseUrl,
    temporalAddress: config.temporal.address ?? running.temporalAddress ?? LOCAL_DEFAULTS.temporalAddress,
    smtpUrl: config.smtp.url ?? running.smtpUrl ?? LOCAL_DEFAULTS.smtpUrl,
  };
}
