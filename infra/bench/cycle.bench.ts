/**
 * npm run bench:cycle — the cycle quality bars of docs/architecture.md on this machine:
 * start a 10,000-task cycle on the dev server and record every assignment in
 * PostgreSQL at ≥ 50% of the raw throughput of an empty workflow on the same
 * server and worker, measured side by side in one run; worker RSS < 512 MB
 * with 10,000 open task workflows. Own components (fresh `duban_bench`
 * database, own dev server file, SMTP capture); the worker app as a process.
 * Results go to docs/benchmarks.md.
 */
import { readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { childEnvironment, loadConfig } from '#config';
import { DUBAN_TASK_QUEUE } from '#contracts';
import { startCycle } from '#cycles';
import { createDataSource } from '#persistence';
import { importPlan, PlanRepository } from '#plans';
import type { emptyWorkflow } from '#workflows';
import { sayToStderr as say, waitFor } from '../dev/component.js';
import { startApp } from '../dev/processes.js';
import { startStack } from '../dev/stack.js';
import { freePort } from '../../test/support/test-stack.js';
import { writeBenchmarkTable } from './benchmarks-file.js';
import { syntheticCsv } from './synthetic-plan.js';

const TASKS = 10_000;
const CONCURRENCY = 32; // as the cycle's own start activity
const config = loadConfig();
await rm(join(config.dataDir, 'bench'), { recursive: true, force: true });
const stack = await startStack(
  { ...config, temporal: { ...config.temporal, address: undefined }, smtp: { ...config.smtp, url: undefined } },
  {
    databaseSuffix: '_bench',
    freshDatabase: true,
    dataSubdir: 'bench',
    temporalPort: await freePort(),
    temporalUiPort: await freePort(),
    smtpPort: 0,
    mailboxPort: 0,
  },
  say,
);
const dataSource = createDataSource(stack.postgres.url, 'duban-bench-cycle');
await dataSource.initialize();
const connection = await Connection.connect({ address: stack.temporal.address });
const client = new Client({ connection });
const worker = startApp(
  'worker',
  childEnvironment({
    DATABASE_URL: stack.postgres.url,
    TEMPORAL_ADDRESS: stack.temporal.address,
    SMTP_URL: stack.smtp.url,
    LOG_LEVEL: 'warn',
    NODE_OPTIONS: '--max-old-space-size=384',
  }),
  join(config.dataDir, 'bench', 'worker.log'),
);

/** The worker's resident memory now and at its peak (VmRSS, VmHWM), in MiB. */
function workerMemory(): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${worker.child.pid}/status`, 'utf8');
  const kib = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return { rss: kib('VmRSS') / 1024, peak: kib('VmHWM') / 1024 };
}

function bar(label: string, done: number, started: number): void {
  const width = 30;
  const filled = Math.round((done / TASKS) * width);
  const rate = done / ((performance.now() - started) / 1000);
  process.stderr.write(
    `\r${label} [${'█'.repeat(filled)}${'░'.repeat(width - filled)}] ${done}/${TASKS} (${rate.toFixed(0)}/s)   `,
  );
}

try {
  say(`importing a synthetic plan of ${TASKS} tasks…`);
  const imported = await importPlan(new PlanRepository(dataSource), {
    bytes: syntheticCsv(TASKS),
    fileName: 'bench-cycle.csv',
    planName: 'bench-cycle',
    acceptWarnings: true,
  });
  const planId = imported.plan.id!;
  await waitFor(
    'worker',
    async () => {
      const answer = await client.workflowService.describeTaskQueue({
        namespace: config.temporal.namespace,
        taskQueue: { name: DUBAN_TASK_QUEUE },
        taskQueueType: 1,
      });
      return (answer.pollers ?? []).length > 0 ? true : undefined;
    },
    { timeoutMs: 60_000, intervalMs: 200, abort: () => (worker.child.exitCode !== null ? 'worker exited' : undefined) },
  );
  const idleMemory = workerMemory();

  // 1. Baseline: TASKS empty workflows, started as the cycle starts its tasks, until all have completed.
  const baselineStart = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < TASKS) {
        const i = next++;
        await client.workflow.start<typeof emptyWorkflow>('emptyWorkflow', {
          workflowId: `bench-empty-${i}`,
          taskQueue: DUBAN_TASK_QUEUE,
          args: [],
        });
      }
    }),
  );
  let completed = 0;
  while (completed < TASKS) {
    completed = (await client.workflow.count(`WorkflowType = 'emptyWorkflow' AND ExecutionStatus = 'Completed'`)).count;
    bar('empty workflows', completed, baselineStart);
    if (completed < TASKS) await new Promise((r) => setTimeout(r, 200));
  }
  const baselineSeconds = (performance.now() - baselineStart) / 1000;
  process.stderr.write('\n');

  // 2. The cycle: one day per hour of rehearsal so only the assignments happen; no contacts, so no mail.
  const cycleStart = performance.now();
  const { cycleId } = await startCycle(client, {
    planId,
    quarter: '2020Q3',
    clock: { kind: 'rehearsal', daySeconds: 3600 },
    taskQueue: DUBAN_TASK_QUEUE,
    rehearsalTag: 'bench',
    demoContacts: false,
  });
  let assigned = 0;
  let peak = idleMemory.peak;
  while (assigned < TASKS) {
    const [row] = (await dataSource.query(
      `SELECT count(*)::int AS n FROM task_cycle_event WHERE kind = 'assigned' AND task_cycle_id LIKE '%:rehearsal-bench'`,
    )) as { n: number }[];
    assigned = row!.n;
    peak = Math.max(peak, workerMemory().peak);
    bar('assignments   ', assigned, cycleStart);
    if (assigned < TASKS) await new Promise((r) => setTimeout(r, 200));
  }
  const cycleSeconds = (performance.now() - cycleStart) / 1000;
  process.stderr.write('\n');
  // Let the assignment activities settle, then read the peak with 10,000 task workflows open.
  await new Promise((r) => setTimeout(r, 10_000));
  const open = (await client.workflow.count(`WorkflowType = 'taskCycleWorkflow' AND ExecutionStatus = 'Running'`))
    .count;
  const memory = workerMemory();
  peak = Math.max(peak, memory.peak);
  const cycleHistory = (await client.workflow.getHandle(cycleId).describe()).historyLength;
  const ratio = baselineSeconds / cycleSeconds;

  const rows = [
    [
      `raw throughput: ${TASKS} empty workflows started and completed`,
      `${baselineSeconds.toFixed(1)} s (${(TASKS / baselineSeconds).toFixed(0)}/s)`,
      '—',
    ],
    [
      `cycle: ${TASKS} task-cycles started, every assignment recorded in PostgreSQL`,
      `${cycleSeconds.toFixed(1)} s (${(TASKS / cycleSeconds).toFixed(0)}/s)`,
      '—',
    ],
    ['ratio (cycle ÷ raw throughput)', ratio.toFixed(2), '≥ 0.5'],
    [`worker peak RSS (VmHWM), ${open} task workflows open`, `${peak.toFixed(0)} MiB`, '< 512 MB'],
    ['worker RSS at rest before the run', `${idleMemory.rss.toFixed(0)} MiB`, '—'],
    ['cycle workflow history length', String(cycleHistory), 'well under 51,200'],
  ];
  await writeBenchmarkTable(
    'cycle',
    [
      'Temporal CLI dev server',
      `(SQLite), PostgreSQL ${stack.postgres.provenance}, the worker app as its own process; both runs side by side`,
      'on the same server and worker. The cycle is a rehearsal with one working day per hour, so only the',
      'assignments happen; the units have no contacts, so no mail goes out (mail is measured by bench:mail).',
      `The worker caches ${config.worker.maxCachedWorkflows} workflows (WORKER_MAX_CACHED_WORKFLOWS); each cached run costs`,
      'about 0.3 MB in the workflow thread (earlier runs: 1000 cached → 1006 MiB peak, unbounded → 1480 MiB).',
    ],
    rows,
  );
} finally {
  await worker.stop(30_000);
  await connection.close();
  await dataSource.destroy();
  await stack.stop();
}
