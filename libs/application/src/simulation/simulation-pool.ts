import type { OnModuleDestroy } from '@nestjs/common';
import type { FundSimulationResult } from '@fundsim/simulation';
import { availableParallelism } from 'node:os';
import { DEFAULT_QUOTA, FairQueue, type SimulationQuota, type Ticket } from './fair-queue';
import type { ResultOf, SimulationJob } from './simulation-job';
import { workerRunner, type SimulationRunner } from './simulation-runner';

// The job's type lives with the runner's side of the line (simulation-job.ts), so the runner need not import the pool.
export type { ResultOf, SimulationJob } from './simulation-job';

/** Who asks for a run, how to call it off, and what it is told while it waits and runs. */
export interface RunOptions {
  /** The principal the run is counted against (its quota, its turn); `local` when absent (the CLI). */
  owner?: string;
  /** Aborted when the client goes away: a waiting run leaves the line, a running one is stopped. */
  signal?: AbortSignal;
  /** While waiting: its place in the line (1: next to start), again each time the place changes. */
  onQueued?: (position: number) => void;
  onStarted?: () => void;
  onProgress?: (done: number) => void;
}

/** Every worker is busy and the whole line is full, with several principals' runs: try again shortly (503). */
export class SimulationsBusyError extends Error {
  readonly code = 'SIMULATIONS_BUSY';
  constructor(
    queued: number,
    readonly retryAfterSeconds: number,
  ) {
    super(`Every simulation worker is busy and ${queued} simulations are waiting; try again in ${retryAfterSeconds} s`);
  }
}

/** This principal already has its quota of runs running and waiting (429): the others' turns are not its to take. */
export class SimulationQuotaExceededError extends Error {
  readonly code = 'SIMULATION_QUOTA_EXCEEDED';
  constructor(
    owner: string,
    holding: { running: number; waiting: number },
    quota: SimulationQuota,
    readonly retryAfterSeconds: number,
  ) {
    super(
      `${owner} has ${holding.running} simulation(s) running and ${holding.waiting} waiting; the quota is ${quota.running} at once and ${quota.queued} waiting per principal. Retry in ${retryAfterSeconds} s, or close a request you no longer need (that cancels its run)`,
    );
  }
}

/** The run was called off (its client went away, or the API is stopping): nobody is left to answer. */
export class SimulationCancelledError extends Error {
  readonly code = 'SIMULATION_CANCELLED';
  constructor(why = 'its client went away') {
    super(`The simulation was cancelled: ${why}`);
  }
}

interface Entry {
  job: SimulationJob;
  options: RunOptions;
  resolve: (result: FundSimulationResult) => void;
  reject: (error: Error) => void;
  /** The place last reported to onQueued. */
  position?: number;
  runner?: SimulationRunner;
  startedAt?: number;
  done?: number;
  settled?: boolean;
  detach?: () => void;
}

export interface SimulationPoolOptions {
  /** Runs at once in all (workers); cores - 1, at least 1. */
  size?: number;
  quota?: SimulationQuota;
  /** Where a run runs: a worker thread unless told (the pool's tests drive their own). */
  runners?: () => SimulationRunner;
  /** Milliseconds, for Retry-After only. */
  now?: () => number;
}

/**
 * Simulations in worker threads, so that a million paths never hold up the API's event loop, and
 * shared fairly among principals: at most `size` runs at once, each principal at most its quota
 * of them, the rest in a line that takes each principal's runs in turn (FairQueue); a principal
 * over its quota is refused (429) rather than every other principal (503). A run whose client
 * goes away leaves the line, or, running, has its worker terminated: a fresh worker takes the next
 * run at once instead of after the million paths nobody will read.
 */
export class SimulationPool implements OnModuleDestroy {
  private readonly line: FairQueue<Entry>;
  private readonly idle: SimulationRunner[] = [];
  private readonly running = new Set<Ticket<Entry>>();
  private readonly size: number;
  private readonly quota: SimulationQuota;
  private readonly runners: () => SimulationRunner;
  private readonly now: () => number;
  private live = 0;
  private completed = 0;
  private cancelled = 0;
  private closed = false;

  constructor(options: SimulationPoolOptions = {}) {
    this.size = options.size ?? Math.max(1, availableParallelism() - 1);
    this.quota = options.quota ?? DEFAULT_QUOTA;
    this.runners = options.runners ?? workerRunner;
    this.now = options.now ?? (() => performance.now());
    this.line = new FairQueue(this.quota);
  }

  run<J extends SimulationJob>(job: J, options: RunOptions = {}): Promise<ResultOf<J>> {
    return new Promise((resolve, reject) => {
      const { signal } = options;
      if (signal?.aborted) return reject(new SimulationCancelledError());
      if (this.closed) return reject(new SimulationCancelledError('the API is shutting down'));
      const owner = options.owner ?? 'local';
      const entry: Entry = { job, options, resolve: resolve as Entry['resolve'], reject };
      const ticket = this.line.add(owner, entry);
      if (ticket === 'OWNER_FULL') return reject(new SimulationQuotaExceededError(owner, this.line.holding(owner), this.quota, this.retryAfter(owner)));
      if (ticket === 'FULL') return reject(new SimulationsBusyError(this.line.waiting, this.retryAfter()));
      if (signal) {
        const cancel = () => this.cancel(ticket, new SimulationCancelledError());
        signal.addEventListener('abort', cancel, { once: true });
        entry.detach = () => signal.removeEventListener('abort', cancel);
      }
      this.pump();
    });
  }

  /** What the pool holds now and has done, for operators and tests. */
  stats(): { running: number; waiting: number; completed: number; cancelled: number } {
    return { running: this.running.size, waiting: this.line.waiting, completed: this.completed, cancelled: this.cancelled };
  }

  private pump(): void {
    while (!this.closed) {
      if (this.idle.length === 0 && this.live >= this.size) break;
      const ticket = this.line.take();
      if (!ticket) break;
      this.start(ticket);
    }
    this.line.order().forEach((ticket, i) => {
      if (ticket.item.position === i + 1) return;
      ticket.item.position = i + 1;
      ticket.item.options.onQueued?.(i + 1);
    });
  }

  private start(ticket: Ticket<Entry>): void {
    const entry = ticket.item;
    const runner = this.idle.pop() ?? (this.live++, this.runners());
    entry.runner = runner;
    entry.startedAt = this.now();
    this.running.add(ticket);
    entry.options.onStarted?.();
    runner
      .run(entry.job, (done) => {
        if (entry.settled) return;
        entry.done = done;
        entry.options.onProgress?.(done);
      })
      .then(
        (result) => this.settle(ticket, () => entry.resolve(result)),
        (error: Error) => this.settle(ticket, () => entry.reject(error)),
      );
  }

  /** A run ended by itself (a result, the model's error, or its worker died). */
  private settle(ticket: Ticket<Entry>, answer: () => void): void {
    const entry = ticket.item;
    if (entry.settled) return;
    this.end(ticket);
    if (entry.runner!.alive) this.idle.push(entry.runner!);
    else this.live--;
    this.completed++;
    answer();
    this.pump();
  }

  /** Calls a run off: out of the line if it waits; its worker stopped (and replaced on demand) if it runs. */
  private cancel(ticket: Ticket<Entry>, error: Error): void {
    const entry = ticket.item;
    if (entry.settled) return;
    if (this.running.has(ticket)) {
      this.end(ticket);
      void entry.runner!.stop();
      this.live--;
    } else {
      this.line.remove(ticket);
      entry.settled = true;
      entry.detach?.();
    }
    this.cancelled++;
    entry.reject(error);
    this.pump();
  }

  private end(ticket: Ticket<Entry>): void {
    ticket.item.settled = true;
    ticket.item.detach?.();
    this.running.delete(ticket);
    this.line.done(ticket);
  }

  /**
   * Seconds until a place is likely to free: the soonest end of the owner's runs (of any run,
   * without an owner), from their progress so far; 5 s before any progress; 1 s to 300 s.
   */
  private retryAfter(owner?: string): number {
    let soonest = Infinity;
    for (const { owner: o, item } of this.running) {
      if ((owner !== undefined && o !== owner) || !item.done || item.startedAt === undefined) continue;
      soonest = Math.min(soonest, ((this.now() - item.startedAt) * (item.job.options.paths - item.done)) / item.done);
    }
    return Math.min(300, Math.max(1, Math.ceil(Number.isFinite(soonest) ? soonest / 1000 : 5)));
  }

  async onModuleDestroy(): Promise<void> {
    this.closed = true;
    for (const ticket of this.line.order()) this.cancel(ticket, new SimulationCancelledError('the API is shutting down'));
    const stopping = [...this.running].map((t) => t.item.runner!);
    for (const ticket of [...this.running]) this.cancel(ticket, new SimulationCancelledError('the API is shutting down'));
    await Promise.all([...this.idle.splice(0), ...stopping].map((runner) => runner.stop()));
  }
}
