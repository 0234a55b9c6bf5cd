/**
 * 任务分解 (milestones proposed by the lead unit, approved by the 督查室):
 *   GET  /api/tasks/:taskId/milestones                  the task's milestones and its latest proposal
 *   POST /api/tasks/:taskId/milestones                  the lead unit's reporter proposes { milestones: [{ quarter, text }] }
 *   GET  /api/milestone-proposals?state=                 the proposals (default: waiting), for the 督查室
 *   POST /api/milestone-proposals/:id/decision          { approve, comment? } (督查室 or admin): approved, the task's next version carries them
 */
import { Body, Controller, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import type { Request } from 'express';
import { DataSource } from 'typeorm';
import type { z } from 'zod';
import type { MilestoneDecision, MilestoneProposalBody } from '#api-schema';
import { whenReady } from '#persistence';
import {
  decideMilestones,
  listMilestoneProposals,
  proposeMilestones,
  taskMilestones,
  type MilestoneProposal,
  type TaskMilestones,
} from '#plans';
import { oneOf } from '../common/query-params.js';
import { Allow, callerOf, scopeOf, SignedIn } from '../auth/access.js';
import { Answers, Takes } from '../openapi/openapi.js';

@Controller('api')
export class MilestonesController {
  constructor(private readonly dataSource: DataSource) {}

  @Get('tasks/:taskId/milestones')
  @SignedIn()
  @Answers('TaskMilestones', '任务的季度节点与任务分解 / a task’s milestones and its proposal')
  async milestones(@Param('taskId') taskId: string, @Req() request: Request): Promise<TaskMilestones> {
    return taskMilestones(await whenReady(this.dataSource), taskId, scopeOf(callerOf(request)));
  }

  @Post('tasks/:taskId/milestones')
  @Allow('reporter')
  @HttpCode(201)
  @Answers('MilestoneProposal', '牵头单位提出任务分解（各季度节点） / the lead unit proposes the milestones')
  @Takes('MilestoneProposalBody')
  async propose(
    @Param('taskId') taskId: string,
    @Body() body: z.infer<typeof MilestoneProposalBody>,
    @Req() request: Request,
  ): Promise<MilestoneProposal> {
    return proposeMilestones(await whenReady(this.dataSource), {
      taskId,
      personId: callerOf(request).personId,
      milestones: body.milestones,
    });
  }

  @Get('milestone-proposals')
  @Allow('coordinator', 'admin')
  @Answers('MilestoneProposal[]', '待审核的任务分解 / the proposals waiting for the 督查室')
  async proposals(@Query('state') state?: string): Promise<MilestoneProposal[]> {
    return listMilestoneProposals(
      await whenReady(this.dataSource),
      oneOf<MilestoneProposal['state']>(state, ['proposed', 'approved', 'refused', 'replaced'], 'state'),
    );
  }

  @Post('milestone-proposals/:id/decision')
  @Allow('coordinator', 'admin')
  @HttpCode(200)
  @Answers('MilestoneProposal', '督查室审核任务分解 / the 督查室 approves or refuses a proposal')
  @Takes('MilestoneDecision')
  async decide(
    @Param('id') id: string,
    @Body() body: z.infer<typeof MilestoneDecision>,
    @Req() request: Request,
  ): Promise<MilestoneProposal> {
    return decideMilestones(await whenReady(this.dataSource), {
      proposalId: id,
      personId: callerOf(request).personId,
      approve: body.approve,
      comment: body.comment,
    });
  }
}
