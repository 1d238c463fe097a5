import { StoreUnavailableError, StreamDeletedError } from './errors';
import { EventStoreDbEventStore } from './eventstoredb.event-store';
import { hashAt } from './read-pages';
import { collect, commitment, eventStoreContract } from './testing/event-store.contract';
import { forgeBeside } from './testing/esdb-forgery';
import { SimulatedEsdb } from './testing/simulated-esdb';

/**
 * The EventStoreDB adapter's own logic (paging $all, idempotency, the head, errors) over a
 * simulated server (testing/simulated-esdb.ts): runs everywhere. The contract against a real
 * server is eventstoredb.event-store.int-spec.ts.
 */
const url = 'esdb://simulated:2113?tls=false';
const over = (server: SimulatedEsdb) => new EventStoreDbEventStore(url, { client: server.client });

eventStoreContract('eventstoredb (simulated server, standard projections on)', {
  atomicBatches: false,
  sparsePositions: true,
  perStreamChains: true,
  open: async () => over(new SimulatedEsdb({ projections: true })),
  tamper: forgeBeside,
});

describe('EventStoreDB adapter over a simulated server', () => {
  it('pages $all to its real end past system and link events, with a filter that matches rarely', async () => {
    const server = new SimulatedEsdb({ projections: true });
    const store = over(server);
    for (let i = 0; i < 3000; i++) {
      await store.append(`fund-f.lp-${i}`, [{ ...commitment(`lp-${i}`, '1.00'), type: i % 500 === 499 ? 'CloseHeld' : 'CapitalCommitted' }]);
      if (i % 100 === 0) for (let k = 0; k < 200; k++) server.system('$stats-127.0.0.1:2113', '$statsCollected');
    }
    for (let k = 0; k < 5000; k++) server.system('$stats-127.0.0.1:2113', '$statsCollected');
    // Four links per new stream, 200 statistics every 100 appends, 5,000 at the end.
    expect(server.recordCount).toBeGreaterThan(3000 * 5 + 5000);
    const all = await collect(store.readAll());
    expect(all).toHaveLength(3000);
    expect(all.every((e, i) => i === 0 || e.position > all[i - 1].position)).toBe(true);
    const closes = await collect(store.readAll({ eventTypes: ['CloseHeld'] }));
    expect(closes.map((e) => e.stream)).toEqual([499, 999, 1499, 1999, 2499, 2999].map((i) => `fund-f.lp-${i}`));
    const tail = await collect(store.readAll({ fromPosition: all[2990].position, maxCount: 5 }));
    expect(tail.map((e) => e.position)).toEqual(all.slice(2990, 2995).map((e) => e.position));
    // The head is the last event of the log, past the 5,000 system events after it.
    expect(await store.headPosition()).toBe(all[2999].position);
    await store.close();
  }, 60_000);

  it('reads from any position: an event position another process handed out, or one between records', async () => {
    const server = new SimulatedEsdb({ projections: true });
    const writer = over(server);
    for (let i = 0; i < 50; i++) await writer.append(`lp-${i}`, [commitment(`lp-${i}`, '1.00')]);
    const all = await collect(writer.readAll());
    // A fresh adapter (another process) has seen none of these positions.
    const reader = over(server);
    expect((await collect(reader.readAll({ fromPosition: all[30].position, maxCount: 1 })))[0].id).toBe(all[30].id);
    expect(await hashAt(over(server), all[42].position)).toBe(all[42].hash);
    // Between two records (not a place a read of $all can start): the next event.
    expect((await collect(over(server).readAll({ fromPosition: all[30].position + 1, maxCount: 1 })))[0].id).toBe(all[31].id);
    await writer.close();
  });

  it('recognises a retried command at any distance: its marker, not a window of the stream', async () => {
    const store = over(new SimulatedEsdb({ projections: true }));
    const command = [commitment('f', '100.00', { commandId: 'call-1' })];
    const first = await store.append('fund-f', command);
    for (let i = 0; i < 50; i++)
      await store.append(
        'fund-f',
        Array.from({ length: 100 }, (_, k) => commitment('f', `${i}.${k}`)),
      );
    // 5,000 events later, the retry is still the same command.
    const retry = await store.append('fund-f', command);
    expect(retry).toEqual({ nextExpectedRevision: first.nextExpectedRevision, position: first.position, written: false });
    expect(await store.streamOfCommand('call-1')).toBe('fund-f');
    await expect(store.append('fund-f', [commitment('f', '999.00', { commandId: 'call-1' })])).rejects.toMatchObject({ code: 'IDEMPOTENCY_CONFLICT' });
    // On another stream it is another command for the store (the application refuses it, asking streamOfCommand).
    expect(await store.append('fund-g', command)).toMatchObject({ written: true });
    expect(await store.streamOfCommand('call-1')).toBe('fund-f');
    expect((await collect(store.readStream('fund-f'))).length).toBe(5001);
    // The markers are the adapter's own: not in the log, not in the chain.
    expect((await collect(store.readAll())).length).toBe(5002);
    expect(await store.verify()).toMatchObject({ ok: true, count: 5002 });
    await store.close();
  }, 60_000);

  it('recognises a write interrupted between its events and its marker within 1,000 later events of its stream, and not beyond', async () => {
    const server = new SimulatedEsdb();
    const store = over(server);
    server.failNextAppendTo = 'fundsim.command-';
    await expect(store.append('fund-f', [commitment('f', '1.00', { commandId: 'k-1' })])).rejects.toBeInstanceOf(StoreUnavailableError);
    await store.append(
      'fund-f',
      Array.from({ length: 999 }, (_, k) => commitment('f', `${k}.00`)),
    );
    expect(await store.append('fund-f', [commitment('f', '1.00', { commandId: 'k-1' })])).toMatchObject({ written: false, nextExpectedRevision: 0 });
    // That retry wrote the marker: from now on, any distance.
    await store.append(
      'fund-f',
      Array.from({ length: 2000 }, (_, k) => commitment('f', `${k}.00`)),
    );
    expect(await store.append('fund-f', [commitment('f', '1.00', { commandId: 'k-1' })])).toMatchObject({ written: false });

    // Interrupted, and retried only after 1,000 more events of the stream: written again (the documented limit).
    server.failNextAppendTo = 'fundsim.command-';
    await expect(store.append('fund-g', [commitment('g', '1.00', { commandId: 'k-2' })])).rejects.toBeInstanceOf(StoreUnavailableError);
    await store.append(
      'fund-g',
      Array.from({ length: 1000 }, (_, k) => commitment('g', `${k}.00`)),
    );
    expect(await store.append('fund-g', [commitment('g', '1.00', { commandId: 'k-2' })])).toMatchObject({ written: true });
    await store.close();
  }, 60_000);

  it('maps a deleted stream, an unreachable server and an old one to the port errors, each in one line', async () => {
    const server = new SimulatedEsdb();
    const store = over(server);
    await store.append('lp-1', [commitment('lp-1', '1.00')]);
    server.deleteStream('lp-1');
    await expect(store.append('lp-1', [commitment('lp-1', '2.00')], { expectedRevision: 'any' })).rejects.toBeInstanceOf(StreamDeletedError);

    const down = new SimulatedEsdb();
    down.goDown();
    const unreachable = over(down);
    const error = await unreachable.headPosition().catch((e: unknown) => e as StoreUnavailableError);
    expect(error).toBeInstanceOf(StoreUnavailableError);
    expect((error as Error).message).toBe(`EventStoreDB at ${url} does not answer (failed to connect); check that it runs and that FUNDSIM_STORE names it`);

    const old = over(new SimulatedEsdb({ serverVersion: '21.10.2' }));
    await expect(old.headPosition()).rejects.toThrow(`EventStoreDB at ${url} is version 21.10.2; fundsim needs 22.10 or later (or KurrentDB)`);
  });
});
