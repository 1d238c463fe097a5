import { resolveFundParameters, simulateFund, type FundFork, type FundSimulationResult } from '@fundsim/simulation';
import { SimulationCancelledError, SimulationPool, type SimulationJob } from './simulation-pool';

/** A small fund with a new yen commitment of 10,000 USD (1,000 caught up) followed on its paths: the model's job, in a real worker thread. */
const fork: FundFork = {
  dates: Array.from({ length: 21 }, (_, q) => `${2027 + Math.floor(q / 4)}-${['03-31', '06-30', '09-30', '12-31'][q % 4]}`),
  fundAgeYears: 1,
  admitted: 1_000_000,
  calledFraction: 0.1,
  cash: 20_000,
  leveragePolicy: { maxRatio: 1, basis: 'commitments' },
  facilities: [{ facilityId: 'bank', limit: 500_000, principal: 0, annualRate: 0.05, dayBasis: 365, maturityDate: '2035-12-31', accrued: 0 }],
  projects: [{ projectId: 'dc', sector: 'ai-infrastructure', cost: 80_000, fairValue: 82_000 }],
  allocations: [{ allocationId: 'al-dc', project: 0, unfunded: 600_000, committed: true }],
  pastFlows: [-100_000],
  pastPaidIn: 100_000,
  pastDistributed: 0,
  interestBefore: 0,
  managers: [],
  lp: { lpId: 'simulated-lp', ownership: 0.01, netAssets: 1_000, paidIn: 1_020, paidAtFork: 1_020, bearsCarry: true, paysFees: true, fxSpot: 150 },
};
const lp = (paths: number): SimulationJob => ({ kind: 'fund', fork, parameters: resolveFundParameters('base', { quarters: 20 }), options: { paths, seed: 7 } });

let pool: SimulationPool;
afterEach(() => pool.onModuleDestroy());

describe('the simulation pool over worker threads', () => {
  it('gives what the model gives in process', async () => {
    pool = new SimulationPool({ size: 1 });
    const result = await pool.run(lp(300));
    expect(JSON.stringify(result)).toBe(JSON.stringify(simulateFund(fork, lp(300).parameters, lp(300).options)));
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
    const result: FundSimulationResult = await small;
    expect(result.paths).toBe(200);
    // The million paths were stopped, not finished: the small run is the only one that completed.
    expect(pool.stats()).toMatchObject({ completed: 1, cancelled: 1 });
    void queuedBehind.catch(() => undefined);
  }, 120_000);
});
