import { jsonEvent } from '@eventstore/db-client';
import type { EventStoreDbEventStore } from '../eventstoredb.event-store';
import type { EventStore, StoredEvent } from '../event-store.port';

/**
 * The tamper case on EventStoreDB, which cannot edit an event in place: an importer that
 * bypasses the adapter writes an event whose chain link is wrong, in a stream of the same run
 * (so that on a shared server no other run sees it), and verify must name it.
 */
export async function forgeBeside(store: EventStore, event: StoredEvent): Promise<void> {
  await (store as EventStoreDbEventStore).rawClient.appendToStream(`${event.stream}-forged`, [
    jsonEvent({
      type: 'CapitalCommitted',
      data: { amount: '1.00' },
      metadata: { actor: 'x', effectiveDate: '2026-01-01', recordedAt: new Date().toISOString(), previousHash: 'forged', hash: 'forged' },
    }),
  ]);
}
