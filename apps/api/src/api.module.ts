/** The HTTP process: every controller (controllers.ts) behind one access guard; it also serves the web app. */
import { Module, type DynamicModule } from '@nestjs/common';
import { APP_GUARD, APP_PIPE } from '@nestjs/core';
import type { DubanConfig } from '#config';
import { CONFIG, deepLinksFor, InfrastructureModule, type ProcessContext } from '#runtime';
import { AccessGuard } from './auth/access.js';
import { PlainTextOnly } from './common/plain-text.pipe.js';
import { Identity } from './auth/identity.js';
import { TemporalClientService } from './common/temporal-client.provider.js';
import { API_CONTROLLERS } from './controllers.js';
import { DEEP_LINKS } from './mail/mail.controller.js';

@Module({})
export class ApiModule {
  static forRoot(context: ProcessContext): DynamicModule {
    return {
      module: ApiModule,
      imports: [InfrastructureModule.forRoot({ appName: 'duban-api', ...context, tolerateDatabaseDown: true })],
      controllers: API_CONTROLLERS,
      providers: [
        TemporalClientService,
        Identity,
        { provide: APP_GUARD, useClass: AccessGuard },
        // Every string of every request is text, or the request is refused first (422, naming where).
        { provide: APP_PIPE, useClass: PlainTextOnly },
        { provide: DEEP_LINKS, useFactory: (config: DubanConfig) => deepLinksFor(config), inject: [CONFIG] },
      ],
    };
  }
}
