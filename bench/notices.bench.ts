/**
 * npm run bench:notices — every LP's notice of one capital call, streamed, for a fund of a million
 * LPs (issue 25, item 3).
 *
 * Generates the benchmark fund's log (bench/fund-log.ts: BENCH_LPS retail LPs, default 1,000,000,
 * admitted at three closes, quarterly calls and distributions) unless BENCH_DB names an existing
 * one, then runs, each in a fresh process of the real CLI with its output to a file:
 * - the baseline, in the same run: `fundsim register --csv` on the call's date (the register of the
 *   same fund streamed: one pass over the same LPs, with the register's rounding);
 * - `fundsim notice --call N` for the last call (every LP called: JSON lines);
 * - `fundsim notice --distribution N` for the last distribution.
 * Prints for each: time, notices (lines) per second, output size and peak RSS, and the ratio of
 * its time and RSS to the baseline's.
 */
import { createReadStream, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '@fundsim/event-store';
import { runCli as runCliIn, type CliRun } from './cli-run';
import { FUND, writeFundLog } from './fund-log';

const LPS = Number(process.env.BENCH_LPS ?? 1_000_000);
const dir = mkdtempSync(join(tmpdir(), 'fundsim-notices-'));
const path = process.env.BENCH_DB ?? join(dir, 'fundsim.db');
interface Run extends CliRun {
  lines: number;
}

/** Runs the CLI in a child process, stdout to a file; returns its time, peak RSS and output, with its lines counted. */
async function runCli(args: string[], output: string): Promise<Run> {
  const run = await runCliIn(path, args, output);
  return { ...run, lines: await countLines(output) };
}

async function countLines(file: string): Promise<number> {
  let lines = 0;
  for await (const chunk of createReadStream(file)) for (const byte of chunk as Buffer) if (byte === 10) lines++;
  return lines;
}

/** The last event of a type in the fund's stream: its data and effective date. */
async function last(type: string): Promise<{ data: Record<string, unknown>; date: string }> {
  const store = new SqliteEventStore(path);
  let found: { data: Record<string, unknown>; date: string } | undefined;
  for await (const e of store.readAll({ eventTypes: [type] })) found = { data: e.data as Record<string, unknown>, date: e.metadata.effectiveDate as string };
  await store.close();
  if (!found) throw new Error(`No ${type} in ${path}`);
  return found;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

async function main() {
  if (!existsSync(path)) {
    console.log(`Generating the log: ${LPS.toLocaleString('en-US')} retail LPs -> ${path}`);
    const store = new SqliteEventStore(path, { synchronous: 'NORMAL' });
    const { fundEvents, lpEvents } = await writeFundLog(store, LPS);
    await store.close();
    console.log(`  ${(fundEvents + lpEvents).toLocaleString('en-US')} events`);
  }
  const call = await last('CapitalCalled');
  const distribution = await last('DistributionDeclared');
  const baseline = await runCli(['register', '--fund', FUND, '--as-of', call.date, '--csv'], join(dir, 'register.csv'));
  console.log(
    `Baseline (fundsim register --csv, as of ${call.date}): ${(baseline.lines - 1).toLocaleString('en-US')} LPs in ${seconds(baseline.ms)} (${Math.round(((baseline.lines - 1) * 1000) / baseline.ms).toLocaleString('en-US')} rows/s); peak RSS ${baseline.rssMiB.toFixed(0)} MiB`,
  );
  for (const [what, args] of [
    [`call ${call.data.callNumber} of ${call.date}`, ['notice', '--fund', FUND, '--call', String(call.data.callNumber)]],
    [
      `distribution ${distribution.data.distributionNumber} of ${distribution.date}`,
      ['notice', '--fund', FUND, '--distribution', String(distribution.data.distributionNumber)],
    ],
  ] as const) {
    const r = await runCli([...args], join(dir, 'notices.jsonl'));
    console.log(
      `fundsim ${args.join(' ')} (${what}): ${r.lines.toLocaleString('en-US')} notices, ${(r.bytes / 2 ** 20).toFixed(0)} MiB of JSON lines in ${seconds(r.ms)} ` +
        `(${Math.round((r.lines * 1000) / r.ms).toLocaleString('en-US')} notices/s; ${(r.ms / baseline.ms).toFixed(2)}x the baseline's time); peak RSS ${r.rssMiB.toFixed(0)} MiB (${(r.rssMiB / baseline.rssMiB).toFixed(2)}x)`,
    );
  }
}

main()
  .catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(() => rmSync(dir, { recursive: true, force: true }));
