import { createServer, type AddressInfo } from 'node:net';
import { StoreUnavailableError } from './errors';
import { PostgresEventStore } from './postgres.event-store';

/** The real driver, against a port where nothing answers: one line saying what to change, not a stack. */
describe('PostgreSQL that does not answer', () => {
  it('is STORE_UNAVAILABLE in one line, from the real driver', async () => {
    // A port that was free a moment ago: nothing listens there.
    const probe = createServer().listen(0, '127.0.0.1');
    await new Promise((resolve) => probe.once('listening', resolve));
    const { port } = probe.address() as AddressInfo;
    await new Promise((resolve) => probe.close(resolve));
    const store = new PostgresEventStore(`postgres://fundsim:secret@127.0.0.1:${port}/fundsim`);
    try {
      for (const call of [() => store.headPosition(), () => store.append('lp-1', [])]) {
        const error = (await call().then(
          () => undefined,
          (e: unknown) => e,
        )) as Error;
        expect(error).toBeInstanceOf(StoreUnavailableError);
        expect(error.message).toMatch(
          new RegExp(
            `^PostgreSQL at postgres://fundsim:\\*\\*\\*@127\\.0\\.0\\.1:${port}/fundsim does not answer \\(.+\\); check that it runs and that FUNDSIM_STORE names it$`,
          ),
        );
        expect(error.message).not.toContain('secret');
      }
    } finally {
      await store.close();
    }
  });
});
