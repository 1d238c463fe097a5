import { EventShapeError } from '@fundsim/domain';
import { MemoryEventStore, SqliteEventStore, type AppendOptions, type EventStore, type NewEvent } from '@fundsim/event-store';
import { EventStoreDbEventStore } from '@fundsim/event-store/eventstoredb.event-store';
import { collect } from '@fundsim/event-store/testing/event-store.contract';
import { SimulatedEsdb } from '@fundsim/event-store/testing/simulated-esdb';
import Database from 'better-sqlite3';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DemoService } from '../scenarios/demo/demo.service';
import { FundQueryService } from '../queries/fund-queries.service';
import { copyLog, CopyIncompleteError, CopyMismatchError, CopyTargetNotEmptyError } from './log-copy';
import { ScenarioService } from '../scenarios/scenario';
import { importsStream } from '../streams';

const dir = mkdtempSync(join(tmpdir(), 'fundsim-copy-'));
let source: SqliteEventStore;

beforeAll(async () => {
  // The demo (closes, corrections, leverage) and an imported file (its record names positions).
  source = new SqliteEventStore(join(dir, 'source.db'));
  await new DemoService(source, new ScenarioService(source)).load({ retailLps: 60 });
  const file = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', '..', 'scenarios', 'first-close.json'), 'utf8')) as { fundId: string };
  await new ScenarioService(source).apply(JSON.stringify({ ...file, fundId: 'second' }), undefined, { importedBy: 'os:alice' });
}, 120_000);
afterAll(async () => {
  await source.close();
  rmSync(dir, { recursive: true, force: true });
});

const sheets = (store: EventStore) =>
  Promise.all(['2026-12-31', '2030-12-31', '2035-12-31'].map((asOf) => new FundQueryService(store).balanceSheet('usjp', { asOf })));

describe('copying a log into an empty store', () => {
  for (const [name, open] of [
    ['memory (atomic batches, dense positions)', () => new MemoryEventStore()],
    [
      'EventStoreDB (simulated server: append by append, positions as byte offsets)',
      () => new EventStoreDbEventStore('esdb://simulated:2113?tls=false', { client: new SimulatedEsdb({ projections: true }).client }),
    ],
  ] as const) {
    it(`copies every event, verifies, and gives the same books: ${name}`, async () => {
      const target = open();
      const progress: number[] = [];
      const result = await copyLog(source, target, (copied) => progress.push(copied));
      const all = await collect(source.readAll());
      expect(result.events).toBe(all.length);
      expect(result.streams).toBe(new Set(all.map((e) => e.stream)).size);
      expect(progress.at(-1)).toBe(all.length);
      expect(await sheets(target)).toEqual(await sheets(source));
      // The import's record names the positions its events took in the copy.
      const [imported] = await collect(target.readStream(importsStream('second')));
      const copied = await collect(target.readAll({ streamPrefix: 'fund-second' }));
      expect([imported.data.fromPosition, imported.data.toPosition]).toEqual([copied[0].position, copied.at(-1)!.position]);
      await expect(copyLog(source, target)).rejects.toBeInstanceOf(CopyTargetNotEmptyError);
      await target.close();
    }, 120_000);
  }

  it('refuses a copy that does not read back as the source', async () => {
    const memory = new MemoryEventStore();
    // A target that loses a field of every FxRateRecorded it is given.
    const lossy = new Proxy(memory, {
      get(target, key) {
        if (key === 'appendBatch') {
          return (requests: Iterable<{ stream: string; events: NewEvent[] } & AppendOptions>, options: object) =>
            target.appendBatch(
              [...requests].map((r) => ({
                ...r,
                events: r.events.map((e) => (e.type === 'FxRateRecorded' ? { ...e, data: { ...e.data, pair: 'EUR/USD' } } : e)),
              })),
              options,
            );
        }
        const value = Reflect.get(target, key, target) as unknown;
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const failure = copyLog(source, lossy);
    await expect(failure).rejects.toBeInstanceOf(CopyIncompleteError);
    await expect(failure).rejects.toMatchObject({ failure: expect.any(CopyMismatchError) });
    await expect(failure).rejects.toThrow(/does not read back .* holds a partial copy: give the next copy an empty store/);
    await expect(copyLog(source, new MemoryEventStore()).then(() => 'ok')).resolves.toBe('ok');
  }, 60_000);

  it('refuses a source holding a malformed event before writing anything, naming the event, its type and the field', async () => {
    const path = join(dir, 'corrupted.db');
    const corrupted = new SqliteEventStore(path);
    await new ScenarioService(corrupted).apply(readFileSync(join(__dirname, '..', '..', '..', '..', 'scenarios', 'first-close.json'), 'utf8'));
    const [call] = await collect(corrupted.readAll({ eventTypes: ['CapitalCalled'] }));
    await corrupted.close();
    // Someone edits the file: the call's percentage becomes a number.
    const db = new Database(path);
    db.prepare('UPDATE events SET data = ? WHERE position = ?').run(JSON.stringify({ ...call.data, percentage: 0.25 }), call.position);
    db.close();

    const reopened = new SqliteEventStore(path);
    const target = new MemoryEventStore();
    const copying = copyLog(reopened, target);
    await expect(copying).rejects.toBeInstanceOf(EventShapeError);
    await expect(copying).rejects.toThrow(`event ${call.position} (CapitalCalled): data.percentage must be a decimal string, got 0.25`);
    expect(await target.headPosition()).toBe(0);
    await reopened.close();
  });
});
