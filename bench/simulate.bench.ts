/**
 * npm run bench:simulate — the Monte Carlo of the fund forward from its books (issue 18), and of
 * a new retail commitment followed on the same paths (issue 28: one engine).
 *
 * The demo fund (BENCH_DEMO_LPS retail LPs, default 3,000) loaded in memory up to 2028-12-31; then,
 * each the median of 3 runs of 10,000 paths x 40 quarters (the fork included): the fund following
 * an LP in its books; a new commitment of 10,000 USD on 2026-12-01 admitted on a copy of the books and followed;
 * the same in yen (which adds the USD/JPY path and the outcomes in yen). The baseline, in the same
 * run: drawing the same random variates alone. Targets: 2 s for the fund (issue 18); 1.5 s for a
 * new commitment (issue 28, item 6).
 *
 *   BENCH_DEMO_LPS=3000 npm run bench:simulate
 */
import { DemoService, FundQueryService, FundSimulationService, ScenarioService, SimulationService } from '@fundsim/application';
import { MemoryEventStore } from '@fundsim/event-store';
import { Random } from '@fundsim/simulation';

const median = (runs: number[]) => [...runs].sort((a, b) => a - b)[Math.floor(runs.length / 2)];

function time(run: () => unknown): number {
  const runs: number[] = [];
  for (let i = 0; i < 3; i++) {
    const started = performance.now();
    run();
    runs.push(performance.now() - started);
  }
  return median(runs);
}

async function timed(run: () => Promise<unknown>): Promise<number> {
  const runs: number[] = [];
  for (let i = 0; i < 3; i++) {
    const t = performance.now();
    await run();
    runs.push(performance.now() - t);
  }
  return median(runs);
}

async function fund(): Promise<void> {
  const lps = Number(process.env.BENCH_DEMO_LPS ?? 3000);
  const store = new MemoryEventStore();
  let started = performance.now();
  await new DemoService(store, new ScenarioService(store)).load({ retailLps: lps, until: '2028-12-31' });
  console.log(`The demo fund (${lps.toLocaleString('en-US')} retail LPs) up to 2028-12-31 loaded in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  const queries = new FundQueryService(store);
  const simulation = new FundSimulationService(queries);
  const input = { from: '2028-12-31', paths: 10_000, seed: 42, lpId: 'retail-us-000001', parameters: { quarters: 40 } };
  started = performance.now();
  await simulation.simulate('usjp', input);
  console.log(`  first run (the books caught up, the fork, 10,000 paths x 40 quarters): ${(performance.now() - started).toFixed(0)} ms`);
  const ms = await timed(() => simulation.simulate('usjp', input));
  // The floor: 8 sector shocks and the sentiment, a normal each, per path and quarter.
  const floor = time(() => {
    const random = new Random(1);
    let sum = 0;
    for (let p = 0; p < 10_000; p++) for (let q = 0; q < 40 * 9; q++) sum += random.normal();
    return sum;
  });
  console.log(
    `  fund forward, 10,000 paths x 40 quarters: ${ms.toFixed(0)} ms (${(ms / floor).toFixed(1)}x drawing the random numbers alone, ${floor.toFixed(0)} ms); target <= 2000 ms: ${ms <= 2000 ? 'met' : 'MISSED'}`,
  );
  // A new commitment on the same books: admitted on a copy, then the fund run following it.
  const commitments = new SimulationService(queries);
  for (const [label, amount, currency] of [
    ['USD', '10000.00', 'USD'],
    ['JPY (outcomes in yen too)', '1500000', 'JPY'],
  ] as const) {
    // The README's date: by 2028-12-31 the demo is at its hard cap, and a new commitment is refused (HARD_CAP_REACHED).
    const commit = { amount, currency, date: '2026-12-01', paths: 10_000, seed: 42 };
    const one = await timed(() => commitments.simulateCommitment('usjp', commit));
    console.log(
      `  a new ${label} commitment, 10,000 paths x 40 quarters: ${one.toFixed(0)} ms (${(one / floor).toFixed(1)}x the random numbers alone); target <= 1500 ms: ${one <= 1500 ? 'met' : 'MISSED'}`,
    );
  }
}

fund()
  .then(() => console.log(`Peak RSS: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`))
  .catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
