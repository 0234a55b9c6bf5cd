/**
 * The delivery log for admins.
 *   GET  /api/mail?cycle=&recipient=&status=pending|sent|failed&kind=&limit=&offset=
 *   POST /api/mail/:id/resend     a failed message, as stored (X-Duban-User: an admin or coordinator)
 *   GET  /api/links/:token        what a deep link in an email opens (the web app's /go/:token asks this)
 */
import { Controller, Get, Headers, HttpCode, Inject, Param, Post, Query, Req } from '@nestjs/common';
import type { Request } from 'express';
import { DataSource } from 'typeorm';
import { deliveryLog, linkPath, resolveActor, type DeepLinks, type DeliveryLogEntry, type LinkClaims } from '#cycles';
import { DomainError, isUuid } from '#domain';
import { MailDeliveryError, Mailer, MailLedger, SendInProgressError, type Delivery } from '#notifications';
import { whenReady } from '#persistence';
import { Identity } from '../auth/identity.js';
import { oneOf, text, wholeNumber } from '../common/query-params.js';

const STATUSES = ['pending', 'sent', 'failed'] as const;
export const DEEP_LINKS = Symbol('DEEP_LINKS');

@Controller()
export class MailController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly mailer: Mailer,
    @Inject(DEEP_LINKS) private readonly links: DeepLinks,
    private readonly identity: Identity,
  ) {}

  @Get('api/mail')
  async list(@Query() query: Record<string, unknown>): Promise<{ total: number; messages: DeliveryLogEntry[] }> {
    const cycle = text(query.cycle);
    return deliveryLog(await whenReady(this.dataSource), {
      cycleIds: cycle ? [cycle] : undefined,
      recipient: text(query.recipient),
      status: oneOf<(typeof STATUSES)[number]>(query.status, STATUSES, 'status'),
      kind: text(query.kind),
      limit: wholeNumber(query.limit, 'limit'),
      offset: wholeNumber(query.offset, 'offset'),
    });
  }

  @Post('api/mail/:id/resend')
  @HttpCode(200)
  async resend(
    @Param('id') id: string,
    @Req() request: Request,
    @Headers('x-duban-role') role: string | undefined,
  ): Promise<Delivery> {
    const dataSource = await whenReady(this.dataSource);
    const actor = await resolveActor(dataSource, await this.identity.callerId(request), role ?? 'admin');
    if (actor.role !== 'admin' && actor.role !== 'coordinator') {
      throw new DomainError(
        'WRONG_ROLE',
        '只有管理员或督查协调人员可以重发邮件',
        'only an admin or coordinator can resend mail',
      );
    }
    if (!isUuid(id)) throw new DomainError('NOT_FOUND', `没有通知 ${id}`, `No notification ${id}`);
    try {
      return await new MailLedger(dataSource, this.mailer, 'duban.local').resend(id);
    } catch (error) {
      if (error instanceof MailDeliveryError) throw new DomainError(error.code, error.message, error.message);
      if (error instanceof SendInProgressError) throw new DomainError('BUSY', '正在发送', 'being sent');
      throw error;
    }
  }

  @Get('api/links/:token')
  resolveLink(@Param('token') token: string): LinkClaims & { path: string } {
    const claims = this.links.verify(token);
    return { ...claims, path: linkPath(claims) };
  }
}
