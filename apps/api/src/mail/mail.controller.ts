/**
 * The delivery log for admins.
 *   GET /api/mail?cycle=&recipient=&status=pending|sent|failed&kind=&limit=&offset=
 * (Resending a failed message comes with the email issue's templates.)
 */
import { Controller, Get, Query } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { deliveryLog, type DeliveryLogEntry } from '#cycles';
import { whenReady } from '#persistence';
import { oneOf, text, wholeNumber } from '../common/query-params.js';

const STATUSES = ['pending', 'sent', 'failed'] as const;

@Controller('api/mail')
export class MailController {
  constructor(private readonly dataSource: DataSource) {}

  @Get()
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
}
