import { divRoundHalfEven } from '../cents';
import type { WaterfallTerms } from './waterfall';

/*
 * LPs that bear no carried interest: the sovereign LPs when `carryBearing` is `non-sovereign`
 * (a government that manages the fund does not charge its own capital), and any LP the terms name
 * in `carryExempt`. The one implementation of the rule, for the deciders and the books:
 *
 * - A close records what it admits of each exempt LP and their part of its catch-up; a call
 *   records their part of its total. The waterfall's contributed capital is the bearing LPs'
 *   only (the call's total less the exempt part).
 * - A distribution gives the exempt LPs their share whole, by commitment (`exemptShare`, half to
 *   even), and sends the rest through the tiers; the exempt LPs share their part by commitment,
 *   the bearing LPs the tiers' part to the LPs and the managers' part (the carry each pays), each
 *   to the cent by largest remainder.
 * - The carry accrued is what a liquidation of the bearing LPs' net assets (the fund's less the
 *   exempt LPs' own) would give the managers, shared over the bearing LPs only.
 *
 * An LP's distributions plus the carry it pays are its share by commitment of each distribution,
 * exempt or not: what the LPs share by commitment is unchanged, only who pays the carry is.
 */

/** True when the LP bears no carry under the terms. */
export function bearsNoCarry(terms: Pick<WaterfallTerms, 'carryBearing' | 'carryExempt'>, lp: { lpId: string; kind: string }): boolean {
  return (terms.carryBearing === 'non-sovereign' && lp.kind === 'sovereign') || (terms.carryExempt?.includes(lp.lpId) ?? false);
}

/** True when the terms can exempt any LP (a close then records the exempt LPs it admits). */
export const exemptsAny = (terms: Pick<WaterfallTerms, 'carryBearing' | 'carryExempt'>): boolean =>
  terms.carryBearing === 'non-sovereign' || (terms.carryExempt?.length ?? 0) > 0;

/** The exempt LPs' admitted commitments and what they contributed, as the fund's state keeps them. */
export interface CarryExempt {
  /** Each exempt LP's admitted commitment, in cents. */
  admitted: ReadonlyMap<string, bigint>;
  /** Their sum. */
  cents: bigint;
  /** Their contributions (catch-ups and calls, less defaults), in cents. */
  contributed: bigint;
}

export const noneExempt = (): CarryExempt => ({ admitted: new Map(), cents: 0n, contributed: 0n });

/** The exempt LPs' share of a distribution of `cents`: their admitted commitments (`exemptCents`) over the fund's, half to even. */
export function exemptShare(cents: bigint, exemptCents: bigint, admittedCents: bigint): bigint {
  return exemptCents === 0n || admittedCents === 0n ? 0n : divRoundHalfEven(cents * exemptCents, admittedCents);
}
