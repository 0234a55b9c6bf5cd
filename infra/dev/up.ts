/**
 * The start command's body: provide Temporal, PostgreSQL and SMTP (embedded
 * defaults unless configured), run the worker and the API, print the URLs,
 * and on Ctrl-C stop everything it started, leaving no process behind.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { childEnvironment, loadConfig, ConfigError } from '#config';
import { sayToStderr as say } from './component.js';
import { startApp, waitForHealthy, type ManagedProcess } from './processes.js';
import { startStack } from './stack.js';

let config;
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
);

const env = childEnvironment({
  DATABASE_URL: stack.postgres.url,
  TEMPORAL_ADDRESS: stack.temporal.address,
  SMTP_URL: stack.smtp.url,
});
const apps: ManagedProcess[] = [];
let stopping: Promise<never> | undefined;

/** Stops everything once; a second Ctrl-C (npm forwards one too) waits for the first. */
function shutdown(reason: string, exitCode: number): Promise<never> {
  stopping ??= (async () => {
    say(`stopping (${reason})…`);
    await Promise.all(apps.map((app) => app.stop()));
    await stack.stop();
    say('stopped; nothing left running');
    process.exit(exitCode);
  })();
  return stopping;
}

process.on('SIGINT', () => void shutdown('SIGINT', 0));
process.on('SIGTERM', () => void shutdown('SIGTERM', 0));

for (const name of ['worker', 'api'] as const) {
  const app = startApp(name, env, join(dataDir, `${name}.log`));
  apps.push(app);
  void app.exited.then(async ({ code, signal }) => {
    if (stopping) return;
    say(
      `${name} exited unexpectedly (code ${code}, signal ${signal}); last lines of ${app.logFile}:\n${await app.logTail()}`,
    );
    await shutdown(`${name} exited`, 1);
  });
}

const apiUrl = `http://${config.api.host}:${config.api.port}`;
try {
  await waitForHealthy(`${apiUrl}/health`, 90_000, () => (stopping ? 'stopping' : undefined));
} catch (error) {
  say(`the stack did not become healthy: ${(error as Error).message}`);
  await shutdown('not healthy', 1);
}

say('Duban is running / 督办已启动:');
for (const [label, url] of [
  ['API', apiUrl],
  ['Health', `${apiUrl}/health`],
  ['Temporal UI', stack.temporal.uiUrl ?? '(external Temporal)'],
  ['Captured mail / 邮件捕获', stack.smtp.mailboxUrl ?? '(external SMTP)'],
  ['Logs', dataDir],
] as const) {
  process.stdout.write(`  ${label.padEnd(26)} ${url}\n`);
}
say('Ctrl-C stops everything / 按 Ctrl-C 停止全部服务');
