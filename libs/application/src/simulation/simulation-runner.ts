import type { FundSimulationResult } from '@fundsim/simulation';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { SimulationJob } from './simulation-job';

/** Where one run at a time runs: a worker thread in the API; something a test drives in the pool's tests. */
export interface SimulationRunner {
  run(job: SimulationJob, onProgress: (done: number) => void): Promise<FundSimulationResult>;
  /** Stops whatever runs now, at once; the runner is not used again. */
  stop(): Promise<void>;
  /** False once it died or was stopped: the pool then replaces it rather than reuse it. */
  readonly alive: boolean;
}

/**
 * A worker thread that runs simulation.worker. Stopping it terminates the thread even in the
 * middle of a path: the Monte Carlo never yields, so a cancel flag could not be read, and a
 * terminated worker gives its memory back (a million paths hold hundreds of MB).
 */
export function workerRunner(): SimulationRunner {
  // From the TypeScript sources (tests), the worker runs through tsx; built, it is plain JS.
  const source = __filename.endsWith('.ts');
  const worker = new Worker(join(__dirname, `simulation.worker.${source ? 'ts' : 'js'}`), { execArgv: source ? ['--require', 'tsx/cjs'] : [] });
  worker.unref();
  let alive = true;
  let next = 0;
  let current: { id: number; onProgress: (done: number) => void; resolve: (result: FundSimulationResult) => void; reject: (error: Error) => void } | undefined;
  const fail = (error: Error) => {
    alive = false;
    const run = current;
    current = undefined;
    run?.reject(error);
  };
  worker.on('message', (message: { id: number; progress?: number; result?: FundSimulationResult; error?: string }) => {
    if (!current || current.id !== message.id) return;
    if (message.progress !== undefined) return current.onProgress(message.progress);
    const run = current;
    current = undefined;
    if (message.error !== undefined) run.reject(new Error(message.error));
    else run.resolve(message.result!);
  });
  // A worker that died takes its run with it; the pool gives the next run a fresh worker.
  worker.on('error', fail);
  worker.on('exit', (code) => fail(new Error(`The simulation worker stopped (exit code ${code})`)));
  return {
    get alive() {
      return alive;
    },
    run(job, onProgress) {
      if (!alive) return Promise.reject(new Error('This simulation worker was stopped'));
      if (current) return Promise.reject(new Error('A simulation worker runs one simulation at a time'));
      return new Promise((resolve, reject) => {
        current = { id: ++next, onProgress, resolve, reject };
        worker.postMessage({ ...job, id: current.id });
      });
    },
    async stop() {
      alive = false;
      await worker.terminate();
    },
  };
}
