/**
 * apps/api: the HTTP service (REST and the built web app) and the Temporal
 * client. SIGINT/SIGTERM close the server and connections, then exit.
 */
import 'reflect-metadata';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import { PinoNestLogger, requestLogging } from '#logging';
import { runProcess } from '#runtime';
import { ApiModule } from './api.module.js';
import { DomainErrorFilter } from './common/domain-error.filter.js';

await runProcess('duban-api', async (context) => {
  const app = await NestFactory.create<NestExpressApplication>(ApiModule.forRoot(context), {
    logger: new PinoNestLogger(context.logger),
    bodyParser: true,
  });
  // Any JSON reaches the routes' body schemas (null, 42, "x" too), which answer 422 INVALID_INPUT naming what is
  // wrong; the default parser would refuse a body that is not an object or array with a bare 400.
  app.useBodyParser('json', { strict: false });
  app.use(requestLogging(context.logger));
  // Not framed by other sites, no content sniffing, and no address (a deep link's token) sent on to other sites.
  app.use((_request: Request, response: Response, next: NextFunction) => {
    response.setHeader('X-Content-Type-Options', 'nosniff');
    response.setHeader('X-Frame-Options', 'DENY');
    response.setHeader('Content-Security-Policy', "frame-ancestors 'none'");
    response.setHeader('Referrer-Policy', 'same-origin');
    next();
  });
  // A browser's cross-origin form or script may not change anything here (the cookie is SameSite=Lax, which a
  // sibling subdomain passes): state-changing requests that carry an Origin must come from Duban's own.
  const { host, port } = context.config.api;
  const ownOrigins = new Set([
    new URL(context.config.publicUrl).origin,
    `http://${host}:${port}`,
    ...(host === '127.0.0.1' ? [`http://localhost:${port}`] : []),
  ]);
  app.use((request: Request, response: Response, next: NextFunction) => {
    const origin = request.headers.origin;
    if (['GET', 'HEAD', 'OPTIONS'].includes(request.method) || !origin || ownOrigins.has(origin)) {
      next();
      return;
    }
    response.status(403).json({
      code: 'FOREIGN_ORIGIN',
      message: `不接受来自 ${origin} 的请求`,
      messageEn: `requests from ${origin} are not accepted`,
    });
  });
  // The web app (built into dist/web): its files, and index.html for its routes (not /api or /health).
  const web = fileURLToPath(new URL('../../../web/', import.meta.url));
  if (existsSync(`${web}index.html`)) {
    app.useStaticAssets(web, { index: false, maxAge: '1h' });
    app.use((request: Request, response: Response, next: NextFunction) => {
      const path = request.path;
      if (request.method !== 'GET' || path.startsWith('/api/') || path === '/api' || path.startsWith('/health')) {
        next();
        return;
      }
      response.sendFile(`${web}index.html`, { headers: { 'cache-control': 'no-cache' } });
    });
  }
  app.useGlobalFilters(new DomainErrorFilter(context.logger));
  app.enableShutdownHooks(['SIGINT', 'SIGTERM']);
  await app.listen(port, host);
  context.logger.info({ url: `http://${host}:${port}` }, 'api listening');
});
