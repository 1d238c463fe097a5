/**
 * npm run bench:follower — one follower per fund (issue 26 item 4): what a process that both
 * decides and reads holds of a fund of BENCH_LPS retail LPs (default 1,000,000).
 *
 * The same log (bench/fund-log.ts, as the replay benchmark writes it; BENCH_DB=<file> reuses one)
 * is opened by two child processes, each reading the balance sheet and deciding over every LP (the
 * command side's investor ledger, as a close or a call loads it):
 *   - shared: the query and command services over one FundFollower (as the API and CLI build them);
 *   - separate: each service with its own follower (as before: two investor ledgers of a fund).
 * Each child reports its live heap after a full GC and its peak RSS; the ratio shared/separate is
 * the figure (these machines vary run to run; both run back to back on the same file).
 *
 *   BENCH_LPS=1000000 npm run bench:follower
 */
import { FundCommandService, FundFollower, FundQueryService } from '@fundsim/application';
import { SqliteEventStore } from '@fundsim/event-store';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FUND, writeFundLog } from './fund-log';

const LPS = Number(process.env.BENCH_LPS ?? 1_000_000);
const MiB = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;

async function child(path: string, mode: 'shared' | 'separate'): Promise<void> {
  const store = new SqliteEventStore(path);
  const follower = new FundFollower(store, false);
  const queries = new FundQueryService(store, follower);
  const commands = new FundCommandService(store, mode === 'shared' ? follower : new FundFollower(store, false));
  const started = performance.now();
  await queries.balanceSheet(FUND, { asOf: '2036-12-31' });
  const lps = (await commands.investors(FUND)).admittedCount;
  const seconds = (performance.now() - started) / 1000;
  global.gc!();
  const heap = process.memoryUsage().heapUsed;
  process.stdout.write(JSON.stringify({ mode, lps, seconds, heap, rss: process.resourceUsage().maxRSS * 1024 }) + '\n');
  await store.close();
}

async function main(): Promise<void> {
  const [, , mode, file] = process.argv;
  if (mode === 'shared' || mode === 'separate') return child(file, mode);
  const dir = mkdtempSync(join(tmpdir(), 'fundsim-follower-'));
  const path = process.env.BENCH_DB ?? join(dir, 'fundsim.db');
  try {
    if (!existsSync(path)) {
      console.log(`Generating the log: ${LPS.toLocaleString('en-US')} retail LPs -> ${path}`);
      const writer = new SqliteEventStore(path, { synchronous: 'NORMAL' });
      await writeFundLog(writer, LPS);
      await writer.close();
    }
    const runs = (['separate', 'shared'] as const).map((m) => {
      const out = execFileSync(process.execPath, ['--expose-gc', __filename, m, path], { encoding: 'utf8', maxBuffer: 1 << 20 });
      return JSON.parse(out.trim().split('\n').pop()!) as { mode: string; lps: number; seconds: number; heap: number; rss: number };
    });
    for (const r of runs)
      console.log(
        `${r.mode.padEnd(8)} ${r.lps.toLocaleString('en-US')} LPs: live heap ${MiB(r.heap)}, peak RSS ${MiB(r.rss)}, read and decided in ${r.seconds.toFixed(1)} s`,
      );
    const [separate, shared] = runs;
    console.log(`shared / separate: live heap ${(shared.heap / separate.heap).toFixed(2)}x, peak RSS ${(shared.rss / separate.rss).toFixed(2)}x`);
  } finally {
    if (!process.env.BENCH_DB) rmSync(dir, { recursive: true, force: true });
  }
}

void main();
