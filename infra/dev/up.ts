/**
 * The start command's body: provide Temporal, PostgreSQL and SMTP (embedded
 * defaults unless configured; DUBAN_TEMPORAL=server: Temporal Server on
 * PostgreSQL), load the seed plan, run the workers and the APIs (several:
 * behind the entry proxy), print the URLs,
 * and on Ctrl-C stop everything it started — the API first, then the worker
 * (draining), then the components — leaving no process behind.
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { childEnvironment, ConfigError, devStackFile, loadConfig, type DubanConfig } from '#config';
import { sayToStderr as say, type Component } from './component.js';
import { startServices, type Services } from './services.js';
import { DEMO_PASSWORD, ensureDemoAccounts, loadSeedPlan } from './seed-plan.js';
import { startStack, stopComponents } from './stack.js';

let config: DubanConfig;
try {
  config = loadConfig();
} catch (error) {
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
    process.exit(78);
  }
  throw error;
}

const dataDir = join(config.dataDir, 'dev');
const stackFile = devStackFile(config);
const components: Component[] = [];
let services: Services | undefined;
let stopping: Promise<never> | undefined;

/** Stops everything once; a second Ctrl-C (npm forwards one too) waits for the first. */
function shutdown(reason: string, exitCode: number): Promise<never> {
  stopping ??= (async () => {
    say(`stopping (${reason})…`);
    await services?.stop();
    await stopComponents(components, say);
    await rm(stackFile, { force: true });
    say('stopped; nothing left running');
    process.exit(exitCode);
  })();
  return stopping;
}

// Before anything starts: a Ctrl-C during a slow start stops what is already up.
process.on('SIGINT', () => void shutdown('SIGINT', 0));
process.on('SIGTERM', () => void shutdown('SIGTERM', 0));

try {
  await mkdir(dataDir, { recursive: true });
  const stack = await startStack(
    config,
    {
      databaseSuffix: '',
      freshDatabase: false,
      dataSubdir: 'dev',
      temporalPort: config.temporal.devPort,
      temporalUiPort: config.temporal.uiPort,
      smtpPort: config.smtp.capturePort,
      mailboxPort: config.smtp.captureHttpPort,
    },
    say,
    components,
  );
  const seedPlan = await loadSeedPlan(stack.postgres.url, say);
  const demoAccounts = await ensureDemoAccounts(stack.postgres.url, seedPlan);
  const endpoints = {
    databaseUrl: stack.postgres.url,
    temporalAddress: stack.temporal.address,
    smtpUrl: stack.smtp.url,
  };
  const env = childEnvironment({
    DATABASE_URL: endpoints.databaseUrl,
    TEMPORAL_ADDRESS: endpoints.temporalAddress,
    SMTP_URL: endpoints.smtpUrl,
    ...(stack.smtp.mailboxUrl ? { MAILBOX_URL: stack.smtp.mailboxUrl } : {}),
  });
  services = startServices(
    {
      env,
      workers: config.processes.workers,
      apis: config.processes.apis,
      host: config.api.host,
      port: config.api.port,
      publicUrl: config.publicUrl,
      logDir: dataDir,
      onExit: (app, code, signal) =>
        void (async () => {
          if (stopping) return;
          say(
            `${app.name} exited unexpectedly (code ${code}, signal ${signal}); last lines of ${app.logFile}:\n${await app.logTail()}`,
          );
          // Several of a kind: the others carry on (a deployment's supervisor would start it again).
          const kind = app.name.startsWith('api') ? services!.apis : services!.workers;
          const left = kind.filter((other) => other.child.exitCode === null && other.child.signalCode === null);
          if (left.length > 0) {
            say(`${left.map((other) => other.name).join(', ')} carr${left.length > 1 ? 'y' : 'ies'} on`);
            return;
          }
          await shutdown(`${app.name} exited`, 1);
        })(),
    },
    () => (stopping ? 'stopping' : undefined),
  );
  await services.ready;
  const apiUrl = services.url;
  await writeFile(stackFile, JSON.stringify({ ...endpoints, apiUrl, mailboxUrl: stack.smtp.mailboxUrl }, null, 2));

  say('Duban is running / 督办已启动:');
  for (const [label, url] of [
    ['API', apiUrl],
    ['Health', `${apiUrl}/health`],
    ...services.apis.map((app) => [`  ${app.name} (log)`, app.logFile] as const),
    ...services.workers.map((app) => [`  ${app.name} (log)`, app.logFile] as const),
    ['Temporal', stack.temporal.address],
    ['Temporal UI', stack.temporal.uiUrl ?? '(none: Temporal Server or external)'],
    ['Captured mail / 邮件捕获', stack.smtp.mailboxUrl ?? '(external SMTP)'],
    ['Logs', dataDir],
  ] as const) {
    process.stdout.write(`  ${label.padEnd(26)} ${url}\n`);
  }
  say(`demo logins / 演示账号 (password 密码: ${DEMO_PASSWORD}, sign in: POST ${apiUrl}/api/auth/login):`);
  for (const { login, who } of demoAccounts) process.stdout.write(`  ${login.padEnd(26)} ${who}\n`);
  say(
    `rehearse the seed's 2020-Q3 cycle / 演练种子计划的季度周期:\n` +
      `  npm run duban -- cycle rehearse --plan ${seedPlan} --quarter 2020Q3 --day-seconds 2 --simulate`,
  );
  say('Ctrl-C stops everything / 按 Ctrl-C 停止全部服务');
} catch (error) {
  if (!stopping) {
    say(`start failed: ${(error as Error).message}`);
    await shutdown('start failed', 1);
  }
}
