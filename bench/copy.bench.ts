/**
 * npm run bench:copy — `fundsim copy` of a fund of a million retail LPs (issue 16).
 *
 * Generates the log of bench:replay (the U.S.-Japan fund over ten years, two sovereigns,
 * BENCH_LPS retail LPs, about 10,000 fund events) into a SQLite file, then, in the same run:
 *   - baseline: the log read in order (readPages) and written as it is into a fresh SQLite file
 *     (appendBatch of 4,096-event batches, the copy's write path without its checks);
 *   - the copy: copyLog into another fresh SQLite file: the write with position mapping, the
 *     target's verify and the side-by-side comparison of both logs;
 * and prints events/s, the ratio of the copy to the baseline, and peak RSS. EventStoreDB itself
 * cannot run on this machine: the copy into it takes one append per stream and command (its
 * figures are the server's), here only the code path is measured.
 * Target: the copy, checks included, within 4x the bare read-and-write (it reads both logs twice).
 *
 *   BENCH_LPS=1000000 npm run bench:copy
 */
import { copyLog } from '@fundsim/application';
import { readPages, SqliteEventStore, type AppendRequest } from '@fundsim/event-store';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeFundLog } from './fund-log';

const LPS = Number(process.env.BENCH_LPS ?? 1_000_000);
const dir = mkdtempSync(join(tmpdir(), 'fundsim-copy-'));
const seconds = (start: number) => (performance.now() - start) / 1000;
const rate = (events: number, s: number) => `${Math.round(events / s).toLocaleString('en-US')} events/s`;

async function main() {
  const sourcePath = join(dir, 'source.db');
  let started = performance.now();
  const writer = new SqliteEventStore(sourcePath, { synchronous: 'NORMAL' });
  const { fundEvents, lpEvents } = await writeFundLog(writer, LPS);
  await writer.close();
  const events = fundEvents + lpEvents;
  console.log(
    `Source: ${events.toLocaleString('en-US')} events (${LPS.toLocaleString('en-US')} retail LPs), ${(statSync(sourcePath).size / 2 ** 20).toFixed(0)} MiB, generated in ${seconds(started).toFixed(1)} s`,
  );
  const source = new SqliteEventStore(sourcePath);

  // Baseline: read in order, write as it is, 4,096 events a batch, one request per event.
  started = performance.now();
  const bare = new SqliteEventStore(join(dir, 'bare.db'));
  let batch: AppendRequest[] = [];
  for await (const page of readPages(source)) {
    for (const e of page) {
      batch.push({
        stream: e.stream,
        expectedRevision: e.revision === 0 ? 'no-stream' : e.revision - 1,
        events: [{ id: e.id, type: e.type, data: e.data, metadata: e.metadata }],
      });
      if (batch.length === 4096) (await bare.appendBatch(batch, { omitEvents: true }), (batch = []));
    }
  }
  await bare.appendBatch(batch, { omitEvents: true });
  await bare.close();
  const baseline = seconds(started);
  console.log(`Baseline, read and write as it is:  ${baseline.toFixed(1)} s, ${rate(events, baseline)}`);

  started = performance.now();
  const target = new SqliteEventStore(join(dir, 'copy.db'));
  let lastReport = 0;
  const result = await copyLog(source, target, (copied) => {
    if (copied - lastReport >= 250_000) console.log(`  copied ${(lastReport = copied).toLocaleString('en-US')} events at ${seconds(started).toFixed(1)} s`);
  });
  const copy = seconds(started);
  await Promise.all([target.close(), source.close()]);
  console.log(
    `fundsim copy, checks included:     ${copy.toFixed(1)} s, ${rate(result.events, copy)}; ${(copy / baseline).toFixed(2)}x the baseline (target <= 4x)`,
  );
  console.log(
    `  ${result.events.toLocaleString('en-US')} events, ${result.streams.toLocaleString('en-US')} streams; the copy verifies, head hash ${result.headHash.slice(0, 16)}...`,
  );
  console.log(`Peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`);
  rmSync(dir, { recursive: true, force: true });
}

main().catch((error: unknown) => {
  console.error(error);
  rmSync(dir, { recursive: true, force: true });
  process.exit(1);
});
