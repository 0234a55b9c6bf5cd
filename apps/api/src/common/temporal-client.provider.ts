/**
 * The API's Temporal client. The connection is lazy: the API starts (and
 * /health can report Temporal as down) even while the server is unreachable.
 */
import { Injectable, Inject, type OnApplicationShutdown } from '@nestjs/common';
import { Client, Connection } from '@temporalio/client';
import type { DubanConfig, Endpoints } from '#config';
import { CONFIG, ENDPOINTS } from '#runtime';

@Injectable()
export class TemporalClientService implements OnApplicationShutdown {
  readonly connection: Connection;
  readonly client: Client;

  constructor(@Inject(CONFIG) config: DubanConfig, @Inject(ENDPOINTS) endpoints: Endpoints) {
    this.connection = Connection.lazy({ address: endpoints.temporalAddress, connectTimeout: 3000 });
    this.client = new Client({ connection: this.connection, namespace: config.temporal.namespace });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.connection.close();
  }
}
