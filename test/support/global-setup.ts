/**
 * Starts the real components once for the whole Jest run: the Temporal dev
 * server (own port and SQLite file), an empty `duban_test` database (in a git
 * worktree `duban_test_<worktree folder>`, so suites of two checkouts can run
 * side by side), and an SMTP capture on random ports. Tests always use the capture, even when
 * SMTP_URL is set, because they read the mail back.
 */
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { loadConfig, setForThisRun } from '#config';
import { upsertPerson } from '#directory';
import { createDataSource } from '#persistence';
import { sayToStderr } from '../../infra/dev/component.js';
import { REPO_ROOT } from '../../infra/dev/processes.js';
import { startStack, type Stack } from '../../infra/dev/stack.js';
import {
  freePort,
  killLeftoverTestProcesses,
  recordTestProcess,
  TEST_REHEARSAL_MAIL_TO,
  TEST_ADMIN,
  testDataDir,
  type TestStack,
} from './test-stack.js';

/** '_test', or '_test_<folder>' in a git worktree (whose .git is a file, not a folder). */
function testDatabaseSuffix(): string {
  if (!statSync(join(REPO_ROOT, '.git'), { throwIfNoEntry: false })?.isFile()) return '_test';
  return `_test_${basename(REPO_ROOT)
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')}`;
}

declare global {
  var __dubanTestStack: Stack | undefined;
}

export default async function globalSetup(): Promise<void> {
  // Rehearsal mail goes to demo addresses and these only; test workers and APIs inherit it.
  setForThisRun({ REHEARSAL_MAIL_TO: TEST_REHEARSAL_MAIL_TO.join(',') });
  const loaded = loadConfig();
  const config = { ...loaded, smtp: { ...loaded.smtp, url: undefined } };
  const dataDir = testDataDir(config);
  const leftovers = killLeftoverTestProcesses();
  if (leftovers) sayToStderr(`stopped ${leftovers} process(es) left by an interrupted test run`);
  await rm(dataDir, { recursive: true, force: true });
  await mkdir(dataDir, { recursive: true });
  // A port found free can be taken by another socket before the dev server binds it: try others then.
  let stack: Stack;
  for (let attempt = 1; ; attempt += 1) {
    try {
      stack = await startStack(
        config,
        {
          databaseSuffix: testDatabaseSuffix(),
          freshDatabase: true,
          dataSubdir: 'test',
          temporalPort: await freePort(),
          temporalUiPort: await freePort(),
          smtpPort: 0,
          mailboxPort: 0,
        },
        sayToStderr,
      );
      break;
    } catch (error) {
      const log = await readFile(join(dataDir, 'temporal.log'), 'utf8').catch(() => '');
      if (attempt >= 3 || !log.includes('address already in use')) throw error;
      sayToStderr(`a port was taken before the Temporal dev server bound it; trying others (${attempt}/3)`);
      for (const file of await readdir(dataDir)) {
        if (file.startsWith('temporal.')) await rm(join(dataDir, file), { force: true });
      }
    }
  }
  globalThis.__dubanTestStack = stack;
  // The caller of tests' API requests (outside production the API takes X-Duban-User); admin only, so that the
  // demo directory still adds its own supervisor and coordinator.
  const db = createDataSource(stack.postgres.url, 'duban-test-setup');
  await db.initialize();
  await upsertPerson(db, {
    id: TEST_ADMIN,
    name: '测试管理员',
    email: 'test-admin@test.local',
    roles: [{ role: 'admin' }],
  });
  await db.destroy();
  for (const component of [stack.temporal, stack.postgres, stack.smtp]) component.pids?.forEach(recordTestProcess);
  const description: TestStack = {
    temporalAddress: stack.temporal.address,
    databaseUrl: stack.postgres.url,
    smtpUrl: stack.smtp.url,
    mailboxUrl: stack.smtp.mailboxUrl!,
    workflowBundlePath: config.workflowBundlePath,
  };
  await writeFile(join(dataDir, 'stack.json'), JSON.stringify(description, null, 2));
}
