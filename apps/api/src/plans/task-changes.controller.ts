/**
 * 调整与销号 (a lead unit asks to adjust, close or cancel its task; the 督查室 decides):
 *   GET  /api/tasks/:taskId/changes                     the task's standing (struck off or not) and its requests
 *   POST /api/tasks/:taskId/changes                     the lead unit's reporter asks { kind, reason, content?, deadline? }
 *   POST /api/task-changes/:id/files?name=              a file of evidence for a waiting request (its bytes as the body)
 *   GET  /api/task-changes/:id/files/:fileId            one file (?download=1: as an attachment)
 *   POST /api/task-changes/:id/withdraw                 the reporter withdraws a waiting request
 *   GET  /api/task-changes?state=                       the requests (default: waiting), for the 督查室
 *   POST /api/task-changes/:id/decision                 { approve, comment? } (督查室 or admin)
 * An approved close or cancellation tells each open task-cycle of the task (the Update strikeOffTask) inside the
 * decision's transaction: if Temporal does not take it, nothing is decided (TEMPORAL_UNAVAILABLE, NO_WORKER).
 */
import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import { WorkflowNotFoundError } from '@temporalio/client';
import type { Request, Response } from 'express';
import { DataSource } from 'typeorm';
import type { z } from 'zod';
import type { TaskChangeBody, TaskChangeDecision } from '#api-schema';
import { strikeOffTaskUpdate } from '#contracts';
import {
  attachTaskChangeFile,
  decideTaskChange,
  isDeadlineExceeded,
  listTaskChanges,
  openTaskChangeFile,
  PostgresEvidenceStore,
  requestTaskChange,
  taskChanges,
  withdrawTaskChange,
  type StrikeOff,
  type TaskChangeFile,
  type TaskChangeRequest,
  type TaskChanges,
  type TaskChangeState,
} from '#cycles';
import { DomainError } from '#domain';
import { whenReady } from '#persistence';
import { declaredBytes, fileBody, sendFile } from '../common/files.js';
import { oneOf } from '../common/query-params.js';
import { TemporalClientService } from '../common/temporal-client.provider.js';
import { Allow, callerOf, scopeOf, SignedIn } from '../auth/access.js';
import { Answers, Takes, TakesFile } from '../openapi/openapi.js';

/** How long one task-cycle may take to take the strike-off (a worker must be running). */
const STRIKE_OFF_SECONDS = 20;

@Controller('api')
export class TaskChangesController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly temporal: TemporalClientService,
  ) {}

  /** Tells each open task-cycle of a task struck off; one gone or ended has nothing more to owe. */
  private async strikeOff(struck: StrikeOff, actor: { userId: string; role: 'coordinator' | 'admin' }): Promise<void> {
    const client = this.temporal.client;
    for (const workflowId of struck.taskCycleIds) {
      try {
        await client.withDeadline(Date.now() + STRIKE_OFF_SECONDS * 1000, () =>
          client.workflow.getHandle(workflowId).executeUpdate(strikeOffTaskUpdate, {
            args: [
              {
                as: struck.as,
                requestId: struck.requestId,
                reason: struck.reason,
                actor,
                notAfter: new Date(Date.now() + STRIKE_OFF_SECONDS * 1000).toISOString(),
              },
            ],
            updateId: `strike-off-${struck.requestId}`,
          }),
        );
      } catch (error) {
        if (error instanceof WorkflowNotFoundError || /already completed/i.test((error as Error).message ?? ''))
          continue;
        if (isDeadlineExceeded(error)) {
          throw new DomainError(
            'NO_WORKER',
            `${workflowId} 未在 ${STRIKE_OFF_SECONDS} 秒内响应，申请未处理，请稍后再试`,
            `${workflowId} did not answer within ${STRIKE_OFF_SECONDS} s; the request is not decided, try again later`,
          );
        }
        throw new DomainError(
          'TEMPORAL_UNAVAILABLE',
          `流程服务暂不可用，申请未处理：${(error as Error).message}`,
          `The workflow service is unavailable; the request is not decided: ${(error as Error).message}`,
        );
      }
    }
  }

  @Get('tasks/:taskId/changes')
  @SignedIn()
  @Answers('TaskChanges', '任务是否已销号及其调整与销号申请 / a task’s standing and its change requests')
  async changes(@Param('taskId') taskId: string, @Req() request: Request): Promise<TaskChanges> {
    return taskChanges(await whenReady(this.dataSource), taskId, scopeOf(callerOf(request)));
  }

  @Post('tasks/:taskId/changes')
  @Allow('reporter')
  @HttpCode(201)
  @Answers('TaskChangeRequest', '牵头单位申请调整、办结销号或取消任务 / the lead unit asks to adjust, close or cancel')
  @Takes('TaskChangeBody')
  async ask(
    @Param('taskId') taskId: string,
    @Body() body: z.infer<typeof TaskChangeBody>,
    @Req() request: Request,
  ): Promise<TaskChangeRequest> {
    return requestTaskChange(await whenReady(this.dataSource), {
      taskId,
      personId: callerOf(request).personId,
      kind: body.kind,
      reason: body.reason,
      content: body.content,
      deadline: body.deadline,
    });
  }

  @Post('task-changes/:id/files')
  @Allow('reporter')
  @HttpCode(201)
  @Answers('TaskChangeFile', '为待审核的申请附佐证材料（文件内容作请求体） / attach evidence to a waiting request')
  @TakesFile()
  async attach(
    @Param('id') id: string,
    @Req() request: Request,
    @Query('name') name?: string,
    @Headers('content-length') length?: string,
  ): Promise<TaskChangeFile> {
    const db = await whenReady(this.dataSource);
    return attachTaskChangeFile(
      db,
      new PostgresEvidenceStore(db),
      {
        requestId: id,
        personId: callerOf(request).personId,
        fileName: name ?? '',
        declaredBytes: declaredBytes(length),
      },
      fileBody(request),
    );
  }

  @Get('task-changes/:id/files/:fileId')
  @SignedIn()
  @Answers('file')
  async file(
    @Param('id') id: string,
    @Param('fileId') fileId: string,
    @Req() request: Request,
    @Res() response: Response,
    @Query('download') download?: string,
  ): Promise<void> {
    const db = await whenReady(this.dataSource);
    const { file, bytes } = await openTaskChangeFile(db, new PostgresEvidenceStore(db), {
      requestId: id,
      fileId,
      scope: scopeOf(callerOf(request)),
    });
    await sendFile(response, file, bytes, Boolean(download));
  }

  @Post('task-changes/:id/withdraw')
  @Allow('reporter')
  @HttpCode(200)
  @Answers('TaskChangeRequest', '撤回待审核的申请 / withdraw a waiting request')
  async withdraw(@Param('id') id: string, @Req() request: Request): Promise<TaskChangeRequest> {
    return withdrawTaskChange(await whenReady(this.dataSource), {
      requestId: id,
      personId: callerOf(request).personId,
    });
  }

  @Get('task-changes')
  @Allow('coordinator', 'admin')
  @Answers('TaskChangeRequest[]', '调整与销号申请（默认：待审核） / the requests (default: waiting)')
  async list(@Query('state') state?: string): Promise<TaskChangeRequest[]> {
    return listTaskChanges(
      await whenReady(this.dataSource),
      oneOf<TaskChangeState>(state, ['requested', 'approved', 'refused', 'withdrawn'], 'state'),
    );
  }

  @Post('task-changes/:id/decision')
  @Allow('coordinator', 'admin')
  @HttpCode(200)
  @Answers('TaskChangeRequest', '督查室审核调整与销号申请 / the 督查室 approves or refuses a request')
  @Takes('TaskChangeDecision')
  async decide(
    @Param('id') id: string,
    @Body() body: z.infer<typeof TaskChangeDecision>,
    @Req() request: Request,
  ): Promise<TaskChangeRequest> {
    const caller = callerOf(request);
    const role = caller.roles.some((r) => r.role === 'coordinator') ? 'coordinator' : 'admin';
    return decideTaskChange(
      await whenReady(this.dataSource),
      { requestId: id, personId: caller.personId, approve: body.approve, comment: body.comment },
      (struck) => this.strikeOff(struck, { userId: caller.personId, role }),
    );
  }
}
