/**
 * apps/api: the HTTP service (REST now, the web app later) and the Temporal
 * client. SIGINT/SIGTERM close the server and connections, then exit.
 */
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { PinoNestLogger, requestLogging } from '#logging';
import { runProcess } from '#runtime';
import { ApiModule } from './api.module.js';
import { DomainErrorFilter } from './common/domain-error.filter.js';

await runProcess('duban-api', async (context) => {
  const app = await NestFactory.create(ApiModule.forRoot(context), {
    logger: new PinoNestLogger(context.logger),
    bodyParser: true,
  });
  app.use(requestLogging(context.logger));
  app.useGlobalFilters(new DomainErrorFilter(context.logger));
  app.enableShutdownHooks(['SIGINT', 'SIGTERM']);
  const { host, port } = context.config.api;
  await app.listen(port, host);
  context.logger.info({ url: `http://${host}:${port}` }, 'api listening');
});
