import { createServer, type AddressInfo } from 'node:net';
import { StoreUnavailableError } from './errors';
import { EventStoreDbEventStore } from './eventstoredb.event-store';

/** The real client, against a port where nothing answers: one line saying what to change, not a gRPC stack. */
describe('EventStoreDB that does not answer', () => {
  it('is STORE_UNAVAILABLE in one line, from the real client', async () => {
    // A port that was free a moment ago: nothing listens there.
    const probe = createServer().listen(0, '127.0.0.1');
    await new Promise((resolve) => probe.once('listening', resolve));
    const { port } = probe.address() as AddressInfo;
    await new Promise((resolve) => probe.close(resolve));
    const url = `esdb://127.0.0.1:${port}?tls=false`;
    const store = new EventStoreDbEventStore(url);
    try {
      const error = (await store.headPosition().then(
        () => undefined,
        (e: unknown) => e,
      )) as Error;
      expect(error).toBeInstanceOf(StoreUnavailableError);
      expect(error.message).toMatch(
        new RegExp(`^EventStoreDB at ${url.replace(/[?.]/g, '\\$&')} does not answer \\(.+\\); check that it runs and that FUNDSIM_STORE names it$`),
      );
      expect(error.message).not.toContain('\n');
    } finally {
      await store.close();
    }
  }, 60_000);
});
