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
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
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
import { Answers, TakesFile } from '../openapi/openapi.js';

/** Types a browser may show in place (photos, PDF); everything else is only downloaded. */
const SHOWN_INLINE = /^(image\/(jpeg|png|gif|webp|bmp)|application\/pdf)$/;

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
    // A JSON or form body was read as such: the file's bytes are gone (refused once the caller is known to owe the part).
    const consumed =
      request.readableEnded || (request.body !== undefined && Object.keys(request.body as object).length > 0);
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
        declaredBytes: length !== undefined && /^\d+$/.test(length) ? Number(length) : undefined,
        personId: callerOf(request).personId,
      },
      consumed ? null : (request as AsyncIterable<Buffer>),
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
    const inline = !download && SHOWN_INLINE.test(file.mediaType);
    response
      .status(200)
      .type(file.mediaType)
      .setHeader('content-length', String(file.sizeBytes))
      // Whatever is inside, it never runs here: no scripts, no framing by others, its own origin.
      .setHeader('content-security-policy', "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox")
      .setHeader('cache-control', 'private, max-age=3600')
      .setHeader(
        'content-disposition',
        `${inline ? 'inline' : 'attachment'}; filename="evidence.${file.extension}"; filename*=UTF-8''${encodeURIComponent(file.fileName)}`,
      );
    await pipeline(Readable.from(bytes), response);
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
