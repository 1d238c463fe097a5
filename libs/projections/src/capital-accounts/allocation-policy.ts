import { divFloor, feeShare, entryEpochOf, ownsBy, piecesOf, smallRate, type LpEntry } from '@fundsim/domain';
import { onlyPieceEpoch, piecesAt, SCALE, type AccountBasis, type Pieces } from './account-basis';
import { carryKeysTotal, carryPerCent, carrySuffix } from './carry-allocation';
import { movedTo } from './transferred-value';
import { contributionsOf, singleContributions } from './contributions';

export { callsOf, contributionsOf, singleContributions } from './contributions';
import { grossShared, LINE_KEYS, linesAt, netAssetsOf, sharedOf, type Ledger, type Lines, type Mark } from '../ledger/fund-ledger';

/*
 * The allocation policy, in one place: how the fund's P&L and payouts are shared among its LPs.
 *
 * - An LP's weight in an ownership epoch (from one change of who owns what to the next, a close
 *   or a transfer: libs/domain ownership.ts) is the sum of its pieces entered by then (`weightOf`). P&L
 *   of an epoch (everything but the LPs' own contributions) is shared by weight among the owners
 *   at its start; an LP that enters later shares nothing before it.
 * - An LP's contributions are its own: what each epoch it entered in asked of its piece (a close's
 *   catch-up) and each call on the pieces it held before the call (`lpCallCents`, the deciders' rule).
 * - A distribution is split over the LPs of its epoch by weight, to the cent by largest
 *   remainder, ties by LP id (`payoutSplit`), so the LPs' shares sum to it exactly; so is the
 *   managers' part of it, the carry each LP paid.
 * - The carry accrued on a date is not P&L of an epoch: it is what the waterfall would take from
 *   each LP's own profit (`carryKey`, in carry-allocation.ts), shared over the LPs on that date.
 *
 * A change of policy (a waterfall, say) is a change here; the register, the statements and the
 * performance figures read these functions only.
 */

export { SCALE, piecesAt, onlyPieceEpoch, type AccountBasis, type Pieces } from './account-basis';

/** The profit before any carry: what is shared but distributions and carried interest. */
const profitBeforeCarry = (m: Mark): bigint => sharedOf(m) + m.distributions + m.carriedInterest;
const carryPaid = (m: Mark): bigint => m.carriedInterest - m.carryAccrued;

/**
 * `individual`: the fund's LPs with several pieces or a transfer (few), and `exempt`: the carry-exempt
 * LPs admitted by the date (few), for the carry keys' total (`carryKeysTotal`); all others are
 * counted from the epochs' admitted totals.
 */
export function accountBasis(
  ledger: Ledger,
  asOf: string,
  knownAt: string | null,
  individual: readonly LpEntry[],
  exempt: readonly LpEntry[],
  lpOf: (lpId: string) => LpEntry | undefined,
): AccountBasis {
  const lines = linesAt(ledger, asOf);
  const epochs = ledger.epochs;
  const epochEnds = epochs.map((e) => e.end ?? lines);
  // Per cent of `among` each epoch's LPs: all of them, or the carry-bearing only (the carry paid is theirs alone).
  const suffixOf = (of: (m: Mark) => bigint, among: (e: (typeof epochs)[number]) => bigint = (e) => e.admittedCents): bigint[] => {
    const suffix = new Array<bigint>(epochs.length);
    for (let i = epochs.length - 1, sum = 0n; i >= 0; i--) {
      const cents = among(epochs[i]);
      suffix[i] = sum += cents === 0n ? 0n : ((of(epochEnds[i]) - of(epochs[i].start)) * SCALE) / cents;
    }
    return suffix;
  };
  const factors = epochs.map((e, i) => ((grossShared(epochEnds[i]) - grossShared(e.start)) * SCALE) / e.admittedCents);
  const suffix = new Array<bigint>(factors.length);
  for (let i = factors.length - 1, sum = 0n; i >= 0; i--) suffix[i] = sum += factors[i];
  const calls = ledger.state.calls.map((c) => ({ callNumber: c.callNumber, date: c.date, dueDate: c.dueDate, rule: c.rule }));
  const basis: AccountBasis = {
    asOf,
    knownAt,
    ledger,
    lines,
    epochEnds,
    factors,
    suffix,
    calls,
    callRates: calls.map((c) => smallRate(c.rule.rate)),
    callsBeforeEpoch: epochs.map((e) => e.callsBefore),
    catchUpRates: epochs.map((e) => smallRate(e.catchUpFraction)),
    netAssets: netAssetsOf(lines),
    admittedCents: epochs.length ? epochs[epochs.length - 1].admittedCents : 0n,
    profitSuffix: suffixOf(profitBeforeCarry),
    paidSuffix: suffixOf(carryPaid, (e) => e.admittedCents - e.exemptCents),
    carryAccrued: lines.carryAccrued,
    carrySuffix: [],
    carryKeys: 0n,
    carryPerCent: [],
    ...(exempt.length ? { exempt: new Set(exempt.map((lp) => lp.lpId)) } : {}),
    lpOf,
  };
  basis.carrySuffix = carrySuffix(basis);
  basis.carryKeys = carryKeysTotal(basis, individual, exempt);
  if (basis.carryKeys === 0n && basis.carryAccrued !== 0n) {
    basis.carrySuffix = carrySuffix(basis, true);
    // The keys a transfer moved were of the other suffix.
    basis.transferMemo = undefined;
    basis.carryKeys = carryKeysTotal(basis, individual, exempt);
  }
  basis.carryPerCent = carryPerCent(basis);
  return basis;
}

/** The LPs that own something as of the basis date (of `lps`, the owners by LP id once every epoch known has opened). */
export function ownersAt(basis: AccountBasis, lps: readonly LpEntry[], epochsOpened: number): readonly LpEntry[] {
  const epochs = basis.ledger.epochs.length;
  return epochs === epochsOpened ? lps : lps.filter((lp) => ownsBy(lp, epochs));
}

/** The LP's weight in epoch `epoch` (an index): the sum of its pieces entered by then. */
export function weightOf(pieces: Pieces, epoch: number): bigint {
  let weight = 0n;
  for (const p of pieces) if (p.epoch <= epoch) weight += p.cents;
  return weight;
}

/** The same from the LP's entry (one piece: no pieces built). */
export function weightOfLp(lp: LpEntry, epoch: number): bigint {
  if (lp.more === undefined) return ownsBy(lp, epoch + 1) ? BigInt(lp.cents) : 0n;
  let weight = 0n;
  for (const p of piecesOf(lp)) if (entryEpochOf(p) <= epoch + 1) weight += BigInt(p.cents);
  return weight;
}

/**
 * The owners of epoch `epoch` (an index) by weight, found in one pass over `lps` (the LPs by id);
 * `except`: LPs left out (the carry-exempt, from the carry-bearing owners).
 */
export function epochWeights(lps: readonly LpEntry[], epoch: number, except?: ReadonlySet<string>): EpochWeights {
  const owns = (lp: LpEntry) => ownsBy(lp, epoch + 1) && !except?.has(lp.lpId);
  const counts = new Map<bigint, number>();
  let total = 0n;
  for (const lp of lps) {
    if (!owns(lp)) continue;
    const w = weightOfLp(lp, epoch);
    counts.set(w, (counts.get(w) ?? 0) + 1);
    total += w;
  }
  const idsWithWeight = (set: ReadonlySet<bigint>) => lps.filter((lp) => owns(lp) && set.has(weightOfLp(lp, epoch))).map((lp) => lp.lpId);
  return { counts, total, idsWithWeight };
}

/**
 * Each management fee called from the fee-bearing LPs (fee-exemption.ts) as of the basis date, with
 * what it asked of the LP: its share by admitted commitment then, split as a call is; nothing of a
 * fee-exempt LP. The LP paid it in and bore it, the same cents: its contributions and its
 * management fees, never its net assets.
 */
export function* feeCallsOf(basis: AccountBasis, pieces: Pieces, lpId: string): Generator<{ index: number; date: string; amount: bigint }> {
  if (pieces.length === 0) return;
  const exempt = basis.ledger.state.feeExempt?.admitted.has(lpId) ?? false;
  for (const [index, fee] of basis.ledger.feeCalls.entries()) {
    const amount = feeShare(weightOf(pieces, fee.epoch), lpId, fee.rule, exempt);
    if (amount !== 0n) yield { index, date: fee.date, amount };
  }
}

/** The LP's fees called to date (`feeCallsOf`), in cents. */
export function feesCalledOf(basis: AccountBasis, pieces: Pieces, lpId: string): bigint {
  let total = 0n;
  for (const { amount } of feeCallsOf(basis, pieces, lpId)) total += amount;
  return total;
}

/** The LP's exact net assets before the carry accrued, in cents x SCALE: own contributions plus its share of each epoch's P&L. */
export function scaledGrossNav(basis: AccountBasis, pieces: Pieces, lpId: string): bigint {
  let nav = contributionsOf(basis, pieces, lpId) * SCALE;
  let admitted = 0n;
  for (let e = pieces[0].epoch, next = 0; e < basis.factors.length; e++) {
    while (next < pieces.length && pieces[next].epoch === e) admitted += pieces[next++].cents;
    nav += admitted * basis.factors[e];
  }
  return nav;
}

/**
 * The LP's exact net assets before the carry accrued (scaledGrossNav of its pieces, and what
 * transfers moved to or from it: transferred-value.ts), without building the pieces for an LP
 * with one piece; undefined when it owns nothing by the date.
 */
export function scaledGrossNavOf(basis: AccountBasis, lp: LpEntry): bigint | undefined {
  const only = onlyPieceEpoch(basis, lp);
  if (only !== undefined) return BigInt(singleContributions(basis, only, lp.cents, lp.lpId)) * SCALE + BigInt(lp.cents) * basis.suffix[only];
  if (!ownsBy(lp, basis.ledger.epochs.length)) return undefined;
  return scaledGrossNav(basis, piecesAt(basis, lp), lp.lpId) + movedTo(basis, lp).nav;
}

/** Cumulative share of each P&L line from inception to the basis date, in cents x SCALE (rounded down). Carried interest is not shared by epoch (carry-allocation.ts). */
export function sharedLines(basis: AccountBasis, pieces: Pieces): Map<keyof Lines, bigint> {
  const result = new Map<keyof Lines, bigint>(LINE_KEYS.map((k) => [k, 0n]));
  let admitted = 0n;
  const epochs = basis.ledger.epochs;
  for (let e = pieces[0]?.epoch ?? epochs.length, next = 0; e < epochs.length; e++) {
    while (next < pieces.length && pieces[next].epoch === e) admitted += pieces[next++].cents;
    for (const k of LINE_KEYS) {
      if (k === 'contributions' || k === 'carriedInterest') continue;
      // The fees called are the fee-bearing LPs' own (`feeCallsOf`), not shared.
      const called = k === 'managementFees' ? basis.epochEnds[e].feesCalled - epochs[e].start.feesCalled : 0n;
      const delta = basis.epochEnds[e][k] - epochs[e].start[k] - called;
      if (delta !== 0n) result.set(k, result.get(k)! + divFloor(admitted * delta * SCALE, epochs[e].admittedCents));
    }
  }
  return result;
}

/* ---------------------------------------------------------------- payouts */

/** The LPs of an epoch by weight: how many LPs weigh exactly w cents, and the total. */
export interface EpochWeights {
  counts: ReadonlyMap<bigint, number>;
  total: bigint;
  /** LP ids (ascending) of those whose weight is one of these: for ties at the cut. */
  idsWithWeight: (weights: ReadonlySet<bigint>) => string[];
}

/**
 * A payout split by largest remainder over the LPs' weights: each LP gets
 * floor(w x cents / total), plus one cent when its remainder is above `threshold`, or equal to
 * it and (`tied` is 'all' or holds its id). The remainder depends on the weight alone, so the
 * cut is found over the distinct weights (O(distinct weights)); only LPs tied at the cut are
 * looked up by id.
 */
/**
 * The LP's distributions declared, to the cent: its share of each of the first `count`
 * distributions (all of them by default), each split over the LPs by largest remainder
 * (`payoutShare`): exactly the cash it is paid or is payable.
 */
export function distributionsTo(
  basis: AccountBasis,
  payouts: readonly PayoutSplit[],
  pieces: Pieces,
  lpId: string,
  count = basis.ledger.payouts.length,
): bigint {
  let total = 0n;
  for (let i = 0; i < count; i++) total += payoutShare(payouts[i], weightOf(pieces, basis.ledger.payouts[i].epoch), lpId);
  return total;
}

/** Each distribution declared as of a date, split over its epoch's LPs: what the LPs receive, and the managers' part (the carry each LP pays). */
export interface Payouts {
  toLps: readonly PayoutSplit[];
  carry: readonly PayoutSplit[];
}

export interface PayoutSplit {
  cents: bigint;
  total: bigint;
  threshold: bigint;
  tied: 'all' | ReadonlySet<string>;
  /**
   * In a fund with carry-exempt LPs: this split is the carry-bearing LPs', and the exempt LPs
   * (`ids`) take their share from `split` instead (carry-exemption.ts).
   */
  exempt?: { ids: ReadonlySet<string>; split: PayoutSplit };
}

export function payoutSplit(cents: bigint, weights: EpochWeights): PayoutSplit {
  const { total } = weights;
  if (total === 0n) return { cents, total, threshold: 0n, tied: new Set() };
  const groups: { weight: bigint; count: number; remainder: bigint }[] = [];
  let floors = 0n;
  for (const [weight, count] of weights.counts) {
    const exact = weight * cents;
    floors += (exact / total) * BigInt(count);
    groups.push({ weight, count, remainder: exact % total });
  }
  let left = cents - floors;
  // Nobody's remainder reaches `total`: no extra cent for anyone.
  if (left === 0n) return { cents, total, threshold: total, tied: 'all' };
  groups.sort((a, b) => (a.remainder > b.remainder ? -1 : a.remainder < b.remainder ? 1 : 0));
  for (let i = 0; i < groups.length;) {
    const remainder = groups[i].remainder;
    const atCut = new Set<bigint>();
    let count = 0n;
    for (; i < groups.length && groups[i].remainder === remainder; i++) {
      atCut.add(groups[i].weight);
      count += BigInt(groups[i].count);
    }
    if (count === left) return { cents, total, threshold: remainder, tied: 'all' };
    if (count > left) {
      // Equal remainders: the smallest LP ids among them take the cents left.
      const ids = weights.idsWithWeight(atCut).slice(0, Number(left));
      return { cents, total, threshold: remainder, tied: new Set(ids) };
    }
    left -= count;
  }
  throw new Error(`Payout split out of range: ${left} cents left over`);
}

/** An LP's share of a payout, in cents. */
export function payoutShare(split: PayoutSplit, weight: bigint, lpId: string): bigint {
  if (split.exempt?.ids.has(lpId)) return payoutShare(split.exempt.split, weight, lpId);
  if (weight === 0n || split.total === 0n) return 0n;
  const exact = weight * split.cents;
  const remainder = exact % split.total;
  const extra = remainder > split.threshold || (remainder === split.threshold && (split.tied === 'all' || split.tied.has(lpId)));
  return exact / split.total + (extra ? 1n : 0n);
}
