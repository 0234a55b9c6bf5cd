/**
 * apps/worker: a Nest application context hosting the Temporal worker and
 * its activities. SIGINT/SIGTERM drain in-flight activities, then exit.
 */
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { PinoNestLogger } from '#logging';
import { runProcess } from '#runtime';
import { TemporalWorkerService } from './temporal-worker.service.js';
import { WorkerModule } from './worker.module.js';

await runProcess('duban-worker', async (context) => {
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(context), {
    logger: new PinoNestLogger(context.logger),
  });
  app.enableShutdownHooks(['SIGINT', 'SIGTERM']);
  await app.init();
  await app.get(TemporalWorkerService).run();
});
