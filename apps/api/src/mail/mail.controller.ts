/**
 * The delivery log for admins.
 *   GET /api/mail?cycle=&recipient=&status=pending|sent|failed&kind=&limit=&offset=
 * (Resending a failed message comes with the email issue's templates.)
 */
import { Controller, Get, Query } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { deliveryLog, type DeliveryLogEntry } from '#cycles';
import { DomainError } from '#domain';
import { whenReady } from '#persistence';

const STATUSES = ['pending', 'sent', 'failed'] as const;

@Controller('api/mail')
export class MailController {
  constructor(private readonly dataSource: DataSource) {}

  @Get()
  async list(@Query() query: Record<string, unknown>): Promise<{ total: number; messages: DeliveryLogEntry[] }> {
    const text = (name: string) =>
      typeof query[name] === 'string' && query[name] ? (query[name] as string) : undefined;
    const status = text('status');
    if (status && !(STATUSES as readonly string[]).includes(status)) {
      throw new DomainError(
        'INVALID_FILTER',
        `筛选条件 status 应为 ${STATUSES.join('、')}`,
        `filter status must be one of ${STATUSES.join(', ')}`,
      );
    }
    const whole = (name: string) => {
      const value = text(name);
      if (value === undefined) return undefined;
      if (!/^\d{1,6}$/.test(value)) {
        throw new DomainError('INVALID_FILTER', `${name} 应为非负整数`, `${name} must be a whole number ≥ 0`);
      }
      return Number(value);
    };
    const cycle = text('cycle');
    return deliveryLog(await whenReady(this.dataSource), {
      cycleIds: cycle ? [cycle] : undefined,
      recipient: text('recipient'),
      status: status as (typeof STATUSES)[number] | undefined,
      kind: text('kind'),
      limit: whole('limit'),
      offset: whole('offset'),
    });
  }
}
