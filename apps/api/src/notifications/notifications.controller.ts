/**
 * Notifications over HTTP. POST /api/notifications/test-email sends a test
 * email through the whole chain (Temporal workflow → worker activity →
 * ledger row + SMTP) and answers with the ledger entry;
 * GET /api/notifications/:id reads one ledger entry back.
 */
import { randomUUID } from 'node:crypto';
import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { WorkflowFailedError } from '@temporalio/client';
import { DataSource } from 'typeorm';
import { DUBAN_TASK_QUEUE, testEmailWorkflowId, type TestEmailResult } from '#contracts';
import { DomainError, parseEmailAddress } from '#domain';
import { NotificationEntity } from '#persistence';
import type { testEmailWorkflow } from '#workflows';
import { TemporalClientService } from '../common/temporal-client.provider.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

@Controller('api/notifications')
export class NotificationsController {
  constructor(
    private readonly temporal: TemporalClientService,
    private readonly dataSource: DataSource,
  ) {}

  @Post('test-email')
  @HttpCode(200)
  async sendTestEmail(@Body() body: unknown): Promise<TestEmailResult> {
    const recipient = parseEmailAddress((body as { to?: unknown } | undefined)?.to, 'to');
    const requestId = randomUUID();
    try {
      return await this.temporal.client.workflow.execute<typeof testEmailWorkflow>('testEmailWorkflow', {
        workflowId: testEmailWorkflowId(requestId),
        taskQueue: DUBAN_TASK_QUEUE,
        args: [{ requestId, recipient, requestedAt: new Date().toISOString() }],
        workflowExecutionTimeout: '2 minutes',
      });
    } catch (error) {
      if (error instanceof WorkflowFailedError) {
        throw new DomainError(
          'MAIL_NOT_SENT',
          `测试邮件未能发出：${error.cause?.message ?? error.message}`,
          `The test email was not sent: ${error.cause?.message ?? error.message}`,
        );
      }
      throw error;
    }
  }

  @Get(':id')
  async getNotification(@Param('id') id: string): Promise<NotificationEntity> {
    const found = UUID.test(id) ? await this.dataSource.getRepository(NotificationEntity).findOneBy({ id }) : null;
    if (!found) {
      throw new DomainError('NOT_FOUND', `没有编号为 ${id} 的通知`, `No notification with id ${id}`);
    }
    return found;
  }
}
