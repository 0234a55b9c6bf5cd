/**
 * The only place that reads process.env. Apps call loadConfig() once at
 * start; on bad input they print ConfigError's message and exit.
 */
import { configSchema, toDubanConfig, type DubanConfig } from './config.schema.js';

export class ConfigError extends Error {
  constructor(readonly problems: { variable: string; reason: string }[]) {
    super(
      [
        '配置错误，无法启动 / Invalid configuration, cannot start:',
        ...problems.map((p) => `  ${p.variable}: ${p.reason}`),
        '参见 .env.example / See .env.example',
      ].join('\n'),
    );
    this.name = 'ConfigError';
  }
}

export type Environment = Record<string, string | undefined>;

export function loadConfig(env: Environment = process.env, cwd: string = process.cwd()): DubanConfig {
  // An empty variable means "not set", as in most shells' `VAR= cmd`.
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = configSchema.safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => ({
        variable: issue.path.join('.') || '(environment)',
        reason: issue.message,
      })),
    );
  }
  return toDubanConfig(parsed.data, cwd);
}

/** The environment a child process inherits, with the given overrides. */
export function childEnvironment(overrides: Environment): Environment {
  return { ...process.env, ...overrides };
}

/** Sets variables for this process and every process it starts later (a test run's own settings). */
export function setForThisRun(variables: Environment): void {
  Object.assign(process.env, variables);
}
