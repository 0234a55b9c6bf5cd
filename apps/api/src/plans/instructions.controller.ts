/**
 * 领导批示 (a district leader's instructions on tasks):
 *   POST /api/instructions                                 a 区领导 writes { taskIds, text, workingDays? }
 *   GET  /api/instructions?owed=&taskId=                   the instructions the caller sees, newest first
 *   POST /api/instructions/:id/tasks/:taskId/response      the owing unit's reporter answers { text }
 *   POST /api/instructions/:id/tasks/:taskId/files?name=   a file of evidence for the answer owed (bytes as the body)
 *   GET  /api/instructions/:id/tasks/:taskId/files/:fileId  one file (?download=1: as an attachment)
 *   DELETE /api/instructions/:id/tasks/:taskId/files/:fileId  removed while the answer is owed
 */
import { Body, Controller, Delete, Get, Headers, HttpCode, Inject, Param, Post, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { DataSource } from 'typeorm';
import type { z } from 'zod';
import type { InstructionBody, InstructionResponseBody } from '#api-schema';
import { loadWorkingDayCalendar } from '#calendar';
import type { DubanConfig } from '#config';
import { instructionAnsweredSignal, instructionWorkflowId } from '#contracts';
import { attachInstructionFile, openInstructionFile, PostgresEvidenceStore, removeInstructionFile } from '#cycles';
import { DomainError } from '#domain';
import type { Logger } from '#logging';
import { whenReady } from '#persistence';
import {
  listInstructions,
  respondToInstruction,
  writeInstruction,
  type Instruction,
  type InstructionFile,
} from '#plans';
import { CONFIG, LOGGER } from '#runtime';
import type { instructionWorkflow } from '#workflows';
import { declaredBytes, fileBody, sendFile } from '../common/files.js';
import { oneOf, text } from '../common/query-params.js';
import { Allow, callerOf, scopeOf, SignedIn, staffUnitsOf } from '../auth/access.js';
import { TemporalClientService } from '../common/temporal-client.provider.js';
import { Answers, Takes, TakesFile } from '../openapi/openapi.js';

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
    const caller = callerOf(request);
    return listInstructions(await whenReady(this.dataSource), scopeOf(caller), {
      owed: filter === 'true',
      taskId: text(taskId),
      ownUnits: staffUnitsOf(caller),
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

  @Post(':id/tasks/:taskId/files')
  @Allow('reporter')
  @HttpCode(201)
  @Answers('InstructionFile', '为待回复的批示附佐证材料（文件内容作请求体） / attach evidence to the answer owed')
  @TakesFile()
  async attach(
    @Param('id') id: string,
    @Param('taskId') taskId: string,
    @Req() request: Request,
    @Query('name') name?: string,
    @Headers('content-length') length?: string,
  ): Promise<InstructionFile> {
    const db = await whenReady(this.dataSource);
    return attachInstructionFile(
      db,
      new PostgresEvidenceStore(db),
      {
        instructionId: id,
        taskId,
        personId: callerOf(request).personId,
        fileName: name ?? '',
        declaredBytes: declaredBytes(length),
      },
      fileBody(request),
    );
  }

  @Get(':id/tasks/:taskId/files/:fileId')
  @SignedIn()
  @Answers('file')
  async file(
    @Param('id') id: string,
    @Param('taskId') taskId: string,
    @Param('fileId') fileId: string,
    @Req() request: Request,
    @Res() response: Response,
    @Query('download') download?: string,
  ): Promise<void> {
    const db = await whenReady(this.dataSource);
    const caller = callerOf(request);
    const { file, bytes } = await openInstructionFile(db, new PostgresEvidenceStore(db), {
      instructionId: id,
      taskId,
      fileId,
      scope: scopeOf(caller),
      ownUnits: staffUnitsOf(caller),
    });
    await sendFile(response, file, bytes, Boolean(download));
  }

  @Delete(':id/tasks/:taskId/files/:fileId')
  @Allow('reporter')
  @Answers('EvidenceRemoved', '删除未随回复报送的佐证材料 / remove a file before the answer goes')
  async remove(
    @Param('id') id: string,
    @Param('taskId') taskId: string,
    @Param('fileId') fileId: string,
    @Req() request: Request,
  ): Promise<{ state: 'deleted' }> {
    const db = await whenReady(this.dataSource);
    await removeInstructionFile(db, new PostgresEvidenceStore(db), {
      instructionId: id,
      taskId,
      fileId,
      personId: callerOf(request).personId,
    });
    return { state: 'deleted' };
  }
}
