import { MemoryEventStore, SqliteEventStore, type AppendOptions, type EventStore, type NewEvent } from '@fundsim/event-store';
import { collect } from '@fundsim/event-store/testing/event-store.contract';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventStoreDbEventStore } from '@fundsim/event-store/eventstoredb.event-store';
import { SimulatedEsdb } from '@fundsim/event-store/testing/simulated-esdb';
import { DemoService } from './demo/demo.service';
import { FundCommandService } from '../commands/fund-commands.service';
import { FundQueryService } from '../queries/fund-queries.service';
import { ScenarioPartlyWrittenError, ScenarioService } from './scenario';

/**
 * Scenario files on a store without atomic batches (EventStoreDB): written append by append, in
 * order. Checked here on SQLite and memory stores made to look like one (atomicBatches false),
 * failing between two streams on purpose.
 */
const dir = mkdtempSync(join(tmpdir(), 'fundsim-in-order-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const scenario = (name: string) => readFileSync(join(__dirname, '..', '..', '..', '..', 'scenarios', name), 'utf8');

/**
 * The store, without atomic batches; its `failAt`-th append (1-based) fails after writing nothing,
 * and `before` runs before each append (another writer, say).
 */
function nonAtomic(store: EventStore, failAt?: number, before?: (append: number, stream: string) => Promise<void>): EventStore {
  let appends = 0;
  return new Proxy(store, {
    get(target, key) {
      if (key === 'atomicBatches') return false;
      if (key === 'append') {
        return async (stream: string, events: NewEvent[], options?: AppendOptions) => {
          if (++appends === failAt) throw new Error(`connection lost before append ${appends} (${stream})`);
          await before?.(appends, stream);
          return target.append(stream, events, options);
        };
      }
      const value = Reflect.get(target, key, target) as unknown;
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/** What a log says, without its clock or positions: stream, revision, type, data. */
const contentOf = async (store: EventStore) =>
  (await collect(store.readAll())).map((e) => {
    const { throughPosition: _t, ...data } = e.data;
    return [e.stream, e.revision, e.type, data];
  });

for (const [name, open] of [
  ['sqlite', (n: string) => new SqliteEventStore(join(dir, `${n}.db`))],
  ['memory', () => new MemoryEventStore()],
] as const) {
  describe(`a scenario file on a store without atomic batches (${name}, made so)`, () => {
    it('writes it append by append, with the close counting the positions its commitments were written at', async () => {
      const store = open(`${name}-whole`);
      const result = await new ScenarioService(nonAtomic(store)).apply(scenario('first-close.json'));
      expect(result).toMatchObject({ commands: 9, eventsWritten: 9 });
      const atomic = open(`${name}-atomic`);
      await new ScenarioService(atomic).apply(scenario('first-close.json'));
      expect(await contentOf(store)).toEqual(await contentOf(atomic));
      const [close] = await collect(store.readAll({ eventTypes: ['CloseHeld'] }));
      const commitments = await collect(store.readAll({ eventTypes: ['CapitalCommitted'] }));
      expect(close.data.throughPosition).toBe(commitments.at(-1)!.position);
      expect((await store.verify()).ok).toBe(true);
      await Promise.all([store.close(), atomic.close()]);
    });

    it('fails between two streams leaving the appends before it written, in order, and applying the file again writes the rest', async () => {
      const store = open(`${name}-broken`);
      // first-close.json: establish, fx rate, four commitments (each on its LP's stream), milestone, close, call.
      const failure = new ScenarioService(nonAtomic(store, 5)).apply(scenario('first-close.json'));
      await expect(failure).rejects.toBeInstanceOf(ScenarioPartlyWrittenError);
      await expect(failure).rejects.toMatchObject({ code: 'PARTLY_WRITTEN', eventsWritten: 4, attempt: { events: 9, appends: 4 } });
      await expect(failure).rejects.toThrow(
        /at least 4 of 9 events were written \(4 appends, in order\) before it stopped: connection lost before append 5 .*apply the same file again/,
      );
      expect((await collect(store.readAll())).map((e) => e.type)).toEqual(['FundEstablished', 'FxRateRecorded', 'CapitalCommitted', 'CapitalCommitted']);
      expect((await store.verify()).ok).toBe(true);

      const again = await new ScenarioService(nonAtomic(store)).apply(scenario('first-close.json'));
      expect(again.eventsWritten).toBe(5);
      const atomic = open(`${name}-reference`);
      await new ScenarioService(atomic).apply(scenario('first-close.json'));
      expect(await contentOf(store)).toEqual(await contentOf(atomic));
      const [close] = await collect(store.readAll({ eventTypes: ['CloseHeld'] }));
      expect(close.data).toMatchObject({ pendingCount: 4, admittedUsd: '200000020000.00' });
      expect((await store.verify()).ok).toBe(true);
      await Promise.all([store.close(), atomic.close()]);
    });

    it('decides the file again when another writer commits to the fund while it is written, so a close counts only what it decided on', async () => {
      const store = open(`${name}-raced`);
      // Between the file's commitments (before append 5 of first-close.json), the platform records
      // one more: it lands below the positions the close will count.
      const racing = nonAtomic(store, undefined, async (append) => {
        if (append === 5)
          await new FundCommandService(store).execute('usjp', {
            type: 'CommitCapital',
            data: { lpId: 'retail-us-000077', kind: 'retail', country: 'US', amount: '5000.00', currency: 'USD' },
            metadata: { actor: 'retail-platform', effectiveDate: '2026-06-20' },
          });
      });
      const result = await new ScenarioService(racing).apply(scenario('first-close.json'));
      expect(result.commands).toBe(9);
      const [close] = await collect(store.readAll({ eventTypes: ['CloseHeld'] }));
      // Decided again on the log with the fifth commitment: the close admits what it counted.
      expect(close.data).toMatchObject({ pendingCount: 5, admittedUsd: '200000025000.00' });
      const sheet = await new FundQueryService(store).balanceSheet('usjp', { asOf: '2026-12-31' });
      expect(sheet.commitments.admitted).toBe('200000025000.00');
      expect((await store.verify()).ok).toBe(true);
      await store.close();
    });
  });
}

describe('the demo on EventStoreDB (simulated server, positions as byte offsets, projections on)', () => {
  it('loads append by append and gives the same books as on SQLite, every close counting the right commitments', async () => {
    const esdb = new EventStoreDbEventStore('esdb://simulated:2113?tls=false', { client: new SimulatedEsdb({ projections: true }).client });
    const sqlite = new SqliteEventStore(join(dir, 'demo.db'));
    const load = (store: EventStore) => new DemoService(store, new ScenarioService(store)).load({ retailLps: 60 });
    const [onEsdb, onSqlite] = [await load(esdb), await load(sqlite)];
    expect(onEsdb.eventsWritten).toBe(onSqlite.eventsWritten);
    // Positions there are sparse byte offsets: the closes' throughPosition had to be mapped.
    expect(onEsdb.toPosition).toBeGreaterThan(onSqlite.toPosition! * 10);
    for (const asOf of ['2026-12-31', '2030-12-31', '2035-12-31']) {
      const [a, b] = await Promise.all([
        new FundQueryService(esdb).balanceSheet('usjp', { asOf }),
        new FundQueryService(sqlite).balanceSheet('usjp', { asOf }),
      ]);
      expect(a).toEqual(b);
    }
    expect(await esdb.verify()).toMatchObject({ ok: true, count: onEsdb.eventsWritten });
    await Promise.all([esdb.close(), sqlite.close()]);
  }, 120_000);
});
