import type { OnModuleDestroy } from '@nestjs/common';
import type { CarryTerms, CommitmentStart, FundFork, FundModelParameters, FundSimulationResult, ModelParameters, SimulationResult } from '@fundsim/simulation';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';

/** A simulation for a worker: an LP's commitment (the cash-flow model), or the fund forward from its books. */
export type SimulationJob = (
  | { kind: 'lp'; start: CommitmentStart; parameters: ModelParameters; options: { paths: number; seed: number; fxSpot?: number; carry?: CarryTerms } }
  | { kind: 'fund'; fork: FundFork; parameters: FundModelParameters; options: { paths: number; seed: number } }
) & { onProgress?: (done: number) => void };

type ResultOf<J extends SimulationJob> = J extends { kind: 'lp' } ? SimulationResult : FundSimulationResult;

/** Every worker is busy and the queue is full: try again shortly (the API answers 503). */
export class SimulationsBusyError extends Error {
  readonly code = 'SIMULATIONS_BUSY';
  constructor(queued: number) {
    super(`Every simulation worker is busy and ${queued} simulations are waiting; try again shortly`);
  }
}

type Pending = SimulationJob & {
  id: number;
  resolve: (result: SimulationResult | FundSimulationResult) => void;
  reject: (error: Error) => void;
};

/**
 * Simulations in worker threads, so that a million paths never hold up the API's event loop:
 * one worker per core but one (at least one), started on first use, and a bounded queue beyond
 * them (SimulationsBusyError when it is full).
 */
export class SimulationPool implements OnModuleDestroy {
  private readonly idle: Worker[] = [];
  private readonly running = new Map<Worker, Pending>();
  private readonly queue: Pending[] = [];
  private started = 0;
  private next = 0;

  constructor(
    private readonly size = Math.max(1, availableParallelism() - 1),
    private readonly maxQueued = 4,
  ) {}

  run<J extends SimulationJob>(job: J): Promise<ResultOf<J>> {
    return new Promise((resolve, reject) => {
      if (this.queue.length >= this.maxQueued) return reject(new SimulationsBusyError(this.queue.length));
      this.queue.push({ ...job, id: ++this.next, resolve: resolve as (result: SimulationResult | FundSimulationResult) => void, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (this.queue.length > 0) {
      const worker = this.idle.pop() ?? (this.started < this.size ? this.spawn() : undefined);
      if (!worker) return;
      const job = this.queue.shift()!;
      this.running.set(worker, job);
      const { resolve: _resolve, reject: _reject, onProgress: _progress, ...message } = job;
      worker.postMessage(message);
    }
  }

  private spawn(): Worker {
    this.started++;
    // From the TypeScript sources (tests), the worker runs through tsx; built, it is plain JS.
    const source = __filename.endsWith('.ts');
    const worker = new Worker(join(__dirname, `simulation.worker.${source ? 'ts' : 'js'}`), { execArgv: source ? ['--require', 'tsx/cjs'] : [] });
    worker.unref();
    worker.on('message', (message: { id: number; progress?: number; result?: SimulationResult | FundSimulationResult; error?: string }) => {
      const job = this.running.get(worker);
      if (!job || job.id !== message.id) return;
      if (message.progress !== undefined) return job.onProgress?.(message.progress);
      this.running.delete(worker);
      this.idle.push(worker);
      if (message.error !== undefined) job.reject(new Error(message.error));
      else job.resolve(message.result!);
      this.pump();
    });
    worker.on('error', (error) => {
      // A worker that died takes its job with it; the next job gets a fresh worker.
      this.started--;
      const job = this.running.get(worker);
      this.running.delete(worker);
      job?.reject(error);
      this.pump();
    });
    return worker;
  }

  async onModuleDestroy(): Promise<void> {
    for (const job of this.queue.splice(0)) job.reject(new Error('The API is shutting down'));
    await Promise.all([...this.idle, ...this.running.keys()].map((w) => w.terminate()));
  }
}
