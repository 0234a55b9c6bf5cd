/** The HTTP process: health, notifications; later plans, cycles and the web app. */
import { Module, type DynamicModule } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import type { DubanConfig } from '#config';
import { CONFIG, deepLinksFor, InfrastructureModule, type ProcessContext } from '#runtime';
import { AuthController } from './auth/auth.controller.js';
import { AccessGuard } from './auth/access.js';
import { Identity } from './auth/identity.js';
import { TemporalClientService } from './common/temporal-client.provider.js';
import { CyclesController } from './cycles/cycles.controller.js';
import { WorkspaceController } from './cycles/workspace.controller.js';
import { DEEP_LINKS, MailController } from './mail/mail.controller.js';
import { HealthController } from './health/health.controller.js';
import { NotificationsController } from './notifications/notifications.controller.js';
import { PlansController } from './plans/plans.controller.js';
import { SetupController } from './plans/setup.controller.js';

@Module({})
export class ApiModule {
  static forRoot(context: ProcessContext): DynamicModule {
    return {
      module: ApiModule,
      imports: [InfrastructureModule.forRoot({ appName: 'duban-api', ...context, tolerateDatabaseDown: true })],
      controllers: [
        HealthController,
        NotificationsController,
        PlansController,
        SetupController,
        CyclesController,
        WorkspaceController,
        MailController,
        AuthController,
      ],
      providers: [
        TemporalClientService,
        Identity,
        { provide: APP_GUARD, useClass: AccessGuard },
        { provide: DEEP_LINKS, useFactory: (config: DubanConfig) => deepLinksFor(config), inject: [CONFIG] },
      ],
    };
  }
}
