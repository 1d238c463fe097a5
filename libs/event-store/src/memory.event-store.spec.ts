import { MemoryEventStore } from './memory.event-store';
import { eventStoreContract } from './testing/event-store.contract';

eventStoreContract('memory', {
  atomicBatches: true,
  open: async () => new MemoryEventStore(),
  tamper: async (store, event) => (store as MemoryEventStore).tamperForTesting(event.position, { ...event.data, amount: '999999.00' }),
});

describe('MemoryEventStore.restore', () => {
  it("copies another store's log as it is, so the copy verifies and continues the chain", async () => {
    const { commitmentEvent } = await import('./testing/fixtures');
    const source = new MemoryEventStore();
    await source.append('lp-1', [commitmentEvent('lp-1', '1.00', { commandId: 'c1' })]);
    await source.append('lp-2', [commitmentEvent('lp-2', '2.00')]);
    const copy = new MemoryEventStore();
    for await (const event of source.readAll()) copy.restore(event);
    expect(await copy.verify()).toEqual(await source.verify());
    expect((await copy.append('lp-1', [commitmentEvent('lp-1', '1.00', { commandId: 'c1' })])).written).toBe(false);
    await copy.append('lp-3', [commitmentEvent('lp-3', '3.00')]);
    expect(await copy.verify()).toMatchObject({ ok: true, count: 3 });
  });
});
