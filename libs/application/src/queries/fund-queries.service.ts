import { Injectable, Logger } from '@nestjs/common';
import { isIsoDate, isIsoTimestamp, reject, type RecordedFundEvent } from '@fundsim/domain';
import type { EventStore } from '@fundsim/event-store';
import {
  FundBooks,
  knownAtInstant,
  type IlpaStatement,
  type AsOfQuery,
  type BalanceSheet,
  type CallNotice,
  type CapitalAccount,
  type CommitmentRecord,
  type DistributionNotice,
  type FundPerformance,
  type RegisterPage,
  type RegisterRow,
  type Revenue,
  type TransactionLedger,
  type WaterfallReport,
} from '@fundsim/projections';
import { auditTime, concat, concatMap, EMPTY, filter, map, of, type Observable } from 'rxjs';
import { InjectEventStore } from '../event-store.provider';
import { InvestorSnapshots } from './investor-snapshots';
import { asRecorded, fundEventsThrough, fundLogPagesAfter } from '../log/fund-log';
import { fundStream, isFundStream, lpStream } from '../streams';

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

/**
 * What users read: each fund's books, kept in memory and brought up to date from the log before
 * every query (only the events appended since the last one are read).
 */
@Injectable()
export class FundQueryService {
  private readonly funds = new Map<string, Followed>();

  private readonly snapshots: InvestorSnapshots;
  private readonly logger = new Logger('FundQueryService');

  constructor(@InjectEventStore() private readonly store: EventStore) {
    this.snapshots = new InvestorSnapshots(store);
  }

  async balanceSheet(fundId: string, query: AsOfQuery): Promise<BalanceSheet> {
    return (await this.booksAt(fundId, query)).balanceSheet(query);
  }

  async performance(fundId: string, query: AsOfQuery): Promise<FundPerformance> {
    return (await this.booksAt(fundId, query)).performance(query);
  }

  async register(fundId: string, query: AsOfQuery, offset?: number, limit?: number): Promise<RegisterPage> {
    return (await this.booksAt(fundId, query)).register(query, offset, limit);
  }

  async registerRows(fundId: string, query: AsOfQuery): Promise<Iterable<RegisterRow>> {
    return (await this.booksAt(fundId, query)).registerRows(query);
  }

  async capitalAccount(fundId: string, lpId: string, query: AsOfQuery & { from?: string }): Promise<CapitalAccount> {
    if (query.from !== undefined && !isIsoDate(query.from)) reject('INVALID_DATE', `from must be a date YYYY-MM-DD, got ${JSON.stringify(query.from)}`);
    return (await this.booksAt(fundId, query)).capitalAccount(fundId, lpId, query);
  }

  /** The LP's ILPA statement: the period [from, asOf] (asOf's quarter when `from` is absent), the year to date and since inception. */
  async ilpaStatement(fundId: string, lpId: string, query: AsOfQuery & { from?: string }): Promise<IlpaStatement> {
    if (query.from !== undefined && !isIsoDate(query.from)) reject('INVALID_DATE', `from must be a date YYYY-MM-DD, got ${JSON.stringify(query.from)}`);
    return (await this.booksAt(fundId, query)).ilpaStatement(fundId, lpId, query);
  }

  /** An LP's transaction ledger to `asOf`: every entry of its capital account, with log positions and running balances. */
  async transactions(fundId: string, lpId: string, query: AsOfQuery): Promise<TransactionLedger> {
    const books = await this.booksAt(fundId, query);
    books.admittedLp(fundId, lpId);
    const knownAt = query.knownAt === undefined ? undefined : knownAtInstant(query.knownAt);
    const commitments: CommitmentRecord[] = [];
    for await (const e of this.store.readStream(lpStream(fundId, lpId))) {
      if (e.type !== 'CapitalCommitted' || (knownAt !== undefined && e.metadata.recordedAt > knownAt)) continue;
      const data = e.data as { amount: string; currency: 'USD' | 'JPY'; amountUsd: string };
      commitments.push({
        eventId: e.id,
        position: e.position,
        date: e.metadata.effectiveDate,
        amount: data.amount,
        currency: data.currency,
        amountUsd: data.amountUsd,
      });
    }
    return books.transactions(fundId, lpId, query, commitments);
  }

  /** One LP's notice of a capital call, as of the call's date (as known at `knownAt`). */
  async callNotice(fundId: string, callNumber: number, lpId: string, query: { knownAt?: string } = {}): Promise<CallNotice> {
    return (await this.booksKnownAt(fundId, query)).callNotice(fundId, callNumber, lpId, query);
  }

  /** Every LP's notice of one call, by LP id: a generator, for a streamed answer. */
  async callNotices(fundId: string, callNumber: number, query: { knownAt?: string } = {}): Promise<Iterable<CallNotice>> {
    const books = await this.booksKnownAt(fundId, query);
    // The first notice is built here, so an unknown call is refused before any answer starts.
    const notices = books.callNotices(fundId, callNumber, query);
    const first = notices.next();
    return (function* () {
      if (!first.done) yield first.value;
      yield* notices;
    })();
  }

  /** One LP's notice of a distribution, as of its declaration. */
  async distributionNotice(fundId: string, distributionNumber: number, lpId: string, query: { knownAt?: string } = {}): Promise<DistributionNotice> {
    return (await this.booksKnownAt(fundId, query)).distributionNotice(fundId, distributionNumber, lpId, query);
  }

  async distributionNotices(fundId: string, distributionNumber: number, query: { knownAt?: string } = {}): Promise<Iterable<DistributionNotice>> {
    const books = await this.booksKnownAt(fundId, query);
    const notices = books.distributionNotices(fundId, distributionNumber, query);
    const first = notices.next();
    return (function* () {
      if (!first.done) yield first.value;
      yield* notices;
    })();
  }

  private async booksKnownAt(fundId: string, query: { knownAt?: string }): Promise<FundBooks> {
    if (query.knownAt !== undefined && !isIsoDate(query.knownAt) && !isIsoTimestamp(query.knownAt)) {
      reject('INVALID_DATE', `knownAt must be a date YYYY-MM-DD or an ISO timestamp, got ${JSON.stringify(query.knownAt)}`);
    }
    return this.books(fundId);
  }

  async waterfall(fundId: string, query: AsOfQuery): Promise<WaterfallReport> {
    return (await this.booksAt(fundId, query)).waterfall(fundId, query);
  }

  /** A manager's revenue by quarter to `to` (from inception when `from` is absent). */
  async revenue(fundId: string, manager: string, query: { from?: string; to: string; knownAt?: string }): Promise<Revenue> {
    if (query.from !== undefined && !isIsoDate(query.from)) reject('INVALID_DATE', `from must be a date YYYY-MM-DD, got ${JSON.stringify(query.from)}`);
    return (await this.booksAt(fundId, { asOf: query.to, knownAt: query.knownAt })).revenue(fundId, manager, query);
  }

  /**
   * The balance sheet now, then again after each append to the fund (a burst of appends gives
   * one update), each with the log position it reflects. A client that saw the sheet as of
   * `after` gets the current one only if the log has moved since, then the updates. Fails at
   * once, before streaming, when there is no such fund.
   */
  async balanceSheetUpdates(fundId: string, asOf?: string, after?: number): Promise<Observable<{ sheet: BalanceSheet; position: number }>> {
    if (asOf !== undefined && !isIsoDate(asOf)) reject('INVALID_DATE', `asOf must be a date YYYY-MM-DD, got ${JSON.stringify(asOf)}`);
    await this.books(fundId);
    const head = await this.store.headPosition();
    const sheet = async (position: number) => ({ sheet: await this.balanceSheet(fundId, { asOf: asOf ?? new Date().toISOString().slice(0, 10) }), position });
    // Updates after the head: the sheet sent now (or the client's, at or past it) covers the rest.
    const appended = this.store.subscribe({ fromPosition: head + 1, streamPrefix: fundStream(fundId) }).pipe(
      filter((e) => isFundStream(fundId, e.stream)),
      auditTime(25),
      map((e) => e.position),
    );
    const now = after === undefined || after < head ? of(head) : EMPTY;
    return concat(now, appended).pipe(concatMap(sheet));
  }

  /** Each fund whose books are kept, and the log position they are caught up to. */
  followed(): { fundId: string; position: number }[] {
    return [...this.funds].map(([fundId, f]) => ({ fundId, position: f.seenTo }));
  }

  /** Brings the books of every fund in the log up to date (at start, before saying ready). */
  async catchUpAll(): Promise<string[]> {
    const funds: string[] = [];
    for await (const event of this.store.readAll({ eventTypes: ['FundEstablished'] })) funds.push(event.data.fundId as string);
    for (const fundId of funds) await this.books(fundId);
    return funds;
  }

  /** The fund's books with every event appended so far applied. */
  async books(fundId: string): Promise<FundBooks> {
    let followed = this.funds.get(fundId);
    if (!followed) {
      followed = { books: new FundBooks(), position: 0, persisted: 0, rewrite: false, hash: '', seenTo: 0, busy: Promise.resolve() };
      this.funds.set(fundId, followed);
    }
    const f = followed;
    const run = f.busy.then(() => this.catchUp(fundId, f));
    f.busy = run.catch(() => undefined);
    await run;
    if (!f.books.established) {
      // Asking about funds that do not exist must not grow the cache.
      if (this.funds.get(fundId) === f && f.position === 0) this.funds.delete(fundId);
      reject('FUND_NOT_ESTABLISHED', `There is no fund ${JSON.stringify(fundId)}`);
    }
    return f.books;
  }

  private async booksAt(fundId: string, query: AsOfQuery): Promise<FundBooks> {
    if (!isIsoDate(query.asOf)) reject('INVALID_DATE', `asOf must be a date YYYY-MM-DD, got ${JSON.stringify(query.asOf)}`);
    if (query.knownAt !== undefined && !isIsoDate(query.knownAt) && !isIsoTimestamp(query.knownAt)) {
      reject('INVALID_DATE', `knownAt must be a date YYYY-MM-DD or an ISO timestamp, got ${JSON.stringify(query.knownAt)}`);
    }
    return this.books(fundId);
  }

  private async catchUp(fundId: string, followed: Followed): Promise<void> {
    if (followed.position === 0) await this.restore(fundId, followed);
    const head = await this.store.headPosition();
    const read = await catchUpBooks(this.store, fundId, followed.books, followed.position);
    followed.position = read.position;
    followed.hash = read.hash ?? followed.hash;
    followed.seenTo = Math.max(head, followed.position);
    if (followed.books.established && (followed.rewrite || followed.position - followed.persisted >= SNAPSHOT_AFTER)) {
      followed.persisted = followed.position;
      followed.rewrite = false;
      // After the answer that caught up: writing a million LPs takes a moment.
      setImmediate(() => {
        const save = followed.busy.then(() => this.snapshots.save(fundId, followed.books.investors, followed.position, followed.hash));
        followed.busy = save.catch((error: unknown) => this.logger.warn(`Snapshot not written: ${(error as Error).message}`));
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

/** Log positions folded since the last persisted snapshot before a new one is written. */
export const SNAPSHOT_AFTER = 50_000;

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
