import { Injectable, Logger, Optional } from '@nestjs/common';
import { reject, type RecordedFundEvent } from '@fundsim/domain';
import type { EventStore } from '@fundsim/event-store';
import { FundBooks } from '@fundsim/projections';
import { InjectEventStore } from '../event-store.provider';
import { asRecorded, fundEventsThrough, fundLogPagesAfter } from '../log/fund-log';
import { InvestorSnapshots } from '../log/investor-snapshots';
import { fundStream } from '../streams';

interface Followed {
  books: FundBooks;
  /** Last log position applied. */
  position: number;
  /** Position of the last snapshot of the investor ledger persisted (or loaded). */
  persisted: number;
  /** The snapshot on disk is corrupt or stale: replace it after the next catch-up. */
  rewrite: boolean;
  /** Hash of the event at `position`. */
  hash: string;
  /** The log's head when the books were last caught up: they hold every event up to it. */
  seenTo: number;
  /** Catch-ups run one at a time per fund. */
  busy: Promise<unknown>;
}

/** Log positions folded since the last persisted snapshot before a new one is written. */
export const SNAPSHOT_AFTER = 50_000;

/**
 * One follower per fund and process: the fund's books (its ledger timeline and its investor
 * ledger, every LP) folded once from the log, caught up from the last position seen before each
 * use, restored from and saved to one snapshot. Deciding (the investor ledger a close, a call or a
 * default reads), reading (every query) and the fund simulation's fork all take the fund from here,
 * so a million LPs are held once.
 */
@Injectable()
export class FundFollower {
  private readonly funds = new Map<string, Followed>();
  private readonly snapshots: InvestorSnapshots;
  private readonly logger = new Logger('FundFollower');

  /** `persist`: write snapshots as the books move on (not for a sandbox's overlay, whose positions may never be written). */
  constructor(
    @InjectEventStore() private readonly store: EventStore,
    @Optional() private readonly persist: boolean = true,
  ) {
    this.snapshots = new InvestorSnapshots(store);
  }

  /** The fund's books with every event appended so far applied; FUND_NOT_ESTABLISHED when there is no such fund. */
  async books(fundId: string): Promise<FundBooks> {
    let followed = this.funds.get(fundId);
    if (!followed) {
      followed = { books: new FundBooks(), position: 0, persisted: 0, rewrite: false, hash: '', seenTo: 0, busy: Promise.resolve() };
      this.funds.set(fundId, followed);
    }
    const f = followed;
    const run = f.busy.then(async () => {
      try {
        await this.catchUp(fundId, f);
      } catch (error) {
        // Part of what was read may be applied while the position did not move on: folding it
        // again would count it twice. The books go; the next reader folds them afresh.
        if (this.funds.get(fundId) === f) this.funds.delete(fundId);
        throw error;
      }
    });
    f.busy = run.catch(() => undefined);
    await run;
    if (!f.books.established) {
      // Asking about funds that do not exist must not grow the cache.
      if (this.funds.get(fundId) === f && f.position === 0) this.funds.delete(fundId);
      reject('FUND_NOT_ESTABLISHED', `There is no fund ${JSON.stringify(fundId)}`);
    }
    return f.books;
  }

  /** Each fund followed, and the log position its books are caught up to. */
  followed(): { fundId: string; position: number }[] {
    return [...this.funds].map(([fundId, f]) => ({ fundId, position: f.seenTo }));
  }

  private async catchUp(fundId: string, followed: Followed): Promise<void> {
    if (followed.position === 0) await this.restore(fundId, followed);
    // The log's head, read from the store (not from this process's own writes): whatever any node
    // appended and acknowledged before this query is at or below it, so the answer includes it.
    const head = await this.store.headPosition();
    // Nothing appended anywhere since the last catch-up: that one lookup is all a query costs.
    if (followed.position > 0 && head <= followed.seenTo) return;
    const read = await catchUpBooks(this.store, fundId, followed.books, followed.position);
    followed.position = read.position;
    followed.hash = read.hash ?? followed.hash;
    followed.seenTo = Math.max(head, followed.position);
    if (this.persist && followed.books.established && (followed.rewrite || followed.position - followed.persisted >= SNAPSHOT_AFTER)) {
      followed.persisted = followed.position;
      followed.rewrite = false;
      // After the answer that caught up: writing a million LPs takes a moment.
      setImmediate(() => {
        const save = followed.busy.then(() => this.snapshots.save(fundId, followed.books.investors, followed.position, followed.hash));
        followed.busy = save.catch((error: unknown) => {
          // Written again after the next catch-up, not 50,000 positions on.
          followed.rewrite = true;
          this.logger.warn(`Snapshot not written: ${(error as Error).message}`);
        });
      });
    }
  }

  /** Starts from the persisted investor ledger when it checks out against the log. */
  private async restore(fundId: string, followed: Followed): Promise<void> {
    const found = await this.snapshots.load(fundId);
    if (found.status !== 'loaded') {
      if (found.status === 'none') return;
      this.logger.warn(`Snapshot not used, folding the log instead (and writing a new one): ${found.reason}`);
      followed.rewrite = true;
      return;
    }
    followed.books = new FundBooks(undefined, found.ledger);
    followed.books.restoreHistory((await fundEventsThrough(this.store, fundId, found.position)).map(asRecorded));
    followed.position = followed.persisted = found.position;
    followed.hash = found.hash;
  }
}

/**
 * Applies to a fund's books the events appended after `position`, in log order; returns the last
 * position read and the hash of the event there (none when nothing was read).
 */
export async function catchUpBooks(store: EventStore, fundId: string, books: FundBooks, position: number): Promise<{ position: number; hash?: string }> {
  let fundEvents: RecordedFundEvent[] = [];
  const flush = () => {
    books.applyFundEvents(fundEvents);
    fundEvents = [];
  };
  const own = fundStream(fundId);
  let hash: string | undefined;
  for await (const page of fundLogPagesAfter(store, fundId, position)) {
    for (const event of page) {
      if (event.stream === own) {
        fundEvents.push(asRecorded(event));
        continue;
      }
      // A commitment on an LP stream: the closes after it must see it.
      if (fundEvents.length) flush();
      books.applyLpEvent(event);
    }
    const last = page[page.length - 1];
    position = last.position;
    hash = last.hash;
  }
  flush();
  return { position, hash };
}
