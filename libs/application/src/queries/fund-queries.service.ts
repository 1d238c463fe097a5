import { Injectable } from '@nestjs/common';
import { addDays, isIsoDate, isIsoTimestamp, reject, roomUnderHardCap, type RejectionCode } from '@fundsim/domain';
import { StreamNotFoundError, type EventStore } from '@fundsim/event-store';
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
import { FundFollower } from '../follow/fund-follower';
import { fundStream, isFundStream, lpStream } from '../streams';

type Established = Omit<FundSummary, 'firstDate' | 'latestDate' | 'takesCommitments'>;

/**
 * Whether a commitment made on a fund's latest date would be admitted: by the close's own check
 * (`roomUnderHardCap`, which a close refuses by). When not, the check's rejection code and message,
 * and the last date one would have been admitted (the day before the close that left no room;
 * null when there was none).
 */
export interface TakesCommitments {
  open: boolean;
  code: RejectionCode | null;
  reason: string | null;
  lastOpenDate: string | null;
}

/** A fund as the funds' list shows it: its terms' names, and its life as the books have it so far. */
export interface FundSummary {
  fundId: string;
  name: string;
  inceptionDate: string;
  /** The effective date of its first event, and of its latest (where a reader who names no date looks). */
  firstDate: string;
  latestDate: string;
  managers: string[];
  /** The managers each decision under dual control needs. */
  approvalsRequired: string[];
  /** Whether its terms have a distribution waterfall (carried interest; figures net of carry). */
  waterfall: boolean;
  /** Whether it takes commitments on its latest date (a close would admit them), and if not, why and until when it did. */
  takesCommitments: TakesCommitments;
}

/**
 * What users read: each fund's books, from its follower (kept in memory, shared with the command
 * side, brought up to date from the log before every query: only the events appended since).
 */
@Injectable()
export class FundQueryService {
  private readonly fundsSeen: Established[] = [];
  private fundsScannedTo = 0;

  constructor(
    @InjectEventStore() readonly store: EventStore,
    private readonly follower: FundFollower = new FundFollower(store),
  ) {}

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
    try {
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
    } catch (error) {
      // An LP whose interest came by a transfer (libs/domain transfer.decider.ts) may never have committed: no stream of its own.
      if (!(error instanceof StreamNotFoundError)) throw error;
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
    return this.follower.followed();
  }

  /** The funds the log holds, in the order they were established. */
  async funds(): Promise<{ fundId: string; name: string; inceptionDate: string }[]> {
    return (await this.established()).map(({ fundId, name, inceptionDate }) => ({ fundId, name, inceptionDate }));
  }

  /**
   * The funds a principal may see, with the dates of their lives: an auditor, an admin and an
   * operator (whose platform may onboard LPs in any fund) see every fund; a manager, the funds
   * whose terms name it; an LP key, the one fund it is an LP of.
   */
  async fundsFor(principal: { role: string; subject: string; fundId?: string }): Promise<FundSummary[]> {
    const visible = (await this.established()).filter((f) =>
      principal.role === 'manager' ? f.managers.includes(principal.subject) : principal.role === 'lp' ? f.fundId === principal.fundId : true,
    );
    const out: FundSummary[] = [];
    for (const f of visible) {
      const books = await this.books(f.fundId);
      const firstDate = books.timeline.history[0]?.metadata.effectiveDate ?? f.inceptionDate;
      out.push({ ...f, firstDate, latestDate: books.timeline.latestEffectiveDate, takesCommitments: this.takesCommitments(books) });
    }
    return out;
  }

  /**
   * Whether the fund takes commitments on its latest date (`TakesCommitments`). Room under the
   * hard cap shrinks only at a close, so when there is none the last date open is the eve of the
   * latest close before which there was some.
   */
  private takesCommitments(books: FundBooks): TakesCommitments {
    const check = roomUnderHardCap(books.timeline.ledger.state);
    if (check.ok) return { open: true, code: null, reason: null, lastOpenDate: null };
    let lastOpenDate: string | null = null;
    const closes = books.timeline.ledger.state.closes;
    for (let i = closes.length - 1; i >= 0 && lastOpenDate === null; i--) {
      const eve = addDays(closes[i].date, -1);
      if (roomUnderHardCap(books.timeline.asOf({ asOf: eve }).state).ok) lastOpenDate = eve;
    }
    return { open: false, code: check.code, reason: check.message, lastOpenDate };
  }

  /**
   * Every FundEstablished in the log, read once: later calls read only the log after the last
   * head seen (one lookup when nothing is new), so listing the funds never rescans a million LPs.
   */
  private async established(): Promise<Established[]> {
    const head = await this.store.headPosition();
    if (head > this.fundsScannedTo) {
      for await (const event of this.store.readAll({ fromPosition: this.fundsScannedTo + 1, eventTypes: ['FundEstablished'] })) {
        const d = event.data as { fundId: string; name: string; inceptionDate: string; managers: string[]; approvalsRequired: string[]; waterfall?: unknown };
        // An establishment appended after the head was read is met again on the next scan: kept once.
        if (this.fundsSeen.some((f) => f.fundId === d.fundId)) continue;
        this.fundsSeen.push({
          fundId: d.fundId,
          name: d.name,
          inceptionDate: d.inceptionDate,
          managers: [...d.managers],
          approvalsRequired: [...d.approvalsRequired],
          waterfall: d.waterfall !== undefined,
        });
      }
      this.fundsScannedTo = head;
    }
    return this.fundsSeen;
  }

  /** The latest effective date in the fund's books: where a reader who names no date looks. */
  async latestDate(fundId: string): Promise<string> {
    return (await this.books(fundId)).timeline.latestEffectiveDate;
  }

  /** Brings the books of every fund in the log up to date (at start, before saying ready). */
  async catchUpAll(): Promise<string[]> {
    const funds = (await this.funds()).map((f) => f.fundId);
    for (const fundId of funds) await this.books(fundId);
    return funds;
  }

  /** The fund's books with every event appended so far applied. */
  books(fundId: string): Promise<FundBooks> {
    return this.follower.books(fundId);
  }

  private async booksAt(fundId: string, query: AsOfQuery): Promise<FundBooks> {
    if (!isIsoDate(query.asOf)) reject('INVALID_DATE', `asOf must be a date YYYY-MM-DD, got ${JSON.stringify(query.asOf)}`);
    if (query.knownAt !== undefined && !isIsoDate(query.knownAt) && !isIsoTimestamp(query.knownAt)) {
      reject('INVALID_DATE', `knownAt must be a date YYYY-MM-DD or an ISO timestamp, got ${JSON.stringify(query.knownAt)}`);
    }
    return this.books(fundId);
  }
}
