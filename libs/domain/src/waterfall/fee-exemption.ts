import { formatCents } from '../cents';
import { callRuleOf, callShare, type CallRule, type CallSplitData } from '../investors/call-split';
import type { WaterfallTerms } from './waterfall';

/*
 * LPs that pay no management fee: the sovereign LPs when `feeBearing` is `non-sovereign`, and any
 * LP the terms name in `feeExempt`. The one implementation of the rule, for the deciders and the
 * books.
 *
 * In a fund that exempts any LP admitted, a management fee is not paid out of the fund's cash
 * (which every LP owns by commitment) but called from the fee-bearing LPs, in addition to their
 * commitments: the fee's amount is shared over them by admitted commitment, rounded as a call is
 * (largest remainder, `call-split.ts`), and each pays its part into the fund as the fund pays it
 * to the managers. Each fee-bearing LP's contribution and its management fee line are that same
 * part, to the cent, so its net assets do not move and the fund's cash does not either: every
 * LP's net assets stay its share by commitment of the fund's, distributions by commitment tie to
 * each capital account, and an exempt LP bears no fee. A fee-bearing LP's fee counts as capital
 * it contributed (returned before carry, earning the preferred return) when it also bears carry.
 */

/** True when the LP pays no management fee under the terms. */
export function paysNoFee(terms: Pick<WaterfallTerms, 'feeBearing' | 'feeExempt'>, lp: { lpId: string; kind: string }): boolean {
  return (terms.feeBearing === 'non-sovereign' && lp.kind === 'sovereign') || (terms.feeExempt?.includes(lp.lpId) ?? false);
}

/** True when the terms can exempt any LP from fees (a close then records the fee-exempt LPs it admits). */
export const exemptsAnyFromFees = (terms: Pick<WaterfallTerms, 'feeBearing' | 'feeExempt'>): boolean =>
  terms.feeBearing === 'non-sovereign' || (terms.feeExempt?.length ?? 0) > 0;

/** How a management fee was called from the fee-bearing LPs (`ManagementFeeCharged.data.calledFrom`). */
export interface FeeCallData {
  /** The fee-bearing LPs' admitted commitments when it was charged (USD): the fee is shared over them. */
  bearingUsd: string;
  /** Its largest-remainder cut, as a call records one. */
  split: CallSplitData;
  /** What of it the carry-exempt LPs paid (carry-exemption.ts): the rest is the waterfall's capital. Absent: none. */
  carryExemptUsd?: string;
}

/** The fee's split rule: the fee over the bearing LPs' admitted cents, as a call's rate. */
export const feeRule = (feeCents: bigint, bearingCents: bigint, split: CallSplitData): CallRule =>
  callRuleOf({ numerator: feeCents, denominator: bearingCents }, split);

/** What a fee called with `rule` asks of a fee-bearing LP that had admitted `weight` cents (a fee-exempt LP: nothing). */
export function feeShare(weight: bigint, lpId: string, rule: CallRule, exempt: boolean): bigint {
  return exempt || weight === 0n ? 0n : callShare(weight, lpId, rule);
}

/** The carry-exempt LPs' part of a fee (those of them that pay fees), as the event records it. */
export function carryExemptPart(rule: CallRule, carryExempt: ReadonlyMap<string, bigint>, feeExempt: ReadonlyMap<string, bigint>): string | undefined {
  let cents = 0n;
  for (const [lpId, weight] of carryExempt) if (!feeExempt.has(lpId)) cents += callShare(weight, lpId, rule);
  return cents === 0n ? undefined : formatCents(cents);
}
