/**
 * The whole chain across real processes: the api and worker apps as a user
 * runs them, against the run's Temporal server, test database and SMTP
 * capture. API → Temporal → worker activity → a PostgreSQL row + a mail.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { childEnvironment } from '#config';
import { REPO_ROOT, startApp, waitForHealthy, type ManagedProcess } from '../infra/dev/processes.js';
import {
  asTestAdmin,
  capturedMessages,
  readTestStack,
  recordTestProcess,
  startTestApi,
  TEST_ADMIN,
  uniqueAddress,
} from './support/test-stack.js';

const stack = readTestStack();
const logDir = mkdtempSync(join(tmpdir(), 'duban-chain-'));
const processes: ManagedProcess[] = [];
let apiUrl: string;
let db: pg.Client;

async function startApi(overrides: Record<string, string>): Promise<string> {
  const { api, url } = await startTestApi(logDir, overrides);
  processes.push(api);
  return url;
}

beforeAll(async () => {
  const env = { DATABASE_URL: stack.databaseUrl, TEMPORAL_ADDRESS: stack.temporalAddress, SMTP_URL: stack.smtpUrl };
  const worker = startApp('worker', childEnvironment(env), join(logDir, 'worker.log'));
  processes.push(worker);
  recordTestProcess(worker.child.pid);
  apiUrl = await startApi({});
  const api = processes.at(-1)!;
  await waitForHealthy(`${apiUrl}/health`, 60_000, () =>
    api.child.exitCode !== null ? 'api exited' : undefined,
  ).catch(async (error: Error) => {
    throw new Error(`${error.message}\n${await api.logTail()}`);
  });
  db = new pg.Client({ connectionString: stack.databaseUrl });
  await db.connect();
}, 90_000);

afterAll(async () => {
  await db?.end();
  await Promise.all(processes.map((p) => p.stop(15_000)));
});

async function postTestEmail(body: unknown, url = apiUrl) {
  const response = await fetch(`${url}/api/notifications/test-email`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-request-id': 'chain-e2e-1', 'x-duban-user': TEST_ADMIN },
    body: JSON.stringify(body),
  });
  return {
    status: response.status,
    requestId: response.headers.get('x-request-id'),
    body: (await response.json()) as Record<string, unknown>,
  };
}

describe('API → Temporal → worker → PostgreSQL + SMTP', () => {
  it('sends a test email: a workflow ran, a ledger row says sent, the SMTP server received it', async () => {
    const recipient = uniqueAddress('chain');
    const { status, body, requestId } = await postTestEmail({ to: recipient });

    expect(status).toBe(200);
    expect(requestId).toBe('chain-e2e-1');
    expect(body).toMatchObject({ status: 'sent', alreadySent: false });
    expect(body.workflowId).toMatch(/^test-email:/);

    const rows = await db.query('SELECT status, message_id, recipient, kind FROM notification WHERE id = $1', [
      body.notificationId,
    ]);
    expect(rows.rows).toEqual([{ status: 'sent', message_id: body.messageId, recipient, kind: 'test' }]);

    const mail = (await capturedMessages(stack)).filter((m) => m.envelopeTo.includes(recipient));
    expect(mail).toHaveLength(1);
    expect(mail[0]).toMatchObject({ messageId: body.messageId, subject: '【督办】测试邮件 / Duban test email' });

    const readBack = await fetch(`${apiUrl}/api/notifications/${String(body.notificationId)}`, asTestAdmin());
    expect(readBack.status).toBe(200);
    expect(await readBack.json()).toMatchObject({ id: body.notificationId, status: 'sent', recipient });
  });

  it('sends the same test email from the duban command line', async () => {
    const recipient = uniqueAddress('cli');
    // Asynchronously: the SMTP capture may live in this very process (Jest in-band).
    const cli = await promisify(execFile)(
      process.execPath,
      [join(REPO_ROOT, 'dist/apps/cli/src/main.js'), 'test-email', '--to', recipient, '--json'],
      {
        cwd: REPO_ROOT,
        env: childEnvironment({ TEMPORAL_ADDRESS: stack.temporalAddress, DATABASE_URL: stack.databaseUrl }),
      },
    );
    expect(cli.stderr).toBe('');
    const result = JSON.parse(cli.stdout) as { status: string; messageId: string };
    expect(result.status).toBe('sent');
    const mail = (await capturedMessages(stack)).filter((m) => m.envelopeTo.includes(recipient));
    expect(mail.map((m) => m.messageId)).toEqual([result.messageId]);
  });

  it('rejects a bad address with a positioned bilingual error and stores nothing', async () => {
    const before = await db.query('SELECT count(*)::int AS n FROM notification WHERE recipient LIKE $1', ['%script%']);
    const { status, body } = await postTestEmail({ to: '<script>alert(1)</script>' });
    expect(status).toBe(400);
    expect(body).toEqual({
      code: 'INVALID_EMAIL',
      message: '字段 to 不是有效的邮箱地址',
      messageEn: 'Field to is not a valid email address',
      details: { field: 'to' },
    });
    const after = await db.query('SELECT count(*)::int AS n FROM notification WHERE recipient LIKE $1', ['%script%']);
    expect(after.rows[0].n).toBe(before.rows[0].n);
    expect(after.rows[0].n).toBe(0);
  });

  it('answers an unknown address with a coded bilingual 404', async () => {
    const response = await fetch(`${apiUrl}/api/no-such-thing`);
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ code: 'HTTP_404', message: '未找到该地址' });
  });

  it('answers 404 with a code for an unknown notification', async () => {
    const response = await fetch(`${apiUrl}/api/notifications/00000000-0000-4000-8000-000000000000`, asTestAdmin());
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ code: 'NOT_FOUND' });
  });
});
