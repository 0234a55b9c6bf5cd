/**
 * npm run bench:cycle — the cycle quality bars of docs/architecture.md on this machine, on both Temporal servers
 * Duban runs on (the CLI's dev server on SQLite; Temporal Server on PostgreSQL, the production profile), each
 * with one and with two worker processes: start a 10,000-task cycle and record every assignment in PostgreSQL at
 * ≥ 50% of the raw throughput of empty workflows on the same server and workers, measured side by side in one run;
 * worker RSS < 512 MB with 10,000 open task workflows. Each configuration has its own components (a fresh
 * `duban_bench` database, its own Temporal, SMTP capture); the workers are the worker app as processes.
 * Results go to docs/benchmarks.md.
 */
import { readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { childEnvironment, loadConfig, type DubanConfig } from '#config';
import { DUBAN_TASK_QUEUE } from '#contracts';
import { startCycle } from '#cycles';
import { createDataSource, dropDatabase } from '#persistence';
import { importPlan, PlanRepository } from '#plans';
import type { emptyWorkflow } from '#workflows';
import { sayToStderr as say, waitFor } from '../dev/component.js';
import { startApp, type ManagedProcess } from '../dev/processes.js';
import { startStack } from '../dev/stack.js';
import { freePort, freePortBlock } from '../../test/support/test-stack.js';
import { writeBenchmarkTable } from './benchmarks-file.js';
import { syntheticCsv } from './synthetic-plan.js';

// `npm run bench:cycle -- --tasks 200`: a quick check of the script itself (the figures of record are 10,000's).
const TASKS = Number(process.argv[process.argv.indexOf('--tasks') + 1] ?? '') || 10_000;
const CONCURRENCY = 32; // as the cycle's own start activity
const config = loadConfig();

interface Measured {
  engine: DubanConfig['temporal']['engine'];
  workers: number;
  postgres: string;
  baselineSeconds: number;
  cycleSeconds: number;
  open: number;
  /** Each worker's peak RSS (VmHWM) and its RSS at rest before the run, MiB. */
  peaks: number[];
  idle: number[];
  cycleHistory: number;
}

/** The worker's resident memory now and at its peak (VmRSS, VmHWM), in MiB. */
function workerMemory(worker: ManagedProcess): { rss: number; peak: number } {
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

/** One configuration: its own stack on `engine` with `workerCount` worker processes, both runs side by side. */
async function measure(engine: DubanConfig['temporal']['engine'], workerCount: number): Promise<Measured> {
  const dataDir = join(config.dataDir, 'bench');
  await rm(dataDir, { recursive: true, force: true });
  const run = Date.now().toString(36);
  const temporalDatabases = [`duban_bench_temporal_${run}`, `duban_bench_temporal_${run}_visibility`] as const;
  const own: DubanConfig = {
    ...config,
    temporal: {
      ...config.temporal,
      address: undefined,
      engine,
      // A fresh engine each run, its databases dropped afterwards.
      server: {
        database: temporalDatabases[0],
        visibilityDatabase: temporalDatabases[1],
        membershipPortBase: await freePortBlock([0, 1, 2, 3, 4, 5, 6]),
      },
    },
    smtp: { ...config.smtp, url: undefined },
  };
  say(
    `— ${engine === 'server' ? 'Temporal Server on PostgreSQL' : 'Temporal CLI dev server'}, ${workerCount} worker(s) —`,
  );
  const stack = await startStack(
    own,
    {
      databaseSuffix: '_bench',
      freshDatabase: true,
      dataSubdir: 'bench',
      temporalPort: engine === 'server' ? await freePortBlock([0, 1, 2, 6]) : await freePort(),
      temporalUiPort: await freePort(),
      smtpPort: 0,
      mailboxPort: 0,
    },
    say,
  );
  const dataSource = createDataSource(stack.postgres.url, 'duban-bench-cycle');
  const connection = await Connection.connect({ address: stack.temporal.address }).catch(async (error: Error) => {
    await stack.stop();
    throw error;
  });
  const client = new Client({ connection });
  const workers = Array.from({ length: workerCount }, (_, i) =>
    startApp(
      'worker',
      childEnvironment({
        DATABASE_URL: stack.postgres.url,
        TEMPORAL_ADDRESS: stack.temporal.address,
        SMTP_URL: stack.smtp.url,
        LOG_LEVEL: 'warn',
        NODE_OPTIONS: '--max-old-space-size=384',
      }),
      join(dataDir, `worker-${i + 1}.log`),
      `worker-${i + 1}`,
    ),
  );
  try {
    await dataSource.initialize();
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
        return new Set((answer.pollers ?? []).map((p) => p.identity)).size >= workerCount ? true : undefined;
      },
      {
        timeoutMs: 60_000,
        intervalMs: 200,
        abort: () => (workers.some((w) => w.child.exitCode !== null) ? 'a worker exited' : undefined),
      },
    );
    const idleMemory = workers.map(workerMemory);

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
      completed = (await client.workflow.count(`WorkflowType = 'emptyWorkflow' AND ExecutionStatus = 'Completed'`))
        .count;
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
    const peaks = idleMemory.map((m) => m.peak);
    const notePeaks = () => workers.forEach((w, i) => (peaks[i] = Math.max(peaks[i]!, workerMemory(w).peak)));
    while (assigned < TASKS) {
      const [row] = (await dataSource.query(
        `SELECT count(*)::int AS n FROM task_cycle_event WHERE kind = 'assigned' AND task_cycle_id LIKE '%:rehearsal-bench'`,
      )) as { n: number }[];
      assigned = row!.n;
      notePeaks();
      bar('assignments   ', assigned, cycleStart);
      if (assigned < TASKS) await new Promise((r) => setTimeout(r, 200));
    }
    const cycleSeconds = (performance.now() - cycleStart) / 1000;
    process.stderr.write('\n');
    // Let the assignment activities settle, then read the peak with 10,000 task workflows open.
    await new Promise((r) => setTimeout(r, 10_000));
    const open = (await client.workflow.count(`WorkflowType = 'taskCycleWorkflow' AND ExecutionStatus = 'Running'`))
      .count;
    notePeaks();
    const cycleHistory = (await client.workflow.getHandle(cycleId).describe()).historyLength;
    return {
      engine,
      workers: workerCount,
      postgres: stack.postgres.provenance,
      baselineSeconds,
      cycleSeconds,
      open,
      peaks,
      idle: idleMemory.map((m) => m.rss),
      cycleHistory,
    };
  } finally {
    await Promise.all(workers.map((w) => w.stop(30_000)));
    await connection.close();
    if (dataSource.isInitialized) await dataSource.destroy();
    await stack.stop();
    if (engine === 'server' && stack.postgres.provenance !== 'started') {
      for (const name of temporalDatabases) {
        await dropDatabase(Object.assign(new URL(stack.postgres.url), { pathname: `/${name}` }).toString());
      }
    }
  }
}

// `-- --configs server:2`: only those configurations (for a look at one; the file of record has all four).
const chosen = process.argv.includes('--configs')
  ? process.argv[process.argv.indexOf('--configs') + 1]!.split(',')
  : null;
const name = (run: Measured) =>
  `${run.engine === 'server' ? 'Temporal Server' : 'dev server'}, ${run.workers} worker${run.workers > 1 ? 's' : ''}`;
/** docs/benchmarks.md's section, of the configurations measured so far. */
async function record(runs: Measured[]): Promise<void> {
  const rows = runs.flatMap((run) => [
    [
      `${name(run)}: raw throughput, ${TASKS} empty workflows started and completed`,
      `${run.baselineSeconds.toFixed(1)} s (${(TASKS / run.baselineSeconds).toFixed(0)}/s)`,
      '—',
    ],
    [
      `${name(run)}: cycle, ${TASKS} task-cycles started, every assignment recorded in PostgreSQL`,
      `${run.cycleSeconds.toFixed(1)} s (${(TASKS / run.cycleSeconds).toFixed(0)}/s)`,
      '—',
    ],
    [
      `${name(run)}: ratio (cycle ÷ raw throughput, same server)`,
      (run.baselineSeconds / run.cycleSeconds).toFixed(2),
      '≥ 0.5',
    ],
    [
      `${name(run)}: peak RSS (VmHWM) per worker, ${run.open} task workflows open (at rest before: ${run.idle.map((m) => m.toFixed(0)).join(', ')} MiB)`,
      run.peaks.map((m) => `${m.toFixed(0)} MiB`).join(', '),
      '< 512 MB each',
    ],
    [`${name(run)}: cycle workflow history length`, String(run.cycleHistory), 'well under 51,200'],
  ]);
  await writeBenchmarkTable(
    'cycle',
    [
      'each configuration on its own Temporal — the CLI',
      `dev server (v1.5.1, SQLite) or Temporal Server (v1.29.1, on PostgreSQL ${runs[0]!.postgres}, 4 history shards, the production`,
      'profile) — with one or two worker app processes; in each, the empty workflows and the cycle run one after the other',
      'on the same server and workers. The cycle is a rehearsal with one working day per hour, so only the',
      'assignments happen; the units have no contacts, so no mail goes out (mail is measured by bench:mail).',
      `Each worker caches ${config.worker.maxCachedWorkflows} workflows (WORKER_MAX_CACHED_WORKFLOWS); each cached run costs`,
      'about 0.3 MB in the workflow thread. The machine has 2 cores: a second worker shares them with the server and',
      'PostgreSQL, so it shows what a second process costs and gains here, not what a second machine would.',
    ],
    rows,
  );
}

const runs: Measured[] = [];
for (const [engine, workerCount] of [
  ['dev', 1],
  ['server', 1],
  ['dev', 2],
  ['server', 2],
] as const) {
  if (!chosen || chosen.includes(`${engine}:${workerCount}`)) {
    runs.push(await measure(engine, workerCount));
    await record(runs); // after each configuration: a long run cut short keeps what it measured
  }
}
