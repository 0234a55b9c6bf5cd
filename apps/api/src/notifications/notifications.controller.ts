/**
 * Notifications over HTTP. POST /api/notifications/test-email sends a test
 * email through the whole chain (Temporal workflow → worker activity →
 * ledger row + SMTP): 200 with the ledger entry when it went out within
 * RESULT_WAIT_MS, else 202 with the workflow id (the worker may be busy or
 * down; Temporal keeps the request). GET /api/notifications/:id reads one
 * ledger entry.
 */
import { randomUUID } from 'node:crypto';
import { Body, Controller, Get, Inject, Param, Post, Res } from '@nestjs/common';
import { WorkflowFailedError } from '@temporalio/client';
import type { Response } from 'express';
import type { z } from 'zod';
import type { TestEmailRequest } from '#api-schema';
import { DataSource } from 'typeorm';
import { testEmailWorkflowId, type TestEmailResult } from '#contracts';
import type { DubanConfig } from '#config';
import { DomainError, parseEmailAddress } from '#domain';
import { findNotification } from '#notifications';
import { whenReady } from '#persistence';
import { CONFIG } from '#runtime';
import type { testEmailWorkflow } from '#workflows';
import { TemporalClientService } from '../common/temporal-client.provider.js';
import { toNotificationView, type NotificationView } from './notification.view.js';
import { Allow } from '../auth/access.js';
import { Takes } from '../openapi/openapi.js';

const RESULT_WAIT_MS = 20_000;

type Pending = { workflowId: string; status: 'pending' };

@Controller('api/notifications')
export class NotificationsController {
  constructor(
    private readonly temporal: TemporalClientService,
    private readonly dataSource: DataSource,
    @Inject(CONFIG) private readonly config: DubanConfig,
  ) {}

  @Post('test-email')
  @Allow('admin')
  @Takes('TestEmailRequest')
  async sendTestEmail(
    @Body() body: z.infer<typeof TestEmailRequest>,
    @Res({ passthrough: true }) response: Response,
  ): Promise<TestEmailResult | Pending> {
    const recipient = parseEmailAddress(body.to, 'to');
    const requestId = randomUUID();
    const workflowId = testEmailWorkflowId(requestId);
    let handle;
    try {
      handle = await this.temporal.client.workflow.start<typeof testEmailWorkflow>('testEmailWorkflow', {
        workflowId,
        taskQueue: this.config.temporal.taskQueue,
        args: [{ requestId, recipient, requestedAt: new Date().toISOString() }],
        workflowExecutionTimeout: '1 hour',
      });
    } catch (error) {
      throw new DomainError(
        'TEMPORAL_UNAVAILABLE',
        `流程服务暂不可用：${(error as Error).message}`,
        `The workflow service is unavailable: ${(error as Error).message}`,
      );
    }
    let timer: NodeJS.Timeout | undefined;
    try {
      const outcome = await Promise.race([
        handle.result(),
        new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), RESULT_WAIT_MS))),
      ]);
      if (outcome) {
        response.status(200);
        return outcome;
      }
      response.status(202);
      return { workflowId, status: 'pending' };
    } catch (error) {
      if (error instanceof WorkflowFailedError) {
        const reason = error.cause?.message ?? error.message;
        throw new DomainError('MAIL_NOT_SENT', `测试邮件未能发出：${reason}`, `The test email was not sent: ${reason}`);
      }
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  @Get(':id')
  @Allow('admin')
  async getNotification(@Param('id') id: string): Promise<NotificationView> {
    const found = await findNotification(await whenReady(this.dataSource), id);
    if (!found) {
      throw new DomainError('NOT_FOUND', `没有编号为 ${id} 的通知`, `No notification with id ${id}`);
    }
    return toNotificationView(found);
  }
}
