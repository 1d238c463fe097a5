import { divRoundHalfEven, type Fraction } from '../cents';
import { callShare, splitCall, tiesAtCut, callRuleOf, type CallRule } from './call-split';
import type { Admission, LpEntry, PendingSummary } from './lp-entry';

/** One LP's commitments pending at a close, summed: USD cents and its own currency's minor units. */
export interface PendingLp {
  lp: LpEntry;
  cents: number;
  local: number;
}

/**
 * The commitments a close would admit, by LP: their count, total and last position (the summary
 * the close records), each LP's pending total, and the totals as a histogram (cents -> how many
 * LPs), which is what a close's figures are computed from. The LP list is built when first asked
 * (a close refused for want of pending commitments never builds it); the id order, only when a tie
 * of largest remainder asks for it (once for a set kept: a set derived from it by one commitment
 * walks its order with the change).
 */
export class PendingSet {
  private built?: readonly PendingLp[];
  private sorted?: readonly PendingLp[];
  private counts?: ReadonlyMap<number, number>;
  private index?: Map<string, number>;
  private admission?: CloseAdmission;

  /**
   * `build` lists the LPs; `change`, for a set derived from another by one commitment, is that
   * set and the LP's entry before and after (its id order is the other's with that one change, not
   * a sort of its own). Each thunk is dropped once it has run: a set kept for later does not keep
   * what it was built from (a ledger).
   */
  constructor(
    readonly summary: PendingSummary,
    private build?: () => readonly PendingLp[],
    private readonly change?: { from: PendingSet; before?: PendingLp; after: PendingLp; histogram: () => ReadonlyMap<number, number> },
  ) {}

  /** Each LP's pending total, in the log order of its first pending commitment. */
  get lps(): readonly PendingLp[] {
    if (!this.built) ((this.built = this.build!()), (this.build = undefined));
    return this.built;
  }

  /** The LPs by id (ties of largest remainder go by id). */
  byId(): readonly PendingLp[] {
    if (this.sorted) return this.sorted;
    if (!this.change) return (this.sorted = [...this.lps].sort(byLpId));
    const sorted: PendingLp[] = [];
    for (const p of this.inIdOrder()) sorted.push(p);
    return (this.sorted = sorted);
  }

  /**
   * The LPs by id, one at a time: a set derived from another by one commitment walks the other's
   * order with the one change (found by a binary search), copying nothing.
   */
  *inIdOrder(): Generator<PendingLp> {
    const change = this.change;
    if (!change || this.sorted) {
      const sorted = this.byId();
      for (let i = 0; i < sorted.length; i++) yield sorted[i];
      return;
    }
    const from = change.from.byId();
    const id = change.after.lp.lpId;
    let at = 0;
    let hi = from.length;
    while (at < hi) {
      const mid = (at + hi) >>> 1;
      if (from[mid].lp.lpId < id) at = mid + 1;
      else hi = mid;
    }
    for (let i = 0; i < at; i++) if (from[i] !== change.before) yield from[i];
    yield change.after;
    for (let i = at; i < from.length; i++) if (from[i] !== change.before) yield from[i];
  }

  /** What a close admitting `admittedCents` admits of each LP (kept for the last amount: the decider and its caller share it). */
  admitting(admittedCents: bigint): CloseAdmission {
    if (this.admission?.admittedCents !== admittedCents) this.admission = new CloseAdmission(this, admittedCents);
    return this.admission;
  }

  /** Each LP's pending total in cents -> how many LPs have that total. */
  histogram(): ReadonlyMap<number, number> {
    if (!this.counts) {
      if (this.change) this.counts = this.change.histogram();
      else {
        const counts = new Map<number, number>();
        for (const p of this.lps) count(counts, p.cents, 1);
        this.counts = counts;
      }
    }
    return this.counts;
  }

  /** Where an LP is in `lps` (an index built on the first lookup and kept with the set). */
  private indexOf(lpId: string): number | undefined {
    if (!this.index) {
      this.index = new Map();
      this.lps.forEach((p, i) => this.index!.set(p.lp.lpId, i));
    }
    return this.index.get(lpId);
  }

  /**
   * The set with one more pending commitment (`cents` and `local` of an LP, recorded at
   * `position`): a hypothetical one, for a simulation. Costs a copy of the LP list and of the
   * histogram (O(distinct totals)); its id order is this set's, with the one change.
   */
  withCommitment(lp: LpEntry, cents: number, local: number, position: number): { set: PendingSet; added: PendingLp } {
    const at = this.indexOf(lp.lpId);
    const before = at === undefined ? undefined : this.lps[at];
    const after: PendingLp = { lp: before?.lp ?? lp, cents: (before?.cents ?? 0) + cents, local: (before?.local ?? 0) + local };
    const lps = this.lps.slice();
    if (at === undefined) lps.push(after);
    else lps[at] = after;
    const summary: PendingSummary = {
      count: this.summary.count + 1,
      cents: this.summary.cents + BigInt(cents),
      throughPosition: Math.max(this.summary.throughPosition, position),
    };
    const histogram = () => {
      const counts = new Map(this.histogram());
      if (before) count(counts, before.cents, -1);
      count(counts, after.cents, 1);
      return counts;
    };
    return { set: new PendingSet(summary, () => lps, { from: this, before, after, histogram }), added: after };
  }
}

/**
 * The one rule of admission: a close admits all each LP has pending when their total fits in
 * `admittedCents` (the room under the hard cap, or the total itself); else each LP gets its share
 * of it by largest remainder, ties by LP id. A scale-back is the split of a call at rate
 * admitted / pending over the LPs' pending totals (`splitCall`: the same largest remainder), so an
 * LP's share is O(1) from the cut, and the close's figures come from the histogram of totals
 * (O(distinct totals)) rather than from a pass over every LP. Used by the close's decider, by the
 * ledger when it folds a close, and by a simulated commitment's admission.
 */
export class CloseAdmission {
  readonly scaledBack: boolean;
  private readonly rule?: CallRule;
  /** Admitted cents by pending total, where an LP's id does not matter (all but the tie at the cut). */
  private readonly memo = new Map<number, number>();

  constructor(
    readonly pending: PendingSet,
    readonly admittedCents: bigint,
  ) {
    let total = 0n;
    for (const [cents, n] of pending.histogram()) total += BigInt(cents) * BigInt(n);
    this.scaledBack = total !== admittedCents && total > 0n;
    if (this.scaledBack) {
      const rate: Fraction = { numerator: admittedCents, denominator: total };
      const { split } = splitCall(rate, pending.histogram(), (weights) => idsWhere(pending, (p) => weights.has(p.cents)));
      this.rule = callRuleOf(rate, split);
    }
  }

  /** What the close admits of an LP pending, USD cents. */
  centsOf(p: PendingLp): number {
    if (!this.rule) return p.cents;
    const known = this.memo.get(p.cents);
    if (known !== undefined) return known;
    const cents = Number(callShare(BigInt(p.cents), p.lp.lpId, this.rule));
    if (!tiesAtCut(BigInt(p.cents), this.rule)) this.memo.set(p.cents, cents);
    return cents;
  }

  /** The same in the LP's own currency, scaled back as its USD (half to even). */
  localOf(p: PendingLp, cents = this.centsOf(p)): number {
    if (!this.rule) return p.local;
    if (p.lp.currency === 'USD') return cents;
    return p.cents === 0 ? 0 : Number(divRoundHalfEven(BigInt(p.local) * BigInt(cents), BigInt(p.cents)));
  }

  /** Admitted cents -> how many LPs the close admits that much of (those scaled back to nothing included). */
  histogram(): Map<number, number> {
    const counts = new Map<number, number>();
    if (!this.rule) {
      for (const [cents, n] of this.pending.histogram()) count(counts, cents, n);
      return counts;
    }
    const tied = new Set<number>();
    for (const [cents, n] of this.pending.histogram()) {
      if (tiesAtCut(BigInt(cents), this.rule)) tied.add(cents);
      else count(counts, this.centsOf({ lp: NO_LP, cents, local: 0 }), n);
    }
    if (tied.size > 0) for (const p of this.pending.lps) if (tied.has(p.cents)) count(counts, this.centsOf(p), 1);
    return counts;
  }

  /** The LPs the close admits one of `weights` (cents) of, in id order: the ties of a split over what it admits. */
  idsAdmitting(weights: ReadonlySet<number>): Iterable<string> {
    return idsWhere(this.pending, (p) => weights.has(this.centsOf(p)));
  }

  /** Every LP pending, with what the close admits of it, in the log order of its first pending commitment. */
  all(): Admission[] {
    return this.pending.lps.map((p) => {
      const cents = this.centsOf(p);
      return { lp: p.lp, cents, local: this.localOf(p, cents), subscribedCents: p.cents, subscribedLocal: p.local };
    });
  }
}

/** The ids of the LPs, in their order, that pass the test (those a tie at a split's cut ranks). */
function* idsWhere(pending: PendingSet, test: (p: PendingLp) => boolean): Generator<string> {
  for (const p of pending.inIdOrder()) if (test(p)) yield p.lp.lpId;
}

const NO_LP: LpEntry = { lpId: '', kind: '', country: '', currency: 'USD', close: 0, cents: 0, local: 0 };

function count(counts: Map<number, number>, cents: number, delta: number): void {
  const n = (counts.get(cents) ?? 0) + delta;
  if (n === 0) counts.delete(cents);
  else counts.set(cents, n);
}

const byLpId = (a: PendingLp, b: PendingLp) => (a.lp.lpId < b.lp.lpId ? -1 : a.lp.lpId > b.lp.lpId ? 1 : 0);
