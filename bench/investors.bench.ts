/**
 * npm run bench:investors — the write path at a million LPs, through the real FundCommandService
 * over a SQLite store in a fresh temp file.
 *
 * Setup (not a target): the U.S.-Japan fund established through the service, then BENCH_LPS
 * pending retail commitments written straight to the store in batches of 10,000 (deciding a
 * million commitments one by one would take the benchmark's whole budget). Then a fresh store
 * and service, as after a restart:
 *   - first command (an FX rate): the service's catch-up on the whole log, printed next to the
 *     baseline measured in the same run: better-sqlite3 selecting every row of the events table
 *     and JSON.parse of its data;
 *   - HoldClose over the N pending commitments;
 *   - CallCapital 0.10 over the N admitted LPs (the first command after the close, so it also
 *     pays the service's fold of that close into its investor ledger), then 4 more calls of 0.05;
 *   - RecordContributionDefault on call 1 for 200 different LPs;
 *   - CommitCapital for 250 late LPs, ReverseEvent of 200 of those commitments (event ids read
 *     from the store outside the timed section), and a second HoldClose admitting the other 50;
 *   - peak RSS.
 * Targets: close <= 3 s; call <= 1 s; default, reversal p99 <= 10 ms.
 *
 *   BENCH_LPS=1000000 npm run bench:investors
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FundCommandService, type AnyCommand } from '@fundsim/application';
import { establishUsJapanFund } from '@fundsim/domain/testing/fund-fixtures';
import { SqliteEventStore, type AppendRequest } from '@fundsim/event-store';

const LPS = Number(process.env.BENCH_LPS ?? 1_000_000);
const BATCH = 10_000;
const DEFAULTS = 200;
const LATE = 250;
const REVERSALS = 200;
const FUND = 'usjp';
const dir = mkdtempSync(join(tmpdir(), 'fundsim-investors-'));
const path = join(dir, 'fundsim.db');

const ms = (start: number) => performance.now() - start;
const pct = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.ceil((p / 100) * values.length) - 1)];
const fmt = (n: number) => (n >= 1000 ? `${(n / 1000).toFixed(2)} s` : `${n.toFixed(n < 10 ? 2 : 0)} ms`);
const count = (n: number) => n.toLocaleString('en-US');
const rate = (events: number, millis: number) => `${count(Math.round((events / millis) * 1000))} events/s`;
const gc = () => (globalThis as { gc?: () => void }).gc?.();

interface Row {
  figure: string;
  value: string;
  target: string;
  status: string;
}
const rows: Row[] = [];
const row = (figure: string, value: string, target = '', met?: boolean) => {
  rows.push({ figure, value, target, status: met === undefined ? '' : met ? 'met' : 'MISSED' });
  console.log(`  ${figure}: ${value}${target ? ` (target ${target}: ${met ? 'met' : 'MISSED'})` : ''}`);
};

function commitmentRequest(i: number): AppendRequest {
  const amount = `${(i % 90_000) + 10_000}.00`;
  return {
    stream: `fund-${FUND}.lp-retail-${i}`,
    events: [
      {
        type: 'CapitalCommitted',
        data: { fundId: FUND, lpId: `retail-${i}`, kind: 'retail', country: 'US', amount, currency: 'USD', amountUsd: amount },
        metadata: { actor: 'retail-platform', effectiveDate: '2026-03-01' },
      },
    ],
    expectedRevision: 'no-stream',
  };
}

async function timed(service: FundCommandService, command: AnyCommand): Promise<number> {
  const started = performance.now();
  await service.execute(FUND, command);
  return ms(started);
}

async function main() {
  console.log(`Write path at ${count(LPS)} LPs: FundCommandService over SqliteEventStore (${path})`);
  console.log('');
  console.log('Setup (not targets):');

  // The fund, through the service.
  let started = performance.now();
  const writer = new SqliteEventStore(path, { synchronous: 'NORMAL' });
  await new FundCommandService(writer).execute(FUND, establishUsJapanFund({ hardCap: '300000000000.00', targetSize: '300000000000.00' }));
  // N pending commitments, straight to the store; each batch built just before it is written.
  for (let from = 0; from < LPS; from += BATCH) {
    const batch: AppendRequest[] = [];
    for (let i = from; i < Math.min(LPS, from + BATCH); i++) batch.push(commitmentRequest(i));
    await writer.appendBatch(batch);
  }
  const events = await writer.headPosition();
  await writer.close();
  console.log(`  fund established + ${count(LPS)} commitments written in ${fmt(ms(started))}; ${count(events)} events, ${(statSync(path).size / 2 ** 20).toFixed(0)} MiB`);

  // Baseline: raw read-and-parse of every row of the events table.
  gc();
  started = performance.now();
  let parsed = 0;
  const raw = new Database(path, { readonly: true });
  for (const r of raw.prepare('SELECT * FROM events ORDER BY position').raw().iterate() as IterableIterator<unknown[]>) {
    if (Object.keys(JSON.parse(r[5] as string)).length > 0) parsed++;
  }
  raw.close();
  const rawMs = ms(started);
  console.log(`  baseline, raw better-sqlite3 read + JSON.parse of all ${count(parsed)} rows: ${fmt(rawMs)}, ${rate(parsed, rawMs)}`);

  // A fresh store and service, as after a restart (the store as the app opens it: synchronous FULL).
  const store = new SqliteEventStore(path);
  const service = new FundCommandService(store);
  gc();
  const catchUpMs = await timed(service, { type: 'RecordFxRate', data: { pair: 'USD/JPY', rate: '150' }, metadata: { actor: 'us-treasury', effectiveDate: '2026-03-01' } });
  console.log(
    `  first command after start: catch-up of ${count(events)} events ${fmt(catchUpMs)}, ${rate(events, catchUpMs)}; ${(catchUpMs / rawMs).toFixed(2)}x raw read + parse (${fmt(rawMs)})`,
  );

  rows.push({ figure: `Catch-up of ${count(events)} events (1st command)`, value: `${fmt(catchUpMs)}, ${(catchUpMs / rawMs).toFixed(2)}x raw`, target: '', status: '' });
  rows.push({ figure: `Raw read + JSON.parse of ${count(parsed)} rows`, value: fmt(rawMs), target: '', status: '' });
  console.log('');
  console.log('Commands through service.execute:');
  gc();
  const closeMs = await timed(service, { type: 'HoldClose', data: {}, metadata: { actor: 'jp-mof', effectiveDate: '2026-06-30' } });
  row(`HoldClose over ${count(LPS)} pending`, fmt(closeMs), '<= 3 s', closeMs <= 3000);

  gc();
  const firstCallMs = await timed(service, { type: 'CallCapital', data: { percentage: '0.10' }, metadata: { actor: 'us-treasury', effectiveDate: '2026-07-01' } });
  row(`CallCapital 0.10 over ${count(LPS)} admitted (1st after the close, folds it)`, fmt(firstCallMs), '<= 1 s', firstCallMs <= 1000);
  const calls: number[] = [];
  for (let k = 0; k < 4; k++) {
    calls.push(await timed(service, { type: 'CallCapital', data: { percentage: '0.05' }, metadata: { actor: 'us-treasury', effectiveDate: `2026-07-0${2 + k}` } }));
  }
  const callP99 = pct(calls, 99);
  row(`CallCapital 0.05 x ${calls.length} more`, `p50 ${fmt(pct(calls, 50))}, p99 ${fmt(callP99)}`, 'p99 <= 1 s', callP99 <= 1000);

  gc();
  const defaults: number[] = [];
  const stride = Math.max(1, Math.floor(LPS / DEFAULTS));
  for (let k = 0; k < DEFAULTS; k++) {
    const lpId = `retail-${(k * stride + 7) % LPS}`;
    const date = `2026-07-${String(10 + Math.floor(k / 10)).padStart(2, '0')}`;
    defaults.push(await timed(service, { type: 'RecordContributionDefault', data: { callNumber: 1, lpId }, metadata: { actor: 'jp-mof', effectiveDate: date } }));
  }
  const defaultP99 = pct(defaults, 99);
  row(`RecordContributionDefault, ${DEFAULTS} LPs`, `p50 ${fmt(pct(defaults, 50))}, p99 ${fmt(defaultP99)}, max ${fmt(Math.max(...defaults))}`, 'p99 <= 10 ms', defaultP99 <= 10);

  gc();
  const commits: number[] = [];
  for (let k = 0; k < LATE; k++) {
    commits.push(
      await timed(service, {
        type: 'CommitCapital',
        data: { lpId: `late-${k}`, kind: 'retail', country: 'US', amount: '1000.00', currency: 'USD' },
        metadata: { actor: 'retail-platform', effectiveDate: '2026-08-03' },
      }),
    );
  }
  row(`CommitCapital, ${LATE} late LPs`, `p50 ${fmt(pct(commits, 50))}, p99 ${fmt(pct(commits, 99))}, max ${fmt(Math.max(...commits))}`);

  // The stored commitments' ids, read outside the timed section.
  const ids: string[] = [];
  for (let k = 0; k < REVERSALS; k++) for await (const e of store.readStream(`fund-${FUND}.lp-late-${k}`)) if (e.type === 'CapitalCommitted') ids.push(e.id);
  gc();
  const reversals: number[] = [];
  for (const eventId of ids) {
    reversals.push(await timed(service, { type: 'ReverseEvent', data: { eventId, reason: 'bench' }, metadata: { actor: 'jp-mof', effectiveDate: '' } }));
  }
  const reversalP99 = pct(reversals, 99);
  row(`ReverseEvent of a pending commitment, ${reversals.length}`, `p50 ${fmt(pct(reversals, 50))}, p99 ${fmt(reversalP99)}, max ${fmt(Math.max(...reversals))}`, 'p99 <= 10 ms', reversalP99 <= 10);

  gc();
  const secondCloseMs = await timed(service, { type: 'HoldClose', data: {}, metadata: { actor: 'jp-mof', effectiveDate: '2026-09-30' } });
  row(`Second HoldClose over ${LATE - REVERSALS} pending (after 5 calls)`, fmt(secondCloseMs), '<= 3 s', secondCloseMs <= 3000);

  const rssMiB = process.resourceUsage().maxRSS / 1024;
  row('Peak RSS', `${rssMiB.toFixed(0)} MiB`);
  await store.close();

  console.log('');
  const widths = [Math.max(...rows.map((r) => r.figure.length), 6), Math.max(...rows.map((r) => r.value.length), 8), Math.max(...rows.map((r) => r.target.length), 6)];
  const line = (a: string, b: string, c: string, d: string) => `${a.padEnd(widths[0])}  ${b.padEnd(widths[1])}  ${c.padEnd(widths[2])}  ${d}`;
  console.log(line('Figure', 'Measured', 'Target', 'Status'));
  console.log(line('-'.repeat(widths[0]), '-'.repeat(widths[1]), '-'.repeat(widths[2]), '------'));
  for (const r of rows) console.log(line(r.figure, r.value, r.target, r.status));
}

main()
  .catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(() => rmSync(dir, { recursive: true, force: true }));
