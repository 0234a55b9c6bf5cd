/**
 * The deployment manifests a government cloud uses, checked by the tools that run them: the compose file by
 * `docker compose config` (Compose v2, built from the Go module proxy: no engine runs here), the systemd units by
 * `systemd-analyze verify` (installed at this clone's paths, with the Temporal Server binaries the start command
 * built), and one set of configuration variables: every variable the compose file, the units, Temporal's
 * configuration and the schema script read is in duban.env.example, and every one there is read by one of them
 * or by Duban's own configuration.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { childEnvironment, CONFIG_VARIABLES, loadConfig } from '#config';
import pg from 'pg';
import { dropDatabase } from '#persistence';
import { readTestStack } from '../../test/support/test-stack.js';
import { REPO_ROOT } from '../dev/processes.js';
import { ensureCompose } from '../dev/compose.js';
import { ensureTemporalServer } from '../dev/temporal-server.js';

const deploy = join(REPO_ROOT, 'infra', 'deploy');
const read = (...path: string[]) => readFileSync(join(REPO_ROOT, ...path), 'utf8');

/** The variables of an env file (NAME=value lines). */
function envFileVariables(text: string): Map<string, string> {
  return new Map(
    text
      .split('\n')
      .filter((line) => /^[A-Z_][A-Z0-9_]*=/.test(line))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
}

describe('the compose file', () => {
  it('is valid Compose with duban.env.example filled in, and runs two workers, two APIs and the entry', async () => {
    const compose = await ensureCompose(loadConfig().cacheDir, () => {});
    expect(compose).toBeDefined();
    // A copy of the repository's layout (the build contexts are ../..), with duban.env filled in beside the file.
    const root = mkdtempSync(join(tmpdir(), 'duban-compose-'));
    const dir = join(root, 'infra', 'deploy');
    mkdirSync(dir, { recursive: true });
    const env = join(dir, 'duban.env');
    writeFileSync(
      env,
      read('infra', 'deploy', 'duban.env.example')
        .replace(/^LINK_SECRET=$/m, 'LINK_SECRET=Zm9yLWEtdGVzdC1vbmx5LW5vdC1hLXJlYWwtc2VjcmV0')
        .replaceAll('CHANGE-ME', 'pw'),
    );
    copyFileSync(join(deploy, 'compose.yaml'), join(dir, 'compose.yaml'));
    copyFileSync(join(deploy, 'nginx.conf'), join(dir, 'nginx.conf'));
    const run = spawnSync(
      compose!,
      ['-f', join(dir, 'compose.yaml'), '--env-file', env, 'config', '--format', 'json'],
      {
        encoding: 'utf8',
        env: childEnvironment({ DOCKER_HOST: 'unix:///nonexistent.sock' }),
      },
    );
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const config = JSON.parse(run.stdout) as {
      services: Record<
        string,
        { deploy?: { replicas?: number }; command?: string[]; environment?: Record<string, string> }
      >;
    };
    expect(Object.keys(config.services).sort()).toEqual(
      [
        'api-1',
        'api-2',
        'entry',
        'migrate',
        'postgres',
        'temporal',
        'temporal-schema',
        'temporal-setup',
        'worker',
      ].sort(),
    );
    expect(config.services.worker!.deploy?.replicas).toBe(2);
    expect(config.services['api-1']!.environment).toMatchObject({
      NODE_ENV: 'production',
      TEMPORAL_ADDRESS: 'temporal:7233',
    });
    expect(config.services['temporal-setup']!.command).toEqual([
      'node',
      'dist/apps/cli/src/main.js',
      'temporal',
      'setup',
      '--retention-days',
      '30',
    ]);

    // Without the database password compose refuses, saying which.
    writeFileSync(
      env,
      read('infra', 'deploy', 'duban.env.example').replace(/^TEMPORAL_DB_PASSWORD=.*$/m, 'TEMPORAL_DB_PASSWORD='),
    );
    const refused = spawnSync(compose!, ['-f', join(dir, 'compose.yaml'), '--env-file', env, 'config'], {
      encoding: 'utf8',
    });
    expect(refused.status).not.toBe(0);
    expect(refused.stderr).toContain('set TEMPORAL_DB_PASSWORD in duban.env');
  }, 900_000);
});

describe('the systemd units', () => {
  it('verify, installed at this clone with the Temporal Server binaries built here', async () => {
    const binaries = await ensureTemporalServer(loadConfig().cacheDir, () => {});
    expect(binaries).toBeDefined();
    const dir = mkdtempSync(join(tmpdir(), 'duban-units-'));
    const units = readdirSync(join(deploy, 'systemd'));
    expect(units.sort()).toEqual(
      [
        'duban-api@.service',
        'duban-setup.service',
        'duban-worker@.service',
        'duban.target',
        'temporal-server.service',
      ].sort(),
    );
    for (const unit of units) {
      writeFileSync(
        join(dir, unit),
        read('infra', 'deploy', 'systemd', unit)
          .replaceAll('/opt/temporal/bin/server', binaries!.server)
          .replaceAll('/opt/temporal/bin/sql', binaries!.sql)
          .replaceAll('/opt/duban', REPO_ROOT)
          .replaceAll('/usr/bin/node', process.execPath),
      );
    }
    const run = spawnSync('systemd-analyze', ['verify', ...units.map((unit) => join(dir, unit))], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);

    // A unit naming a program that is not there fails the check (the check can fail).
    writeFileSync(join(dir, 'broken.service'), '[Service]\nExecStart=/opt/nowhere/server\n');
    const broken = spawnSync('systemd-analyze', ['verify', join(dir, 'broken.service')], { encoding: 'utf8' });
    expect(broken.status).not.toBe(0);
    expect(broken.stderr).toContain('/opt/nowhere/server');
  }, 900_000);
});

describe('the schema script', () => {
  it("creates and sets up both of Temporal's databases, and run again only updates them", async () => {
    const binaries = await ensureTemporalServer(loadConfig().cacheDir, () => {});
    const stack = readTestStack();
    const server = new URL(stack.databaseUrl);
    const tag = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 5)}`;
    const names = { TEMPORAL_DB: `temporal_s_${tag}`, TEMPORAL_VISIBILITY_DB: `temporal_s_${tag}_vis` };
    const databaseUrl = (name: string) => Object.assign(new URL(server), { pathname: `/${name}` }).toString();
    try {
      for (let run = 0; run < 2; run += 1) {
        const script = spawnSync('sh', [join(deploy, 'temporal-schema.sh')], {
          encoding: 'utf8',
          env: childEnvironment({
            ...names,
            SQL_TOOL: binaries!.sql,
            TEMPORAL_DB_HOST: server.hostname,
            TEMPORAL_DB_PORT: server.port || '5432',
            TEMPORAL_DB_USER: decodeURIComponent(server.username),
            TEMPORAL_DB_PASSWORD: decodeURIComponent(server.password),
          }),
        });
        expect([script.status, script.stdout]).toEqual([
          0,
          `temporal-schema: ${names.TEMPORAL_DB} up to date\ntemporal-schema: ${names.TEMPORAL_VISIBILITY_DB} up to date\n`,
        ]);
      }
      for (const name of Object.values(names)) {
        const client = new pg.Client({ connectionString: databaseUrl(name) });
        await client.connect();
        const { rows } = await client
          .query<{ version: string }>(`SELECT curr_version AS version FROM schema_version`)
          .finally(() => client.end());
        expect(rows.map((r) => r.version)).toEqual([expect.stringMatching(/^1\.\d+$/)]);
      }
    } finally {
      for (const name of Object.values(names)) await dropDatabase(databaseUrl(name)).catch(() => undefined);
    }
  }, 900_000);
});

describe('one set of configuration variables', () => {
  it('duban.env.example holds what the manifests read, and nothing no part reads', () => {
    const example = envFileVariables(read('infra', 'deploy', 'duban.env.example'));
    const temporalYaml = read('infra', 'temporal', 'production.yaml');
    const readByTemporal = new Set([...temporalYaml.matchAll(/env "([A-Z0-9_]+)"/g)].map((m) => m[1]!));
    const schemaScript = read('infra', 'deploy', 'temporal-schema.sh');
    const readBySchema = new Set(
      [...schemaScript.matchAll(/\$\{?([A-Z][A-Z0-9_]+)/g)]
        .map((m) => m[1]!)
        .filter((name) => name.startsWith('TEMPORAL_')),
    );
    const compose = read('infra', 'deploy', 'compose.yaml');
    const readByCompose = new Set(
      [...compose.matchAll(/\$\{([A-Z][A-Z0-9_]+)/g)].map((m) => m[1]!).filter((name) => !name.startsWith('DUBAN_')),
    );
    const readByDuban = new Set(CONFIG_VARIABLES);
    for (const name of [...readByTemporal, ...readBySchema, ...readByCompose]) {
      expect([name, example.has(name)]).toEqual([name, true]);
    }
    for (const name of example.keys()) {
      expect([name, readByDuban.has(name) || readByTemporal.has(name) || readBySchema.has(name)]).toEqual([name, true]);
    }
    // Production's required settings are all there.
    for (const name of ['PUBLIC_URL', 'LINK_SECRET', 'DATABASE_URL', 'TEMPORAL_ADDRESS', 'SMTP_URL']) {
      expect(example.has(name)).toBe(true);
    }
  });
});
