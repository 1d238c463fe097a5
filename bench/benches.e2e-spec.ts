/**
 * Every benchmark runs, at a small size: a benchmark is measured by hand at a million LPs, but one
 * that no longer runs (a log generator writing events the codec refuses, say) is found here, not
 * by the next person who needs its figures. Their figures are not judged: at this size and on a
 * busy machine they mean nothing. The dashboard's is left out: it drives a browser for minutes,
 * and apps/web's own tests drive the same pages.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const DIST = join(__dirname, '..', 'dist', 'bench');
const SMALL = {
  BENCH_LPS: '2000',
  BENCH_DEMO_LPS: '2000',
  BENCH_LARGE_LPS: '2000',
  BENCH_PATHS: '200',
  BENCH_QUARTERS: '8',
  BENCH_EVENTS: '20000',
  BENCH_DEFAULTS: '2000',
  BENCH_COMMANDS: '200',
  BENCH_ROUNDS: '1',
  BENCH_SAMPLES: '50',
  BENCH_HTTP_SECONDS: '2',
};
const benches = readdirSync(join(__dirname))
  .filter((f) => f.endsWith('.bench.ts') && f !== 'dashboard.bench.ts')
  .map((f) => f.replace(/\.ts$/, '.js'));

describe('the benchmarks, at a small size', () => {
  it('are all here', () => expect(benches.length).toBeGreaterThanOrEqual(12));

  it.each(benches)(
    '%s runs to its end and prints its figures',
    (file) => {
      const run = spawnSync(process.execPath, ['--expose-gc', join(DIST, file)], { env: { ...process.env, ...SMALL }, encoding: 'utf8', timeout: 240_000 });
      expect([file, run.status, run.signal, run.status === 0 ? '' : `${run.stderr}`.slice(-2000)]).toEqual([file, 0, null, '']);
      expect(run.stdout.trim().split('\n').length).toBeGreaterThan(2);
    },
    300_000,
  );
});
