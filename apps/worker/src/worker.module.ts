/** The worker process: infrastructure, activities and the Temporal worker. */
import { Module, type DynamicModule } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Mailer } from '#notifications';
import { InfrastructureModule, type ProcessContext } from '#runtime';
import { NotificationActivitiesImpl } from './activities/notification.activities.js';
import { TemporalWorkerService } from './temporal-worker.service.js';

@Module({})
export class WorkerModule {
  static forRoot(context: ProcessContext): DynamicModule {
    return {
      module: WorkerModule,
      imports: [InfrastructureModule.forRoot({ appName: 'duban-worker', ...context })],
      providers: [
        {
          provide: NotificationActivitiesImpl,
          useFactory: (dataSource: DataSource, mailer: Mailer) =>
            new NotificationActivitiesImpl(dataSource, mailer, 'duban.local'),
          inject: [DataSource, Mailer],
        },
        TemporalWorkerService,
      ],
    };
  }
}
