import { Client } from 'pg';
import { randomUUID } from 'node:crypto';
import { firstValueFrom, filter, take, toArray } from 'rxjs';
import { PostgresEventStore } from './postgres.event-store';
import { lsnBytes, ReadReplicaEventStore } from './postgres.read-replica';
import { collect, commitment, eventStoreContract } from './testing/event-store.contract';
import { replicatedPostgresForTests, type ReplicatedPostgres } from './testing/postgres-replica';

/**
 * A PostgreSQL primary and a real streaming replica of it (pg_basebackup -R into a second
 * cluster), and the store that appends to the first and reads from the second. The whole store
 * contract runs through it (every read right after an append: read-your-writes), then the cases
 * the replica brings: its replay paused, reads still see every write (from the primary, counted),
 * the lag is measured, and reads return to the replica once it catches up.
 */
let pg: ReplicatedPostgres;
const freshSchema = (): string => `r_${randomUUID().replace(/-/g, '').slice(0, 12)}`;

const openReplicated = (schema = freshSchema(), waitMs = 2000) =>
  new ReadReplicaEventStore(
    new PostgresEventStore(pg.primary.url, { schema, pollMs: 50 }),
    new PostgresEventStore(pg.replica.url, { schema, pollMs: 50, readOnly: true }),
    { waitMs, pollMs: 50 },
  );

async function sql<R>(url: string, text: string, values: unknown[] = []): Promise<R[]> {
  const client = new Client(url);
  await client.connect();
  try {
    return (await client.query(text, values)).rows as R[];
  } finally {
    await client.end();
  }
}

/** Waits until the replica has replayed everything the primary has written so far (edits that move no position included). */
async function replicaCaughtUp(): Promise<void> {
  // The insert position: the test cluster commits asynchronously, so the write position may not include the last commit yet.
  const [{ lsn }] = await sql<{ lsn: string }>(pg.primary.url, 'SELECT pg_current_wal_insert_lsn()::text AS lsn');
  for (let i = 0; i < 500; i++) {
    const [{ replayed }] = await sql<{ replayed: string }>(pg.replica.url, 'SELECT pg_last_wal_replay_lsn()::text AS replayed');
    if (lsnBytes(replayed) >= lsnBytes(lsn)) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('the replica did not replay the primary within 5 s');
}

beforeAll(async () => {
  pg = await replicatedPostgresForTests();
  process.stdout.write(`Read-replica suite: primary ${pg.primary.origin}, ${pg.replica.origin}\n`);
}, 120_000);
afterAll(async () => {
  await pg?.stop();
}, 60_000);

eventStoreContract('postgres, read from a streaming replica', {
  atomicBatches: true,
  open: async () => openReplicated(),
  tamper: async (store, event) => {
    // An edit on the primary moves no position: the test waits for the replica to replay it before it verifies there.
    const schema = (store as ReadReplicaEventStore).primary.description.match(/schema (\w+)/)?.[1];
    await sql(pg.primary.url, `UPDATE "${schema}".events SET data = $1 WHERE position = $2`, [
      JSON.stringify({ ...event.data, amount: '999999.00' }),
      event.position,
    ]);
    await replicaCaughtUp();
  },
});

describe('a node reading from a streaming replica', () => {
  it('reads from the replica, and never a log shorter than the primary has shown it, even with replay paused', async () => {
    const store = openReplicated();
    const other = openReplicated(store.primary.description.match(/schema (\w+)/)![1]);
    try {
      await store.append('lp-1', [commitment('lp-1', '100.00')], { expectedRevision: 'no-stream' });
      expect(await collect(store.readStream('lp-1'))).toHaveLength(1);
      expect(store.primaryReads).toBe(0);

      await pg.pauseReplay();
      try {
        // This node's own write, and another node's it learns of from the primary's head or a stream's revision.
        await store.append('lp-1', [commitment('lp-1', '200.00')], { expectedRevision: 0 });
        await other.append('lp-2', [commitment('lp-2', '300.00')], { expectedRevision: 'no-stream' });
        const started = Date.now();
        expect((await collect(store.readStream('lp-1'))).map((e) => e.data.amount)).toEqual(['100.00', '200.00']);
        expect(Date.now() - started).toBeGreaterThanOrEqual(1900);
        expect(await store.streamRevision('lp-2')).toBe(0);
        expect((await collect(store.readStream('lp-2'))).map((e) => e.data.amount)).toEqual(['300.00']);
        expect(await store.headPosition()).toBe(3);
        expect((await collect(store.readAll())).map((e) => e.position)).toEqual([1, 2, 3]);
        expect(store.primaryReads).toBeGreaterThanOrEqual(3);

        // The lag as an operator sees it: positions, WAL bytes, seconds.
        await new Promise((resolve) => setTimeout(resolve, 1100));
        const lag = await store.replicaLag();
        expect(lag).toMatchObject({ reachable: true, events: 2 });
        if (!lag.reachable) throw new Error('unreachable');
        expect(lag.bytes).toBeGreaterThan(0);
        expect(lag.seconds).toBeGreaterThan(1);
        // The replica itself still holds one event: what a node without the floor would have read.
        expect(await store.replica.headPosition()).toBe(1);
      } finally {
        await pg.resumeReplay();
      }
      await replicaCaughtUp();
      const reads = store.primaryReads;
      expect((await collect(store.readAll())).map((e) => e.position)).toEqual([1, 2, 3]);
      expect(store.primaryReads).toBe(reads);
      // Caught up (the server may write a little WAL of its own meanwhile: read again until it is replayed too).
      let lag = await store.replicaLag();
      for (let i = 0; i < 50 && lag.reachable && lag.bytes > 0; i++) lag = (await replicaCaughtUp(), await store.replicaLag());
      expect(lag).toMatchObject({ reachable: true, events: 0, bytes: 0, seconds: 0 });
    } finally {
      await store.close();
      await other.close();
    }
  }, 30_000);

  it('wakes subscribers on the primary’s NOTIFY and serves their pages from the replica', async () => {
    const schema = freshSchema();
    const subscriber = openReplicated(schema);
    const writer = new PostgresEventStore(pg.primary.url, { schema });
    try {
      await subscriber.headPosition(); // the schema exists on the primary before anyone subscribes
      const received = firstValueFrom(
        subscriber.subscribe({ fromPosition: 0 }).pipe(
          filter((e) => e.stream.startsWith('lp-')),
          take(3),
          toArray(),
        ),
      );
      for (const lp of ['lp-a', 'lp-b', 'lp-c']) await writer.append(lp, [commitment(lp, '10.00')], { expectedRevision: 'no-stream' });
      expect((await received).map((e) => e.stream)).toEqual(['lp-a', 'lp-b', 'lp-c']);
    } finally {
      await subscriber.close();
      await writer.close();
    }
  }, 30_000);

  it('refuses appends on the replica itself, and reads the primary at once when the replica does not answer', async () => {
    const schema = freshSchema();
    const replicaOnly = new PostgresEventStore(pg.replica.url, { schema, readOnly: true });
    await expect(replicaOnly.append('lp-x', [commitment('lp-x', '1.00')])).rejects.toThrow(/read replica/);
    await replicaOnly.close();
    const store = new ReadReplicaEventStore(
      new PostgresEventStore(pg.primary.url, { schema }),
      new PostgresEventStore('postgres://fundsim@127.0.0.1:1/postgres', { schema, readOnly: true }),
    );
    try {
      await store.append('lp-x', [commitment('lp-x', '1.00')], { expectedRevision: 'no-stream' });
      const started = Date.now();
      expect(await collect(store.readStream('lp-x'))).toHaveLength(1);
      expect(await collect(store.readStream('lp-x'))).toHaveLength(1);
      expect(Date.now() - started).toBeLessThan(1500);
      expect(store.primaryReads).toBe(2);
      expect(await store.replicaLag()).toMatchObject({ reachable: false, primaryReads: 2 });
    } finally {
      await store.close();
    }
  }, 30_000);
});
