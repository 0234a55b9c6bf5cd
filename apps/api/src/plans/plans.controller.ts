/**
 * Plans over HTTP.
 *   POST /api/plans/import        multipart `file` (+ plan, quarter, dryRun, acceptWarnings): the import answer
 *   GET  /api/plans               the plans
 *   GET  /api/plans/:id           a plan with its categories and tasks (?quarter=2020Q3 adds that quarter's progress)
 *   GET  /api/plans/:id/tasks     the tasks alone
 *   GET  /api/plans/:id/tasks/:taskId  one task with every version (who changed what, when)
 *   PUT  /api/plans/:id/tasks/:taskId  correct a task: its next version (from the next cycle on), audited
 *   GET  /api/plans/:id/export    ?quarter=2020Q3&format=text|html|xlsx: the report table as a download
 */
import {
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  Post,
  Put,
  Query,
  Req,
  Res,
  UploadedFile,
  UseInterceptors,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import type { Request, Response } from 'express';
import { DataSource } from 'typeorm';
import type { z } from 'zod';
import type { ImportFields, PlanTaskEdit } from '#api-schema';
import { audit } from '#audit';
import { preflight, type PreflightAnswer } from '#cycles';
import { DomainError, formatQuarter, isUuid, parseQuarter } from '#domain';
import { whenReady } from '#persistence';
import { DEFAULT_MAX_IMPORT_BYTES } from '#plan-import';
import {
  EXPORT_FORMATS,
  exportPlan,
  importPlan,
  PlanNotFound,
  PlanReader,
  PlanRepository,
  type ExportFormat,
  type ImportPlanResponse,
  type StoredPlan,
  type StoredTaskHistory,
  type TaskEditResult,
} from '#plans';
import { Allow, callerOf, scopeOf } from '../auth/access.js';
import { Answers, Takes, TakesUpload } from '../openapi/openapi.js';

function flag(value: unknown): boolean {
  return value === true || value === 'true' || value === '1' || value === 'on';
}

@Controller('api/plans')
export class PlansController {
  constructor(private readonly dataSource: DataSource) {}

  @Post('import')
  @Allow('admin', 'coordinator')
  @HttpCode(200)
  // Memory storage, bounded well above the import limit so the import itself answers with a coded error.
  @UseInterceptors(FileInterceptor('file', { limits: { fileSize: DEFAULT_MAX_IMPORT_BYTES * 2, files: 1 } }))
  @Answers('ImportAnswer')
  @TakesUpload('ImportFields')
  async import(
    @UploadedFile() file: { buffer: Buffer; originalname: string } | undefined,
    @Body() body: z.infer<typeof ImportFields>,
    @Query() query: Record<string, unknown>,
    @Req() request: Request,
  ): Promise<ImportPlanResponse> {
    if (!file) {
      throw new DomainError(
        'IMPORT_NO_FILE',
        '请以 multipart 字段 file 上传文件',
        'Upload the table as the multipart field "file"',
      );
    }
    // Each field may come in the form (parsed) or, as before, in the query string.
    const field = (name: keyof typeof body) => body[name] ?? query[name];
    const text = (name: keyof typeof body) =>
      typeof field(name) === 'string' && field(name) !== '' ? (field(name) as string) : undefined;
    // Read as the browser meant it and checked as text by the request's text pipe (uploadFileName).
    const fileName = file.originalname;
    const db = await whenReady(this.dataSource);
    const answer = await importPlan(new PlanRepository(db), {
      bytes: file.buffer,
      fileName,
      planName: text('plan'),
      quarter: text('quarter'),
      dryRun: flag(field('dryRun')),
      acceptWarnings: flag(field('acceptWarnings')),
      actorId: callerOf(request).personId,
    });
    // A preview stores nothing, so it leaves no trace naming a plan that does not exist.
    if (answer.stored && !answer.dryRun) {
      await audit(db, callerOf(request).personId, 'plan.imported', `plan:${answer.stored.planId}`, {
        fileName,
        quarter: answer.quarter,
        tasks: answer.stored.tasks,
        warnings: answer.warnings.length,
      });
    }
    return answer;
  }

  @Get()
  @Allow('admin', 'coordinator', 'supervisor', 'district_leader')
  @Answers('PlanRow[]')
  async list() {
    return new PlanReader(await whenReady(this.dataSource)).list();
  }

  @Get(':id')
  @Allow('admin', 'coordinator', 'supervisor')
  async get(@Param('id') id: string, @Req() request: Request, @Query('quarter') quarter?: string): Promise<StoredPlan> {
    return this.read(id, quarter, request);
  }

  @Get(':id/tasks')
  @Allow('admin', 'coordinator', 'supervisor', 'district_leader')
  @Answers('PlanTask[]')
  async tasks(
    @Param('id') id: string,
    @Req() request: Request,
    @Query('quarter') quarter?: string,
  ): Promise<StoredPlan['tasks']> {
    return (await this.read(id, quarter, request)).tasks;
  }

  @Get(':id/tasks/:taskId')
  @Allow('admin', 'coordinator')
  @Answers('PlanTaskHistory')
  async task(@Param('id') id: string, @Param('taskId') taskId: string): Promise<StoredTaskHistory> {
    const found = await new PlanReader(await whenReady(this.dataSource)).task(id, taskId);
    if (!found)
      throw new DomainError('NOT_FOUND', `计划中没有编号为 ${taskId} 的任务`, `No task ${taskId} in plan ${id}`);
    return found;
  }

  /** A correction becomes the task's next version; cycles already running keep the version they started with. */
  @Put(':id/tasks/:taskId')
  @Allow('admin', 'coordinator')
  @Answers('PlanTaskEdited')
  @Takes('PlanTaskEdit')
  async editTask(
    @Param('id') id: string,
    @Param('taskId') taskId: string,
    @Body() body: z.infer<typeof PlanTaskEdit>,
    @Req() request: Request,
  ): Promise<TaskEditResult> {
    return new PlanRepository(await whenReady(this.dataSource)).editTask(id, taskId, body, callerOf(request).personId);
  }

  /** What would make a real quarter go wrong (GET /api/plans/:id/preflight?quarter=2020Q3). */
  @Get(':id/preflight')
  @Allow('admin', 'coordinator')
  @Answers('Preflight')
  async preflight(@Param('id') id: string, @Query('quarter') quarter: string = ''): Promise<PreflightAnswer> {
    const db = await whenReady(this.dataSource);
    const planId = isUuid(id) ? id : await new PlanReader(db).findIdByName(id);
    if (!planId) throw new DomainError('NOT_FOUND', `没有计划“${id}”`, `No plan "${id}"`);
    return preflight(db, planId, quarter);
  }

  @Get(':id/export')
  @Allow('admin', 'coordinator', 'supervisor')
  @Answers('file')
  async export(
    @Param('id') id: string,
    @Req() request: Request,
    @Res() response: Response,
    @Query('quarter') quarter?: string,
    @Query('format') format: string = 'xlsx',
  ): Promise<void> {
    if (!(EXPORT_FORMATS as readonly string[]).includes(format)) {
      throw new DomainError(
        'INVALID_FORMAT',
        `不支持的格式 ${format}：应为 ${EXPORT_FORMATS.join('、')}`,
        `Unknown format ${format}: use ${EXPORT_FORMATS.join(', ')}`,
      );
    }
    const plan = await this.read(id, quarter, request);
    const file = await exportPlan(plan, format as ExportFormat);
    const name = `${plan.plan.name}${plan.quarter ? `-${plan.quarter}` : ''}.${file.extension}`;
    response
      .status(200)
      .type(file.contentType)
      .setHeader(
        'content-disposition',
        `attachment; filename="plan.${file.extension}"; filename*=UTF-8''${encodeURIComponent(name)}`,
      )
      .end(Buffer.from(file.body));
  }

  /** The plan as the caller may read it: a unit- or category-scoped supervisor sees the tasks they supervise. */
  private async read(id: string, quarter: string | undefined, request: Request): Promise<StoredPlan> {
    const notFound = () => new DomainError('NOT_FOUND', `没有编号为 ${id} 的计划`, `No plan with id ${id}`);
    if (!isUuid(id)) throw notFound();
    const scope = scopeOf(callerOf(request));
    let plan: StoredPlan;
    try {
      plan = await new PlanReader(await whenReady(this.dataSource)).read(
        id,
        quarter ? formatQuarter(parseQuarter(quarter)) : null,
        scope,
      );
    } catch (error) {
      if (error instanceof PlanNotFound) throw notFound();
      throw error;
    }
    if (scope && plan.tasks.length === 0) {
      throw new DomainError('WRONG_UNIT', '您不审核此计划的任何任务', 'you supervise no task of this plan');
    }
    return plan;
  }
}
