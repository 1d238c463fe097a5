import { MemoryEventStore } from './memory.event-store';
import { eventStoreContract } from './testing/event-store.contract';

eventStoreContract('memory', {
  open: async () => new MemoryEventStore(),
  tamper: async (store, event) => (store as MemoryEventStore).tamperForTesting(event.position, { ...event.data, amount: '999999.00' }),
});
