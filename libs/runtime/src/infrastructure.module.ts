/**
 * The I/O every Duban process shares, as Nest providers: configuration,
 * logger, the PostgreSQL data source and the mailer. Each is opened during
 * bootstrap and closed on shutdown, after the worker has drained.
 */
import { Global, Injectable, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { DubanConfig, Endpoints } from '#config';
import type { Logger } from '#logging';
import { Mailer } from '#notifications';
import { createDataSource, whenReady } from '#persistence';
import { CONFIG, ENDPOINTS, LOGGER } from './tokens.js';

@Injectable()
class InfrastructureShutdown implements OnApplicationShutdown {
  constructor(
    private readonly dataSource: DataSource,
    private readonly mailer: Mailer,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    this.mailer.close();
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}

@Global()
@Module({})
export class InfrastructureModule {
  static forRoot(options: {
    appName: string;
    config: DubanConfig;
    endpoints: Endpoints;
    logger: Logger;
    /** Start even when PostgreSQL does not answer yet (the API); the worker needs it at once. */
    tolerateDatabaseDown?: boolean;
  }): DynamicModule {
    return {
      module: InfrastructureModule,
      providers: [
        { provide: CONFIG, useValue: options.config },
        { provide: ENDPOINTS, useValue: options.endpoints },
        { provide: LOGGER, useValue: options.logger },
        {
          provide: DataSource,
          useFactory: async () => {
            const dataSource = createDataSource(options.endpoints.databaseUrl, options.appName);
            try {
              await whenReady(dataSource);
            } catch (error) {
              // The API still starts, and /health says why; the worker cannot work without it.
              if (!options.tolerateDatabaseDown) throw error;
              options.logger.warn({ err: error }, 'PostgreSQL unavailable at start; will retry on use');
            }
            return dataSource;
          },
        },
        {
          provide: Mailer,
          useFactory: (config: DubanConfig) => new Mailer(options.endpoints.smtpUrl, config.smtp.from),
          inject: [CONFIG],
        },
        InfrastructureShutdown,
      ],
      exports: [CONFIG, ENDPOINTS, LOGGER, DataSource, Mailer],
    };
  }
}
