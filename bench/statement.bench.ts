/**
 * npm run bench:statement — an LP's ILPA statement on a fund of a million retail LPs (issue 25).
 *
 * Writes the generated ten-year log (bench/fund-log.ts: BENCH_LPS retail LPs, a third of them in
 * yen, two sovereigns) to a fresh SQLite store, catches a FundQueryService up on it, then on one
 * date, in the same run:
 *   - the first capital account of the date (the baseline's cost: the register's rounding pass),
 *     then the first ILPA statement (its two more dates' rounding passes: the day before the
 *     quarter and the day before the year);
 *   - for 1,000 random LPs, one after the other: the plain capital account from inception (the
 *     baseline) and the ILPA statement with its CSV (three columns, each a capital account, and
 *     the two opening accounts): p50 and p99 of each, and the ratio of the medians.
 *
 *   BENCH_LPS=1000000 npm run bench:statement
 */
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FundQueryService } from '@fundsim/application';
import { ilpaStatementCsv } from '@fundsim/projections';
import { SqliteEventStore } from '@fundsim/event-store';
import { FUND, writeFundLog } from './fund-log';

const LPS = Number(process.env.BENCH_LPS ?? 1_000_000);
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 1_000);
const dir = mkdtempSync(join(tmpdir(), 'fundsim-statement-'));
/** BENCH_DB=<file>: generate the log there once and reuse it on later runs. */
const path = process.env.BENCH_DB ?? join(dir, 'fundsim.db');

let seed = 11;
const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
const ms = (start: number) => performance.now() - start;
const pct = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.ceil((p / 100) * values.length) - 1)];
const fmt = (n: number) => `${n.toFixed(n < 10 ? 2 : 0)} ms`;

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
  const store = new SqliteEventStore(path);
  const queries = new FundQueryService(store);
  started = performance.now();
  await queries.balanceSheet(FUND, { asOf: '2036-12-31' });
  console.log(`Caught up on the log: ${(ms(started) / 1000).toFixed(2)} s`);

  const asOf = '2034-06-30';
  started = performance.now();
  await queries.capitalAccount(FUND, 'us-gov', { asOf });
  const firstAccount = ms(started);
  started = performance.now();
  await queries.ilpaStatement(FUND, 'us-gov', { asOf });
  const firstIlpa = ms(started);
  console.log(
    `First of the date ${asOf}: capital account ${fmt(firstAccount)} (the register's rounding pass); ILPA statement ${fmt(firstIlpa)} (two more dates' passes: 2034-03-31, 2033-12-31)`,
  );

  // Warm the JIT up on both, then measure them LP by LP, interleaved, so that the machine's load
  // falls on both alike.
  for (let i = 0; i < 20; i++) {
    const lpId = `retail-${String(i).padStart(7, '0')}`;
    await queries.capitalAccount(FUND, lpId, { asOf });
    [...ilpaStatementCsv(await queries.ilpaStatement(FUND, lpId, { asOf }))].join('');
  }
  const baseline: number[] = [];
  const ilpa: number[] = [];
  let yen = 0;
  for (let i = 0; i < SAMPLES; i++) {
    const lpId = `retail-${String(Math.floor(random() * LPS)).padStart(7, '0')}`;
    let t = performance.now();
    await queries.capitalAccount(FUND, lpId, { asOf });
    baseline.push(ms(t));
    t = performance.now();
    const statement = await queries.ilpaStatement(FUND, lpId, { asOf });
    [...ilpaStatementCsv(statement)].join('');
    ilpa.push(ms(t));
    if (statement.yen) yen++;
  }
  const ratio = pct(ilpa, 50) / pct(baseline, 50);
  console.log(`${SAMPLES.toLocaleString('en-US')} random LPs (${yen} in yen) on ${asOf}, one after the other:`);
  console.log(`  capital account from inception (baseline): p50 ${fmt(pct(baseline, 50))}, p99 ${fmt(pct(baseline, 99))}`);
  console.log(
    `  ILPA statement with its CSV:               p50 ${fmt(pct(ilpa, 50))}, p99 ${fmt(pct(ilpa, 99))} = ${ratio.toFixed(1)}x the baseline's p50 (five capital accounts: three columns, two openings)`,
  );
  const rssMiB = process.resourceUsage().maxRSS / 1024;
  console.log(`Peak RSS: ${rssMiB.toFixed(0)} MiB`);
  await store.close();
}

main()
  .catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(() => rmSync(dir, { recursive: true, force: true }));
