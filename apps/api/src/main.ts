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
import helmet from 'helmet';
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
  // The client's address (sign-in limits, the log): a proxy may name it only when TRUST_PROXY trusts that proxy.
  app.set('trust proxy', context.config.api.trustProxy);
  app.use(requestLogging(context.logger));
  app.use(helmet(securityHeaders(new URL(context.config.publicUrl).protocol === 'https:')));
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

/**
 * Headers on every answer (helmet): the content security policy of the web app (React, Ant Design, ECharts
 * built by Vite: scripts only from this origin, never inline or eval'd; Ant Design's CSS-in-JS inserts <style>
 * elements, hence 'unsafe-inline' for styles only), not framed by other sites, no sniffing, no X-Powered-By, no
 * address sent on to other sites. `https` (PUBLIC_URL is https, whether Duban or a TLS proxy in front of it
 * terminates TLS): HSTS for a year and upgrade-insecure-requests. The HTML report sets its own, stricter policy.
 */
function securityHeaders(https: boolean): Parameters<typeof helmet>[0] {
  return {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        'default-src': ["'self'"],
        'script-src': ["'self'"],
        'style-src': ["'self'", "'unsafe-inline'"],
        'img-src': ["'self'", 'data:'],
        'font-src': ["'self'", 'data:'],
        'connect-src': ["'self'"],
        'frame-src': ["'self'"],
        'object-src': ["'none'"],
        'base-uri': ["'none'"],
        'form-action': ["'self'"],
        'frame-ancestors': ["'none'"],
        ...(https ? { 'upgrade-insecure-requests': [] } : {}),
      },
    },
    strictTransportSecurity: https ? { maxAge: 365 * 24 * 3600, includeSubDomains: false } : false,
    xFrameOptions: { action: 'deny' },
    referrerPolicy: { policy: 'same-origin' },
  };
}
