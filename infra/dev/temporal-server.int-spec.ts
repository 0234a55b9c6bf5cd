/**
 * The production profile's engine, first step: Temporal Server v1.29.1 built
 * from the Go module proxy (cached outside the clone), its persistence and
 * visibility schemas set up in PostgreSQL by its own schema tool (again: only
 * updated), started with the project's configuration, Duban's namespace and
 * search attributes registered; a workflow runs on it, its history is in
 * PostgreSQL, and it is still there after the server restarts.
 */
import { join } from 'node:path';
import { expect, it } from '@jest/globals';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import pg from 'pg';
import { loadConfig } from '#config';
import { dropDatabase } from '#persistence';
import { freePortBlock, readTestStack, testDataDir } from '../../test/support/test-stack.js';
import {
  ensureTemporalServer,
  setupTemporalSchemas,
  startTemporalServer,
  type TemporalDatabases,
} from './temporal-server.js';

const stack = readTestStack();
const tag = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 5)}`;

it('runs a workflow on Temporal Server over PostgreSQL and keeps it across a restart', async () => {
  const said: string[] = [];
  const say = (line: string) => said.push(line);
  const binaries = await ensureTemporalServer(loadConfig().cacheDir, say);
  expect(binaries).toBeDefined();
  const serverUrl = new URL(stack.databaseUrl);
  serverUrl.pathname = '';
  const databases: TemporalDatabases = {
    serverUrl: serverUrl.toString(),
    database: `temporal_t_${tag}`,
    visibilityDatabase: `temporal_t_${tag}_visibility`,
  };
  const databaseUrl = (name: string) => {
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    return url.toString();
  };
  try {
    await setupTemporalSchemas(binaries!.sql, databases, say);
    // Again: the schema is only brought up to date.
    await setupTemporalSchemas(binaries!.sql, databases, say);
    const port = await freePortBlock([0, 1, 2, 6]);
    const membershipPortBase = await freePortBlock([0, 1, 2, 6]);
    const options = {
      databases,
      port,
      membershipPortBase,
      namespace: 'default',
      logFile: join(testDataDir(), `temporal-server-${tag}.log`),
    };
    const workflowId = `production-smoke-${tag}`;
    let server = await startTemporalServer(binaries!, options, say);
    try {
      const connection = await Connection.connect({ address: server.address });
      const client = new Client({ connection });
      const searchAttributes = await connection.operatorService.listSearchAttributes({ namespace: 'default' });
      expect(Object.keys(searchAttributes.customAttributes ?? {})).toEqual(
        expect.arrayContaining(['DubanPlan', 'DubanQuarter', 'DubanStatus', 'DubanLeadUnit', 'DubanDeadline']),
      );
      const workerConnection = await NativeConnection.connect({ address: server.address });
      const worker = await Worker.create({
        connection: workerConnection,
        taskQueue: `production-smoke-${tag}`,
        workflowBundle: { codePath: stack.workflowBundlePath },
      });
      await worker.runUntil(
        client.workflow.execute('emptyWorkflow', { taskQueue: `production-smoke-${tag}`, workflowId }),
      );
      await workerConnection.close();
      await connection.close();
      // The history is PostgreSQL's, not a file's.
      const db = new pg.Client({ connectionString: databaseUrl(databases.database) });
      await db.connect();
      const { rows } = await db
        .query<{ n: number }>(`SELECT count(*)::int AS n FROM executions`)
        .finally(() => db.end());
      expect(rows[0]!.n).toBeGreaterThan(0);
    } finally {
      await server.stop();
    }
    // Stopped and started again on the same databases: the workflow is still there, completed.
    server = await startTemporalServer(binaries!, options, say);
    try {
      const connection = await Connection.connect({ address: server.address });
      const described = await new Client({ connection }).workflow.getHandle(workflowId).describe();
      expect(described.status.name).toBe('COMPLETED');
      await connection.close();
    } finally {
      await server.stop();
    }
    expect(said).toEqual(expect.arrayContaining([expect.stringMatching(/schema of temporal_t_.* up to date/)]));
  } finally {
    await dropDatabase(databaseUrl(databases.database)).catch(() => undefined);
    await dropDatabase(databaseUrl(databases.visibilityDatabase)).catch(() => undefined);
  }
}, 900_000);
