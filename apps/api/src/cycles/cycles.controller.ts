/**
 * Quarterly cycles over HTTP.
 *   POST /api/cycles                               { plan, quarter, rehearsal?: { daySeconds } }: start (a second start is a no-op)
 *   GET  /api/cycles?plan=                          the cycles, newest first
 *   GET  /api/cycles/:cycleId                       a cycle: timeline, counts by status and light, report once closed
 *   GET  /api/cycles/:cycleId/report                ?format=html|text|xlsx|docx: the quarterly report with lights
 *   GET  /api/cycles/:cycleId/tasks                 ?status=&light=&unit=&category=&overdue=true&lagging=true&extension=&limit=&offset=
 *   GET  /api/cycles/:cycleId/tasks/:taskId         one task-cycle with its timeline (the audit trail)
 *   POST /api/cycles/:cycleId/tasks/:taskId/<action> a person's action, one route and one body schema (#api-schema)
 *                                                   each: progress | input | review | extension-request |
 *                                                   extension-decision | nudge | catch-up-plan |
 *                                                   notice (督查室: issue/accept/again/withdraw) | notice-reply
 * People's messages are Temporal Updates: the answer (accepted with the new
 * state, or rejected with a code) comes back synchronously. A body that does
 * not parse is refused before anything is asked or stored (422 INVALID_INPUT
 * naming the field). The caller is the signed-in person (session cookie;
 * outside production a request may still name itself in X-Duban-User), with
 * X-Duban-Role where a person holds several roles, checked against the unit
 * directory; each action is open to the role it is sent as (ACTION_ROLES).
 */
import { Body, Controller, Get, Headers, HttpCode, Inject, Param, Post, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { DataSource } from 'typeorm';
import type { z } from 'zod';
import type {
  CatchUpPlanAction,
  ExtensionDecisionAction,
  ExtensionRequestAction,
  InputAction,
  NoticeAction,
  NudgeAction,
  ProgressAction,
  ReviewAction,
  StartCycle,
} from '#api-schema';
import { mailLeavesThisMachine, type DubanConfig } from '#config';
import { type UpdateAnswer } from '#contracts';
import { audit } from '#audit';
import {
  ACTION_ROLES,
  assertPreflightPassed,
  assertQuarterNotOver,
  assertPeriodFitsPlan,
  assertCycleInScope,
  assertTaskInScope,
  checkProgress,
  cycleCounts,
  findCycle,
  getTaskCycle,
  listCycles,
  listTaskCycles,
  sendTaskCycleAction,
  startCycle,
  dropDraft,
  withFigures,
  type CycleListRow,
  type DraftKind,
  type StartCycleAnswer,
  type TaskCycleAction,
  type TaskCycleFilters,
} from '#cycles';
import { cycleReport } from '#reporting';
import { DEFAULT_CYCLE_CONFIG, DomainError, ERROR_CODES, isUuid, type FigureNote } from '#domain';
import { whenReady } from '#persistence';
import { CONFIG } from '#runtime';
import { EXPORT_FORMATS, PlanReader, type ExportFormat } from '#plans';
import { oneOf, wholeNumber } from '../common/query-params.js';
import { Allow, callerOf, scopeOf, SignedIn, type Role } from '../auth/access.js';
import { TemporalClientService } from '../common/temporal-client.provider.js';
import { Answers, Queries, Takes } from '../openapi/openapi.js';

/**
 * An actor named in an action's body is dropped, not refused: the actor is
 * always the caller (the session, checked against the unit directory), and
 * clients written before the bodies were parsed may still send one.
 */
const IGNORING_ACTOR = { ignoring: ['actor'] } as const;

const STATUSES = ['assigned', 'overdue', 'submitted', 'returned', 'approved'];
const LIGHTS = ['green', 'yellow', 'red'];

@Controller('api/cycles')
export class CyclesController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly temporal: TemporalClientService,
    @Inject(CONFIG) private readonly config: DubanConfig,
  ) {}

  @Post()
  @Allow('coordinator', 'admin')
  @HttpCode(202)
  @Answers('CycleStarted')
  @Takes('StartCycle')
  async start(@Body() body: z.infer<typeof StartCycle>, @Req() request: Request): Promise<StartCycleAnswer> {
    const answer = await this.startCycle(body, callerOf(request).personId);
    if (answer.started) {
      await audit(await whenReady(this.dataSource), callerOf(request).personId, 'cycle.started', answer.cycleId, {
        quarter: body.quarter,
        rehearsal: body.rehearsal ?? null,
      });
    }
    return answer;
  }

  private async startCycle(body: z.infer<typeof StartCycle>, caller: string): Promise<StartCycleAnswer> {
    const db = await whenReady(this.dataSource);
    const { plan, rehearsal } = body;
    const planId = isUuid(plan) ? plan : await new PlanReader(db).findIdByName(plan);
    if (!planId) throw new DomainError('NOT_FOUND', `没有计划“${plan}”`, `No plan "${plan}"`);
    // The period's form, and that it is of the plan's rhythm (a month for a plan reporting monthly): INVALID_QUARTER.
    await assertPeriodFitsPlan(db, planId, body.quarter);
    if (rehearsal !== undefined) {
      if (mailLeavesThisMachine(this.config) && this.config.smtp.rehearsalRealRelay !== 'allow') {
        const { zh, en } = ERROR_CODES.REHEARSAL_REAL_RELAY;
        throw new DomainError('REHEARSAL_REAL_RELAY', zh, en);
      }
      return startCycle(this.temporal.client, {
        planId,
        quarter: body.quarter,
        clock: { kind: 'rehearsal', daySeconds: rehearsal.daySeconds },
        taskQueue: this.config.temporal.taskQueue,
        rehearsalTag: Date.now().toString(36),
      });
    }
    await assertQuarterNotOver(db, planId, body.quarter);
    await assertPreflightPassed(db, planId, body.quarter, {
      acknowledgedBy: body.acknowledgeProblems ? caller : null,
    });
    return startCycle(this.temporal.client, {
      planId,
      quarter: body.quarter,
      clock: { kind: 'real', hour: DEFAULT_CYCLE_CONFIG.reminderHour },
      taskQueue: this.config.temporal.taskQueue,
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
  async get(@Param('cycleId') cycleId: string, @Req() request: Request): Promise<unknown> {
    const db = await whenReady(this.dataSource);
    // The cycles one may open are those one's list shows.
    const scope = scopeOf(callerOf(request));
    if (scope) await assertCycleInScope(db, cycleId, scope);
    const cycle = await findCycle(db, cycleId);
    return { ...cycle, counts: await cycleCounts(db, cycleId) };
  }

  @Get(':cycleId/report')
  // Every unit's reported progress: not for one unit's reporter; a 区领导 reads it to write instructions.
  @Allow('supervisor', 'coordinator', 'admin', 'district_leader')
  @Answers('file')
  async report(
    @Param('cycleId') cycleId: string,
    @Req() request: Request,
    @Res() response: Response,
    @Query('format') format: string = 'html',
  ): Promise<void> {
    const chosen = oneOf<ExportFormat>(format, EXPORT_FORMATS, 'format') ?? 'html';
    // A unit- or category-scoped supervisor reads the report of the tasks they supervise only.
    const scope = scopeOf(callerOf(request));
    const db = await whenReady(this.dataSource);
    if (scope) await assertCycleInScope(db, cycleId, scope);
    const file = await cycleReport(db, cycleId, chosen, scope);
    const name = `${file.fileName}.${file.extension}`;
    if (chosen === 'html') {
      // The web app's 报告 page frames it (same origin only); scripts never run in it.
      response.setHeader('X-Frame-Options', 'SAMEORIGIN');
      response.setHeader(
        'Content-Security-Policy',
        "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'self'; base-uri 'none'; form-action 'none'",
      );
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
    // A reporter (or a scoped supervisor) sees the tasks of their own units (and categories) only, in cycles they take part in.
    const scope = scopeOf(callerOf(request));
    if (scope) await assertCycleInScope(db, cycleId, scope);
    else await findCycle(db, cycleId);
    const filters: TaskCycleFilters = {
      scope: scope ?? undefined,
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

  // ---- people's actions: one route each, its body parsed with its schema (422 INVALID_INPUT naming the field) ----

  @Post(':cycleId/tasks/:taskId/progress')
  @Allow(ACTION_ROLES['progress'])
  @HttpCode(200)
  @Answers('UpdateAnswer', '牵头单位报送进展 / the lead unit reports progress')
  @Takes('ProgressAction', IGNORING_ACTOR)
  async submitProgress(
    @Param('cycleId') cycleId: string,
    @Param('taskId') taskId: string,
    @Body() body: z.infer<typeof ProgressAction>,
    @Req() request: Request,
    @Headers('x-duban-role') role?: string,
    @Headers('idempotency-key') requestId?: string,
  ): Promise<UpdateAnswer> {
    // The figures typed per target give completion and growth unless stated (a figure typed in 万 is asked again).
    return this.act(
      request,
      { cycleId, taskId, role, requestId },
      'progress',
      (db) => withFigures(db, cycleId, taskId, body),
      {
        kind: 'progress',
      },
    );
  }

  @Post(':cycleId/tasks/:taskId/progress/check')
  @Allow(ACTION_ROLES['progress'])
  @HttpCode(200)
  @Answers('FigureCheck', '报送前核对数据（不阻止报送） / check a report’s figures before sending it (never a refusal)')
  @Takes('ProgressAction', IGNORING_ACTOR)
  async checkProgress(
    @Param('cycleId') cycleId: string,
    @Param('taskId') taskId: string,
    @Body() body: z.infer<typeof ProgressAction>,
    @Req() request: Request,
  ): Promise<{ notes: FigureNote[] }> {
    return checkProgress(await whenReady(this.dataSource), cycleId, taskId, body, scopeOf(callerOf(request)));
  }

  @Post(':cycleId/tasks/:taskId/input')
  @Allow(ACTION_ROLES['input'])
  @HttpCode(200)
  @Answers('UpdateAnswer', '配合单位报送配合意见 / a co-unit gives its input')
  @Takes('InputAction', IGNORING_ACTOR)
  async submitInput(
    @Param('cycleId') cycleId: string,
    @Param('taskId') taskId: string,
    @Body() body: z.infer<typeof InputAction>,
    @Req() request: Request,
    @Headers('x-duban-role') role?: string,
    @Headers('idempotency-key') requestId?: string,
  ): Promise<UpdateAnswer> {
    return this.act(request, { cycleId, taskId, role, requestId }, 'input', body, {
      kind: 'input',
      unitId: body.unitId,
    });
  }

  @Post(':cycleId/tasks/:taskId/review')
  @Allow(ACTION_ROLES['review'])
  @HttpCode(200)
  @Answers('UpdateAnswer', '审核：通过或退回 / approve or return the report')
  @Takes('ReviewAction', IGNORING_ACTOR)
  async review(
    @Param('cycleId') cycleId: string,
    @Param('taskId') taskId: string,
    @Body() body: z.infer<typeof ReviewAction>,
    @Req() request: Request,
    @Headers('x-duban-role') role?: string,
    @Headers('idempotency-key') requestId?: string,
  ): Promise<UpdateAnswer> {
    return this.act(request, { cycleId, taskId, role, requestId }, 'review', body);
  }

  @Post(':cycleId/tasks/:taskId/extension-request')
  @Allow(ACTION_ROLES['extension-request'])
  @HttpCode(200)
  @Answers('UpdateAnswer', '申请延期 / ask for an extension')
  @Takes('ExtensionRequestAction', IGNORING_ACTOR)
  async requestExtension(
    @Param('cycleId') cycleId: string,
    @Param('taskId') taskId: string,
    @Body() body: z.infer<typeof ExtensionRequestAction>,
    @Req() request: Request,
    @Headers('x-duban-role') role?: string,
    @Headers('idempotency-key') requestId?: string,
  ): Promise<UpdateAnswer> {
    return this.act(request, { cycleId, taskId, role, requestId }, 'extension-request', body);
  }

  @Post(':cycleId/tasks/:taskId/extension-decision')
  @Allow(ACTION_ROLES['extension-decision'])
  @HttpCode(200)
  @Answers('UpdateAnswer', '批准或不批准延期 / decide the pending extension')
  @Takes('ExtensionDecisionAction', IGNORING_ACTOR)
  async decideExtension(
    @Param('cycleId') cycleId: string,
    @Param('taskId') taskId: string,
    @Body() body: z.infer<typeof ExtensionDecisionAction>,
    @Req() request: Request,
    @Headers('x-duban-role') role?: string,
    @Headers('idempotency-key') requestId?: string,
  ): Promise<UpdateAnswer> {
    return this.act(request, { cycleId, taskId, role, requestId }, 'extension-decision', body);
  }

  @Post(':cycleId/tasks/:taskId/nudge')
  @Allow(ACTION_ROLES['nudge'])
  @HttpCode(200)
  @Answers('UpdateAnswer', '催办 / nudge the unit')
  @Takes('NudgeAction', IGNORING_ACTOR)
  async nudge(
    @Param('cycleId') cycleId: string,
    @Param('taskId') taskId: string,
    @Body() body: z.infer<typeof NudgeAction>,
    @Req() request: Request,
    @Headers('x-duban-role') role?: string,
    @Headers('idempotency-key') requestId?: string,
  ): Promise<UpdateAnswer> {
    return this.act(request, { cycleId, taskId, role, requestId }, 'nudge', body);
  }

  @Post(':cycleId/tasks/:taskId/notice')
  @Allow(ACTION_ROLES['notice'])
  @HttpCode(200)
  @Answers('UpdateAnswer', '督办单：签发、办结、要求重新反馈或撤销 / issue, accept, ask again or withdraw a 督办单')
  @Takes('NoticeAction', IGNORING_ACTOR)
  async notice(
    @Param('cycleId') cycleId: string,
    @Param('taskId') taskId: string,
    @Body() body: z.infer<typeof NoticeAction>,
    @Req() request: Request,
    @Headers('x-duban-role') role?: string,
    @Headers('idempotency-key') requestId?: string,
  ): Promise<UpdateAnswer> {
    return this.act(request, { cycleId, taskId, role, requestId }, 'notice', body);
  }

  @Post(':cycleId/tasks/:taskId/notice-reply')
  @Allow(ACTION_ROLES['notice-reply'])
  @HttpCode(200)
  @Answers('UpdateAnswer', '督办单书面反馈 / the lead unit replies to a 督办单 in writing')
  @Takes('NoticeAction', IGNORING_ACTOR)
  async noticeReply(
    @Param('cycleId') cycleId: string,
    @Param('taskId') taskId: string,
    @Body() body: z.infer<typeof NoticeAction>,
    @Req() request: Request,
    @Headers('x-duban-role') role?: string,
    @Headers('idempotency-key') requestId?: string,
  ): Promise<UpdateAnswer> {
    return this.act(request, { cycleId, taskId, role, requestId }, 'notice-reply', { ...body, action: 'reply' });
  }

  @Post(':cycleId/tasks/:taskId/catch-up-plan')
  @Allow(ACTION_ROLES['catch-up-plan'])
  @HttpCode(200)
  @Answers('UpdateAnswer', '报送整改措施 / submit the catch-up plan')
  @Takes('CatchUpPlanAction', IGNORING_ACTOR)
  async submitCatchUpPlan(
    @Param('cycleId') cycleId: string,
    @Param('taskId') taskId: string,
    @Body() body: z.infer<typeof CatchUpPlanAction>,
    @Req() request: Request,
    @Headers('x-duban-role') role?: string,
    @Headers('idempotency-key') requestId?: string,
  ): Promise<UpdateAnswer> {
    return this.act(request, { cycleId, taskId, role, requestId }, 'catch-up-plan', body, { kind: 'catch_up' });
  }

  /**
   * Sends one parsed action to the task-cycle as the caller and answers as
   * the workflow did. Refused here first: a malformed Idempotency-Key (400),
   * a task outside the caller's units and categories (403 WRONG_UNIT) or not
   * in the cycle (404). `body` is the parsed body, or makes it (progress reads
   * its figures). Once accepted, the unit's `draft` of what was submitted is
   * dropped (the lead unit's when no unit is named).
   */
  private async act(
    request: Request,
    target: { cycleId: string; taskId: string; role?: string; requestId?: string },
    action: TaskCycleAction,
    body: object | ((db: DataSource) => Promise<object>),
    draft?: { kind: DraftKind; unitId?: string },
  ): Promise<UpdateAnswer> {
    const { cycleId, taskId, role, requestId } = target;
    if (requestId !== undefined && !/^[\w.:+/=-]{1,200}$/.test(requestId)) {
      throw new DomainError(
        'INVALID_IDEMPOTENCY_KEY',
        'Idempotency-Key 应为 1 到 200 个字母、数字或 . : _ + / = - 字符',
        'Idempotency-Key must be 1 to 200 letters, digits or . : _ + / = -',
      );
    }
    const db = await whenReady(this.dataSource);
    // Outside the units and categories of the role acted in: refused here, before the workflow is asked.
    const acting = role ?? ACTION_ROLES[action];
    if (!callerOf(request).roles.some((r) => r.role === acting)) {
      throw new DomainError('ROLE_NOT_HELD', `您没有“${acting}”角色`, `you hold no "${acting}" role`);
    }
    const scope = scopeOf(callerOf(request), acting as Role);
    if (scope) await assertTaskInScope(db, cycleId, taskId, scope);
    const answer = await sendTaskCycleAction(this.temporal.client, db, {
      cycleId,
      taskId,
      action,
      userId: callerOf(request).personId,
      role,
      body: { ...(typeof body === 'function' ? await body(db) : body) },
      requestId,
      acceptSeconds: this.config.api.acceptSeconds,
    });
    // What was submitted is a version now: the unit's draft of it has served.
    if (draft) await dropDraft(db, cycleId, taskId, draft.kind, draft.unitId);
    return answer;
  }
}
