/**
 * npm run bench:store — the SQLite adapter against raw better-sqlite3, in the same run.
 *
 * Appends N commitment-sized events (one per LP stream, as retail subscriptions arrive) through
 * the adapter in batches, reads them all back through readAll, and does the same with raw
 * better-sqlite3: a one-transaction insert of the very rows the adapter wrote, and a select plus
 * JSON.parse. Prints events/s and the ratios. Targets: append >= 50% and read >= 70% of raw.
 *
 * These machines are noisy (the same raw insert varies by +-20% run to run), so each figure is
 * the median of BENCH_ROUNDS rounds, adapter and raw measured back to back in every round.
 *
 *   BENCH_EVENTS=1000000 BENCH_BATCH=10000 BENCH_SYNC=FULL BENCH_ROUNDS=3 npm run bench:store
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore, type AppendRequest } from '@fundsim/event-store';

const N = Number(process.env.BENCH_EVENTS ?? 1_000_000);
const BATCH = Number(process.env.BENCH_BATCH ?? 10_000);
const SYNC = (process.env.BENCH_SYNC ?? 'FULL') as 'FULL' | 'NORMAL';
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

const dir = mkdtempSync(join(tmpdir(), 'fundsim-bench-'));
const rate = (count: number, ms: number): string => `${Math.round((count / ms) * 1000).toLocaleString('en-US')} events/s`;

function commitmentRequest(i: number): AppendRequest {
  const lp = `lp-${String(i).padStart(7, '0')}`;
  const amount = `${(i % 90_000) + 10_000}.00`;
  return {
    stream: `lp-usjp-${lp}`,
    expectedRevision: 'no-stream',
    events: [
      {
        type: 'CapitalCommitted',
        data: { fundId: 'usjp', lpId: lp, kind: 'retail', country: i % 2 ? 'JP' : 'US', amount, currency: 'USD', amountUsd: amount },
        metadata: { actor: 'retail-platform', effectiveDate: '2027-03-31', correlationId: `sub-${i}`, commandId: `commit-${lp}` },
      },
    ],
  };
}

async function adapterAppend(path: string): Promise<number> {
  const store = new SqliteEventStore(path, { synchronous: SYNC });
  // Each batch is built with the clock stopped, as the raw baseline's rows are; building all
  // of them up front would instead leave a million live objects for the collector to trace.
  let ms = 0;
  for (let from = 0; from < N; from += BATCH) {
    const batch = Array.from({ length: Math.min(BATCH, N - from) }, (_, k) => commitmentRequest(from + k));
    const started = performance.now();
    await store.appendBatch(batch);
    ms += performance.now() - started;
  }
  await store.close();
  return ms;
}

async function adapterRead(path: string): Promise<{ ms: number; count: number }> {
  const store = new SqliteEventStore(path);
  const started = performance.now();
  let count = 0;
  let sum = 0;
  for await (const event of store.readAll()) {
    count++;
    sum += (event.data.lpId as string).length; // touch the parsed data, as a fold would
  }
  const ms = performance.now() - started;
  await store.close();
  if (sum === 0) throw new Error('nothing read');
  return { ms, count };
}

/** The same rows, copied out of the adapter's file so both inserts write identical bytes. */
function rawInsert(source: string, target: string): number {
  const rows = new Database(source, { readonly: true }).prepare('SELECT * FROM events ORDER BY position').raw().all() as unknown[][];
  const schema = new Database(source, { readonly: true })
    .prepare("SELECT sql FROM sqlite_master WHERE tbl_name = 'events' AND sql IS NOT NULL")
    .pluck()
    .all() as string[];
  const db = new Database(target);
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${SYNC}`);
  db.pragma('cache_size = -131072');
  for (const sql of schema) db.exec(sql);
  const insert = db.prepare(`INSERT INTO events VALUES (${rows[0].map(() => '?').join(', ')})`);
  const started = performance.now();
  db.transaction(() => {
    for (const row of rows) insert.run(row);
  })();
  const ms = performance.now() - started;
  db.close();
  return ms;
}

function rawRead(path: string): { ms: number; count: number } {
  const db = new Database(path, { readonly: true });
  const started = performance.now();
  let count = 0;
  let sum = 0;
  for (const row of db.prepare('SELECT * FROM events ORDER BY position').iterate() as IterableIterator<{ data: string }>) {
    const data = JSON.parse(row.data) as { lpId: string };
    sum += data.lpId.length;
    count++;
  }
  const ms = performance.now() - started;
  db.close();
  if (sum === 0) throw new Error('nothing read');
  return { ms, count };
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function round(r: number): Promise<{ append: number; rawInsert: number; read: number; rawRead: number; bytes: number }> {
  const adapterPath = join(dir, `adapter-${r}.db`);
  const rawPath = join(dir, `raw-${r}.db`);
  const append = await adapterAppend(adapterPath);
  const rawInsertMs = rawInsert(adapterPath, rawPath);
  const bytes = statSync(adapterPath).size;
  const read = await adapterRead(adapterPath);
  const raw = rawRead(rawPath);
  if (read.count !== N || raw.count !== N) throw new Error(`read ${read.count} (adapter) and ${raw.count} (raw), expected ${N}`);
  for (const f of [adapterPath, rawPath]) rmSync(f, { force: true });
  console.log(`  round ${r + 1}: append ${rate(N, append)} vs raw ${rate(N, rawInsertMs)}; read ${rate(N, read.ms)} vs raw ${rate(N, raw.ms)}`);
  return { append, rawInsert: rawInsertMs, read: read.ms, rawRead: raw.ms, bytes };
}

async function main(): Promise<void> {
  console.log(
    `fundsim bench:store — ${N.toLocaleString('en-US')} events, adapter batches of ${BATCH.toLocaleString('en-US')} appends, synchronous=${SYNC}, ${ROUNDS} rounds`,
  );
  const rounds: Awaited<ReturnType<typeof round>>[] = [];
  for (let r = 0; r < ROUNDS; r++) rounds.push(await round(r));
  const [append, rawInsertMs, read, rawReadMs] = (['append', 'rawInsert', 'read', 'rawRead'] as const).map((k) => median(rounds.map((x) => x[k])));
  const appendRatio = rawInsertMs / append;
  const readRatio = rawReadMs / read;
  console.log(`store file: ${(rounds[0].bytes / N).toFixed(0)} bytes/event on disk`);
  console.log('medians:');
  console.log(
    `append  adapter ${rate(N, append).padStart(18)}   raw insert ${rate(N, rawInsertMs).padStart(18)}   ratio ${(appendRatio * 100).toFixed(0)}% (target >= 50%) ${appendRatio >= 0.5 ? 'MET' : 'MISSED'}`,
  );
  console.log(
    `read    adapter ${rate(N, read).padStart(18)}   raw read   ${rate(N, rawReadMs).padStart(18)}   ratio ${(readRatio * 100).toFixed(0)}% (target >= 70%) ${readRatio >= 0.7 ? 'MET' : 'MISSED'}`,
  );
  rmSync(dir, { recursive: true, force: true });
}

main().catch((error: unknown) => {
  console.error(error);
  rmSync(dir, { recursive: true, force: true });
  process.exit(1);
});
