/**
 * /health against real processes: with a worker polling the task queue the
 * service is up; without one it is down while the API itself (/health/api) is
 * up; the public reads only a status, an admin why; SMTP is greeted at most
 * once a minute however often health is asked.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Connection } from '@temporalio/client';
import { SMTPServer } from 'smtp-server';
import { waitForHealthy, type ManagedProcess } from '../infra/dev/processes.js';
import {
  asTestAdmin,
  freePort,
  readTestStack,
  startTestApi,
  startWorkerAndApi,
  SUITE_TASK_QUEUE,
} from './support/test-stack.js';

const stack = readTestStack();
const logDir = mkdtempSync(join(tmpdir(), 'duban-health-'));
const processes: ManagedProcess[] = [];
let url: string;

type Health = { status: string; dependencies?: Record<string, { status: string; reason?: string }> };

async function health(base: string, path = '/health', init: RequestInit = {}): Promise<[number, Health]> {
  const response = await fetch(`${base}${path}`, init);
  return [response.status, (await response.json()) as Health];
}

/** An API alone (no worker of its own), answered once its own dependencies are up or `until` says so. */
async function apiAlone(overrides: Record<string, string>, until = '/health/api'): Promise<string> {
  const { api, url: base } = await startTestApi(logDir, overrides);
  processes.push(api);
  await waitForHealthy(`${base}${until}`, 60_000, () => (api.child.exitCode !== null ? 'api exited' : undefined));
  return base;
}

beforeAll(async () => {
  const started = await startWorkerAndApi(logDir);
  processes.push(...started.processes);
  url = started.url;
}, 90_000);

afterAll(async () => {
  await Promise.all(processes.map((p) => p.stop(15_000)));
});

describe('GET /health', () => {
  it('answers the public only a status, and an admin each dependency, workers included', async () => {
    expect(await health(url)).toEqual([200, { status: 'up' }]);
    const [status, body] = await health(url, '/health', asTestAdmin());
    expect(status).toBe(200);
    expect(Object.keys(body.dependencies!).sort()).toEqual(['postgres', 'smtp', 'temporal', 'workers']);
    expect(Object.values(body.dependencies!).map((d) => d.status)).toEqual(['up', 'up', 'up', 'up']);
  });

  it('says the service is down when no worker polls the task queue, while the API itself is up', async () => {
    // A namespace of its own, which no worker of this run polls.
    const namespace = `health-${Date.now().toString(36)}`;
    const connection = await Connection.connect({ address: stack.temporalAddress });
    try {
      await connection.workflowService.registerNamespace({
        namespace,
        // (protobufjs takes a number where the generated type says Long.)
        workflowExecutionRetentionPeriod: { seconds: 24 * 3600 } as never,
      });
      for (let i = 0; i < 100; i += 1) {
        const ready = await connection.workflowService.describeNamespace({ namespace }).then(
          () => true,
          () => false,
        );
        if (ready) break;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    } finally {
      await connection.close();
    }
    const alone = await apiAlone({ TEMPORAL_NAMESPACE: namespace });
    expect(await health(alone, '/health/api')).toEqual([200, { status: 'up' }]);
    expect(await health(alone)).toEqual([503, { status: 'down' }]);
    const [, body] = await health(alone, '/health', asTestAdmin());
    expect(body.dependencies!.workers).toMatchObject({
      status: 'down',
      reason: expect.stringContaining(`no worker polled task queue ${SUITE_TASK_QUEUE} (workflow, activity)`),
    });
    expect([body.dependencies!.temporal!.status, body.dependencies!.postgres!.status]).toEqual(['up', 'up']);
  });

  it('tells the public a dependency is down without its error text, and an admin why', async () => {
    const deadSmtpPort = await freePort();
    const { api, url: base } = await startTestApi(logDir, { SMTP_URL: `smtp://127.0.0.1:${deadSmtpPort}` });
    processes.push(api);
    let answer: Response | undefined;
    for (let i = 0; i < 150 && !answer; i += 1) {
      if (api.child.exitCode !== null) throw new Error(`api exited:\n${await api.logTail()}`);
      answer = await fetch(`${base}/health/api`).catch(() => undefined);
      if (!answer) await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(answer?.status).toBe(503);
    expect(await answer?.text()).toBe('{"status":"down"}');
    const [status, body] = await health(base, '/health/api', asTestAdmin());
    expect(status).toBe(503);
    expect(body.dependencies!.smtp).toMatchObject({ status: 'down', reason: expect.stringMatching(/ECONNREFUSED/) });
    expect([body.dependencies!.temporal!.status, body.dependencies!.postgres!.status]).toEqual(['up', 'up']);
  });

  it('greets SMTP at most once a minute however often health is asked', async () => {
    let connections = 0;
    const smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onConnect: (_session, callback) => {
        connections += 1;
        callback();
      },
    });
    const port = await freePort();
    await new Promise<void>((resolve) => smtp.listen(port, '127.0.0.1', resolve));
    try {
      const base = await apiAlone({ SMTP_URL: `smtp://127.0.0.1:${port}` });
      for (let i = 0; i < 5; i += 1) {
        expect((await health(base, '/health/api'))[0]).toBe(200);
        await health(base, '/health', asTestAdmin());
      }
      expect(connections).toBe(1);
    } finally {
      await new Promise<void>((resolve) => smtp.close(() => resolve()));
    }
  });
});
