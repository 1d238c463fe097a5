import { Client } from 'pg';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { join } from 'node:path';
import { InvalidAppendError, StoreUnavailableError, WrongExpectedRevisionError } from './errors';
import type { StoredEvent } from './event-store.port';
import { PostgresEventStore } from './postgres.event-store';
import { PostgresSchemaVersionError } from './postgres.schema';
import { collect, commitment, eventStoreContract } from './testing/event-store.contract';
import { postgresForTests, type PostgresForTests } from './testing/postgres-cluster';

/**
 * The shared contract against a real PostgreSQL: a throwaway cluster this file starts (initdb as
 * an unprivileged user, a free port), or the server FUNDSIM_PG_URL names. Each test gets a schema
 * of its own, so every store starts empty. Never skipped: without a server it fails, saying how to
 * get one.
 */
let server: PostgresForTests;
const schemas: string[] = [];
const freshSchema = (): string => {
  const schema = `t_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  schemas.push(schema);
  return schema;
};
const openStore = (schema = freshSchema(), options: { pollMs?: number } = {}) => new PostgresEventStore(server.url, { schema, pollMs: options.pollMs ?? 50 });

async function sql(text: string, values: unknown[] = []): Promise<unknown[]> {
  const client = new Client(server.url);
  await client.connect();
  try {
    return (await client.query(text, values)).rows;
  } finally {
    await client.end();
  }
}

const schemaOf = (store: PostgresEventStore): string => (store as unknown as { tables: { schema: string } }).tables.schema;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
  server = await postgresForTests();
  process.stdout.write(`PostgreSQL contract suite: running against ${server.origin}\n`);
}, 120_000);
afterAll(async () => {
  if (!server) return;
  if (process.env.FUNDSIM_PG_URL) for (const schema of schemas) await sql(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await server.stop();
}, 60_000);

eventStoreContract('postgres', {
  atomicBatches: true,
  open: async () => openStore(),
  tamper: async (store, event) => {
    // Someone with a SQL prompt changes one committed amount.
    await sql(`UPDATE "${schemaOf(store as PostgresEventStore)}".events SET data = $1 WHERE position = $2`, [
      JSON.stringify({ ...event.data, amount: '999999.00' }),
      event.position,
    ]);
  },
});

describe('PostgresEventStore on a real server', () => {
  it('gives readers every event, in order, with no gap, while writers on several connections (nodes) append at once', async () => {
    const schema = freshSchema();
    const nodes = Array.from({ length: 4 }, () => openStore(schema));
    const reader = openStore(schema);
    const WRITERS_PER_NODE = 4;
    const APPENDS = 40;
    let writing = true;
    // A reader that polls the log as a catch-up does: each read starts after the last position it
    // saw, so an event committed late behind a higher position would be skipped for good.
    const seen: StoredEvent[] = [];
    const polling = (async () => {
      let next = 1;
      while (writing || next <= (await reader.headPosition())) {
        for await (const e of reader.readAll({ fromPosition: next })) {
          seen.push(e);
          next = e.position + 1;
        }
      }
    })();
    const live: StoredEvent[] = [];
    const subscription = reader.subscribe().subscribe((e) => live.push(e));
    const acknowledged = await Promise.all(
      nodes.flatMap((node, n) =>
        Array.from({ length: WRITERS_PER_NODE }, async (_, w) => {
          const results = [];
          for (let i = 0; i < APPENDS; i++) {
            const lp = `lp-${n}-${w}-${i}`;
            // Single appends and two-stream batches, so transactions of different sizes interleave.
            if (i % 3 === 0) results.push(...(await node.appendBatch([1, 2].map((k) => ({ stream: `${lp}-${k}`, events: [commitment(lp, `${k}.00`)] })))));
            else results.push(await node.append(lp, [commitment(lp, '1.00'), commitment(lp, '2.00')]));
          }
          return results;
        }),
      ),
    );
    writing = false;
    await polling;
    const head = await reader.headPosition();
    for (let i = 0; i < 200 && live.length < head; i++) await pause(25);
    subscription.unsubscribe();

    const all = await collect(reader.readAll());
    expect(all.map((e) => e.position)).toEqual(Array.from({ length: head }, (_, i) => i + 1));
    expect(seen.map((e) => e.position)).toEqual(all.map((e) => e.position));
    expect(live.map((e) => e.position)).toEqual(all.map((e) => e.position));
    // Every acknowledged append is in the log at the position it was told, exactly once.
    const byPosition = new Map(all.map((e) => [e.position, e]));
    expect(acknowledged.flat().every((r) => r.written && byPosition.has(r.position))).toBe(true);
    expect(head).toBe(4 * WRITERS_PER_NODE * APPENDS * 2);
    // The clock is read once an append holds the head: recordedAt grows with the position.
    expect(all.every((e, i) => i === 0 || e.metadata.recordedAt >= all[i - 1].metadata.recordedAt)).toBe(true);
    expect(await reader.verify()).toMatchObject({ ok: true, count: head });
    await Promise.all([...nodes, reader].map((s) => s.close()));
  }, 120_000);

  it('writes concurrent appends in a few transactions (group commit), answering each with its own result', async () => {
    const store = openStore();
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
    // What PostgreSQL's text cannot hold (a NUL character) is refused with its call alone.
    const refusedByServer = store.append('lp-\u0000', [commitment('nul', '1.00')]);
    const late = store.append('lp-late', [commitment('late', '5.00')]);
    // A caller whose requests, made from the head, throw fails alone too.
    const throwing = store.appendBatch(() => {
      throw new Error('decided wrong');
    });
    const settled = await Promise.allSettled([...ok, conflict, invalid, halfBatch, refusedByServer, late, throwing]);

    const stats = store.writeStats;
    expect(stats.calls - before.calls).toBe(56);
    expect(stats.transactions - before.transactions).toBeLessThanOrEqual(3);
    const results = settled.map((s) => (s.status === 'fulfilled' ? s.value : s.reason));
    expect(results.slice(0, 50).map((r) => (r as { position: number }).position)).toEqual(Array.from({ length: 50 }, (_, i) => i + 2));
    expect(results[50]).toBeInstanceOf(WrongExpectedRevisionError);
    expect(results[51]).toBeInstanceOf(InvalidAppendError);
    expect(results[52]).toBeInstanceOf(WrongExpectedRevisionError);
    expect(results[53]).toBeInstanceOf(InvalidAppendError);
    expect(results[54]).toMatchObject({ position: 52, written: true });
    expect(results[55]).toEqual(new Error('decided wrong'));
    expect(await store.streamRevision('lp-half')).toBeUndefined();
    expect(await store.streamRevision('lp-taken')).toBe(0);
    expect((await collect(store.readAll())).map((e) => e.position)).toEqual(Array.from({ length: 52 }, (_, i) => i + 1));
    expect(await store.verify()).toMatchObject({ ok: true, count: 52 });
    await store.close();
  });

  it('undoes a bulk call that sent rows early and then failed, alone in its group; a retry in the same group answers as the first', async () => {
    const store = openStore();
    await store.append('lp-taken', [commitment('taken', '1.00')]);
    const before = store.writeStats;
    // The first call goes alone; the rest, made while it is written, share one transaction.
    const first = store.append('lp-first', [commitment('first', '1.00')]);
    const small = store.append('lp-small', [commitment('small', '1.00', { commandId: 'k-small' })]);
    const bulk = store.appendBatch([
      ...Array.from({ length: 5000 }, (_, i) => ({ stream: `bulk-${i}`, events: [commitment(`bulk-${i}`, '1.00')] })),
      { stream: 'lp-taken', events: [commitment('taken', '2.00')], expectedRevision: 'no-stream' as const },
    ]);
    const retry = store.append('lp-small', [commitment('small', '1.00', { commandId: 'k-small' })]);
    const after = store.append('lp-after', [commitment('after', '1.00')]);
    const [, smallResult, bulkResult, retryResult, afterResult] = await Promise.allSettled([first, small, bulk, retry, after]);

    expect(store.writeStats.transactions - before.transactions).toBe(2);
    expect(smallResult).toMatchObject({ status: 'fulfilled', value: { position: 3, written: true } });
    expect(bulkResult).toMatchObject({ status: 'rejected', reason: expect.any(WrongExpectedRevisionError) });
    expect(retryResult).toMatchObject({ status: 'fulfilled', value: { position: 3, written: false } });
    expect(afterResult).toMatchObject({ status: 'fulfilled', value: { position: 4, written: true } });
    expect(await store.streamRevision('bulk-0')).toBeUndefined();
    expect((await collect(store.readAll())).map((e) => e.stream)).toEqual(['lp-taken', 'lp-first', 'lp-small', 'lp-after']);
    expect(await store.verify()).toMatchObject({ ok: true, count: 4 });
    await store.close();
  });

  it('loses nothing acknowledged and keeps only whole batches when writer processes are killed mid-ingest, the others going on', async () => {
    const schema = freshSchema();
    const url = new URL(server.url);
    url.searchParams.set('schema', schema);
    // Each child appends batches of 50 streams x 4 events, printing each batch it has committed.
    const children = ['a', 'b'].map((tag) => {
      const child = spawn(process.execPath, ['--require', 'tsx/cjs', join(__dirname, 'testing', 'ingest-child.ts'), url.toString(), tag], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const state = { committed: 0, stderr: '', exited: once(child, 'exit') };
      child.stdout.on('data', (chunk: Buffer) => (state.committed = Number(chunk.toString().trim().split('\n').at(-1))));
      child.stderr.on('data', (chunk) => (state.stderr += chunk));
      return { tag, child, state };
    });
    const until = async (test: () => boolean) => {
      for (let i = 0; i < 1200 && !test(); i++) await pause(25);
      expect({ reached: test(), stderr: children.map((c) => c.state.stderr).join('') }).toEqual({ reached: true, stderr: '' });
    };
    const [a, b] = children;
    await until(() => a.state.committed >= 8 && b.state.committed >= 1);
    a.child.kill('SIGKILL');
    const [, signal] = await a.state.exited;
    expect(signal).toBe('SIGKILL');
    // The killed writer's transaction (and the head row it may have held) is gone: the other goes on.
    const bAtKill = b.state.committed;
    await until(() => b.state.committed >= bAtKill + 5);
    b.child.kill('SIGKILL');
    await b.state.exited;

    const store = openStore(schema);
    const verified = await store.verify();
    expect(verified.ok).toBe(true);
    const perStream = new Map<string, number>();
    for (const event of await collect(store.readAll())) perStream.set(event.stream, (perStream.get(event.stream) ?? 0) + 1);
    expect([...perStream.values()].every((count) => count === 4)).toBe(true);
    for (const { tag, state } of children) {
      const batches = [...perStream.keys()].filter((stream) => stream.startsWith(`lp-${tag}-`)).length / 50;
      // Every batch a child was told was written is there; at most the one in flight more.
      expect(batches).toBeGreaterThanOrEqual(state.committed);
      expect(batches).toBeLessThanOrEqual(state.committed + 1);
    }
    expect(await store.append('lp-after', [commitment('after', '1.00')])).toMatchObject({ written: true });
    expect((await store.verify()).ok).toBe(true);
    await store.close();
  }, 90_000);

  it('holds an append until the writer before it commits: positions are taken in commit order', async () => {
    const store = openStore();
    await store.append('lp-0', [commitment('lp-0', '1.00')]);
    // Another node in the middle of an append: it holds the head row until it commits.
    const other = new Client(server.url);
    await other.connect();
    await other.query('BEGIN');
    await other.query(`SELECT position FROM "${schemaOf(store)}".head FOR UPDATE`);
    let done = false;
    const waiting = store.append('lp-1', [commitment('lp-1', '1.00')]).then((r) => ((done = true), r));
    await pause(300);
    expect(done).toBe(false);
    expect(await store.headPosition()).toBe(1);
    await other.query('COMMIT');
    await other.end();
    expect(await waiting).toMatchObject({ position: 2, written: true });
    await store.close();
  });

  it('wakes a subscriber with NOTIFY when another node appends, long before its poll', async () => {
    const schema = freshSchema();
    const subscriber = openStore(schema, { pollMs: 60_000 });
    const writer = openStore(schema);
    await writer.headPosition();
    const seen: string[] = [];
    const subscription = subscriber.subscribe().subscribe((e) => seen.push(e.stream));
    // Let the LISTEN connection open and the catch-up find the log empty.
    await pause(500);
    await writer.append('lp-a', [commitment('a', '1.00')]);
    await writer.append('lp-b', [commitment('b', '1.00')]);
    for (let i = 0; i < 100 && seen.length < 2; i++) await pause(20);
    subscription.unsubscribe();
    expect(seen).toEqual(['lp-a', 'lp-b']);
    await Promise.all([subscriber.close(), writer.close()]);
  });

  it('listens again when its LISTEN connection is lost, and delivers what was appended meanwhile', async () => {
    const schema = freshSchema();
    const subscriber = openStore(schema, { pollMs: 60_000 });
    const writer = openStore(schema);
    await writer.headPosition();
    const seen: string[] = [];
    const subscription = subscriber.subscribe().subscribe((e) => seen.push(e.stream));
    await pause(500);
    // The server drops the subscriber's LISTEN connection (as a restart or a network cut would).
    const [{ killed }] = (await sql(
      "SELECT count(*)::int AS killed FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'fundsim-listen' AND pid <> pg_backend_pid()) t",
    )) as { killed: number }[];
    expect(killed).toBeGreaterThanOrEqual(1);
    await writer.append('lp-meanwhile', [commitment('meanwhile', '1.00')]);
    for (let i = 0; i < 150 && seen.length < 1; i++) await pause(20);
    await pause(200);
    await writer.append('lp-after', [commitment('after', '1.00')]);
    for (let i = 0; i < 100 && seen.length < 2; i++) await pause(20);
    subscription.unsubscribe();
    expect(seen).toEqual(['lp-meanwhile', 'lp-after']);
    await Promise.all([subscriber.close(), writer.close()]);
  });

  it('creates its schema with a version table, once, when several nodes start together', async () => {
    const schema = freshSchema();
    const nodes = Array.from({ length: 3 }, () => openStore(schema));
    expect(await Promise.all(nodes.map((s) => s.headPosition()))).toEqual([0, 0, 0]);
    expect(await sql(`SELECT version FROM "${schema}".schema_version`)).toEqual([{ version: 1 }]);
    await Promise.all(nodes.map((s) => s.close()));
  });

  it('runs on a migrated schema as a user that may only read and write its tables', async () => {
    const schema = freshSchema();
    await openStore(schema)
      .headPosition()
      .then(async () => {
        await sql(`DROP ROLE IF EXISTS "${schema}_app"`);
        await sql(`CREATE ROLE "${schema}_app" LOGIN`);
        await sql(`GRANT USAGE ON SCHEMA "${schema}" TO "${schema}_app"`);
        await sql(`GRANT SELECT, INSERT, UPDATE ON ALL TABLES IN SCHEMA "${schema}" TO "${schema}_app"`);
      });
    const url = new URL(server.url);
    url.username = `${schema}_app`;
    const store = new PostgresEventStore(url.toString(), { schema });
    await store.append('lp-1', [commitment('lp-1', '1.00', { commandId: 'k-1' })]);
    expect(await store.verify()).toMatchObject({ ok: true, count: 1 });
    await store.close();
    await sql(`DROP OWNED BY "${schema}_app"`);
    await sql(`DROP ROLE "${schema}_app"`);
  });

  it('refuses a schema written by a newer fundsim, in one line', async () => {
    const schema = freshSchema();
    await openStore(schema)
      .headPosition()
      .then(() => sql(`INSERT INTO "${schema}".schema_version (version) VALUES (999)`));
    const store = openStore(schema);
    const error = await store.headPosition().catch((e: unknown) => e as Error);
    expect(error).toBeInstanceOf(PostgresSchemaVersionError);
    expect((error as Error).message).toMatch(/at version 999; this fundsim knows versions up to 1/);
    await store.close();
  });

  it('names a database that does not exist in one line', async () => {
    const url = new URL(server.url);
    url.pathname = '/no_such_database';
    const store = new PostgresEventStore(url.toString());
    const error = await store.headPosition().catch((e: unknown) => e as Error);
    expect(error).toBeInstanceOf(StoreUnavailableError);
    expect((error as Error).message).toMatch(/^PostgreSQL at .*\/no_such_database has no such database \(.+\); create it, or name another in FUNDSIM_STORE$/);
    await store.close();
  });

  it('keeps every event across reopening, each log in its own schema', async () => {
    const schema = freshSchema();
    const first = openStore(schema);
    await first.append('lp-1', [commitment('lp-1', '10000.00', { commandId: 'k-1' })]);
    await first.close();
    const again = openStore(schema);
    expect((await collect(again.readAll())).map((e) => e.data.amount)).toEqual(['10000.00']);
    expect(await again.append('lp-1', [commitment('lp-1', '10000.00', { commandId: 'k-1' })])).toMatchObject({ written: false, position: 1 });
    const elsewhere = openStore();
    expect(await elsewhere.headPosition()).toBe(0);
    await Promise.all([again.close(), elsewhere.close()]);
  });

  it('hands a fold its pages in order while reading the next ahead: from a position, filtered, bounded, and stopped early', async () => {
    const store = openStore();
    try {
      // 10,000 events on two kinds of stream, in ten batches.
      for (let b = 0; b < 10; b++)
        await store.appendBatch(
          Array.from({ length: 100 }, (_, i) => {
            const n = b * 100 + i;
            return { stream: n % 2 === 0 ? `lp-${n}` : `other-${n}`, events: Array.from({ length: 10 }, () => commitment(`lp-${n}`, '1.00')) };
          }),
        );
      const pages = await collect(store.readAllPages({}));
      expect(pages.map((p) => p.length)).toEqual([4096, 4096, 1808]);
      expect(pages.flat().map((e) => e.position)).toEqual(Array.from({ length: 10_000 }, (_, i) => i + 1));
      const lps = (await collect(store.readAllPages({ streamPrefix: 'lp-', fromPosition: 2001 }))).flat();
      expect(lps).toHaveLength(4000);
      expect(lps.every((e) => e.stream.startsWith('lp-') && e.position >= 2001)).toBe(true);
      expect(lps.map((e) => e.position)).toEqual([...lps.map((e) => e.position)].sort((a, b) => a - b));
      expect((await collect(store.readAllPages({ fromPosition: 9001, maxCount: 5000 }))).flat()).toHaveLength(1000);
      expect((await collect(store.readAllPages({ maxCount: 5000 }))).flat().map((e) => e.position)).toEqual(Array.from({ length: 5000 }, (_, i) => i + 1));
      // A fold that stops after its first page leaves nothing pending: the store goes on and closes.
      for await (const page of store.readAllPages({})) {
        expect(page).toHaveLength(4096);
        break;
      }
      await store.append('after', [commitment('after', '1.00')]);
      expect(await store.headPosition()).toBe(10_001);
    } finally {
      await store.close();
    }
  });
});
