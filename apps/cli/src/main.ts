#!/usr/bin/env node
/**
 * apps/cli: the `duban` command. Commands grow with the issues (import,
 * cycle start/rehearse, report export); today: database migrations and a
 * test email through the running worker.
 */
import { parseArgs } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import { ConfigError, loadConfig, resolveEndpoints } from '#config';
import { DUBAN_TASK_QUEUE, testEmailWorkflowId } from '#contracts';
import { DomainError, parseEmailAddress } from '#domain';
import { ensureDatabase, migrate, redactUrl } from '#persistence';
import type { testEmailWorkflow } from '#workflows';

const USAGE = `用法 / Usage:
  duban migrate                       创建数据库并执行迁移 / create the database and apply migrations
  duban test-email --to ADDRESS [--json]
                                      经由 Temporal 和 worker 发送测试邮件 / send a test email through Temporal and the worker
  duban help`;

const out = (line: string) => process.stdout.write(`${line}\n`);

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const config = loadConfig();
  const endpoints = resolveEndpoints(config);
  switch (command) {
    case 'migrate': {
      await ensureDatabase(endpoints.databaseUrl);
      const ran = await migrate(endpoints.databaseUrl);
      out(
        ran.length
          ? `已执行迁移 / applied: ${ran.join(', ')} (${redactUrl(endpoints.databaseUrl)})`
          : `数据库已是最新 / database up to date (${redactUrl(endpoints.databaseUrl)})`,
      );
      return 0;
    }
    case 'test-email': {
      const { values } = parseArgs({ args: rest, options: { to: { type: 'string' }, json: { type: 'boolean' } } });
      const recipient = parseEmailAddress(values.to, '--to');
      const connection = await Connection.connect({ address: endpoints.temporalAddress });
      try {
        const client = new Client({ connection, namespace: config.temporal.namespace });
        const requestId = `cli-${Date.now().toString(36)}`;
        const result = await client.workflow.execute<typeof testEmailWorkflow>('testEmailWorkflow', {
          workflowId: testEmailWorkflowId(requestId),
          taskQueue: DUBAN_TASK_QUEUE,
          args: [{ requestId, recipient, requestedAt: new Date().toISOString() }],
          workflowExecutionTimeout: '2 minutes',
        });
        out(
          values.json
            ? JSON.stringify(result)
            : `已发送 / sent to ${recipient}: ${result.messageId} (${result.workflowId})`,
        );
      } finally {
        await connection.close();
      }
      return 0;
    }
    case undefined:
    case 'help':
    case '--help':
      out(USAGE);
      return command === undefined ? 2 : 0;
    default:
      process.stderr.write(`未知命令 / unknown command: ${command}\n${USAGE}\n`);
      return 2;
  }
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
    process.exitCode = 78;
  } else if (error instanceof DomainError) {
    process.stderr.write(`${error.messageZh}\n${error.messageEn}\n`);
    process.exitCode = 2;
  } else {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exitCode = 1;
  }
}
