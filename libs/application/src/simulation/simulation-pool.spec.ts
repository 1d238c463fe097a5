import type { FundFork, FundModelParameters, FundSimulationResult } from '@fundsim/simulation';
import {
  SimulationCancelledError,
  SimulationPool,
  SimulationQuotaExceededError,
  SimulationsBusyError,
  type RunOptions,
  type SimulationJob,
} from './simulation-pool';
import type { SimulationRunner } from './simulation-runner';

/** A job named by its seed (the runners below report which seed they run). */
const job = (seed: number, paths = 100): SimulationJob => ({
  kind: 'fund',
  fork: {} as FundFork,
  parameters: {} as FundModelParameters,
  options: { paths, seed },
});

interface FakeRun {
  seed: number;
  progress(done: number): void;
  finish(): void;
  /** The runner that ran it was stopped. */
  stopped: boolean;
}

/**
 * A pool of `size` runners that the test drives: a run ends when the test says so. Each run's
 * events are recorded by the seed of its job.
 */
function poolOf(size: number, quota = { running: 1, queued: 2, maxQueued: 6 }) {
  const runs: FakeRun[] = [];
  let runners = 0;
  let clock = 0;
  const runner = (): SimulationRunner => {
    runners++;
    let alive = true;
    let current: FakeRun | undefined;
    return {
      get alive() {
        return alive;
      },
      run: (j, onProgress) =>
        new Promise((resolve) => {
          current = { seed: j.options.seed, progress: onProgress, finish: () => resolve({ paths: j.options.paths } as FundSimulationResult), stopped: false };
          runs.push(current);
        }),
      stop: async () => {
        alive = false;
        if (current) current.stopped = true;
      },
    };
  };
  const pool = new SimulationPool({ size, quota, runners: runner, now: () => clock });
  const events: string[] = [];
  const settled = new Map<number, unknown>();
  const ask = (owner: string, seed: number, options: RunOptions = {}) => {
    const answer = pool.run(job(seed), {
      owner,
      onQueued: (position) => events.push(`${seed} queued ${position}`),
      onStarted: () => events.push(`${seed} started`),
      ...options,
    });
    answer.then(
      (result) => settled.set(seed, result),
      (error: Error) => settled.set(seed, error),
    );
    return answer;
  };
  const running = () => runs.filter((r) => !r.stopped && !settled.has(r.seed)).map((r) => r.seed);
  const run = (seed: number) => runs.find((r) => r.seed === seed)!;
  const tick = () => new Promise((resolve) => setImmediate(resolve));
  return { pool, ask, events, settled, running, run, tick, runners: () => runners, advance: (ms: number) => (clock += ms) };
}

describe('the simulation pool: turns, places in line, quotas', () => {
  it("reports each waiting run's place, and moves it as other principals' runs go ahead of it", async () => {
    const p = poolOf(1);
    void p.ask('a', 1);
    void p.ask('a', 2);
    void p.ask('a', 3);
    void p.ask('b', 4);
    expect(p.events).toEqual(['1 started', '2 queued 1', '3 queued 2', '4 queued 1', '2 queued 2', '3 queued 3']);
    p.events.length = 0;
    p.run(1).finish();
    await p.tick();
    expect(p.running()).toEqual([4]);
    expect(p.events).toEqual(['4 started', '2 queued 1', '3 queued 2']);
  });

  it("starts another principal's run when the first's running one ends, not after the first's whole queue", async () => {
    const p = poolOf(1);
    for (const seed of [1, 2, 3]) void p.ask('a', seed);
    void p.ask('b', 9);
    const order: number[] = [];
    for (let i = 0; i < 4; i++) {
      const [seed] = p.running();
      order.push(seed);
      p.run(seed).finish();
      await p.tick();
    }
    expect(order).toEqual([1, 9, 2, 3]);
  });

  it('refuses a principal over its quota with 429 and a Retry-After from its run so far; others still get in', async () => {
    const p = poolOf(1);
    void p.ask('a', 1);
    void p.ask('a', 2);
    void p.ask('a', 3);
    p.advance(1000);
    p.run(1).progress(25); // a quarter of 100 paths in 1 s: three seconds to go
    const refused = p.ask('a', 4);
    await expect(refused).rejects.toBeInstanceOf(SimulationQuotaExceededError);
    await expect(refused).rejects.toMatchObject({ code: 'SIMULATION_QUOTA_EXCEEDED', retryAfterSeconds: 3 });
    void p.ask('b', 5);
    expect(p.events).toContain('5 queued 1');
  });

  it('is busy (503) only when the whole line is full of several principals', async () => {
    const p = poolOf(1, { running: 1, queued: 2, maxQueued: 4 });
    for (const [owner, seed] of [
      ['a', 1],
      ['a', 2],
      ['a', 3],
      ['b', 4],
      ['b', 5],
    ] as const)
      void p.ask(owner, seed);
    await expect(p.ask('c', 6)).rejects.toBeInstanceOf(SimulationsBusyError);
    expect(p.pool.stats()).toMatchObject({ running: 1, waiting: 4 });
  });
});

describe('the simulation pool: a client that goes away', () => {
  it('takes its waiting run out of the line: it never starts, and the runs behind it move up', async () => {
    const p = poolOf(1);
    const gone = new AbortController();
    void p.ask('a', 1);
    const abandoned = p.ask('a', 2, { signal: gone.signal });
    void p.ask('a', 3);
    p.events.length = 0;
    gone.abort();
    await expect(abandoned).rejects.toBeInstanceOf(SimulationCancelledError);
    expect(p.events).toEqual(['3 queued 1']);
    p.run(1).finish();
    await p.tick();
    expect(p.running()).toEqual([3]);
    expect(p.pool.stats()).toMatchObject({ completed: 1, cancelled: 1 });
  });

  it('stops its running run, and the next run starts at once on a fresh runner', async () => {
    const p = poolOf(1);
    const gone = new AbortController();
    const abandoned = p.ask('a', 1, { signal: gone.signal });
    const waiting = p.ask('b', 2);
    expect(p.running()).toEqual([1]);
    gone.abort();
    await expect(abandoned).rejects.toMatchObject({ code: 'SIMULATION_CANCELLED' });
    expect(p.run(1).stopped).toBe(true);
    expect(p.running()).toEqual([2]);
    expect(p.runners()).toBe(2);
    p.run(2).finish();
    await expect(waiting).resolves.toMatchObject({ paths: 100 });
  });

  it('ignores a client already gone, and a cancel after the answer', async () => {
    const p = poolOf(1);
    const gone = new AbortController();
    gone.abort();
    await expect(p.ask('a', 1, { signal: gone.signal })).rejects.toBeInstanceOf(SimulationCancelledError);
    expect(p.runners()).toBe(0);
    const late = new AbortController();
    const answer = p.ask('a', 2, { signal: late.signal });
    p.run(2).finish();
    await expect(answer).resolves.toMatchObject({ paths: 100 });
    late.abort();
    expect(p.run(2).stopped).toBe(false);
    expect(p.pool.stats()).toMatchObject({ completed: 1, cancelled: 0 });
  });
});
