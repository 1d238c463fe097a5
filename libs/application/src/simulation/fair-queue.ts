/**
 * What each owner (a principal) may hold in the simulation pool: runs at once and runs waiting;
 * and how many may wait in all, to bound memory. `queued` is below `maxQueued`, so that one owner
 * can never fill the line and turn every other owner away.
 */
export interface SimulationQuota {
  running: number;
  queued: number;
  maxQueued: number;
}

export const DEFAULT_QUOTA: SimulationQuota = { running: 1, queued: 2, maxQueued: 16 };

/** FUNDSIM_SIMULATION_QUOTA=<running>[/<queued>] per principal; default 1/2 (and 16 waiting in all). */
export function simulationQuotaFrom(value: string | undefined): SimulationQuota {
  if (value === undefined || value.trim() === '') return DEFAULT_QUOTA;
  const match = /^(\d+)(?:\/(\d+))?$/.exec(value.trim());
  const running = Number(match?.[1]);
  const queued = match?.[2] === undefined ? DEFAULT_QUOTA.queued : Number(match[2]);
  if (!match || running < 1 || queued >= DEFAULT_QUOTA.maxQueued) {
    throw new Error(
      `FUNDSIM_SIMULATION_QUOTA must be <runs at once, at least 1>[/<runs waiting, below ${DEFAULT_QUOTA.maxQueued}>] per principal, got ${JSON.stringify(value)}`,
    );
  }
  return { running, queued, maxQueued: DEFAULT_QUOTA.maxQueued };
}

export interface Ticket<T> {
  readonly id: number;
  readonly owner: string;
  readonly item: T;
}

interface OwnerLine<T> {
  running: number;
  waiting: Ticket<T>[];
  /** When this owner last started a run (a count of starts); 0 for an owner the line has not served since it was last idle. */
  servedAt: number;
}

/**
 * The simulation pool's line: per owner a FIFO of runs; the next run to start is the head of the
 * owner served least recently (ties: who has waited longest) among those under their quota of
 * runs at once. An owner's run, once started, sends that owner behind every other owner with a
 * run waiting, so a run waits, for each other owner, at most one of that owner's runs (plus what
 * is already running), however many that owner has queued. Pure: no workers, no clock.
 */
export class FairQueue<T> {
  private readonly owners = new Map<string, OwnerLine<T>>();
  private ids = 0;
  private starts = 0;
  private count = 0;

  constructor(private readonly quota: SimulationQuota) {
    if (quota.running < 1 || quota.queued < 0 || quota.queued >= quota.maxQueued)
      throw new Error(`A simulation quota needs running >= 1 and queued below maxQueued, got ${JSON.stringify(quota)}`);
  }

  /** Runs waiting, of all owners. */
  get waiting(): number {
    return this.count;
  }

  /** The owner's runs started and not done, and its runs waiting. */
  holding(owner: string): { running: number; waiting: number } {
    const line = this.owners.get(owner);
    return { running: line?.running ?? 0, waiting: line?.waiting.length ?? 0 };
  }

  /**
   * Puts a run in its owner's line, or refuses it: OWNER_FULL when the owner already has its
   * quota waiting (and, if it may run no more at once, running), FULL when the whole line is.
   */
  add(owner: string, item: T): Ticket<T> | 'OWNER_FULL' | 'FULL' {
    const line = this.owners.get(owner) ?? { running: 0, waiting: [], servedAt: 0 };
    // A run that could start at once does not count against the owner's waiting quota.
    const startsNow = line.running < this.quota.running && line.waiting.length === 0;
    if (!startsNow && line.waiting.length >= this.quota.queued) return 'OWNER_FULL';
    if (this.count >= this.quota.maxQueued) return 'FULL';
    const ticket = { id: ++this.ids, owner, item };
    line.waiting.push(ticket);
    this.owners.set(owner, line);
    this.count++;
    return ticket;
  }

  /** Takes a waiting run out of the line (its client went away); false when it is not waiting. */
  remove(ticket: Ticket<T>): boolean {
    const line = this.owners.get(ticket.owner);
    const at = line?.waiting.indexOf(ticket) ?? -1;
    if (!line || at < 0) return false;
    line.waiting.splice(at, 1);
    this.count--;
    this.forgetIfIdle(ticket.owner, line);
    return true;
  }

  /** The next run to start, now counted as its owner's running; undefined when none may start. */
  take(): Ticket<T> | undefined {
    let next: OwnerLine<T> | undefined;
    for (const line of this.owners.values()) {
      if (line.waiting.length === 0 || line.running >= this.quota.running) continue;
      if (!next || before(line, next)) next = line;
    }
    if (!next) return undefined;
    const ticket = next.waiting.shift()!;
    next.running++;
    next.servedAt = ++this.starts;
    this.count--;
    return ticket;
  }

  /** A started run ended (done, failed or cancelled): its owner may start another. */
  done(ticket: Ticket<T>): void {
    const line = this.owners.get(ticket.owner);
    if (!line || line.running === 0) throw new Error(`No run of ${ticket.owner} is running`);
    line.running--;
    this.forgetIfIdle(ticket.owner, line);
  }

  /**
   * The waiting runs in the order they are expected to start: by the same rule as `take`, as if
   * each owner's runs ended one at a time (an owner at its quota may start later than this, never
   * earlier: the others only move up).
   */
  order(): Ticket<T>[] {
    const lines = [...this.owners.values()].filter((l) => l.waiting.length > 0).map((l) => ({ servedAt: l.servedAt, waiting: [...l.waiting] }));
    const out: Ticket<T>[] = [];
    let starts = this.starts;
    for (;;) {
      let next: (typeof lines)[number] | undefined;
      for (const line of lines) if (line.waiting.length > 0 && (!next || before(line, next))) next = line;
      if (!next) return out;
      out.push(next.waiting.shift()!);
      next.servedAt = ++starts;
    }
  }

  private forgetIfIdle(owner: string, line: OwnerLine<T>): void {
    if (line.running === 0 && line.waiting.length === 0) this.owners.delete(owner);
  }
}

/** Least recently served first; of two never served (since idle), whose head has waited longest. */
function before(a: { servedAt: number; waiting: { id: number }[] }, b: { servedAt: number; waiting: { id: number }[] }): boolean {
  return a.servedAt !== b.servedAt ? a.servedAt < b.servedAt : a.waiting[0].id < b.waiting[0].id;
}
