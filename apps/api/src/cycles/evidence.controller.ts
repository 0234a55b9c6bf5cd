/**
 * Evidence (佐证材料) over HTTP:
 *   POST   /api/cycles/:cycleId/tasks/:taskId/evidence?part=&name=&unitId=   the file's bytes as the body
 *          (application/octet-stream): kept for the unit's part, pending until it is sent
 *   GET    /api/cycles/:cycleId/tasks/:taskId/evidence                       the files the caller may see
 *   GET    /api/cycles/:cycleId/tasks/:taskId/evidence/:evidenceId           one file (?download=1: as an attachment)
 *   DELETE /api/cycles/:cycleId/tasks/:taskId/evidence/:evidenceId           pending: deleted; sent: withheld from the next version
 * The type is read from the content (magic bytes), never from the name or the Content-Type header.
 */
import { Controller, Delete, Get, Headers, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { DataSource } from 'typeorm';
import {
  evidenceFiles,
  getTaskCycle,
  openEvidence,
  PostgresEvidenceStore,
  removeEvidence,
  reporterUnits,
  uploadEvidence,
  type EvidenceFile,
} from '#cycles';
import { whenReady } from '#persistence';
import { Allow, callerOf, scopeOf, SignedIn } from '../auth/access.js';
import { declaredBytes, fileBody, sendFile } from '../common/files.js';
import { Answers, TakesFile } from '../openapi/openapi.js';

@Controller('api/cycles/:cycleId/tasks/:taskId/evidence')
export class EvidenceController {
  constructor(private readonly dataSource: DataSource) {}

  @Post()
  @Allow('reporter')
  @HttpCode(201)
  @Answers('EvidenceFile', '上传佐证材料（文件内容作请求体） / attach an evidence file (its bytes as the body)')
  @TakesFile()
  async upload(
    @Param('cycleId') cycleId: string,
    @Param('taskId') taskId: string,
    @Req() request: Request,
    @Query('part') part?: string,
    @Query('name') name?: string,
    @Query('unitId') unitId?: string,
    @Headers('content-length') length?: string,
  ): Promise<EvidenceFile> {
    const db = await whenReady(this.dataSource);
    return uploadEvidence(
      db,
      new PostgresEvidenceStore(db),
      {
        cycleId,
        taskId,
        part: part ?? 'progress',
        unitId: unitId || undefined,
        fileName: name ?? '',
        declaredBytes: declaredBytes(length),
        personId: callerOf(request).personId,
      },
      fileBody(request),
    );
  }

  @Get()
  @SignedIn()
  @Answers('EvidenceFile[]', '任务的佐证材料 / the task’s evidence files')
  async list(
    @Param('cycleId') cycleId: string,
    @Param('taskId') taskId: string,
    @Req() request: Request,
  ): Promise<EvidenceFile[]> {
    const db = await whenReady(this.dataSource);
    const caller = callerOf(request);
    const task = await getTaskCycle(db, cycleId, taskId, scopeOf(caller));
    return evidenceFiles(db, task.id as string, { ownUnits: await reporterUnits(db, caller.personId) });
  }

  @Get(':evidenceId')
  @SignedIn()
  @Answers('file')
  async download(
    @Param('cycleId') cycleId: string,
    @Param('taskId') taskId: string,
    @Param('evidenceId') evidenceId: string,
    @Req() request: Request,
    @Res() response: Response,
    @Query('download') download?: string,
  ): Promise<void> {
    const db = await whenReady(this.dataSource);
    const caller = callerOf(request);
    const { file, bytes } = await openEvidence(db, new PostgresEvidenceStore(db), {
      cycleId,
      taskId,
      evidenceId,
      personId: caller.personId,
      scope: scopeOf(caller),
    });
    await sendFile(response, file, bytes, Boolean(download));
  }

  @Delete(':evidenceId')
  @Allow('reporter')
  @Answers('EvidenceRemoved', '撤回佐证材料（未报送的删除；已报送的下一版不再附带） / take a file back')
  async remove(
    @Param('cycleId') cycleId: string,
    @Param('taskId') taskId: string,
    @Param('evidenceId') evidenceId: string,
    @Req() request: Request,
  ): Promise<{ state: 'deleted' | 'withheld' }> {
    const db = await whenReady(this.dataSource);
    return removeEvidence(db, new PostgresEvidenceStore(db), {
      cycleId,
      taskId,
      evidenceId,
      personId: callerOf(request).personId,
    });
  }
}
