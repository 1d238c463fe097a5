import { divRoundHalfEven, parseCents, parseFraction, type Fraction } from '../cents';
import { callShare, splitCall, type CallRule, type CallSplitData } from './call-split';
import { CloseAdmission, PendingSet, type PendingLp } from './close-admission';
import type { Admission, LpEntry, PendingSummary, Piece, TransferRecord } from './lp-entry';

export type { Admission, LpEntry, PendingSummary, Piece, TransferRecord } from './lp-entry';
import type { CapitalCommitted } from './commitment.events';
import { opensEpoch, ownershipRule, type Holdings, type OwnershipEvent } from './ownership';
import type { InterestTransferred } from './transfer.events';

/** The terms of a commitment the ledger keeps (the data of a `CapitalCommitted`, as recorded). */
export type CommitmentTerms = Pick<CapitalCommitted['data'], 'lpId' | 'kind' | 'country' | 'currency' | 'amount' | 'amountUsd'>;

/** A pending commitment, as the reversal rules see it. */
export interface PendingCommitment {
  eventId: string;
  lpId: string;
  currency: 'USD' | 'JPY';
  position: number;
  effectiveDate: string;
}

/** 2: with the LPs' transfers (a version 1 snapshot, written before transfers, has none and is still read). */
export const INVESTOR_SNAPSHOT_VERSION = 2;

/** The investor ledger as columns: what `InvestorLedger.toSnapshot()` writes and `fromSnapshot()` reads. */
export interface InvestorLedgerSnapshot {
  version: number;
  /** Kinds and countries, referred to by index. */
  strings: string[];
  lps: {
    ids: string[];
    kind: number[];
    country: number[];
    /** 1 for a yen LP, 0 for a dollar one. */
    jpy: number[];
    close: number[];
    cents: number[];
    local: number[];
    /** [LP index, subscribed cents, subscribed local] where the first close scaled the LP back. */
    subscribed: [number, number, number][];
    /** [LP index, pieces] for LPs admitted at more than one close. */
    more: [number, Piece[]][];
    /** [LP index, transfers] for LPs that transferred an interest or received one (absent in snapshots before transfers). */
    transfers?: [number, TransferRecord[]][];
  };
  /** Commitments still pending, in log order; `lp` indexes `lps`. */
  pending: { lp: number[]; cents: number[]; local: number[]; position: number[]; date: string[]; id: string[] };
  reversed: string[];
  closes: number;
  /** Epochs opened (absent in snapshots written before epochs: there, one per close). */
  epochs?: number;
  /** Transfers applied (absent: none). */
  transfers?: number;
}

export interface CloseTerms {
  closeNumber: number;
  throughPosition: number;
  admittedUsd: string;
  /** The close's date, where it admits only commitments dated on or before it (absent in closes recorded before that rule). */
  admitsThroughDate?: string;
}

export const piecesOf = (lp: LpEntry): Piece[] => {
  if (lp.close === 0) return [];
  const first: Piece = { closeNumber: lp.close, cents: lp.cents, local: lp.local };
  if (lp.subscribedCents !== undefined) Object.assign(first, { subscribedCents: lp.subscribedCents, subscribedLocal: lp.subscribedLocal });
  return lp.more ? [first, ...lp.more] : [first];
};

/** The epoch a piece entered in (ownership.ts). */
export const entryEpochOf = (piece: Pick<Piece, 'closeNumber'>): number => piece.closeNumber;

/** The epoch the LP's first piece entered in; 0 when it holds none yet. */
export const firstEpochOf = (lp: LpEntry): number => lp.close;

/** The LP is an owner once the first `epochs` epochs have opened: a piece of it entered in one of them. */
export const ownsBy = (lp: LpEntry, epochs: number): boolean => lp.close > 0 && lp.close <= epochs;

/** Everything the LP had admitted by its latest close, in USD cents. */
export const admittedCentsOf = (lp: LpEntry): number => {
  let cents = lp.cents;
  if (lp.more) for (const p of lp.more) cents += p.cents;
  return cents;
};

/**
 * The per-LP amount of a capital call: its share (`callShare`) of the pieces the LP held from
 * epochs opened before the call. `callsBeforeEpoch[n - 1]` is the number of calls made before
 * epoch n opened; the call is the `callIndex`-th (0-based).
 */
export function lpCallCents(
  pieces: readonly Pick<Piece, 'closeNumber' | 'cents'>[],
  lpId: string,
  callIndex: number,
  callsBeforeEpoch: readonly number[],
  call: CallRule,
): bigint {
  let admitted = 0n;
  for (const p of pieces) if (callsBeforeEpoch[entryEpochOf(p) - 1] <= callIndex) admitted += BigInt(p.cents);
  return callShare(admitted, lpId, call);
}

/**
 * The fund's investors, one fold for deciding and for reporting: every LP, its pending
 * commitments, and what each close admitted of it (with scale-back at the hard cap), maintained
 * in place as events arrive in log order. The deciders of a close, a call, a default and a
 * commitment's reversal read it; the register and the capital accounts read the same entries.
 *
 * Costs with N LPs: a commitment O(1); a close O(commitments pending); a call's total
 * O(distinct admitted amounts) through a histogram of LPs' admitted totals; an LP O(1) by id; a
 * pending commitment O(1) by id, once the first lookup since the last close has indexed those
 * pending (O(pending)).
 */
export class InvestorLedger implements Holdings {
  readonly lps = new Map<string, LpEntry>();
  // Pending commitments in log order, as parallel arrays from `next` on.
  private pendingLp: LpEntry[] = [];
  private pendingCents: number[] = [];
  private pendingLocal: number[] = [];
  private pendingPosition: number[] = [];
  private pendingDate: string[] = [];
  private pendingId: string[] = [];
  /**
   * Pending commitments by event id, built on the first lookup (a reversal) and kept while it
   * lasts: a replay of a million commitments never pays for it.
   */
  private pendingIndex?: Map<string, number>;
  private next = 0;
  private pendingCount = 0;
  /** The pending total is `pendingTotal + pendingChunk`: commitments add to the float chunk (exact below 2^53), not a BigInt each. */
  private pendingTotal = 0n;
  private pendingChunk = 0;
  /** No pending commitment is dated after this (it may be later than the latest left: then a close looks). */
  private latestPendingDate = '';
  /** Reversed commitments (rare): a reversed one without replacement stays in place at zero. */
  private readonly reversed = new Set<string>();
  /** Admitted USD cents per LP -> how many LPs have admitted exactly that. */
  private readonly histogram = new Map<number, number>();
  private admittedLps = 0;
  private closes = 0;
  private epochs = 0;
  private transfers = 0;
  private sorted?: LpEntry[];
  /** LPs with more than one piece or a transfer: those the books count on their own (few), kept as they change. */
  private readonly several = new Set<LpEntry>();
  private readonly interned = new Map<string, string>();
  private lastInterned = '';

  get closesApplied(): number {
    return this.closes;
  }

  /** Ownership epochs opened (ownership.ts): the pieces held enter in epochs 1 to this. */
  get epochsOpened(): number {
    return this.epochs;
  }

  /** LPs holding more than one piece (admitted at several closes) or party to a transfer: the books count each on its own. */
  get individualLps(): readonly LpEntry[] {
    return [...this.several];
  }

  /** LPs admitted at some close. */
  get admittedCount(): number {
    return this.admittedLps;
  }

  lp(lpId: string): LpEntry | undefined {
    return this.lps.get(lpId);
  }

  /** A commitment recorded on an LP's stream: pending until a close admits it. */
  addCommitment(eventId: string, terms: CommitmentTerms, position: number, effectiveDate: string): void {
    let lp = this.lps.get(terms.lpId);
    if (!lp) {
      lp = { lpId: terms.lpId, kind: this.intern(terms.kind), country: this.intern(terms.country), currency: terms.currency, close: 0, cents: 0, local: 0 };
      this.lps.set(terms.lpId, lp);
    }
    const cents = safeCents(terms.amountUsd);
    if (effectiveDate > this.latestPendingDate) this.latestPendingDate = effectiveDate;
    this.pendingIndex?.set(eventId, this.pendingId.length);
    this.pendingLp.push(lp);
    this.pendingCents.push(cents);
    this.pendingLocal.push(localUnits(terms));
    this.pendingPosition.push(position);
    this.pendingDate.push(effectiveDate);
    this.pendingId.push(eventId);
    this.pendingCount++;
    if (this.pendingChunk + cents > Number.MAX_SAFE_INTEGER) ((this.pendingTotal += BigInt(this.pendingChunk)), (this.pendingChunk = 0));
    this.pendingChunk += cents;
  }

  /** A pending commitment by its event id; undefined once admitted (or never recorded). */
  pendingCommitment(eventId: string): PendingCommitment | undefined {
    const i = this.indexOf(eventId);
    if (i === undefined) return undefined;
    const lp = this.pendingLp[i];
    return { eventId, lpId: lp.lpId, currency: lp.currency, position: this.pendingPosition[i], effectiveDate: this.pendingDate[i] };
  }

  isReversed(eventId: string): boolean {
    return this.reversed.has(eventId);
  }

  /**
   * A pending commitment reversed, or replaced with corrected terms at its place. Only a pending
   * commitment can be reversed (the deciders guarantee it); one already admitted is left as the
   * close admitted it. Returns whether it applied.
   */
  reverseCommitment(eventId: string, replacement?: CommitmentTerms): boolean {
    const i = this.indexOf(eventId);
    if (i === undefined || this.reversed.has(eventId)) return false;
    this.reversed.add(eventId);
    this.pendingTotal -= BigInt(this.pendingCents[i]);
    if (replacement) {
      this.pendingCents[i] = safeCents(replacement.amountUsd);
      this.pendingLocal[i] = localUnits(replacement);
      this.pendingTotal += BigInt(this.pendingCents[i]);
    } else {
      this.pendingCents[i] = 0;
      this.pendingLocal[i] = 0;
      this.pendingCount--;
    }
    return true;
  }

  /**
   * What a close held now would admit: the live pending commitments, those dated on or before
   * `asOf` (the close's date) when one is given; later-dated ones stay pending for a later close.
   */
  pendingSummary(asOf?: string): PendingSummary {
    // Only when some pending commitment may be dated after the close (rare): one pass over them.
    if (asOf !== undefined && this.latestPendingDate > asOf) {
      let count = 0;
      let cents = 0n;
      let chunk = 0;
      let through = 0;
      for (let i = this.next; i < this.pendingPosition.length; i++) {
        if (this.isRemoved(i) || this.datedAfter(i, asOf)) continue;
        count++;
        if (chunk + this.pendingCents[i] > Number.MAX_SAFE_INTEGER) ((cents += BigInt(chunk)), (chunk = 0));
        chunk += this.pendingCents[i];
        through = this.pendingPosition[i];
      }
      return { count, cents: cents + BigInt(chunk), throughPosition: through };
    }
    let through = 0;
    for (let i = this.pendingPosition.length - 1; i >= this.next; i--) {
      if (!this.isRemoved(i)) {
        through = this.pendingPosition[i];
        break;
      }
    }
    return { count: this.pendingCount, cents: this.pendingTotal + BigInt(this.pendingChunk), throughPosition: through };
  }

  /**
   * The commitments a close held now on `date` would admit (`pendingSummary(date)`), by LP: what
   * the close's decider reads. The LP list is built only when the close asks for it.
   */
  pendingOn(date: string): PendingSet {
    const summary = this.pendingSummary(date);
    return new PendingSet(summary, () => this.pendingLps(summary.throughPosition, date));
  }

  /**
   * What a close admits of each LP (`CloseAdmission`, the one rule): every commitment pending up
   * to `throughPosition` (and, for a close that records it, dated on or before
   * `admitsThroughDate`, its date; closes recorded before that rule admitted whatever the date),
   * summed per LP, scaled back to `admittedCents` when that is less.
   */
  admission(throughPosition: number, admittedCents: bigint, admitsThroughDate?: string): Admission[] {
    const lps = this.pendingLps(throughPosition, admitsThroughDate);
    let cents = 0n;
    for (const p of lps) cents += BigInt(p.cents);
    // The summary's count is the LPs' here: the admission reads only their totals.
    return new CloseAdmission(new PendingSet({ count: lps.length, cents, throughPosition }, () => lps), admittedCents).all();
  }

  /** The pending commitments a close through `throughPosition` (dated up to `admitsThroughDate`) takes, summed per LP, in log order. */
  private pendingLps(throughPosition: number, admitsThroughDate?: string): PendingLp[] {
    const index = new Map<LpEntry, number>();
    const byLp: PendingLp[] = [];
    for (let i = this.next; i < this.pendingPosition.length && this.pendingPosition[i] <= throughPosition; i++) {
      if (this.isRemoved(i) || this.datedAfter(i, admitsThroughDate)) continue;
      const lp = this.pendingLp[i];
      let at = index.get(lp);
      if (at === undefined) {
        at = byLp.length;
        index.set(lp, at);
        byLp.push({ lp, cents: 0, local: 0 });
      }
      byLp[at].cents += this.pendingCents[i];
      byLp[at].local += this.pendingLocal[i];
    }
    return byLp;
  }

  /** An event that changes who owns what (ownership.ts): it opens the next epoch, by its rule. */
  changeOwnership(event: OwnershipEvent): void {
    if (ownershipRule(event).apply(this, event.data, this.epochs + 1)) this.epochs++;
  }

  /**
   * A close recorded on the fund's stream (its ownership rule): its pending commitments become
   * pieces entering in `epoch`; those dated after it stay pending. False if it was applied already.
   */
  applyClose(close: CloseTerms, epoch: number): boolean {
    if (close.closeNumber <= this.closes) return false;
    const admitted = this.admission(close.throughPosition, parseCents(close.admittedUsd), close.admitsThroughDate);
    for (const a of admitted) this.admit(a, epoch);
    let end = this.next;
    let kept = 0;
    while (end < this.pendingPosition.length && this.pendingPosition[end] <= close.throughPosition) {
      if (this.datedAfter(end, close.admitsThroughDate)) kept++;
      else if (!this.isRemoved(end)) {
        this.pendingCount--;
        this.pendingTotal -= BigInt(this.pendingCents[end]);
      }
      end++;
    }
    // The commitments dated after the close move, in log order, to just before the ones it did not
    // reach: the pending ones stay one run from `next`.
    if (kept > 0) {
      let to = end;
      for (let i = end - 1; i >= this.next; i--) {
        if (!this.datedAfter(i, close.admitsThroughDate)) continue;
        to--;
        this.pendingLp[to] = this.pendingLp[i];
        this.pendingCents[to] = this.pendingCents[i];
        this.pendingLocal[to] = this.pendingLocal[i];
        this.pendingPosition[to] = this.pendingPosition[i];
        this.pendingDate[to] = this.pendingDate[i];
        this.pendingId[to] = this.pendingId[i];
      }
      end = to;
    }
    this.next = end;
    if (kept === 0 && end === this.pendingPosition.length) this.latestPendingDate = '';
    this.pendingIndex = undefined;
    this.compact();
    this.closes = close.closeNumber;
    this.sorted = undefined;
    return true;
  }

  /** A piece of a known LP's commitment entering in `epoch` (negative: leaving it), for an ownership rule (`Holdings`). */
  enter(lpId: string, epoch: number, cents: number, local: number): void {
    const lp = this.lps.get(lpId);
    if (!lp) throw new Error(`LP ${lpId} is not in the investor ledger: a piece cannot enter for it`);
    const admitted = lp.close > 0;
    this.admit({ lp, cents, local, subscribedCents: cents, subscribedLocal: local }, epoch);
    // The register's order changes only when an LP is admitted: not for every piece of a known one (a million LPs re-sorted).
    if (!admitted) this.sorted = undefined;
  }

  /**
   * A transfer of an interest recorded on the fund's stream (its ownership rule): the commitment
   * leaves the transferor and enters the transferee (registered here when new) as pieces of
   * `epoch`, and each keeps a record of it. False if it was applied already.
   */
  transfer(t: InterestTransferred['data'], epoch: number): boolean {
    if (t.transferNumber <= this.transfers) return false;
    const from = this.lps.get(t.fromLpId);
    if (!from) throw new Error(`LP ${t.fromLpId} is not in the investor ledger: it cannot transfer`);
    if (!this.lps.has(t.toLpId)) {
      const terms = t.newLp ?? fail(`LP ${t.toLpId} is new to the fund but transfer ${t.transferNumber} gives no terms for it`);
      this.lps.set(t.toLpId, {
        lpId: t.toLpId,
        kind: this.intern(terms.kind),
        country: this.intern(terms.country),
        currency: terms.currency,
        close: 0,
        cents: 0,
        local: 0,
      });
    }
    const to = this.lps.get(t.toLpId)!;
    const cents = safeCents(t.commitmentUsd);
    const price = safeCents(t.priceUsd);
    this.enter(from.lpId, epoch, -cents, -localUnits({ amount: t.fromAmount, currency: from.currency }));
    this.enter(to.lpId, epoch, cents, transfereeUnits(t, to.currency, cents));
    (from.transfers ??= []).push({ epoch, transferNumber: t.transferNumber, counterparty: to.lpId, cents: -cents, priceCents: -price });
    (to.transfers ??= []).push({ epoch, transferNumber: t.transferNumber, counterparty: from.lpId, cents, priceCents: price });
    this.several.add(from).add(to);
    this.transfers = t.transferNumber;
    return true;
  }

  /**
   * A call made now at `rate`: its total and its split over the admitted LPs (`splitCall`), or over
   * those not in `except` (LP id -> its admitted cents: the fee-exempt, few).
   */
  callSplit(rate: Fraction, except?: ReadonlyMap<string, bigint>): { totalCents: bigint; split: CallSplitData } {
    let histogram: ReadonlyMap<number, number> = this.histogram;
    if (except?.size) {
      const less = new Map(this.histogram);
      for (const cents of except.values()) {
        const n = (less.get(Number(cents)) ?? 0) - 1;
        if (n === 0) less.delete(Number(cents));
        else less.set(Number(cents), n);
      }
      histogram = less;
    }
    return splitCall(rate, histogram, (weights) =>
      this.admittedSorted()
        .filter((lp) => weights.has(admittedCentsOf(lp)) && !except?.has(lp.lpId))
        .map((lp) => lp.lpId),
    );
  }

  /** LPs admitted by some close, by LP id: the register's order. */
  admittedSorted(): LpEntry[] {
    this.sorted ??= [...this.lps.values()].filter((lp) => lp.close > 0).sort((a, b) => (a.lpId < b.lpId ? -1 : a.lpId > b.lpId ? 1 : 0));
    return this.sorted;
  }

  /**
   * The whole ledger as plain JSON-able columns (a million LPs are a few arrays, not a million
   * objects), for a persisted snapshot. Derived figures (the histogram, the counts) are rebuilt
   * on restore rather than trusted.
   */
  toSnapshot(): InvestorLedgerSnapshot {
    const strings = [...this.interned.keys()];
    const code = new Map(strings.map((s, i) => [s, i]));
    const from = this.next;
    // Only the LPs of pending commitments are referred to by index (few, after the last close): no map of every LP.
    const index = new Map<LpEntry, number>();
    for (let i = from; i < this.pendingLp.length; i++) index.set(this.pendingLp[i], -1);
    const lps: InvestorLedgerSnapshot['lps'] = {
      ids: [],
      kind: [],
      country: [],
      jpy: [],
      close: [],
      cents: [],
      local: [],
      subscribed: [],
      more: [],
      transfers: [],
    };
    for (const lp of this.lps.values()) {
      const i = lps.ids.length;
      if (index.has(lp)) index.set(lp, i);
      lps.ids.push(lp.lpId);
      lps.kind.push(code.get(lp.kind)!);
      lps.country.push(code.get(lp.country)!);
      lps.jpy.push(lp.currency === 'JPY' ? 1 : 0);
      lps.close.push(lp.close);
      lps.cents.push(lp.cents);
      lps.local.push(lp.local);
      if (lp.subscribedCents !== undefined) lps.subscribed.push([i, lp.subscribedCents, lp.subscribedLocal!]);
      if (lp.more) lps.more.push([i, lp.more]);
      if (lp.transfers) lps.transfers!.push([i, lp.transfers]);
    }
    return {
      version: INVESTOR_SNAPSHOT_VERSION,
      strings,
      lps,
      pending: {
        lp: this.pendingLp.slice(from).map((lp) => index.get(lp)!),
        cents: this.pendingCents.slice(from),
        local: this.pendingLocal.slice(from),
        position: this.pendingPosition.slice(from),
        date: this.pendingDate.slice(from),
        id: this.pendingId.slice(from),
      },
      reversed: [...this.reversed],
      closes: this.closes,
      epochs: this.epochs,
      transfers: this.transfers,
    };
  }

  /** A ledger restored from `toSnapshot()`; throws on a snapshot that does not hang together. */
  static fromSnapshot(snapshot: InvestorLedgerSnapshot): InvestorLedger {
    if (snapshot?.version !== INVESTOR_SNAPSHOT_VERSION && snapshot?.version !== 1)
      throw new Error(`investor ledger snapshot version ${String(snapshot?.version)}, expected ${INVESTOR_SNAPSHOT_VERSION}`);
    const ledger = new InvestorLedger();
    const { strings, lps, pending } = snapshot;
    const n = lps.ids.length;
    for (const column of [lps.kind, lps.country, lps.jpy, lps.close, lps.cents, lps.local])
      if (column.length !== n) throw new Error('investor ledger snapshot: LP columns differ in length');
    const entries: LpEntry[] = new Array(n);
    for (const s of strings) ledger.interned.set(s, s);
    for (let i = 0; i < n; i++) {
      const kind = strings[lps.kind[i]];
      const country = strings[lps.country[i]];
      if (kind === undefined || country === undefined) throw new Error('investor ledger snapshot: unknown string code');
      const lp: LpEntry = {
        lpId: lps.ids[i],
        kind,
        country,
        currency: lps.jpy[i] === 1 ? 'JPY' : 'USD',
        close: lps.close[i],
        cents: lps.cents[i],
        local: lps.local[i],
      };
      entries[i] = lp;
      ledger.lps.set(lp.lpId, lp);
    }
    for (const [i, cents, local] of lps.subscribed) Object.assign(entries[i], { subscribedCents: cents, subscribedLocal: local });
    for (const [i, more] of lps.more) entries[i].more = more;
    for (const [i, transfers] of lps.transfers ?? []) entries[i].transfers = transfers;
    if (ledger.lps.size !== n) throw new Error('investor ledger snapshot: duplicate LP ids');
    for (const lp of entries) {
      if (lp.more !== undefined || lp.transfers !== undefined) ledger.several.add(lp);
      if (lp.close === 0) continue;
      ledger.admittedLps++;
      ledger.count(admittedCentsOf(lp), 1);
    }
    const m = pending.id.length;
    for (const column of [pending.lp, pending.cents, pending.local, pending.position, pending.date])
      if (column.length !== m) throw new Error('investor ledger snapshot: pending columns differ in length');
    ledger.pendingLp = pending.lp.map((i) => entries[i] ?? fail('investor ledger snapshot: pending commitment of an unknown LP'));
    ledger.pendingCents = pending.cents;
    ledger.pendingLocal = pending.local;
    ledger.pendingPosition = pending.position;
    ledger.pendingDate = pending.date;
    ledger.pendingId = pending.id;
    for (const id of snapshot.reversed) ledger.reversed.add(id);
    for (let i = 0; i < m; i++) {
      if (ledger.isRemoved(i)) continue;
      if (ledger.pendingDate[i] > ledger.latestPendingDate) ledger.latestPendingDate = ledger.pendingDate[i];
      ledger.pendingCount++;
      ledger.pendingTotal += BigInt(ledger.pendingCents[i]);
    }
    ledger.closes = snapshot.closes;
    ledger.epochs = snapshot.epochs ?? snapshot.closes;
    ledger.transfers = snapshot.transfers ?? 0;
    return ledger;
  }

  /** What a close admits of an LP, as a piece entering in `epoch`. */
  private admit(a: Admission, epoch: number): void {
    // Scaled back to nothing: not admitted at this close.
    if (a.cents === 0) return;
    const lp = a.lp;
    const scaled = a.cents !== a.subscribedCents;
    if (lp.close === 0) {
      lp.close = epoch;
      lp.cents = a.cents;
      lp.local = a.local;
      if (scaled) ((lp.subscribedCents = a.subscribedCents), (lp.subscribedLocal = a.subscribedLocal));
      this.admittedLps++;
      this.count(a.cents, 1);
      return;
    }
    this.count(admittedCentsOf(lp), -1);
    const piece: Piece = { closeNumber: epoch, cents: a.cents, local: a.local };
    if (scaled) ((piece.subscribedCents = a.subscribedCents), (piece.subscribedLocal = a.subscribedLocal));
    (lp.more ??= []).push(piece);
    this.several.add(lp);
    this.count(admittedCentsOf(lp), 1);
  }

  private count(cents: number, delta: number): void {
    const n = (this.histogram.get(cents) ?? 0) + delta;
    if (n === 0) this.histogram.delete(cents);
    else this.histogram.set(cents, n);
  }

  private indexOf(eventId: string): number | undefined {
    if (!this.pendingIndex) {
      this.pendingIndex = new Map();
      for (let i = this.next; i < this.pendingId.length; i++) this.pendingIndex.set(this.pendingId[i], i);
    }
    return this.pendingIndex.get(eventId);
  }

  /** Pending commitment `i` is dated after a close's date, so that close leaves it pending (a close recorded without one admits any date). */
  private datedAfter(i: number, closeDate: string | undefined): boolean {
    return closeDate !== undefined && this.pendingDate[i] > closeDate;
  }

  private isRemoved(i: number): boolean {
    return this.pendingCents[i] === 0 && this.reversed.has(this.pendingId[i]);
  }

  /** Drops admitted commitments from the front of the pending arrays once they are most of them. */
  private compact(): void {
    if (this.next < 1024 || this.next * 2 < this.pendingId.length) return;
    this.pendingLp = this.pendingLp.slice(this.next);
    this.pendingCents = this.pendingCents.slice(this.next);
    this.pendingLocal = this.pendingLocal.slice(this.next);
    this.pendingPosition = this.pendingPosition.slice(this.next);
    this.pendingDate = this.pendingDate.slice(this.next);
    this.pendingId = this.pendingId.slice(this.next);
    this.next = 0;
  }

  /** Kinds and countries repeat a million times: keep one copy of each. */
  private intern(text: string): string {
    if (text === this.lastInterned) return this.lastInterned;
    const known = this.interned.get(text);
    if (known !== undefined) return (this.lastInterned = known);
    this.interned.set(text, text);
    return (this.lastInterned = text);
  }
}

function fail(message: string): never {
  throw new Error(message);
}

function safeCents(text: string): number {
  const cents = parseCents(text);
  if (cents < 0n || cents > BigInt(Number.MAX_SAFE_INTEGER)) throw new Error(`A commitment of ${text} USD is outside what the fund can book`);
  return Number(cents);
}

/**
 * What a transfer gives the transferee in its own currency's minor units: `toAmount` as decided,
 * or, should the transferee's first commitment have been recorded in another currency between the
 * decision's read and its append, the commitment moved converted at the transfer's rate.
 */
function transfereeUnits(t: InterestTransferred['data'], currency: 'USD' | 'JPY', cents: number): number {
  const decided = t.toCurrency ?? t.newLp?.currency ?? currency;
  if (decided === currency) return localUnits({ amount: t.toAmount, currency });
  if (currency === 'USD' || t.fxRate === undefined) return cents;
  const rate = parseFraction(t.fxRate);
  return Number(divRoundHalfEven(BigInt(cents) * rate.numerator, rate.denominator * 100n));
}

/** A commitment in USD cents, as the ledger keeps it pending. */
export const commitmentCents = (terms: Pick<CommitmentTerms, 'amountUsd'>): number => safeCents(terms.amountUsd);

/** A commitment in its own currency's minor units, as the ledger keeps it pending. */
export const commitmentLocalUnits = (terms: Pick<CommitmentTerms, 'currency' | 'amount'>): number => localUnits(terms);

/** The commitment in its own currency's minor units. */
function localUnits(terms: Pick<CommitmentTerms, 'currency' | 'amount'>): number {
  const units = terms.currency === 'JPY' ? BigInt(terms.amount) : parseCents(terms.amount);
  if (units < 0n || units > BigInt(Number.MAX_SAFE_INTEGER))
    throw new Error(`A commitment of ${terms.amount} ${terms.currency} is outside what the fund can book`);
  return Number(units);
}

/**
 * An event as the investor ledger folds it, from an LP's stream or the fund's: a stored event
 * has this shape already, so a million of them are folded without a copy each.
 */
export interface InvestorLedgerEvent {
  id: string;
  type: string;
  data: unknown;
  position: number;
  metadata: { effectiveDate: string };
}

/**
 * Folds one event of a fund's log into its investor ledger, in log order: a commitment, a change
 * of ownership (a close: `opensEpoch`), or a commitment's reversal (recorded on the fund's stream,
 * or on the LP's by older versions); anything else leaves it as it is.
 */
export function evolveInvestors(ledger: InvestorLedger, event: InvestorLedgerEvent): void {
  if (opensEpoch(event)) {
    ledger.changeOwnership(event);
    return;
  }
  switch (event.type) {
    case 'CapitalCommitted':
      ledger.addCommitment(event.id, event.data as CommitmentTerms, event.position, event.metadata.effectiveDate);
      return;
    case 'EventReversed': {
      const reversal = event.data as { eventId: string; reversedType: string; replacement?: { data: unknown } };
      if (reversal.reversedType === 'CapitalCommitted') ledger.reverseCommitment(reversal.eventId, reversal.replacement?.data as CommitmentTerms | undefined);
      return;
    }
  }
}

/** True for the reversal of a commitment: it changes the investor ledger, not the fund's figures. */
export const isCommitmentReversal = (event: { type: string; data: unknown }): boolean =>
  event.type === 'EventReversed' && (event.data as { reversedType?: string }).reversedType === 'CapitalCommitted';
