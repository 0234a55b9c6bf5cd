/**
 * 领导批示 (a district leader's instructions on tasks):
 *   POST /api/instructions                                 a 区领导 writes { taskIds, text, workingDays? }
 *   GET  /api/instructions?owed=&taskId=                   the instructions the caller sees, newest first
 *   POST /api/instructions/:id/tasks/:taskId/response      the owing unit's reporter answers { text }
 */
import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query, Req } from '@nestjs/common';
import type { Request } from 'express';
import { DataSource } from 'typeorm';
import type { z } from 'zod';
import type { InstructionBody, InstructionResponseBody } from '#api-schema';
import { loadWorkingDayCalendar } from '#calendar';
import type { DubanConfig } from '#config';
import { instructionAnsweredSignal, instructionWorkflowId } from '#contracts';
import { DomainError } from '#domain';
import type { Logger } from '#logging';
import { whenReady } from '#persistence';
import { listInstructions, respondToInstruction, writeInstruction, type Instruction } from '#plans';
import { CONFIG, LOGGER } from '#runtime';
import type { instructionWorkflow } from '#workflows';
import { oneOf, text } from '../common/query-params.js';
import { Allow, callerOf, scopeOf, SignedIn } from '../auth/access.js';
import { TemporalClientService } from '../common/temporal-client.provider.js';
import { Answers, Takes } from '../openapi/openapi.js';

@Controller('api/instructions')
export class InstructionsController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly temporal: TemporalClientService,
    @Inject(CONFIG) private readonly config: DubanConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /** Starts the reminders of an owed answer (`instruction:{id}`), inside the instruction's transaction. */
  private async startReminders({ id, owes }: { id: string; owes: boolean }): Promise<void> {
    if (!owes) return;
    try {
      await this.temporal.client.workflow.start<typeof instructionWorkflow>('instructionWorkflow', {
        workflowId: instructionWorkflowId(id),
        taskQueue: this.config.temporal.taskQueue,
        args: [{ instructionId: id }],
      });
    } catch (error) {
      throw new DomainError(
        'TEMPORAL_UNAVAILABLE',
        `流程服务暂不可用，批示未保存：${(error as Error).message}`,
        `The workflow service is unavailable; the instruction was not kept: ${(error as Error).message}`,
      );
    }
  }

  @Post()
  @Allow('district_leader')
  @HttpCode(201)
  @Answers('Instruction', '区领导批示任务；非“阅”件由牵头单位限期回复 / a district leader’s instruction')
  @Takes('InstructionBody')
  async write(@Body() body: z.infer<typeof InstructionBody>, @Req() request: Request): Promise<Instruction> {
    const db = await whenReady(this.dataSource);
    return writeInstruction(
      db,
      await loadWorkingDayCalendar(db),
      {
        personId: callerOf(request).personId,
        taskIds: body.taskIds,
        text: body.text,
        workingDays: body.workingDays,
      },
      (stored) => this.startReminders(stored),
    );
  }

  @Get()
  @SignedIn()
  @Answers('Instruction[]', '可见的领导批示及回复 / the instructions the caller sees, with their answers')
  async list(
    @Req() request: Request,
    @Query('owed') owed?: string,
    @Query('taskId') taskId?: string,
  ): Promise<Instruction[]> {
    const filter = oneOf<'true' | 'false'>(owed, ['true', 'false'], 'owed');
    return listInstructions(await whenReady(this.dataSource), scopeOf(callerOf(request)), {
      owed: filter === 'true',
      taskId: text(taskId),
    });
  }

  @Post(':id/tasks/:taskId/response')
  @Allow('reporter')
  @HttpCode(200)
  @Answers('Instruction', '承办单位回复批示 / the owing unit answers the instruction')
  @Takes('InstructionResponseBody')
  async respond(
    @Param('id') id: string,
    @Param('taskId') taskId: string,
    @Body() body: z.infer<typeof InstructionResponseBody>,
    @Req() request: Request,
  ): Promise<Instruction> {
    const answered = await respondToInstruction(await whenReady(this.dataSource), {
      instructionId: id,
      taskId,
      personId: callerOf(request).personId,
      text: body.text,
    });
    // The reminders stop once nothing is owed; should the signal not reach them, their next step finds the answer.
    await this.temporal.client.workflow
      .getHandle(instructionWorkflowId(id))
      .signal(instructionAnsweredSignal)
      .catch((error: unknown) =>
        this.logger.warn({ err: error, instructionId: id }, 'instruction signal not delivered'),
      );
    return answered;
  }
}
