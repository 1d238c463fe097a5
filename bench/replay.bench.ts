/**
 * npm run bench:replay — replaying a fund of a million retail LPs (issue 4).
 *
 * Writes a generated log to a fresh SQLite store: the U.S.-Japan fund over ten years, two
 * sovereign LPs and BENCH_LPS retail LPs admitted at three closes, and about 10,000 fund events
 * (daily USD/JPY, weekly valuations and expenses, monthly fundings and interest, quarterly calls,
 * draws, fees, proceeds and distributions). Then, in the same run:
 *   - raw read-and-parse: better-sqlite3 selecting every row and JSON.parse of its data;
 *   - full replay: a fresh FundQueryService catching up on the whole log (LP index, ledger,
 *     snapshots) and answering one balance sheet; events/s and the ratio to raw;
 *   - a restart: a fresh FundQueryService starting from the snapshot the replay wrote;
 *   - as-of balance sheets for 20 random dates (p50, p95);
 *   - LP statements for 1,000 random LPs on one date (p50, p99), after the first one, which pays
 *     the register's rounding pass for that date (reported on its own), and 20 to warm up;
 *   - the whole register exported as CSV to a file;
 *   - peak RSS.
 * Targets: replay >= 80% of raw; restart from the snapshot <= 3 s; as-of p95 <= 200 ms; statement p99 <= 5 ms; RSS <= 2 GB.
 *
 *   BENCH_LPS=1000000 npm run bench:replay
 */
import Database from 'better-sqlite3';
import { createWriteStream, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { FundQueryService, InvestorSnapshots } from '@fundsim/application';
import { registerCsv } from '@fundsim/projections';
import { SqliteEventStore } from '@fundsim/event-store';
import { FUND, writeFundLog } from './fund-log';

const LPS = Number(process.env.BENCH_LPS ?? 1_000_000);
const dir = mkdtempSync(join(tmpdir(), 'fundsim-replay-'));
/** BENCH_DB=<file>: generate the log there once and reuse it on later runs (for profiling). */
const path = process.env.BENCH_DB ?? join(dir, 'fundsim.db');

let seed = 7;
const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
const addDays = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

const ms = (start: number) => performance.now() - start;
const pct = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.ceil((p / 100) * values.length) - 1)];
const fmt = (n: number) => `${n.toFixed(n < 10 ? 2 : 0)} ms`;
const rate = (count: number, millis: number) => `${Math.round((count / millis) * 1000).toLocaleString('en-US')} events/s`;

async function main() {
  let started = performance.now();
  if (!existsSync(path)) {
    console.log(`Generating the log: ${LPS.toLocaleString('en-US')} retail LPs, 2 sovereigns, ten years of fund events -> ${path}`);
    const writer = new SqliteEventStore(path, { synchronous: 'NORMAL' });
    const { fundEvents, lpEvents } = await writeFundLog(writer, LPS);
    await writer.close();
    console.log(
      `  ${fundEvents.toLocaleString('en-US')} fund events + ${lpEvents.toLocaleString('en-US')} commitments written in ${(ms(started) / 1000).toFixed(1)} s; ${(statSync(path).size / 2 ** 20).toFixed(0)} MiB`,
    );
  }

  // Raw: every row selected and its data parsed, as a fold would need it; then the replay, back
  // to back, three times: the medians are compared (these machines vary +-20% run to run).
  const rawRuns: number[] = [];
  const replayRuns: number[] = [];
  let total = 0;
  let store!: SqliteEventStore;
  let queries!: FundQueryService;
  for (let round = 0; round < 3; round++) {
    started = performance.now();
    total = 0;
    const raw = new Database(path, { readonly: true });
    for (const row of raw.prepare('SELECT * FROM events ORDER BY position').raw().iterate() as IterableIterator<unknown[]>) {
      if (Object.keys(JSON.parse(row[5] as string)).length > 0) total++;
    }
    raw.close();
    rawRuns.push(ms(started));
    await store?.close();
    // From the log itself: the snapshot the previous round wrote is removed.
    rmSync(`${path}.snapshots`, { recursive: true, force: true });
    store = new SqliteEventStore(path);
    queries = new FundQueryService(store);
    started = performance.now();
    await queries.balanceSheet(FUND, { asOf: '2036-12-31' });
    replayRuns.push(ms(started));
    // The reader writes its snapshot just after the answer (setImmediate), and the rounds never
    // yield to the event loop on their own: without this, every round's books stay held by their
    // pending write until the last round ends (three million-LP ledgers at once, then three writes).
    await new Promise((resolve) => setImmediate(resolve));
    await queries.books(FUND);
  }
  const rawMs = pct(rawRuns, 50);
  const replayMs = pct(replayRuns, 50);
  const ratio = rawMs / replayMs;
  console.log('');
  console.log(
    `Full replay (median of 3): ${(replayMs / 1000).toFixed(2)} s, ${rate(total, replayMs)}; raw read-and-parse ${(rawMs / 1000).toFixed(2)} s, ${rate(total, rawMs)}`,
  );
  console.log(
    `  replay / raw = ${(ratio * 100).toFixed(0)}% (target >= 80%: ${ratio >= 0.8 ? 'met' : 'MISSED'}); rounds: replay ${replayRuns.map((r) => (r / 1000).toFixed(2)).join(', ')} s, raw ${rawRuns.map((r) => (r / 1000).toFixed(2)).join(', ')} s`,
  );

  // A restart: the last round's reader wrote its snapshot of the investor ledger just after answering.
  for (let i = 0; i < 200 && (await new InvestorSnapshots(store).load(FUND)).status !== 'loaded'; i++) await new Promise((r) => setTimeout(r, 50));
  started = performance.now();
  await new FundQueryService(store).balanceSheet(FUND, { asOf: '2036-12-31' });
  const restartMs = ms(started);
  console.log(
    `Restart from the persisted snapshot to the first balance sheet: ${(restartMs / 1000).toFixed(2)} s (target <= 3 s: ${restartMs <= 3000 ? 'met' : 'MISSED'})`,
  );

  const asOf: number[] = [];
  for (let i = 0; i < 20; i++) {
    const date = addDays('2027-02-01', Math.floor(random() * 3600));
    const t = performance.now();
    await queries.balanceSheet(FUND, { asOf: date });
    asOf.push(ms(t));
  }
  const p95 = pct(asOf, 95);
  console.log(`As-of balance sheet, 20 random dates: p50 ${fmt(pct(asOf, 50))}, p95 ${fmt(p95)} (target p95 <= 200 ms: ${p95 <= 200 ? 'met' : 'MISSED'})`);

  const date = '2034-06-30';
  started = performance.now();
  await queries.capitalAccount(FUND, 'us-gov', { asOf: date });
  const firstMs = ms(started);
  // 20 statements to warm the JIT up, then 1,000 measured: a p99 over 200 samples is their maximum.
  for (let i = 0; i < 20; i++) await queries.capitalAccount(FUND, `retail-${String(i).padStart(7, '0')}`, { asOf: date });
  const statements: number[] = [];
  for (let i = 0; i < 1000; i++) {
    const lpId = `retail-${String(Math.floor(random() * LPS)).padStart(7, '0')}`;
    const t = performance.now();
    await queries.capitalAccount(FUND, lpId, { asOf: date });
    statements.push(ms(t));
  }
  const p99 = pct(statements, 99);
  console.log(
    `LP statement on ${date}: first of the date ${fmt(firstMs)} (the register's rounding pass); then 1,000 random LPs p50 ${fmt(pct(statements, 50))}, p99 ${fmt(p99)} (target p99 <= 5 ms: ${p99 <= 5 ? 'met' : 'MISSED'})`,
  );

  started = performance.now();
  const csvPath = join(dir, 'register.csv');
  const out = createWriteStream(csvPath);
  let rows = 0;
  for (const line of registerCsv(await queries.registerRows(FUND, { asOf: '2036-12-31' }))) {
    rows++;
    if (!out.write(line)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  console.log(
    `Register CSV export (2036-12-31, new date): ${rows - 1} rows, ${(statSync(csvPath).size / 2 ** 20).toFixed(0)} MiB in ${(ms(started) / 1000).toFixed(2)} s`,
  );

  const rssMiB = process.resourceUsage().maxRSS / 1024;
  console.log(`Peak RSS: ${rssMiB.toFixed(0)} MiB (target <= 2048 MiB: ${rssMiB <= 2048 ? 'met' : 'MISSED'})`);
  await store.close();
}

main()
  .catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(() => rmSync(dir, { recursive: true, force: true }));
