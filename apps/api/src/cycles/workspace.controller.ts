/**
 * What the web app's pages read and keep beside the workflows:
 *   GET  /api/cycles/:cycleId/tasks/:taskId/workspace     targets, earlier progress, every version, own drafts
 *   PUT  /api/cycles/:cycleId/tasks/:taskId/drafts/:kind  a unit's draft (progress | input | catch_up)
 *   GET  /api/cycles/:cycleId/dashboard                   counts by light, category, unit; quarter over quarter
 *   GET  /api/cycles/:cycleId/escalations                 ?open=true: the 督办单 not yet acknowledged
 *   POST /api/cycles/:cycleId/escalations/:taskCycleId/:seq/acknowledge
 *   GET  /api/cycles/:cycleId/notices                     ?task=: the 督办单 register (a reporter: their units')
 *   GET  /api/cycles/:cycleId/notices/:taskCycleId/:seq/docx  one 督办单 as a printable DOCX
 *   GET  /api/audit                                       ?subject=&limit=: the audit trail (admin)
 */
import { Body, Controller, Get, HttpCode, Inject, Param, Post, Put, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { DataSource } from 'typeorm';
import type { DubanConfig } from '#config';
import { CONFIG } from '#runtime';
import type { z } from 'zod';
import type { AcknowledgeEscalation, DraftRequest } from '#api-schema';
import { auditTrail, type AuditEvent } from '#audit';
import { getTaskCycle, listNotices, saveDraft, taskWorkspace, type NoticeRow, type TaskWorkspace } from '#cycles';
import {
  acknowledgeEscalation,
  cycleDashboard,
  listEscalations,
  noticeDocx,
  noticeRequirementText,
  type Dashboard,
  type EscalationRow,
} from '#reporting';
import { DomainError } from '#domain';
import { whenReady } from '#persistence';
import { Allow, callerOf, scopeOf, SignedIn } from '../auth/access.js';
import { wholeNumber } from '../common/query-params.js';
import { Answers, Takes } from '../openapi/openapi.js';

@Controller('api')
export class WorkspaceController {
  /** The office that issues 督办单, as printed on them (ORG_NAME). */
  private readonly office: string;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(CONFIG) config: DubanConfig,
  ) {
    this.office = config.names.organisation;
  }

  @Get('cycles/:cycleId/tasks/:taskId/workspace')
  @SignedIn()
  @Answers('Workspace')
  async workspace(
    @Param('cycleId') cycleId: string,
    @Param('taskId') taskId: string,
    @Req() request: Request,
  ): Promise<TaskWorkspace> {
    const caller = callerOf(request);
    return taskWorkspace(await whenReady(this.dataSource), cycleId, taskId, {
      personId: caller.personId,
      scope: scopeOf(caller),
    });
  }

  @Put('cycles/:cycleId/tasks/:taskId/drafts/:kind')
  @Allow('reporter')
  @Answers('DraftSaved')
  @Takes('DraftRequest')
  async saveDraft(
    @Param('cycleId') cycleId: string,
    @Param('taskId') taskId: string,
    @Param('kind') kind: string,
    @Body() body: z.infer<typeof DraftRequest>,
    @Req() request: Request,
  ): Promise<unknown> {
    const { unitId, ...draft } = body;
    return saveDraft(await whenReady(this.dataSource), {
      cycleId,
      taskId,
      kind,
      unitId,
      personId: callerOf(request).personId,
      body: draft,
    });
  }

  @Get('cycles/:cycleId/dashboard')
  @Allow('coordinator', 'admin')
  @Answers('Dashboard')
  async dashboard(@Param('cycleId') cycleId: string): Promise<Dashboard> {
    return cycleDashboard(await whenReady(this.dataSource), cycleId);
  }

  @Get('cycles/:cycleId/escalations')
  @Allow('coordinator', 'admin')
  @Answers('Escalation[]')
  async escalations(
    @Param('cycleId') cycleId: string,
    @Query('open') open?: string,
    @Query('limit') limit?: string,
  ): Promise<EscalationRow[]> {
    return listEscalations(await whenReady(this.dataSource), cycleId, {
      open: open === 'true' || open === '1',
      limit: wholeNumber(limit, 'limit'),
    });
  }

  @Post('cycles/:cycleId/escalations/:taskCycleId/:seq/acknowledge')
  @Allow('coordinator')
  @HttpCode(200)
  @Answers('Acknowledged')
  @Takes('AcknowledgeEscalation')
  async acknowledge(
    @Param('cycleId') cycleId: string,
    @Param('taskCycleId') taskCycleId: string,
    @Param('seq') seq: string,
    @Body() body: z.infer<typeof AcknowledgeEscalation>,
    @Req() request: Request,
  ): Promise<unknown> {
    if (!/^\d{1,6}$/.test(seq)) throw new DomainError('NOT_FOUND', '没有这条督办单', 'no such escalation');
    return acknowledgeEscalation(await whenReady(this.dataSource), {
      cycleId,
      taskCycleId,
      seq: Number(seq),
      personId: callerOf(request).personId,
      note: body.note,
    });
  }

  @Get('cycles/:cycleId/notices')
  @SignedIn()
  @Answers('Notice[]')
  async notices(
    @Param('cycleId') cycleId: string,
    @Req() request: Request,
    @Query('task') taskId?: string,
  ): Promise<NoticeRow[]> {
    const db = await whenReady(this.dataSource);
    const scope = scopeOf(callerOf(request));
    let taskCycleId: string | undefined;
    if (taskId !== undefined) {
      taskCycleId = (await getTaskCycle(db, cycleId, taskId, scope)).id;
    }
    return listNotices(db, cycleId, { scope, ...(taskCycleId ? { taskCycleId } : {}) });
  }

  @Get('cycles/:cycleId/notices/:taskCycleId/:seq/docx')
  @SignedIn()
  @Answers('file')
  async noticeDocument(
    @Param('cycleId') cycleId: string,
    @Param('taskCycleId') taskCycleId: string,
    @Param('seq') seq: string,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    const db = await whenReady(this.dataSource);
    const [notice] = /^\d{1,4}$/.test(seq)
      ? (await listNotices(db, cycleId, { scope: scopeOf(callerOf(request)), taskCycleId })).filter(
          (n) => n.seq === Number(seq),
        )
      : [];
    if (!notice) throw new DomainError('NOT_FOUND', '没有这份督办单', 'no such 督办单 (supervision notice)');
    const body = await noticeDocx(notice, { office: this.office, requirement: noticeRequirementText(notice) });
    const name = `${notice.number ?? `督办单（待签发）第${notice.ordinal}项`}.docx`;
    response
      .status(200)
      .type('application/vnd.openxmlformats-officedocument.wordprocessingml.document')
      .setHeader(
        'content-disposition',
        `attachment; filename="notice.docx"; filename*=UTF-8''${encodeURIComponent(name)}`,
      )
      .end(Buffer.from(body));
  }

  @Get('audit')
  @Allow('admin')
  @Answers('AuditEvent[]')
  async audit(@Query('subject') subject?: string, @Query('limit') limit?: string): Promise<AuditEvent[]> {
    return auditTrail(await whenReady(this.dataSource), { subject, limit: wholeNumber(limit, 'limit') });
  }
}
