import { randomUUID } from 'node:crypto';
import { firstValueFrom, take, toArray } from 'rxjs';
import { IdempotencyConflictError, InvalidAppendError, StreamChangedError, StreamNotFoundError, WrongExpectedRevisionError } from '../errors';
import type { EventStore, StoredEvent } from '../event-store.port';
import { GENESIS_HASH } from '../hash-chain';

/**
 * The one contract every adapter passes (Emmett's testAggregateStream idea): the same tests,
 * run by each adapter's spec with a factory for a store.
 */
export interface ContractHarness {
  /** A store to test. */
  open(): Promise<EventStore>;
  /** Whether appendBatch is all-or-nothing across streams; the checks of atomic batches are skipped, saying why, where not. */
  atomicBatches: boolean;
  /** The store may hold other runs' events (a shared EventStoreDB): checks look only at this run's streams. */
  sharedLog?: boolean;
  /** Positions are offsets that grow with gaps (EventStoreDB), not 1, 2, 3... */
  sparsePositions?: boolean;
  /** Each stream has its own hash chain and the head hash is a digest of them all (EventStoreDB). */
  perStreamChains?: boolean;
  /** Makes the stored event at this position not match its hash, bypassing the adapter (or, where events cannot be edited, writes a forged one in a stream of the same run). */
  tamper?(store: EventStore, event: StoredEvent): Promise<void>;
}

export async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}

export { commitmentEvent as commitment } from './fixtures';
import { commitmentEvent as commitment } from './fixtures';

export function eventStoreContract(name: string, harness: ContractHarness): void {
  describe(`EventStore contract: ${name}`, () => {
    let store: EventStore;
    let run: string;
    const s = (stream: string): string => `${run}-${stream}`;
    /** On a shared server, verify this run's streams only (their chains are per stream there). */
    const scope = () => (harness.sharedLog ? { streamPrefix: run } : {});
    const atomicOnly = (name: string, test: () => Promise<void>) =>
      harness.atomicBatches ? it(name, test) : it.skip(`${name} (skipped: this store has no multi-stream transactions)`, test);

    beforeEach(async () => {
      store = await harness.open();
      run = `t${randomUUID().slice(0, 8)}`;
    });
    afterEach(async () => {
      await store.close();
    });

    describe('append and read a stream', () => {
      it('numbers revisions from 0 and positions upwards, and keeps data and metadata', async () => {
        const result = await store.append(s('lp-1'), [commitment('lp-1', '10000.00'), commitment('lp-1', '5.00', { causationId: 'c-1' })]);
        expect(result.nextExpectedRevision).toBe(1);
        expect(result.written).toBe(true);

        const events = await collect(store.readStream(s('lp-1')));
        expect(events.map((e) => e.revision)).toEqual([0, 1]);
        expect(events[1].position).toBeGreaterThan(events[0].position);
        if (!harness.sparsePositions) expect(events[1].position).toBe(events[0].position + 1);
        expect(events[1].position).toBe(result.position);
        expect(events[0]).toMatchObject({
          stream: s('lp-1'),
          type: 'CapitalCommitted',
          data: { lpId: 'lp-1', amount: '10000.00', currency: 'USD' },
          metadata: { actor: 'platform', effectiveDate: '2026-03-31', correlationId: 'corr-lp-1' },
        });
        expect(events[1].metadata.causationId).toBe('c-1');
        expect(events[0].id).toMatch(/^[0-9a-f-]{36}$/);
        expect(Date.parse(events[0].metadata.recordedAt)).not.toBeNaN();
        expect(events[0].hash).toMatch(/^[0-9a-f]{64}$/);
      });

      it('keeps the schema version an event is written with, none where none was given, and verifies both', async () => {
        await store.append(s('lp-v'), [commitment('lp-v', '1.00'), commitment('lp-v', '2.00', { schemaVersion: 2 })]);
        const [unversioned, versioned] = await collect(store.readStream(s('lp-v')));
        expect(unversioned.metadata).not.toHaveProperty('schemaVersion');
        expect(versioned.metadata.schemaVersion).toBe(2);
        expect((await store.verify(scope())).ok).toBe(true);
        await expect(store.append(s('x'), [commitment('lp', '1.00', { schemaVersion: 0 })])).rejects.toThrow(/schemaVersion must be an integer >= 1/);
      });

      it('reads from a revision, a bounded count, and backwards', async () => {
        await store.append(
          s('fund'),
          Array.from({ length: 5 }, (_, i) => commitment(`lp-${i}`, `${i + 1}.00`)),
        );
        const revisions = async (options: Parameters<EventStore['readStream']>[1]) =>
          (await collect(store.readStream(s('fund'), options))).map((e) => e.revision);
        expect(await revisions({ fromRevision: 2 })).toEqual([2, 3, 4]);
        expect(await revisions({ fromRevision: 1, maxCount: 2 })).toEqual([1, 2]);
        expect(await revisions({ direction: 'backwards', maxCount: 2 })).toEqual([4, 3]);
        expect(await revisions({ direction: 'backwards', fromRevision: 1 })).toEqual([1, 0]);
      });

      it('pages through a stream longer than one page', async () => {
        const many = Array.from({ length: 2500 }, (_, i) => commitment(`lp-${i}`, '1.00'));
        await store.append(s('long'), many);
        const events = await collect(store.readStream(s('long')));
        expect(events).toHaveLength(2500);
        expect(events.every((e, i) => e.revision === i)).toBe(true);
      });

      it('raises StreamNotFoundError for a stream that does not exist', async () => {
        await expect(collect(store.readStream(s('nobody')))).rejects.toBeInstanceOf(StreamNotFoundError);
        expect(await store.streamRevision(s('nobody'))).toBeUndefined();
      });
    });

    describe('optimistic concurrency', () => {
      it('checks no-stream, stream-exists and exact revisions, naming expected and actual', async () => {
        const stream = s('lp-2');
        await expect(store.append(stream, [commitment('lp-2', '1.00')], { expectedRevision: 'stream-exists' })).rejects.toMatchObject({
          constructor: WrongExpectedRevisionError,
          expected: 'stream-exists',
          actual: 'no-stream',
        });
        await store.append(stream, [commitment('lp-2', '1.00')], { expectedRevision: 'no-stream' });
        await expect(store.append(stream, [commitment('lp-2', '2.00')], { expectedRevision: 'no-stream' })).rejects.toMatchObject({
          expected: 'no-stream',
          actual: 0,
        });
        await expect(store.append(stream, [commitment('lp-2', '2.00')], { expectedRevision: 3 })).rejects.toMatchObject({
          constructor: WrongExpectedRevisionError,
          expected: 3,
          actual: 0,
        });
        const ok = await store.append(stream, [commitment('lp-2', '2.00')], { expectedRevision: 0 });
        expect(ok.nextExpectedRevision).toBe(1);
        await store.append(stream, [commitment('lp-2', '3.00')], { expectedRevision: 'stream-exists' });
        await store.append(stream, [commitment('lp-2', '4.00')], { expectedRevision: 'any' });
        expect(await store.streamRevision(stream)).toBe(3);
      });

      it('lets exactly one of two writers with the same expected revision win', async () => {
        const stream = s('contended');
        await store.append(stream, [commitment('lp-3', '1.00')]);
        const outcomes = await Promise.allSettled([
          store.append(stream, [commitment('writer-a', '1.00')], { expectedRevision: 0 }),
          store.append(stream, [commitment('writer-b', '1.00')], { expectedRevision: 0 }),
        ]);
        expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
        const rejected = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
        expect(rejected?.reason).toBeInstanceOf(WrongExpectedRevisionError);
        expect(rejected?.reason).toMatchObject({ expected: 0, actual: 1 });
        expect(await collect(store.readStream(stream))).toHaveLength(2);
      });

      it('writes all events of one append or none', async () => {
        const stream = s('atomic');
        const bad = { ...commitment('lp-4', '1.00'), metadata: { actor: 'platform', effectiveDate: '2026-02-30' } };
        await expect(store.append(stream, [commitment('lp-4', '1.00'), bad])).rejects.toBeInstanceOf(InvalidAppendError);
        expect(await store.streamRevision(stream)).toBeUndefined();
      });

      it('rejects appends it cannot store, with the reason', async () => {
        await expect(store.append(s('empty'), [])).rejects.toThrow(/holds no events/);
        await expect(store.append('', [commitment('lp', '1.00')])).rejects.toThrow(/Stream name/);
        await expect(store.append(s('x'), [{ ...commitment('lp', '1.00'), metadata: { actor: '', effectiveDate: '2026-01-01' } }])).rejects.toThrow(/actor/);
        await expect(store.append(s('x'), [commitment('lp', '1.00')], { expectedRevision: -1 })).rejects.toThrow(/expectedRevision/);
        expect(await store.streamRevision(s('x'))).toBeUndefined();
      });
    });

    describe('idempotency', () => {
      it('returns the first result for a retried command and writes nothing', async () => {
        const stream = s('lp-5');
        const command = [commitment('lp-5', '10000.00', { commandId: 'cmd-1' }), commitment('lp-5', '1.00', { commandId: 'cmd-1' })];
        const { events: written, ...first } = await store.append(stream, command, { expectedRevision: 'no-stream' });
        // Where the adapter hands back what it wrote, it is exactly what a read returns.
        if (written) expect(written).toEqual(await collect(store.readStream(stream)));
        const again = await store.append(stream, command, { expectedRevision: 'no-stream' });
        expect(again).toEqual({ ...first, written: false });
        // Still recognised once the stream has moved on, and inside a batch.
        await store.append(stream, [commitment('lp-5', '3.00')]);
        expect(await store.append(stream, command, { expectedRevision: 'no-stream' })).toEqual({ ...first, written: false });
        const [inBatch] = await store.appendBatch([{ stream, events: command, expectedRevision: 0 }]);
        expect(inBatch).toEqual({ ...first, written: false });
        const events = await collect(store.readStream(stream));
        expect(events).toHaveLength(3);
        expect(events.map((e) => e.metadata.commandId)).toEqual(['cmd-1', 'cmd-1', undefined]);
      });

      it('derives event ids from the command id, so every store can deduplicate; a command id belongs to its first stream', async () => {
        await store.append(s('lp-6'), [commitment('lp-6', '1.00', { commandId: `${run}-cmd-ids` })]);
        const [a] = await collect(store.readStream(s('lp-6')));
        expect(a.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
        expect(await store.streamOfCommand?.(`${run}-cmd-ids`)).toBe(s('lp-6'));
        const elsewhere = store.append(s('lp-7'), [commitment('lp-6', '1.00', { commandId: `${run}-cmd-ids` })]);
        if (store.uniqueCommandIds) {
          await expect(elsewhere).rejects.toBeInstanceOf(IdempotencyConflictError);
          expect(await store.streamRevision(s('lp-7'))).toBeUndefined();
        } else {
          // No cross-stream constraint (EventStoreDB): stored, with an id of its own; verify reports it.
          await elsewhere;
          const [b] = await collect(store.readStream(s('lp-7')));
          expect(b.id).not.toEqual(a.id);
        }
      });

      it('refuses a command id raced onto many streams at once, storing it once, where the store holds ids to one stream', async () => {
        const attempts = await Promise.allSettled(
          Array.from({ length: 20 }, (_, i) => store.append(s(`race-${i}`), [commitment(`race-${i}`, '1.00', { commandId: `${run}-raced` })])),
        );
        const written = attempts.filter((a) => a.status === 'fulfilled').length;
        if (store.uniqueCommandIds) {
          expect(written).toBe(1);
          for (const a of attempts) if (a.status === 'rejected') expect(a.reason).toBeInstanceOf(IdempotencyConflictError);
        } else {
          expect(written).toBe(20);
          const result = await store.verify(scope());
          expect(result.ok && result.commandsOnSeveralStreams?.find((c) => c.commandId === `${run}-raced`)?.streams).toHaveLength(20);
        }
      });

      it('takes a command stored without a schema version, retried with one, as the same command', async () => {
        const stream = s('lp-r');
        const first = await store.append(stream, [commitment('lp-r', '1.00', { commandId: 'cmd-v' })]);
        const again = await store.append(stream, [commitment('lp-r', '1.00', { commandId: 'cmd-v', schemaVersion: 1 })]);
        expect(again).toMatchObject({ written: false, position: first.position });
      });

      it('refuses the same command id with different events', async () => {
        const stream = s('lp-8');
        await store.append(stream, [commitment('lp-8', '10000.00', { commandId: 'cmd-2' })]);
        await expect(store.append(stream, [commitment('lp-8', '99999.00', { commandId: 'cmd-2' })])).rejects.toBeInstanceOf(IdempotencyConflictError);
        expect(await collect(store.readStream(stream))).toHaveLength(1);
      });
    });

    describe('the whole log', () => {
      it('reads all in position order, from a position, bounded, filtered by stream prefix and type', async () => {
        await store.append(s('fund-a'), [{ ...commitment('x', '1.00'), type: 'FundEstablished' }]);
        await store.append(s('lp-a'), [commitment('a', '1.00')]);
        await store.append(s('lp-b'), [commitment('b', '2.00')]);
        await store.append(s('fund-a'), [{ ...commitment('x', '1.00'), type: 'CloseHeld' }]);

        const mine = await collect(store.readAll({ streamPrefix: run }));
        expect(mine.map((e) => e.stream)).toEqual([s('fund-a'), s('lp-a'), s('lp-b'), s('fund-a')]);
        expect(mine.every((e, i) => i === 0 || e.position > mine[i - 1].position)).toBe(true);

        const fromThird = await collect(store.readAll({ streamPrefix: run, fromPosition: mine[2].position }));
        expect(fromThird.map((e) => e.position)).toEqual([mine[2].position, mine[3].position]);
        expect(await collect(store.readAll({ streamPrefix: run, maxCount: 2 }))).toHaveLength(2);
        expect((await collect(store.readAll({ streamPrefix: s('lp-') }))).map((e) => e.stream)).toEqual([s('lp-a'), s('lp-b')]);
        const typed = await collect(store.readAll({ streamPrefix: run, eventTypes: ['FundEstablished', 'CloseHeld'] }));
        expect(typed.map((e) => e.type)).toEqual(['FundEstablished', 'CloseHeld']);
      });

      it('pages through more events than fit in one page', async () => {
        const requests = Array.from({ length: 2300 }, (_, i) => ({ stream: s(`lp-${i}`), events: [commitment(`lp-${i}`, '1.00')] }));
        await store.appendBatch(requests);
        const all = await collect(store.readAll({ streamPrefix: run }));
        expect(all).toHaveLength(2300);
        expect(new Set(all.map((e) => e.position)).size).toBe(2300);
        const page = await collect(store.readAll({ streamPrefix: run, fromPosition: all[1500].position, maxCount: 700 }));
        expect(page.map((e) => e.stream)).toEqual(all.slice(1500, 2200).map((e) => e.stream));
      });

      if (!harness.sharedLog) {
        it('reports the head position', async () => {
          expect(await store.headPosition()).toBe(0);
          const result = await store.append(s('lp'), [commitment('lp', '1.00'), commitment('lp', '2.00')]);
          expect(await store.headPosition()).toBe(result.position);
        });
      }
    });

    describe('batches', () => {
      it('appends several streams in one call', async () => {
        const results = await store.appendBatch([
          { stream: s('lp-a'), events: [commitment('a', '1.00')], expectedRevision: 'no-stream' },
          { stream: s('lp-b'), events: [commitment('b', '1.00')], expectedRevision: 'no-stream' },
        ]);
        expect(results.map((r) => r.nextExpectedRevision)).toEqual([0, 0]);
        expect(results[1].position).toBeGreaterThan(results[0].position);
      });

      it('says whether its batches are atomic', () => {
        expect(typeof store.uniqueCommandIds).toBe('boolean');
        expect(store.atomicBatches).toBe(harness.atomicBatches);
      });

      atomicOnly('writes nothing from an atomic batch when one request fails', async () => {
        await store.append(s('lp-taken'), [commitment('taken', '1.00')]);
        await expect(
          store.appendBatch([
            { stream: s('lp-new'), events: [commitment('new', '1.00')], expectedRevision: 'no-stream' },
            { stream: s('lp-taken'), events: [commitment('taken', '2.00')], expectedRevision: 'no-stream' },
          ]),
        ).rejects.toBeInstanceOf(WrongExpectedRevisionError);
        expect(await store.streamRevision(s('lp-new'))).toBeUndefined();
        expect(await collect(store.readStream(s('lp-taken')))).toHaveLength(1);
        // The chain continues from the last whole append.
        await store.append(s('lp-new'), [commitment('new', '1.00')]);
        expect((await store.verify()).ok).toBe(true);
      });
    });

    if (!harness.sharedLog) {
      atomicOnly('writes a batch behind other streams, refusing it once a stream it was decided on changed', async () => {
        await store.append(s('fund'), [commitment('fund', '1.00')]);
        const decidedAt = await store.headPosition();
        const watched = { position: decidedAt, streams: new Set([s('fund')]), prefixes: [s('fund.lp-')] };
        // Other streams move the head: the batch goes behind them, made from the head it follows.
        await store.append(s('other.lp-1'), [commitment('other-1', '1.00')]);
        const heads: number[] = [];
        const batch = (head: number) => (heads.push(head), [{ stream: s('fund'), events: [commitment('fund', '2.00')], expectedRevision: 0 }]);
        const [result] = await store.appendBatch(batch, { unchangedSince: watched });
        expect(heads).toEqual([decidedAt + 1]);
        expect(result.position).toBe(decidedAt + 2);
        // A watched stream, named or under a prefix, that gained an event since: nothing written.
        await store.append(s('fund.lp-x'), [commitment('x', '1.00')]);
        const head = await store.headPosition();
        const refused = store.appendBatch([{ stream: s('lp-y'), events: [commitment('y', '1.00')] }], {
          unchangedSince: { ...watched, position: result.position },
        });
        await expect(refused).rejects.toBeInstanceOf(StreamChangedError);
        await expect(refused).rejects.toMatchObject({ stream: s('fund.lp-x'), position: head, since: result.position });
        expect(await store.headPosition()).toBe(head);
        expect((await store.verify()).ok).toBe(true);
      });
    }

    describe('subscriptions', () => {
      it('replays from a position, then goes live, with no gap and no duplicate at the seam', async () => {
        for (let i = 0; i < 5; i++) await store.append(s(`lp-${i}`), [commitment(`lp-${i}`, '1.00')]);
        const [first] = await collect(store.readAll({ streamPrefix: run, maxCount: 1 }));
        const received = firstValueFrom(store.subscribe({ fromPosition: first.position, streamPrefix: run }).pipe(take(25), toArray()));
        // Appends racing with the catch-up read, then more once it is live.
        const writers = Array.from({ length: 10 }, (_, i) => store.append(s(`live-${i}`), [commitment(`live-${i}`, '1.00')]));
        await Promise.all(writers);
        await new Promise((resolve) => setTimeout(resolve, 20));
        for (let i = 10; i < 20; i++) await store.append(s(`live-${i}`), [commitment(`live-${i}`, '1.00')]);
        const events = await received;
        const expected = await collect(store.readAll({ streamPrefix: run }));
        expect(events.map((e) => e.position)).toEqual(expected.map((e) => e.position));
      });

      it('filters by type and starts part way through the log', async () => {
        await store.append(s('fund'), [{ ...commitment('x', '1.00'), type: 'CloseHeld' }]);
        const from = (await store.append(s('lp-1'), [commitment('lp-1', '1.00')])).position;
        const received = firstValueFrom(store.subscribe({ fromPosition: from, eventTypes: ['CloseHeld'], streamPrefix: run }).pipe(take(1), toArray()));
        await store.append(s('lp-2'), [commitment('lp-2', '1.00')]);
        await store.append(s('fund'), [{ ...commitment('x', '2.00'), type: 'CloseHeld' }]);
        const [event] = await received;
        expect(event).toMatchObject({ type: 'CloseHeld', revision: 1, data: { amount: '2.00' } });
      });
    });

    describe('tamper evidence', () => {
      if (!harness.sharedLog) {
        it('verifies an empty log from the genesis value', async () => {
          expect(await store.verify()).toEqual({ ok: true, count: 0, headHash: GENESIS_HASH });
        });
      }

      it('verifies an intact log with the head hash and count', async () => {
        await store.append(s('lp-1'), [commitment('lp-1', '1.00'), commitment('lp-1', '2.00')]);
        await store.append(s('lp-2'), [commitment('lp-2', '3.00')]);
        const result = await store.verify(scope());
        expect(result.ok).toBe(true);
        if (!result.ok) return;
        expect(result.headHash).toMatch(/^[0-9a-f]{64}$/);
        if (!harness.sharedLog && !harness.perStreamChains) {
          expect(result.count).toBe(3);
          const [, , last] = await collect(store.readAll());
          expect(result.headHash).toBe(last.hash);
        }
      });

      if (harness.tamper) {
        it('names the first event whose stored bytes were altered', async () => {
          for (let i = 0; i < 5; i++) await store.append(s(`lp-${i}`), [commitment(`lp-${i}`, `${i}.00`)]);
          const events = await collect(store.readAll({ streamPrefix: run }));
          await harness.tamper!(store, events[2]);
          const result = await store.verify(scope());
          expect(result.ok).toBe(false);
          if (result.ok) return;
          if (!harness.perStreamChains) expect(result).toMatchObject({ position: events[2].position, stream: events[2].stream, count: 2 });
          expect(result.expectedHash).not.toEqual(result.storedHash);
        });
      }
    });
  });
}
