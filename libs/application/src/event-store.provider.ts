import { Inject, Injectable, Module, type OnApplicationShutdown, type Provider } from '@nestjs/common';
import { openEventStore, type EventStore } from '@fundsim/event-store';

/** Injection token for the configured EventStore port. */
export const EVENT_STORE = Symbol('EVENT_STORE');
export const InjectEventStore = (): ParameterDecorator => Inject(EVENT_STORE);

const storeProvider: Provider = {
  provide: EVENT_STORE,
  // FUNDSIM_STORE picks the adapter; a bad value fails the start with the accepted forms.
  // FUNDSIM_STORE_READ adds a PostgreSQL read replica (reads there, appends to FUNDSIM_STORE).
  useFactory: (): EventStore =>
    openEventStore(process.env.FUNDSIM_STORE, {
      read: process.env.FUNDSIM_STORE_READ,
      replicaWaitMs: process.env.FUNDSIM_REPLICA_WAIT_MS ? Number(process.env.FUNDSIM_REPLICA_WAIT_MS) : undefined,
    }),
};

@Injectable()
class EventStoreCloser implements OnApplicationShutdown {
  constructor(@InjectEventStore() private readonly store: EventStore) {}
  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
  }
}

@Module({ providers: [storeProvider, EventStoreCloser], exports: [EVENT_STORE] })
export class EventStoreModule {}
