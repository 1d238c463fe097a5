import { EventStoreDbEventStore } from './eventstoredb.event-store';
import { eventStoreContract } from './testing/event-store.contract';
import { forgeBeside } from './testing/esdb-forgery';

/**
 * The shared contract against a real EventStoreDB: the one FUNDSIM_ESDB_URL names (shared: each
 * test writes its own streams and verifies only those), or the container test/global-setup.js
 * started with Testcontainers where a Docker engine answers. Without either it says it skipped
 * and why (the adapter's logic is still run, over a simulated server, by
 * eventstoredb.simulated.spec.ts).
 */
const url = process.env.FUNDSIM_ESDB_URL;

if (url) {
  eventStoreContract(`eventstoredb at ${url}`, {
    atomicBatches: false,
    sparsePositions: true,
    perStreamChains: true,
    sharedLog: process.env.FUNDSIM_ESDB_OWN_CONTAINER !== '1',
    open: async () => new EventStoreDbEventStore(url),
    tamper: forgeBeside,
  });
} else {
  describe('EventStore contract: eventstoredb', () => {
    it.skip(`SKIPPED: ${process.env.FUNDSIM_ESDB_SKIPPED ?? 'FUNDSIM_ESDB_URL is not set'}`, () => undefined);
  });
}
