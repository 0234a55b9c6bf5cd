/** The worker process: infrastructure, activities and the Temporal worker. */
import { Module, type DynamicModule } from '@nestjs/common';
import { Client, Connection } from '@temporalio/client';
import { DataSource } from 'typeorm';
import type { DubanConfig, Endpoints } from '#config';
import { Mailer } from '#notifications';
import { CONFIG, deepLinksFor, ENDPOINTS, InfrastructureModule, type ProcessContext } from '#runtime';
import { CycleActivitiesImpl } from './activities/cycle.activities.js';
import { InstructionActivitiesImpl } from './activities/instruction.activities.js';
import { NotificationActivitiesImpl } from './activities/notification.activities.js';
import { TemporalWorkerService } from './temporal-worker.service.js';

/** One client for the activities that start workflows, connected on first use. */
export function lazyTemporalClient(address: string, namespace: string): () => Promise<Client> {
  let client: Promise<Client> | undefined;
  return () => {
    client ??= Connection.connect({ address })
      .then((connection) => new Client({ connection, namespace }))
      .catch((error: unknown) => {
        client = undefined;
        throw error;
      });
    return client;
  };
}

@Module({})
export class WorkerModule {
  static forRoot(context: ProcessContext): DynamicModule {
    return {
      module: WorkerModule,
      imports: [InfrastructureModule.forRoot({ appName: 'duban-worker', ...context })],
      providers: [
        {
          provide: NotificationActivitiesImpl,
          useFactory: (dataSource: DataSource, mailer: Mailer, config: DubanConfig) =>
            new NotificationActivitiesImpl(dataSource, mailer, 'duban.local', config.smtp.rehearsalAllow),
          inject: [DataSource, Mailer, CONFIG],
        },
        {
          provide: CycleActivitiesImpl,
          useFactory: (
            dataSource: DataSource,
            notifications: NotificationActivitiesImpl,
            config: DubanConfig,
            endpoints: Endpoints,
          ) =>
            new CycleActivitiesImpl(
              dataSource,
              notifications,
              lazyTemporalClient(endpoints.temporalAddress, config.temporal.namespace),
              deepLinksFor(config),
              config.names.organisation,
            ),
          inject: [DataSource, NotificationActivitiesImpl, CONFIG, ENDPOINTS],
        },
        {
          provide: InstructionActivitiesImpl,
          useFactory: (dataSource: DataSource, notifications: NotificationActivitiesImpl, config: DubanConfig) =>
            new InstructionActivitiesImpl(dataSource, notifications, config.publicUrl, config.names.organisation),
          inject: [DataSource, NotificationActivitiesImpl, CONFIG],
        },
        TemporalWorkerService,
      ],
    };
  }
}
