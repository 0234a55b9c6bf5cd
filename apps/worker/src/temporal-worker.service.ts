/**
 * Hosts the Temporal worker inside the Nest application context. The worker
 * is created (and its connection proven) during bootstrap, run by main.ts,
 * and drained before the rest of the application shuts down.
 */
import { existsSync } from 'node:fs';
import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { NativeConnection, Runtime, Worker } from '@temporalio/worker';
import type { DubanConfig, Endpoints } from '#config';
import type { Logger } from '#logging';
import { CONFIG, ENDPOINTS, LOGGER } from '#runtime';
import { CycleActivitiesImpl } from './activities/cycle.activities.js';
import { InstructionActivitiesImpl } from './activities/instruction.activities.js';
import { NotificationActivitiesImpl } from './activities/notification.activities.js';
import { temporalLogger } from './temporal-logger.js';

@Injectable()
export class TemporalWorkerService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private connection?: NativeConnection;
  private worker?: Worker;
  private running?: Promise<void>;

  constructor(
    @Inject(CONFIG) private readonly config: DubanConfig,
    @Inject(ENDPOINTS) private readonly endpoints: Endpoints,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly notifications: NotificationActivitiesImpl,
    private readonly cycles: CycleActivitiesImpl,
    private readonly instructions: InstructionActivitiesImpl,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const codePath = this.config.workflowBundlePath;
    if (!existsSync(codePath)) {
      throw new Error(
        `找不到工作流包 ${codePath}，请先运行 npm run build / workflow bundle not found at ${codePath}: run \`npm run build\` first`,
      );
    }
    installRuntimeOnce(this.logger);
    this.connection = await NativeConnection.connect({ address: this.endpoints.temporalAddress });
    this.worker = await Worker.create({
      connection: this.connection,
      namespace: this.config.temporal.namespace,
      taskQueue: this.config.temporal.taskQueue,
      workflowBundle: { codePath },
      activities: bindActivities(this.notifications, this.cycles, this.instructions),
      // Bounded memory with 10,000 open task-cycles (each cached run costs about 0.3 MB in the workflow
      // thread, off the main heap): a workflow out of the cache replays its short history on waking.
      maxCachedWorkflows: this.config.worker.maxCachedWorkflows,
      // Ctrl-C: finish the activities in flight before the process exits.
      shutdownGraceTime: '20 seconds',
    });
    this.logger.info(
      { taskQueue: this.config.temporal.taskQueue, address: this.endpoints.temporalAddress },
      'worker ready',
    );
  }

  /** Polls until shutdown; resolves once the worker has drained. */
  run(): Promise<void> {
    if (!this.worker) throw new Error('worker not created: call app.init() first');
    this.running ??= this.worker.run();
    return this.running;
  }

  async beforeApplicationShutdown(signal?: string): Promise<void> {
    if (this.worker && this.worker.getState() === 'RUNNING') {
      this.logger.info({ signal }, 'worker draining');
      this.worker.shutdown();
    }
    await this.running?.catch((error: Error) => this.logger.error({ err: error }, 'worker stopped with an error'));
    await this.connection?.close();
    this.logger.info('worker stopped');
  }
}

let runtimeInstalled = false;
function installRuntimeOnce(logger: Logger): void {
  if (runtimeInstalled) return;
  // Nest owns the signals (enableShutdownHooks); the SDK must not race it.
  Runtime.install({ logger: temporalLogger(logger), shutdownSignals: [] });
  runtimeInstalled = true;
}

/** Activities as bound methods of their class instances, keyed by name. */
export function bindActivities(...instances: object[]): Record<string, (...args: never[]) => Promise<unknown>> {
  const activities: Record<string, (...args: never[]) => Promise<unknown>> = {};
  for (const instance of instances) {
    const proto = Object.getPrototypeOf(instance) as Record<string, unknown>;
    for (const name of Object.getOwnPropertyNames(proto)) {
      const member = proto[name];
      if (name !== 'constructor' && typeof member === 'function') {
        activities[name] = (member as (...args: never[]) => Promise<unknown>).bind(instance);
      }
    }
  }
  return activities;
}
