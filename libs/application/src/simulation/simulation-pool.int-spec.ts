import { resolveParameters, simulate, type SimulationResult } from '@fundsim/simulation';
import { SimulationCancelledError, SimulationPool, type SimulationJob } from './simulation-pool';

/** A retail commitment of 10,000 with 1,000 paid in: the cash-flow model's job, in a real worker thread. */
const start = { commitment: 10_000, paidIn: 1_000, equalizationInterest: 20, nav: 1_000, fundAgeQuarters: 2 };
const lp = (paths: number): SimulationJob & { kind: 'lp' } => ({
  kind: 'lp',
  start,
  parameters: resolveParameters('base', undefined),
  options: { paths, seed: 7 },
});

let pool: SimulationPool;
afterEach(() => pool.onModuleDestroy());

describe('the simulation pool over worker threads', () => {
  it('gives what the model gives in process', async () => {
    pool = new SimulationPool({ size: 1 });
    const result = await pool.run(lp(300));
    expect(JSON.stringify(result)).toBe(JSON.stringify(simulate(start, lp(300).parameters, lp(300).options)));
  }, 60_000);

  it("terminates the worker of a million paths whose client went away; the other principal's run, first in line, runs on a fresh worker", async () => {
    pool = new SimulationPool({ size: 1 });
    const gone = new AbortController();
    let firstProgress!: () => void;
    const running = new Promise<void>((resolve) => (firstProgress = resolve));
    const abandoned = pool.run(lp(1_000_000), { owner: 'lp:usjp/a', signal: gone.signal, onProgress: () => firstProgress() });
    const queuedBehind = pool.run(lp(1_000_000), { owner: 'lp:usjp/a' });
    await running;
    const places: number[] = [];
    const small = pool.run(lp(200), { owner: 'auditor:auditor', onQueued: (position) => places.push(position) });
    expect(places).toEqual([1]);

    gone.abort();
    await expect(abandoned).rejects.toBeInstanceOf(SimulationCancelledError);
    const result: SimulationResult = await small;
    expect(result.paths).toBe(200);
    // The million paths were stopped, not finished: the small run is the only one that completed.
    expect(pool.stats()).toMatchObject({ completed: 1, cancelled: 1 });
    void queuedBehind.catch(() => undefined);
  }, 120_000);
});
