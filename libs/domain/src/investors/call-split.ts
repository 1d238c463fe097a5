import { timesRate, timesSmallRate, type Fraction, type SmallRate } from '../cents';

/*
 * How a capital call's total is shared over its LPs, the one rule for it (deciders and books).
 *
 * The call's total is its rate times the admitted commitments, rounded half to even to the cent.
 * Each LP's exact share is its rate times what it had admitted before the call; it gets that
 * rounded down, and the cents left over go one each to the largest remainders, ties by LP id
 * (largest remainder, as for a close's scale-back and a distribution). The remainders are
 * integers in units of 1/denominator of a cent (the rate as `parseFraction` reads it), so the
 * cut can be recorded in the `CapitalCalled` event in two values: every LP reads its own amount
 * in O(1), without the other LPs.
 */

/** The cut of a call's largest-remainder split, as recorded (`CapitalCalled.data.split`). */
export interface CallSplitData {
  /** LPs whose remainder is above this get one cent more. */
  remainderAbove: string;
  /** Of those whose remainder equals `remainderAbove`, those with an id up to this one (inclusive) get one cent more too. */
  tiedThrough?: string;
}

/** A call as each LP's amount needs it. Without a split (calls recorded before the rule): each LP's amount rounded half to even on its own. */
export interface CallRule {
  rate: Fraction;
  split?: { above: bigint; tiedThrough?: string };
}

export const callRuleOf = (rate: Fraction, split: CallSplitData | undefined): CallRule =>
  split ? { rate, split: { above: BigInt(split.remainderAbove), tiedThrough: split.tiedThrough } } : { rate };

/** What the call asks of an LP that had admitted `weight` cents before it. */
export function callShare(weight: bigint, lpId: string, call: CallRule): bigint {
  if (!call.split) return timesRate(weight, call.rate);
  const exact = weight * call.rate.numerator;
  const floor = exact / call.rate.denominator;
  return floor + (extraCent(exact - floor * call.rate.denominator, lpId, call.split) ? 1n : 0n);
}

/** The same in floating-point integers while exact (the register's hot loop over a million LPs), in BigInt beyond. */
export function callShareSmall(weight: number, lpId: string, call: CallRule, rate: SmallRate): number {
  const product = weight * rate.n;
  if (!call.split) return timesSmallRate(weight, rate);
  if (!(product < 2 ** 52) || !(rate.d < 2 ** 52)) return Number(callShare(BigInt(weight), lpId, call));
  const floor = Math.floor(product / rate.d);
  return floor + (extraCent(BigInt(product - floor * rate.d), lpId, call.split) ? 1 : 0);
}

/** True when what an LP of this weight is asked depends on its id: its remainder is the cut's, where ids decide. */
export function tiesAtCut(weight: bigint, call: CallRule): boolean {
  if (call.split?.tiedThrough === undefined) return false;
  return (weight * call.rate.numerator) % call.rate.denominator === call.split.above;
}

function extraCent(remainder: bigint, lpId: string, split: NonNullable<CallRule['split']>): boolean {
  return remainder > split.above || (remainder === split.above && split.tiedThrough !== undefined && lpId <= split.tiedThrough);
}

/**
 * The split of a call at `rate` over LPs given as a histogram (admitted cents -> how many LPs),
 * with `idsWithWeights` listing, in id order, the LPs whose admitted cents are one of a set (only
 * asked when LPs tie at the cut). O(distinct weights), plus one pass over the LPs on a tie.
 */
export function splitCall(
  rate: Fraction,
  histogram: ReadonlyMap<number, number>,
  idsWithWeights: (weights: ReadonlySet<number>) => Iterable<string>,
): { totalCents: bigint; split: CallSplitData } {
  const { numerator, denominator } = rate;
  let admitted = 0n;
  let floors = 0n;
  // One entry per distinct weight, sorted by remainder (largest first) and grouped where remainders
  // are equal: an array, not a map keyed by remainder, since with a large denominator (a fee over
  // the fee-bearing LPs' commitments) nearly every weight has a remainder of its own.
  const entries: { remainder: bigint; weight: number; count: bigint }[] = [];
  for (const [weight, count] of histogram) {
    const exact = BigInt(weight) * numerator;
    admitted += BigInt(weight) * BigInt(count);
    const floor = exact / denominator;
    floors += floor * BigInt(count);
    entries.push({ remainder: exact - floor * denominator, weight, count: BigInt(count) });
  }
  const totalCents = timesRate(admitted, rate);
  let left = totalCents - floors;
  // Nobody's remainder reaches the denominator: with nothing left over, nobody gets a cent more.
  if (left === 0n) return { totalCents, split: { remainderAbove: denominator.toString() } };
  entries.sort((a, b) => (a.remainder > b.remainder ? -1 : a.remainder < b.remainder ? 1 : 0));
  for (let i = 0; i < entries.length;) {
    const remainder = entries[i].remainder;
    const weights = new Set<number>();
    let count = 0n;
    for (; i < entries.length && entries[i].remainder === remainder; i++) (weights.add(entries[i].weight), (count += entries[i].count));
    if (count === left) return { totalCents, split: { remainderAbove: (remainder - 1n).toString() } };
    if (count > left) {
      let k = 0n;
      for (const id of idsWithWeights(weights)) if (++k === left) return { totalCents, split: { remainderAbove: remainder.toString(), tiedThrough: id } };
      break;
    }
    left -= count;
  }
  throw new Error(`Call split out of range: ${left} cents left over`);
}
