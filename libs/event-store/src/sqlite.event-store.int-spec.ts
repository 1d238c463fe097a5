import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvalidAppendError, WrongExpectedRevisionError } from './errors';
import { SchemaVersionError, SqliteEventStore } from './sqlite.event-store';
import { collect, commitment, eventStoreContract } from './testing/event-store.contract';

const dir = mkdtempSync(join(tmpdir(), 'fundsim-sqlite-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const freshPath = (): string => join(dir, `store-${++n}.db`);

eventStoreContract('sqlite', {
  atomicBatches: true,
  open: async () => new SqliteEventStore(freshPath(), { pollMs: 20 }),
  tamper: async (store, event) => {
    // Someone with the file and a SQL prompt changes one committed amount.
    const db = new Database((store as SqliteEventStore).path);
    db.prepare('UPDATE events SET data = ? WHERE position = ?').run(JSON.stringify({ ...event.data, amount: '999999.00' }), event.position);
    db.close();
  },
});

describe('SqliteEventStore on disk', () => {
  it('creates the directory on demand and keeps events across reopening', async () => {
    const path = join(dir, 'nested', 'deeper', 'fundsim.db');
    const first = new SqliteEventStore(path);
    await first.append('lp-1', [commitment('lp-1', '10000.00')]);
    await first.close();
    const again = new SqliteEventStore(path);
    const events = await collect(again.readAll());
    expect(events.map((e) => e.data.amount)).toEqual(['10000.00']);
    expect((await again.verify()).ok).toBe(true);
    await again.close();
  });

  it('opens a file written before event versions: the column is added, old events read and verify as they were', async () => {
    const path = freshPath();
    const first = new SqliteEventStore(path);
    await first.append('lp-1', [commitment('lp-1', '1.00'), commitment('lp-1', '2.00')]);
    const before = await first.verify();
    await first.close();
    // The file as an older fundsim left it: no schema_version column.
    const db = new Database(path);
    db.exec('ALTER TABLE events DROP COLUMN schema_version');
    db.close();
    const reopened = new SqliteEventStore(path);
    expect(await reopened.verify()).toEqual(before);
    await reopened.append('lp-1', [commitment('lp-1', '3.00', { schemaVersion: 2 })]);
    const events = await collect(reopened.readAll());
    expect(events.map((e) => e.metadata.schemaVersion)).toEqual([undefined, undefined, 2]);
    expect((await reopened.verify()).ok).toBe(true);
    await reopened.close();
  });

  it('runs in WAL mode with synchronous set explicitly', async () => {
    const store = new SqliteEventStore(freshPath());
    const db = new Database(store.path, { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
    await store.close();
  });

  it('enforces one event per (stream, revision) even for a writer that bypasses the adapter', async () => {
    const store = new SqliteEventStore(freshPath());
    await store.append('lp-1', [commitment('lp-1', '1.00')]);
    const db = new Database(store.path);
    const sneak = () =>
      db
        .prepare(
          "INSERT INTO events (position, id, stream, revision, type, data, actor, effective_date, recorded_at, hash) VALUES (99, 'x', 'lp-1', 0, 'T', '{}', 'a', '2026-01-01', 'now', 'h')",
        )
        .run();
    expect(sneak).toThrow(/UNIQUE/);
    db.close();
    await store.close();
  });

  it('sees appends made by another connection (another process) in readAll and subscriptions', async () => {
    const path = freshPath();
    const reader = new SqliteEventStore(path, { pollMs: 10 });
    const writer = new SqliteEventStore(path);
    const seen: string[] = [];
    const subscription = reader.subscribe().subscribe((e) => seen.push(e.stream));
    await writer.append('lp-a', [commitment('a', '1.00')]);
    await writer.append('lp-b', [commitment('b', '1.00')]);
    for (let i = 0; i < 100 && seen.length < 2; i++) await new Promise((r) => setTimeout(r, 10));
    subscription.unsubscribe();
    expect(seen).toEqual(['lp-a', 'lp-b']);
    expect((await collect(reader.readAll())).length).toBe(2);
    await writer.close();
    await reader.close();
  });

  it('names the position of a deleted event', async () => {
    const store = new SqliteEventStore(freshPath());
    for (let i = 0; i < 4; i++) await store.append(`lp-${i}`, [commitment(`lp-${i}`, '1.00')]);
    const db = new Database(store.path);
    db.prepare('DELETE FROM events WHERE position = 2').run();
    db.close();
    const result = await store.verify();
    expect(result).toMatchObject({ ok: false, position: 3, count: 1 });
    await store.close();
  });

  it('writes concurrent appends in one transaction, answering each with its own result', async () => {
    const store = new SqliteEventStore(freshPath());
    await store.append('lp-taken', [commitment('taken', '1.00')]);
    const before = store.writeStats;
    const ok = Array.from({ length: 50 }, (_, i) => store.append(`lp-${i}`, [commitment(`lp-${i}`, `${i + 1}.00`)], { expectedRevision: 'no-stream' }));
    const conflict = store.append('lp-taken', [commitment('taken', '2.00')], { expectedRevision: 'no-stream' });
    const invalid = store.append('lp-invalid', []);
    // A call whose second request conflicts loses its first one too: a call is all or nothing.
    const halfBatch = store.appendBatch([
      { stream: 'lp-half', events: [commitment('half', '3.00')], expectedRevision: 'no-stream' },
      { stream: 'lp-taken', events: [commitment('taken', '4.00')], expectedRevision: 5 },
    ]);
    const late = store.append('lp-late', [commitment('late', '5.00')]);
    const settled = await Promise.allSettled([...ok, conflict, invalid, halfBatch, late]);

    expect(store.writeStats.transactions - before.transactions).toBe(1);
    expect(store.writeStats.calls - before.calls).toBe(54);
    const results = settled.map((s) => (s.status === 'fulfilled' ? s.value : s.reason));
    expect(results.slice(0, 50).map((r) => (r as { position: number }).position)).toEqual(Array.from({ length: 50 }, (_, i) => i + 2));
    expect(results[50]).toBeInstanceOf(WrongExpectedRevisionError);
    expect(results[51]).toBeInstanceOf(InvalidAppendError);
    expect(results[52]).toBeInstanceOf(WrongExpectedRevisionError);
    expect(results[53]).toMatchObject({ position: 52, written: true });
    expect(await store.streamRevision('lp-half')).toBeUndefined();
    expect(await store.streamRevision('lp-taken')).toBe(0);
    const all = await collect(store.readAll());
    expect(all.map((e) => e.position)).toEqual(Array.from({ length: 52 }, (_, i) => i + 1));
    expect(await store.verify()).toMatchObject({ ok: true, count: 52 });
    await store.close();
  });

  it('fails the whole group, writing nothing, when an error rolls the whole transaction back (disk full)', async () => {
    const store = new SqliteEventStore(freshPath());
    for (let i = 0; i < 3; i++) await store.append(`lp-${i}`, [commitment(`lp-${i}`, '1.00')]);
    // The file may not grow past what it is now: the big append fills the disk mid-group.
    const db = (store as unknown as { db: Database.Database }).db;
    db.pragma(`max_page_count = ${(db.pragma('page_count', { simple: true }) as number) + 1}`);
    const calls = [
      store.append('lp-small-1', [commitment('a', '1.00')]),
      store.append('lp-big', [{ ...commitment('b', '2.00'), data: { ...commitment('b', '2.00').data, note: 'x'.repeat(200_000) } }]),
      store.append('lp-small-2', [commitment('c', '3.00')]),
    ];
    const settled = await Promise.allSettled(calls);
    expect(settled.map((s) => s.status)).toEqual(['rejected', 'rejected', 'rejected']);
    db.pragma('max_page_count = 1073741823');
    expect(await store.headPosition()).toBe(3);
    expect(await store.verify()).toMatchObject({ ok: true, count: 3 });
    // And the store goes on writing after it.
    expect(await store.append('lp-after', [commitment('d', '4.00')])).toMatchObject({ position: 4 });
    expect(await store.verify()).toMatchObject({ ok: true, count: 4 });
    await store.close();
  });

  it('refuses a file written by another schema version', async () => {
    const path = freshPath();
    await new SqliteEventStore(path).close();
    const db = new Database(path);
    db.prepare("UPDATE store_meta SET value = '999' WHERE key = 'schema_version'").run();
    db.close();
    expect(() => new SqliteEventStore(path)).toThrow(SchemaVersionError);
  });
});
