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
    expect(config.api).toEqual({
      host: '127.0.0.1',
      port: 3000,
      devIdentityHeader: false,
      trustProxy: false,
      acceptSeconds: 20,
    });
    expect(config.smtp).toMatchObject({ rehearsalAllow: [], rehearsalRealRelay: 'refuse' });
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

  const REQUIRED = '生产环境（NODE_ENV=production）必须设置 / required when NODE_ENV=production';
  /** A production environment that starts: every variable each case below breaks one at a time. */
  const PRODUCTION = {
    NODE_ENV: 'production',
    DATABASE_URL: 'postgres://db/duban',
    TEMPORAL_ADDRESS: 'temporal:7233',
    SMTP_URL: 'smtp://relay:25',
    LINK_SECRET: 'kQ3v9Zp1Lw7Xr2Nc8Ty4Hb6Jm0Fd5Gs1Ae3Ui9Oq7W=',
    PUBLIC_URL: 'https://duban.example.gov.cn',
  };

  it('requires real servers and the public address in production instead of falling back to this machine', () => {
    expect(loadConfig(PRODUCTION, '/srv').publicUrl).toBe('https://duban.example.gov.cn');
    expect(problemsOf({ NODE_ENV: 'production', TEMPORAL_ADDRESS: 'temporal:7233' })).toEqual([
      { variable: 'DATABASE_URL', reason: REQUIRED },
      { variable: 'SMTP_URL', reason: REQUIRED },
      { variable: 'LINK_SECRET', reason: REQUIRED },
      { variable: 'PUBLIC_URL', reason: REQUIRED },
    ]);
    expect(problemsOf({ ...PRODUCTION, DEV_IDENTITY_HEADER: 'on' })).toEqual([
      { variable: 'DEV_IDENTITY_HEADER', reason: 'must be off when NODE_ENV=production' },
    ]);
  });

  it('refuses a weak, repetitive or placeholder link secret in production, saying how to make one', () => {
    for (const weak of [
      'x'.repeat(32),
      'ab'.repeat(20),
      'a-production-link-secret-of-32-characters',
      'changeme-changeme-changeme-changeme',
      'abcdefgh'.repeat(4), // eight characters: at most 96 bits however they are drawn
    ]) {
      const problems = problemsOf({ ...PRODUCTION, LINK_SECRET: weak });
      expect(problems.map((p) => p.variable)).toEqual(['LINK_SECRET']);
      expect(problems[0]!.reason).toMatch(/过于简单[\s\S]*too weak[\s\S]*openssl rand -base64 32/);
    }
    expect(problemsOf({ ...PRODUCTION, LINK_SECRET: 'short' })[0]!.reason).toBe('must be at least 32 characters');
    // `openssl rand -hex 32` passes; development keeps taking any secret of 32 characters.
    expect(() =>
      loadConfig({ ...PRODUCTION, LINK_SECRET: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' }),
    ).not.toThrow();
    expect(loadConfig({ LINK_SECRET: 'x'.repeat(32) }, '/srv').links.secret).toBe('x'.repeat(32));
  });

  it('refuses SMTP credentials over plain smtp:// in production unless STARTTLS is required', () => {
    const problems = problemsOf({ ...PRODUCTION, SMTP_URL: 'smtp://duban:pw@relay.example.gov.cn:587' });
    expect(problems.map((p) => p.variable)).toEqual(['SMTP_URL']);
    expect(problems[0]!.reason).toMatch(/明文[\s\S]*starttls=required[\s\S]*smtps:\/\//);
    for (const fine of [
      'smtp://duban:pw@relay.example.gov.cn:587?starttls=required',
      'smtps://duban:pw@relay.example.gov.cn:465',
      'smtp://relay.example.gov.cn:25',
    ]) {
      expect(() => loadConfig({ ...PRODUCTION, SMTP_URL: fine }, '/srv')).not.toThrow();
    }
  });

  it('trusts no proxy by default, and takes hops or a list of proxies', () => {
    expect(loadConfig({}, '/srv').api.trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: '1' }, '/srv').api.trustProxy).toBe(1);
    expect(loadConfig({ TRUST_PROXY: 'loopback, 10.0.0.0/8,fd00::1' }, '/srv').api.trustProxy).toEqual([
      'loopback',
      '10.0.0.0/8',
      'fd00::1',
    ]);
    for (const bad of ['yes', '10.0.0.0/33', 'proxy.example', '*']) {
      expect(problemsOf({ TRUST_PROXY: bad }).map((p) => p.variable)).toEqual(['TRUST_PROXY']);
    }
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig({ DATABASE_URL: '', API_PORT: '' }, '/srv').api.port).toBe(3000);
  });
});
