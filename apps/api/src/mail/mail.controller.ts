/**
 * The delivery log for admins.
 *   GET  /api/mail?cycle=&recipient=&status=pending|sent|failed&kind=&limit=&offset=
 *   POST /api/mail/:id/resend     a failed message, as stored (an admin or coordinator)
 *   GET  /api/links/:token        what a deep link in an email opens (the web app's /go/:token asks this)
 *   GET  /api/mailbox             development: what the SMTP capture received, newest first (as text)
 */
import { Controller, Get, HttpCode, Inject, Param, Post, Query, Req } from '@nestjs/common';
import type { Request } from 'express';
import { DataSource } from 'typeorm';
import { audit } from '#audit';
import { assertLinkHolder } from '#directory';
import { deliveryLog, linkPath, type DeepLinks, type DeliveryLogEntry, type LinkClaims } from '#notifications';
import { DomainError, isUuid } from '#domain';
import { MailDeliveryError, Mailer, MailLedger, SendInProgressError, type Delivery } from '#notifications';
import { whenReady } from '#persistence';
import type { DubanConfig } from '#config';
import { CONFIG } from '#runtime';
import { Allow, callerOf, Public } from '../auth/access.js';
import { oneOf, text, wholeNumber } from '../common/query-params.js';
import { Answers, Queries } from '../openapi/openapi.js';

const STATUSES = ['pending', 'sent', 'failed'] as const;

/** A captured message as the 邮件 page shows it: the text part only (never the HTML). */
interface MailboxMessage {
  id: string;
  receivedAt: string;
  envelopeTo: string[];
  from: string | null;
  subject: string | null;
  text: string | null;
}
export const DEEP_LINKS = Symbol('DEEP_LINKS');

@Controller()
export class MailController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly mailer: Mailer,
    @Inject(DEEP_LINKS) private readonly links: DeepLinks,
    @Inject(CONFIG) private readonly config: DubanConfig,
  ) {}

  @Get('api/mailbox')
  @Allow('admin', 'coordinator')
  @Answers('MailboxPage')
  @Queries('recipient', 'limit')
  async mailbox(@Query() query: Record<string, unknown>): Promise<{ total: number; messages: MailboxMessage[] }> {
    const base = this.config.smtp.mailboxUrl;
    if (!base) {
      throw new DomainError(
        'MAILBOX_OFF',
        '没有开发用的邮件捕获（MAILBOX_URL 未设置）',
        'no development mail capture (MAILBOX_URL is not set)',
      );
    }
    const response = await fetch(`${base}/api/messages`, { signal: AbortSignal.timeout(5000) }).catch(() => null);
    if (!response?.ok) {
      throw new DomainError('MAILBOX_DOWN', `邮件捕获 ${base} 无响应`, `the mail capture at ${base} does not answer`);
    }
    const all = ((await response.json()) as MailboxMessage[]).reverse();
    const recipient = text(query.recipient)?.toLowerCase();
    const chosen = recipient ? all.filter((m) => m.envelopeTo.some((to) => to.toLowerCase().includes(recipient))) : all;
    const limit = Math.min(wholeNumber(query.limit, 'limit') ?? 100, 500);
    return {
      total: chosen.length,
      messages: chosen.slice(0, limit).map(({ id, receivedAt, envelopeTo, from, subject, text: body }) => ({
        id,
        receivedAt,
        envelopeTo,
        from,
        subject,
        text: body,
      })),
    };
  }

  @Get('api/mail')
  @Allow('admin', 'coordinator')
  @Queries('cycle', 'recipient', 'status', 'kind', 'limit', 'offset')
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
  @Allow('admin', 'coordinator')
  @HttpCode(200)
  async resend(@Param('id') id: string, @Req() request: Request): Promise<Delivery> {
    const dataSource = await whenReady(this.dataSource);
    if (!isUuid(id)) throw new DomainError('NOT_FOUND', `没有通知 ${id}`, `No notification ${id}`);
    const resent = () => audit(dataSource, callerOf(request).personId, 'mail.resent', `notification:${id}`);
    try {
      const ledger = new MailLedger(dataSource, this.mailer, 'duban.local', this.config.smtp.rehearsalAllow);
      const delivery = await ledger.resend(id);
      await resent();
      return delivery;
    } catch (error) {
      if (error instanceof MailDeliveryError) {
        await resent(); // tried, and refused again
        // Our own reasons come in both languages ("中文 / English"); a server's answer in its own.
        const [zh, en] = error.message.split(' / ');
        throw new DomainError(error.code, zh!, en ?? zh!);
      }
      if (error instanceof SendInProgressError) throw new DomainError('BUSY', '正在发送', 'being sent');
      throw error;
    }
  }

  @Get('api/links/:token')
  @Public() // the signed token is the credential; it grants nothing but the answer
  @Answers('LinkAnswer')
  async resolveLink(@Param('token') token: string): Promise<LinkClaims & { path: string }> {
    const claims = this.links.verify(token);
    // A link mailed to someone who has since been replaced or deactivated opens nothing.
    await assertLinkHolder(await whenReady(this.dataSource), claims);
    return { ...claims, path: linkPath(claims) };
  }
}
