/**
 * Quarterly cycles over HTTP.
 *   POST /api/cycles                               { plan, quarter, rehearsal?: { daySeconds } }: start (a second start is a no-op)
 *   GET  /api/cycles?plan=                          the cycles, newest first
 *   GET  /api/cycles/:cycleId                       a cycle: timeline, counts by status and light, report once closed
 *   GET  /api/cycles/:cycleId/report                ?format=html|text|xlsx|docx: the quarterly report with lights
 *   GET  /api/cycles/:cycleId/tasks                 ?status=&light=&unit=&category=&overdue=true&lagging=true&extension=&limit=&offset=
 *   GET  /api/cycles/:cycleId/tasks/:taskId         one task-cycle with its timeline (the audit trail)
 *   POST /api/cycles/:cycleId/tasks/:taskId/:action progress | input | review | extension-request |
 *                                                   extension-decision | nudge | catch-up-plan
 * People's messages are Temporal Updates: the answer (accepted with the new
 * state, or rejected with a code) comes back synchronously. The caller is
 * the signed-in person (session cookie; outside production a request may
 * still name itself in X-Duban-User), with X-Duban-Role where a person
 * holds several roles, checked against the unit directory.
 */
import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { DataSource } from 'typeorm';
import { DUBAN_TASK_QUEUE, type UpdateAnswer } from '#contracts';
import {
  assertQuarterNotOver,
  assertTaskInScope,
  audit,
  cycleCounts,
  cycleReport,
  findCycle,
  getTaskCycle,
  listCycles,
  listTaskCycles,
  sendTaskCycleAction,
  startCycle,
  TASK_CYCLE_ACTIONS,
  dropDraft,
  withFigures,
  type CycleListRow,
  type DraftKind,
  type StartCycleAnswer,
  type TaskCycleAction,
  type TaskCycleFilters,
} from '#cycles';
import { DEFAULT_CYCLE_CONFIG, DomainError, isUuid } from '#domain';
import { whenReady } from '#persistence';
import { EXPORT_FORMATS, PlanReader, type ExportFormat } from '#plans';
import { oneOf, wholeNumber } from '../common/query-params.js';
import { Allow, callerOf, scopeOf, SignedIn } from '../auth/access.js';
import { TemporalClientService } from '../common/temporal-client.provider.js';
import { Answers, Queries, Takes } from '../openapi/openapi.js';

/** The actions that submit what a draft prepared, and the draft's kind. */
const DRAFTED: Partial<Record<TaskCycleAction, DraftKind>> = {
  progress: 'progress',
  input: 'input',
  'catch-up-plan': 'catch_up',
};

const STATUSES = ['assigned', 'overdue', 'submitted', 'returned', 'approved'];
const LIGHTS = ['green', 'yellow', 'red'];

@Controller('api/cycles')
export class CyclesController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly temporal: TemporalClientService,
  ) {}

  @Post()
  @Allow('coordinator', 'admin')
  @HttpCode(202)
  @Answers('CycleStarted')
  @Takes('StartCycle')
  async start(@Body() body: Record<string, unknown>, @Req() request: Request): Promise<StartCycleAnswer> {
    const answer = await this.startCycle(body);
    if (answer.started) {
      await audit(await whenReady(this.dataSource), callerOf(request).personId, 'cycle.started', answer.cycleId, {
        quarter: body.quarter,
        rehearsal: body.rehearsal ?? null,
      });
    }
    return answer;
  }

  private async startCycle(body: Record<string, unknown>): Promise<StartCycleAnswer> {
    const db = await whenReady(this.dataSource);
    const plan = typeof body.plan === 'string' ? body.plan : '';
    const planId = isUuid(plan) ? plan : await new PlanReader(db).findIdByName(plan);
    if (!planId) throw new DomainError('NOT_FOUND', `没有计划“${plan}”`, `No plan "${plan}"`);
    if (typeof body.quarter !== 'string') {
      throw new DomainError('INVALID_QUARTER', '请指定季度，如 2020Q3', 'Give the quarter, e.g. 2020Q3');
    }
    const rehearsal = body.rehearsal as { daySeconds?: unknown } | undefined;
    if (rehearsal !== undefined) {
      const daySeconds = Number(rehearsal?.daySeconds);
      if (!(daySeconds >= 0.5 && daySeconds <= 86_400)) {
        throw new DomainError(
          'INVALID_INPUT',
          'rehearsal.daySeconds 应在 0.5 到 86400 之间',
          'rehearsal.daySeconds must be between 0.5 and 86400',
        );
      }
      return startCycle(this.temporal.client, {
        planId,
        quarter: body.quarter,
        clock: { kind: 'rehearsal', daySeconds },
        taskQueue: DUBAN_TASK_QUEUE,
        rehearsalTag: Date.now().toString(36),
      });
    }
    await assertQuarterNotOver(db, planId, body.quarter);
    return startCycle(this.temporal.client, {
      planId,
      quarter: body.quarter,
      clock: { kind: 'real', hour: DEFAULT_CYCLE_CONFIG.reminderHour },
      taskQueue: DUBAN_TASK_QUEUE,
    });
  }

  @Get()
  @SignedIn()
  @Answers('CycleRow[]')
  async list(@Req() request: Request, @Query('plan') plan?: string): Promise<CycleListRow[]> {
    // A reporter (or a scoped supervisor) sees the cycles their units (or categories) take part in.
    return listCycles(await whenReady(this.dataSource), { plan, scope: scopeOf(callerOf(request)) });
  }

  @Get(':cycleId')
  @SignedIn()
  @Answers('CycleDetail')
  async get(@Param('cycleId') cycleId: string): Promise<unknown> {
    const db = await whenReady(this.dataSource);
    const cycle = await findCycle(db, cycleId);
    return { ...cycle, counts: await cycleCounts(db, cycleId) };
  }

  @Get(':cycleId/report')
  @Allow('supervisor', 'coordinator', 'admin') // every unit's reported progress: not for one unit's reporter
  @Answers('file')
  async report(
    @Param('cycleId') cycleId: string,
    @Res() response: Response,
    @Query('format') format: string = 'html',
  ): Promise<void> {
    const chosen = oneOf<ExportFormat>(format, EXPORT_FORMATS, 'format') ?? 'html';
    const file = await cycleReport(await whenReady(this.dataSource), cycleId, chosen);
    const name = `${file.fileName}.${file.extension}`;
    if (chosen === 'html') {
      // The web app's 报告 page frames it (same origin only); scripts never run in it.
      response.setHeader('X-Frame-Options', 'SAMEORIGIN');
      response.setHeader('Content-Security-Policy', "frame-ancestors 'self'; script-src 'none'");
    }
    response
      .status(200)
      .type(file.contentType)
      .setHeader(
        'content-disposition',
        `${chosen === 'html' ? 'inline' : 'attachment'}; filename="report.${file.extension}"; filename*=UTF-8''${encodeURIComponent(name)}`,
      )
      .end(Buffer.from(file.body));
  }

  @Get(':cycleId/tasks')
  @SignedIn()
  @Answers('TaskPage')
  @Queries('status', 'light', 'unit', 'category', 'overdue', 'lagging', 'extension', 'limit', 'offset')
  async tasks(
    @Param('cycleId') cycleId: string,
    @Query() query: Record<string, unknown>,
    @Req() request: Request,
  ): Promise<unknown> {
    const db = await whenReady(this.dataSource);
    await findCycle(db, cycleId);
    const filters: TaskCycleFilters = {
      // A reporter (or a scoped supervisor) sees the tasks of their own units (and categories) only.
      scope: scopeOf(callerOf(request)) ?? undefined,
      status: oneOf(query.status, STATUSES, 'status'),
      light: oneOf(query.light, LIGHTS, 'light'),
      unit: typeof query.unit === 'string' && query.unit ? query.unit : undefined,
      category: typeof query.category === 'string' && query.category ? query.category : undefined,
      overdue: query.overdue === 'true' || query.overdue === '1',
      lagging: query.lagging === 'true' || query.lagging === '1',
      extension: oneOf(query.extension, ['requested', 'granted', 'refused', 'withdrawn'], 'extension'),
      limit: wholeNumber(query.limit, 'limit'),
      offset: wholeNumber(query.offset, 'offset'),
    };
    return listTaskCycles(db, cycleId, filters);
  }

  @Get(':cycleId/tasks/:taskId')
  @SignedIn()
  @Answers('TaskDetail')
  async task(
    @Param('cycleId') cycleId: string,
    @Param('taskId') taskId: string,
    @Req() request: Request,
  ): Promise<unknown> {
    return getTaskCycle(await whenReady(this.dataSource), cycleId, taskId, scopeOf(callerOf(request)));
  }

  @Post(':cycleId/tasks/:taskId/:action')
  @Allow('reporter', 'supervisor', 'coordinator')
  @HttpCode(200)
  @Answers('UpdateAnswer')
  async act(
    @Param('cycleId') cycleId: string,
    @Param('taskId') taskId: string,
    @Param('action') action: string,
    @Req() request: Request,
    @Headers('x-duban-role') role: string | undefined,
    @Headers('idempotency-key') requestId: string | undefined,
    @Body() body: Record<string, unknown>,
  ): Promise<UpdateAnswer> {
    if (!TASK_CYCLE_ACTIONS.includes(action as TaskCycleAction)) {
      throw new DomainError(
        'NOT_FOUND',
        `没有操作 ${action}，应为 ${TASK_CYCLE_ACTIONS.join('、')}`,
        `No action ${action}: use ${TASK_CYCLE_ACTIONS.join(', ')}`,
      );
    }
    if (requestId !== undefined && !/^[\w.:+/=-]{1,200}$/.test(requestId)) {
      throw new DomainError(
        'INVALID_IDEMPOTENCY_KEY',
        'Idempotency-Key 应为 1 到 200 个字母、数字或 . : _ + / = - 字符',
        'Idempotency-Key must be 1 to 200 letters, digits or . : _ + / = -',
      );
    }
    const { actor: _ignored, ...fields } = (body ?? {}) as Record<string, unknown>;
    const db = await whenReady(this.dataSource);
    // Outside the caller's units and categories: refused here, before the workflow is asked.
    const scope = scopeOf(callerOf(request));
    if (scope) await assertTaskInScope(db, cycleId, taskId, scope);
    const answer = await sendTaskCycleAction(this.temporal.client, db, {
      cycleId,
      taskId,
      action: action as TaskCycleAction,
      userId: callerOf(request).personId,
      role,
      body: action === 'progress' ? await withFigures(db, taskId, fields) : fields,
      requestId,
    });
    // What was submitted is a version now: the unit's draft of it has served.
    const drafted = DRAFTED[action as TaskCycleAction];
    if (drafted) {
      // A co-unit's input is that unit's; progress and catch-up plans are the lead unit's (dropDraft finds it).
      if (drafted !== 'input') await dropDraft(db, cycleId, taskId, drafted);
      else if (typeof fields.unitId === 'string' && isUuid(fields.unitId))
        await dropDraft(db, cycleId, taskId, drafted, fields.unitId);
    }
    return answer;
  }
}
