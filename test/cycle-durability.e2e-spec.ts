/**
 * Durability of the cycle: the worker process killed (SIGKILL) in the middle
 * of a rehearsal's days and started again → every reminder of those days
 * goes out once, none twice; the Temporal dev server stopped and restarted on
 * its persistent file → the cycle carries on to its close.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import type { DataSource } from 'typeorm';
import { childEnvironment, loadConfig } from '#config';
import { nextDayUpdate, reviewUpdate, submitProgressUpdate, taskCycleWorkflowId } from '#contracts';
import { getTaskCycle, startCycle } from '#cycles';
import { Mailer } from '#notifications';
import { createDataSource } from '#persistence';
import { startApp, type ManagedProcess } from '../infra/dev/processes.js';
import { provideTemporal } from '../infra/dev/temporal-dev-server.js';
import {
  createTestWorker,
  demoActor,
  demoAddress,
  importTwoTaskPlan,
  startManualRehearsal,
  mailTo,
  sleepMs,
  type TestPlan,
} from './support/cycle-fixtures.js';
import { freePort, readTestStack, recordTestProcess, SUITE_TASK_QUEUE } from './support/test-stack.js';

const stack = readTestStack();
const logDir = mkdtempSync(join(tmpdir(), 'duban-durability-'));
const env = { DATABASE_URL: stack.databaseUrl, TEMPORAL_ADDRESS: stack.temporalAddress, SMTP_URL: stack.smtpUrl };
const processes: ManagedProcess[] = [];
let dataSource: DataSource;

beforeAll(async () => {
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  dataSource = createDataSource(stack.databaseUrl, 'duban-durability-e2e');
  await dataSource.initialize();
});

afterAll(async () => {
  await Promise.all(processes.map((p) => p.stop(20_000)));
  await dataSource?.destroy();
});

function plan(label: string, closeAfter: number): Promise<TestPlan> {
  return importTwoTaskPlan(dataSource, label, closeAfter);
}

async function workerPolling(client: Client, taskQueue: string): Promise<void> {
  for (let i = 0; i < 600; i += 1) {
    const answer = await client.workflowService.describeTaskQueue({
      namespace: 'default',
      taskQueue: { name: taskQueue },
      taskQueueType: 1,
    });
    // A killed worker's poller lingers in the answer for a while; a fresh one shows a recent access time.
    const recent = (answer.pollers ?? []).some(
      (p) => Date.now() - Number(p.lastAccessTime?.seconds ?? 0) * 1000 < 2_000,
    );
    if (recent) return;
    await sleepMs(200);
  }
  throw new Error(`no worker polls ${taskQueue}`);
}

describe('the worker killed in the middle of a cycle', () => {
  it('sends every reminder that fell due while it was down, once, and none twice', async () => {
    const connection = await Connection.connect({ address: stack.temporalAddress });
    const client = new Client({ connection });
    try {
      const test = await plan('kill', 4);
      const first = startApp('worker', childEnvironment(env), join(logDir, 'worker-1.log'));
      processes.push(first);
      recordTestProcess(first.child.pid);
      await workerPolling(client, SUITE_TASK_QUEUE);
      const cycle = await startManualRehearsal(client, test);
      const cycleId = cycle.workflowId;
      // Between the co-unit's first reminder (day 12) and the lead's first (day 14) the worker is killed; another
      // carries the cycle on (a kill in the middle of a send is notification.activities.int-spec's case).
      await cycle.executeUpdate(nextDayUpdate, { args: [{ through: 13 }] });
      first.child.kill('SIGKILL');
      // The server sends a workflow's tasks to its last worker's own queue until it has seen no poller there for
      // 10 s; an Update sent sooner waits out a task timeout (about a minute) before another worker takes it.
      await sleepMs(11_000);
      const second = startApp('worker', childEnvironment(env), join(logDir, 'worker-2.log'));
      processes.push(second);
      recordTestProcess(second.child.pid);
      await workerPolling(client, SUITE_TASK_QUEUE);
      expect(await cycle.executeUpdate(nextDayUpdate, { args: [{ through: 15 }] })).toMatchObject({ day: 15 });
      await cycle.executeUpdate(nextDayUpdate, { args: [{ through: 99 }] }).catch(() => undefined);
      const report = await cycle.result();
      expect(report).toMatchObject({ tasks: 2, unreported: 2 });

      const lone = await getTaskCycle(dataSource, cycleId, test.taskIds[0]!);
      expect(lone.timeline.filter((e) => e.kind === 'reminded')).toHaveLength(3); // days 14, 16, 17
      expect(lone.timeline.filter((e) => e.kind === 'overdue').map((e) => e.details.daysLate)).toEqual([1, 2, 3, 4]);
      // Each reporter: every mail once, as the ledger holds it, and at most one reminder digest per working day.
      for (const unit of ['甲局', '丙局'] as const) {
        const address = demoAddress('reporter', test.unitIds[unit]!);
        const mail = await mailTo(stack, address);
        expect(mail.length).toBeGreaterThanOrEqual(2); // the assignment and at least one digest
        expect(new Set(mail.map((m) => m.messageId)).size).toBe(mail.length);
        const rows = (await dataSource.query(
          `SELECT kind, working_day AS "workingDay" FROM notification WHERE cycle_id = $1 AND recipient = $2 AND status = 'sent'`,
          [cycleId, address],
        )) as { kind: string; workingDay: string }[];
        expect(rows).toHaveLength(mail.length);
        const digestDays = rows.filter((r) => r.kind === 'digest').map((r) => String(r.workingDay));
        expect(new Set(digestDays).size).toBe(digestDays.length);
      }
      // None lost: every reminder of 甲局 (never reports) before the closing day, the ones that fell due while the
      // worker was down included, went out in exactly one sent digest; the closing day's own was not sent.
      const items = (await dataSource.query(
        `SELECT m.step, n.status, m.dropped_reason AS dropped FROM mail_item m LEFT JOIN notification n ON n.id = m.notification_id
          WHERE m.cycle_id = $1 AND m.recipient = $2 ORDER BY m.step_at, m.step`,
        [cycleId, demoAddress('reporter', test.unitIds['甲局']!)],
      )) as { step: string; status: string | null; dropped: string | null }[];
      expect(items).toEqual([
        ...[
          'lead:remind:3',
          'lead:remind:1',
          'lead:remind:0',
          'lead:overdue:1',
          'lead:overdue:2',
          'lead:overdue:3',
          'notice-1', // the 督办单 of the third day late, at the head of that morning's digest
        ].map((step) => ({ step, status: 'sent', dropped: null })),
        { step: 'lead:overdue:4', status: null, dropped: 'closed' },
      ]);
    } finally {
      await connection.close();
    }
  }, 90_000);
});

describe('the Temporal dev server restarted on its persistent file', () => {
  it('carries the cycle on: timers, Updates and the close work after the restart', async () => {
    const config = loadConfig();
    const options = {
      port: 0,
      uiPort: 0,
      dbFile: join(logDir, 'temporal-restart.db'),
      logFile: join(logDir, 'temporal-restart.log'),
      namespace: 'default',
    };
    const own = { ...config, temporal: { ...config.temporal, address: undefined } };
    /**
     * Starts the dev server, again while its log says a port is taken: on fresh ports (another process
     * may bind a port between freePort() and the server's start, seen under load), or on the same
     * address after a stop (the port can take a moment to be free once the old server is gone).
     */
    const start = async (freshPorts: boolean) => {
      for (let attempt = 1; ; attempt += 1) {
        if (freshPorts) {
          options.port = await freePort();
          do options.uiPort = await freePort();
          while (options.uiPort === options.port);
        } else await sleepMs(1000);
        try {
          return await provideTemporal(own, options, () => {});
        } catch (error) {
          const log = readFileSync(options.logFile, 'utf8');
          if (attempt >= 30 || !log.includes('address already in use')) throw error;
          writeFileSync(options.logFile, ''); // the next attempt's log alone
        }
      }
    };
    let server = await start(true);
    server.pids?.forEach(recordTestProcess);
    const address = server.address;
    const native = await NativeConnection.connect({ address });
    const connection = await Connection.connect({ address });
    const client = new Client({ connection });
    const mailer = new Mailer(stack.smtpUrl, '督办 Duban <duban@test.local>');
    const { worker, taskQueue } = await createTestWorker(native, client, stack, dataSource, mailer);
    const running = worker.run();
    try {
      const test = await plan('restart', 3);
      const { cycleId } = await startCycle(client, {
        planId: test.planId,
        quarter: '2020Q3',
        clock: { kind: 'rehearsal', daySeconds: 1, pace: 'manual' },
        taskQueue,
        rehearsalTag: test.suffix,
      });
      const cycle = client.workflow.getHandle(cycleId);
      await cycle.executeUpdate(nextDayUpdate, { args: [{ through: 3 }] });
      await server.stop();
      // The same address again.
      server = await start(false);
      server.pids?.forEach(recordTestProcess);

      const handle = (i: number) =>
        client.workflow.getHandle(taskCycleWorkflowId(test.taskIds[i]!, '2020Q3', test.suffix));
      expect(await cycle.executeUpdate(nextDayUpdate, { args: [{ through: 9 }] })).toMatchObject({ day: 9 });
      const reporter = await demoActor(dataSource, 'reporter', test.unitIds['甲局']);
      const supervisor = await demoActor(dataSource, 'supervisor');
      await handle(0).executeUpdate(submitProgressUpdate, { args: [{ actor: reporter, narrative: '已建成3个' }] });
      const approved = await handle(0).executeUpdate(reviewUpdate, {
        args: [{ actor: supervisor, decision: 'approve' }],
      });
      expect(approved.state).toMatchObject({ status: 'approved', light: 'green' });

      await cycle.executeUpdate(nextDayUpdate, { args: [{ through: 99 }] }).catch(() => undefined);
      const report = await cycle.result();
      expect(report).toMatchObject({ tasks: 2, byStatus: { approved: 1, overdue: 1 } });
      const late = await getTaskCycle(dataSource, cycleId, test.taskIds[1]!);
      expect(late.timeline.map((e) => e.kind).filter((k) => k !== 'reminded' && k !== 'input_late')).toEqual([
        'assigned',
        'overdue',
        'leader_copied',
        'overdue',
        'overdue',
        'notice_issued',
        'notice_closed', // still open at the close: it ends with its quarter
        'closed',
      ]);
    } finally {
      worker.shutdown();
      await running.catch(() => undefined);
      mailer.close();
      await native.close();
      await connection.close();
      await server.stop();
    }
  }, 120_000);
});
