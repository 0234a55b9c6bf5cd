/**
 * Health, as a load balancer and a person read it.
 *   GET /health      the service: Temporal, PostgreSQL, SMTP, and workers polling the task queue
 *                    (without a worker nothing moves: no reminder, no accepted report); an admin also sees
 *                    which worker processes poll (`workers.instances`)
 *   GET /health/api  this API process alone (Temporal, PostgreSQL, SMTP): for a load balancer in front of
 *                    several API processes, which can serve while the workers are being restarted
 * Both answer 200 {status:'up'} or 503 {status:'down'}. Only an admin's session (or, outside production, an
 * X-Duban-User naming an admin) also gets each dependency with its latency and the reason it is down: error
 * texts name hosts and ports. (Not "from loopback": behind a reverse proxy on the same host every request is.)
 * SMTP is greeted at most once a minute, whoever asks; the answer in between is the last one.
 */
import { Controller, Get, Inject, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { DataSource } from 'typeorm';
import type { DubanConfig } from '#config';
import { Mailer } from '#notifications';
import { pingDatabase } from '#persistence';
import { CONFIG } from '#runtime';
import { TemporalClientService } from '../common/temporal-client.provider.js';
import { Public } from '../auth/access.js';
import { Identity } from '../auth/identity.js';

export interface DependencyHealth {
  status: 'up' | 'down';
  latencyMs: number;
  reason?: string;
  /** When the probe ran (ISO 8601): SMTP's answer may be up to SMTP_CHECK_MS old. */
  checkedAt: string;
  /** Workers: the worker processes (poller identities, pid@host) seen polling the task queue recently. */
  instances?: string[];
}

const CHECK_TIMEOUT_MS = 3000;
/** SMTP is greeted at most this often (a login to the organisation's relay is not free, and may be rate-limited). */
export const SMTP_CHECK_MS = 60_000;
/**
 * A worker long-polls the task queue (the server answers an idle poll after about a minute) and polls again at
 * once, so a live worker has a poll younger than this; a stopped one is "down" within it.
 */
export const WORKER_POLL_FRESH_MS = 90_000;
/** Temporal's TaskQueueType: workflow tasks and activity tasks are polled separately. */
const TASK_QUEUE_TYPES = { workflow: 1, activity: 2 } as const;

@Controller('health')
export class HealthController {
  private smtp?: { at: number; result: Promise<DependencyHealth> };

  constructor(
    private readonly dataSource: DataSource,
    private readonly mailer: Mailer,
    private readonly temporal: TemporalClientService,
    private readonly identity: Identity,
    @Inject(CONFIG) private readonly config: DubanConfig,
  ) {}

  @Get()
  @Public()
  async service(@Req() request: Request, @Res() response: Response): Promise<void> {
    await this.answer(request, response, true);
  }

  @Get('api')
  @Public()
  async api(@Req() request: Request, @Res() response: Response): Promise<void> {
    await this.answer(request, response, false);
  }

  private async answer(request: Request, response: Response, withWorkers: boolean): Promise<void> {
    const [temporal, postgres, smtp, workers, admin] = await Promise.all([
      check(async () => {
        await this.temporal.connection.ensureConnected();
        await this.temporal.connection.workflowService.getSystemInfo({});
      }),
      check(() => pingDatabase(this.dataSource)),
      this.smtpHealth(),
      withWorkers ? check(() => this.workersPolling()) : undefined,
      this.isAdmin(request),
    ]);
    const dependencies = { temporal, postgres, smtp, ...(workers ? { workers } : {}) };
    const up = Object.values(dependencies).every((d) => d.status === 'up');
    response.setHeader('cache-control', 'no-store');
    response.status(up ? 200 : 503).json({ status: up ? 'up' : 'down', ...(admin ? { dependencies } : {}) });
  }

  /** The last SMTP check while it is younger than SMTP_CHECK_MS (one in flight is shared), else a new one. */
  private smtpHealth(): Promise<DependencyHealth> {
    const now = Date.now();
    if (!this.smtp || now - this.smtp.at >= SMTP_CHECK_MS) {
      this.smtp = { at: now, result: check(() => this.mailer.verify()) };
    }
    return this.smtp.result;
  }

  /**
   * Resolves with the workers (poller identities) that polled the workflow or the activity task queue recently,
   * when both were polled; throws saying which not.
   */
  private async workersPolling(): Promise<Pick<DependencyHealth, 'instances'>> {
    const service = this.temporal.connection.workflowService;
    const stale: string[] = [];
    const instances = new Set<string>();
    for (const [kind, taskQueueType] of Object.entries(TASK_QUEUE_TYPES)) {
      const described = await service.describeTaskQueue({
        namespace: this.config.temporal.namespace,
        taskQueue: { name: this.config.temporal.taskQueue, kind: 1 /* NORMAL */ },
        taskQueueType,
      });
      const fresh = (described.pollers ?? []).filter(
        (p) => Date.now() - millis(p.lastAccessTime) <= WORKER_POLL_FRESH_MS,
      );
      if (fresh.length === 0) stale.push(kind);
      for (const poller of fresh) if (poller.identity) instances.add(poller.identity);
    }
    if (stale.length > 0) {
      throw new Error(
        `${WORKER_POLL_FRESH_MS / 1000} 秒内没有 worker 拉取任务队列 ${this.config.temporal.taskQueue}（${stale.join('、')}）/ ` +
          `no worker polled task queue ${this.config.temporal.taskQueue} (${stale.join(', ')}) in the last ${WORKER_POLL_FRESH_MS / 1000} s`,
      );
    }
    return { instances: [...instances].sort() };
  }

  /** Whether the caller is an admin; false when nobody is named or the directory cannot answer now. */
  private async isAdmin(request: Request): Promise<boolean> {
    if (!request.headers.cookie && !request.headers['x-duban-user']) return false;
    const outcome = await check(async () => {
      const person = await this.identity.caller(request);
      if (!person?.roles.some((r) => r.role === 'admin')) throw new Error('not an admin');
    });
    return outcome.status === 'up';
  }
}

/** A protobuf Timestamp in epoch milliseconds (0 when absent). */
function millis(ts: { seconds?: { toNumber(): number } | number | null; nanos?: number | null } | null | undefined) {
  if (!ts) return 0;
  const seconds = typeof ts.seconds === 'number' ? ts.seconds : (ts.seconds?.toNumber() ?? 0);
  return seconds * 1000 + Math.floor((ts.nanos ?? 0) / 1e6);
}

async function check(probe: () => Promise<void | Partial<DependencyHealth>>): Promise<DependencyHealth> {
  const started = performance.now();
  const checkedAt = new Date().toISOString();
  let timer: NodeJS.Timeout | undefined;
  try {
    const found = await Promise.race([
      probe(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS);
      }),
    ]);
    return { status: 'up', latencyMs: Math.round(performance.now() - started), checkedAt, ...(found ?? {}) };
  } catch (error) {
    return {
      status: 'down',
      latencyMs: Math.round(performance.now() - started),
      reason: (error as Error).message,
      checkedAt,
    };
  } finally {
    clearTimeout(timer);
  }
}
