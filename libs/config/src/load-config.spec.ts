import { describe, expect, it } from '@jest/globals';
import { ConfigError, loadConfig } from './load-config.js';
import { resolveEndpoints } from './local-defaults.js';

function problemsOf(env: Record<string, string>): { variable: string; reason: string }[] {
  try {
    loadConfig(env, '/srv/duban');
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('fills every default from an empty environment', () => {
    const config = loadConfig({ HOME: '/home/zhang' }, '/srv/duban');
    expect(config.api).toEqual({ host: '127.0.0.1', port: 3000, devIdentityHeader: false });
    expect(config.databaseUrl).toBeUndefined();
    expect(config.dataDir).toBe('/srv/duban/.data');
    expect(config.cacheDir).toBe('/home/zhang/.cache/duban');
    expect(config.workflowBundlePath).toBe('/srv/duban/dist/workflow-bundle.js');
    expect(config.worker.maxCachedWorkflows).toBe(250);
    expect(config.publicUrl).toBe('http://127.0.0.1:3000');
    expect(resolveEndpoints(config)).toEqual({
      databaseUrl: 'postgres://postgres@127.0.0.1:5432/duban',
      temporalAddress: '127.0.0.1:7233',
      smtpUrl: 'smtp://127.0.0.1:1025',
    });
  });

  it('takes configured servers over the defaults', () => {
    const config = loadConfig(
      { DATABASE_URL: 'postgres://u:p@db:5432/prod', TEMPORAL_ADDRESS: 'temporal:7233', SMTP_URL: 'smtps://relay:465' },
      '/srv',
    );
    expect(resolveEndpoints(config)).toEqual({
      databaseUrl: 'postgres://u:p@db:5432/prod',
      temporalAddress: 'temporal:7233',
      smtpUrl: 'smtps://relay:465',
    });
  });

  it('names each malformed variable and says why', () => {
    const problems = problemsOf({ DATABASE_URL: 'mysql://x', API_PORT: 'eighty', TEMPORAL_ADDRESS: 'no-port' });
    expect(problems.map((p) => p.variable).sort()).toEqual(['API_PORT', 'DATABASE_URL', 'TEMPORAL_ADDRESS']);
    expect(problems.find((p) => p.variable === 'DATABASE_URL')?.reason).toContain('postgres://');
    expect(problems.find((p) => p.variable === 'TEMPORAL_ADDRESS')?.reason).toContain('host:port');
    expect(problems.find((p) => p.variable === 'API_PORT')?.reason).toBe('must be a port number from 1 to 65535');
  });

  it('puts the variable names in the message a person reads, in both languages', () => {
    expect(() => loadConfig({ LOG_LEVEL: 'loud' }, '/srv')).toThrow(/配置错误[\s\S]*LOG_LEVEL/);
    expect(() => loadConfig({ LOG_LEVEL: 'loud' }, '/srv')).toThrow(/Invalid configuration/);
  });

  it('rejects a cache size that is not a whole number', () => {
    expect(problemsOf({ WORKER_MAX_CACHED_WORKFLOWS: 'many' }).map((p) => p.variable)).toEqual([
      'WORKER_MAX_CACHED_WORKFLOWS',
    ]);
    expect(loadConfig({ WORKER_MAX_CACHED_WORKFLOWS: '200' }, '/srv').worker.maxCachedWorkflows).toBe(200);
  });

  it('rejects a port out of range', () => {
    expect(problemsOf({ TEMPORAL_UI_PORT: '70000' })).toEqual([
      { variable: 'TEMPORAL_UI_PORT', reason: 'must be a port number from 1 to 65535' },
    ]);
  });

  it('requires real servers in production instead of falling back to this machine', () => {
    expect(problemsOf({ NODE_ENV: 'production', TEMPORAL_ADDRESS: 'temporal:7233' })).toEqual([
      { variable: 'DATABASE_URL', reason: 'required when NODE_ENV=production' },
      { variable: 'SMTP_URL', reason: 'required when NODE_ENV=production' },
      { variable: 'LINK_SECRET', reason: 'required when NODE_ENV=production' },
    ]);
    expect(
      problemsOf({
        NODE_ENV: 'production',
        DATABASE_URL: 'postgres://db/duban',
        TEMPORAL_ADDRESS: 'temporal:7233',
        SMTP_URL: 'smtp://relay:25',
        LINK_SECRET: 'x'.repeat(32),
        DEV_IDENTITY_HEADER: 'on',
      }),
    ).toEqual([{ variable: 'DEV_IDENTITY_HEADER', reason: 'must be off when NODE_ENV=production' }]);
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig({ DATABASE_URL: '', API_PORT: '' }, '/srv').api.port).toBe(3000);
  });
});
