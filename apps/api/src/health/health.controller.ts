/**
 * GET /health: each dependency (Temporal, PostgreSQL, SMTP) as up or down
 * with a reason. 200 when all are up, 503 otherwise, so a load balancer and a
 * person read the same answer.
 */
import { Controller, Get, Res } from '@nestjs/common';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import { Mailer } from '#notifications';
import { pingDatabase } from '#persistence';
import { TemporalClientService } from '../common/temporal-client.provider.js';
import { Public } from '../auth/access.js';

export interface DependencyHealth {
  status: 'up' | 'down';
  latencyMs: number;
  reason?: string;
}

const CHECK_TIMEOUT_MS = 3000;

@Controller('health')
export class HealthController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly mailer: Mailer,
    private readonly temporal: TemporalClientService,
  ) {}

  @Get()
  @Public()
  async health(@Res() response: Response): Promise<void> {
    const [temporal, postgres, smtp] = await Promise.all([
      check(async () => {
        await this.temporal.connection.ensureConnected();
        await this.temporal.connection.workflowService.getSystemInfo({});
      }),
      check(() => pingDatabase(this.dataSource)),
      check(() => this.mailer.verify()),
    ]);
    const dependencies = { temporal, postgres, smtp };
    const up = Object.values(dependencies).every((d) => d.status === 'up');
    response.status(up ? 200 : 503).json({ status: up ? 'up' : 'down', dependencies });
  }
}

async function check(probe: () => Promise<void>): Promise<DependencyHealth> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      probe(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS);
      }),
    ]);
    return { status: 'up', latencyMs: Math.round(performance.now() - started) };
  } catch (error) {
    return { status: 'down', latencyMs: Math.round(performance.now() - started), reason: (error as Error).message };
  } finally {
    clearTimeout(timer);
  }
}
