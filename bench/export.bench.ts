/**
 * npm run bench:export — exporting the event log of a fund of a million LPs (issue 6).
 *
 * Generates the benchmark fund's log (bench/fund-log.ts: BENCH_LPS retail LPs, default 1,000,000,
 * plus ~9,200 fund events) unless BENCH_DB names an existing one, then runs, each in a fresh
 * process of the real CLI with its output to a file: `fundsim audit export` as CSV and as JSON
 * lines, and, as the baseline in the same run, `fundsim events --limit 1` (a CLI that opens the
 * store and prints one event). Prints time, size and peak RSS of each.
 * Target: the export stays under 300 MB of peak RSS.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '@fundsim/event-store';
import { runCli as runCliIn } from './cli-run';
import { FUND, writeFundLog } from './fund-log';

const LPS = Number(process.env.BENCH_LPS ?? 1_000_000);
const dir = mkdtempSync(join(tmpdir(), 'fundsim-export-'));
const path = process.env.BENCH_DB ?? join(dir, 'fundsim.db');
const runCli = (args: string[], output: string) => runCliIn(path, args, output);

async function main() {
  if (!existsSync(path)) {
    console.log(`Generating the log: ${LPS.toLocaleString('en-US')} retail LPs -> ${path}`);
    const store = new SqliteEventStore(path, { synchronous: 'NORMAL' });
    const { fundEvents, lpEvents } = await writeFundLog(store, LPS);
    await store.close();
    console.log(`  ${(fundEvents + lpEvents).toLocaleString('en-US')} events`);
  }
  const baseline = await runCli(['events', '--limit', '1'], join(dir, 'one.txt'));
  console.log(`Baseline (fundsim events --limit 1): peak RSS ${baseline.rssMiB.toFixed(0)} MiB, ${(baseline.ms / 1000).toFixed(2)} s`);
  for (const format of ['csv', 'jsonl']) {
    const r = await runCli(['audit', 'export', '--fund', FUND, '--format', format], join(dir, `export.${format}`));
    const ok = r.rssMiB <= 300;
    console.log(
      `fundsim audit export --format ${format}: ${(r.bytes / 2 ** 20).toFixed(0)} MiB in ${(r.ms / 1000).toFixed(1)} s; peak RSS ${r.rssMiB.toFixed(0)} MiB ` +
        `(${(r.rssMiB / baseline.rssMiB).toFixed(2)}x the baseline; target <= 300 MiB: ${ok ? 'met' : 'MISSED'})`,
    );
  }
}

main()
  .catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(() => rmSync(dir, { recursive: true, force: true }));
