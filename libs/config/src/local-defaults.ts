/**
 * Where a standalone api/worker process looks when nothing is configured:
 * the components that `npm start` (infra/dev) provides on this machine.
 */
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

export function resolveEndpoints(config: DubanConfig): Endpoints {
  return {
    databaseUrl: config.databaseUrl ?? LOCAL_DEFAULTS.databaseUrl,
    temporalAddress: config.temporal.address ?? LOCAL_DEFAULTS.temporalAddress,
    smtpUrl: config.smtp.url ?? LOCAL_DEFAULTS.smtpUrl,
  };
}
