import { parseCents, parseFraction, type Fraction } from '../cents';
import type { CloseHeld } from '../fund/fund.events';
import { callRuleOf, type CallRule } from './call-split';
import type { InterestTransferred } from './transfer.events';

/*
 * Ownership epochs: the one declaration of the events that change who owns what in the fund.
 *
 * Each such event opens an epoch. Between two of them the owners and their weights do not change,
 * so the P&L that falls between them is shared by one set of weights: that sharing is the
 * allocation policy's (libs/projections/src/capital-accounts/allocation-policy.ts), and nothing
 * else shares P&L. Epochs are numbered 1, 2, ... in the order their events are recorded; the
 * events are decisions (so their dates follow the same order) and cannot be reversed
 * (correction.decider.ts), so every fold numbers them alike.
 *
 * An LP holds pieces (`Piece`, investor-ledger.ts): USD cents of commitment, each counting from
 * the epoch it entered in. The owners of epoch n are the LPs with pieces entered by epoch n, each
 * weighing the sum of those pieces (`ownsBy`, `entryEpochOf`); their total is the fund's admitted
 * commitments after the event that opened it.
 *
 * A close and a transfer of an LP interest (transfer.decider.ts) open epochs. A redemption or a
 * forfeiture is added here: its event in `OwnershipEvent` and its rule in `OWNERSHIP_RULES` (how
 * it changes the pieces, and what those entering pay), besides the decider that records it. The
 * folds (investor ledger, fund state, the books' epochs) and the allocation policy then take it as
 * they take a close.
 */

/** The events that change who owns what. */
export type OwnershipEvent = CloseHeld | InterestTransferred;
export type OwnershipEventType = OwnershipEvent['type'];

/** What an epoch's opening asks of the pieces that enter in it (a close: catch-up and equalization interest). */
export interface EpochOpening {
  /** What each piece entering pays to catch up on earlier calls: this fraction of it, split as a call is (`callShare`). */
  catchUpFraction: Fraction;
  catchUp: CallRule;
  /** Equalization interest per unit entering, paid outside the capital to the owners before. */
  interestFactor: Fraction;
  /** Cash paid in at the opening by those entering: catch-up and equalization interest. */
  paidInCents: bigint;
}

/** An epoch as the fund's state keeps it (`FundState.epochs`). */
export interface EpochRecord {
  /** Its number, from 1. */
  epoch: number;
  /** The event that opened it, and that event's own number (a close's `closeNumber`). */
  openedBy: OwnershipEventType;
  openedByNumber: number;
  date: string;
  /** Calls made before it opened: pieces entering in it take part in calls from this index on. */
  callsBefore: number;
}

/** The investor ledger as an ownership rule changes it (`InvestorLedger`). */
export interface Holdings {
  /** Admits the commitments pending at a close as pieces entering in `epoch`; false if that close was applied already. */
  applyClose(close: CloseHeld['data'], epoch: number): boolean;
  /**
   * A piece of a known LP's commitment entering in `epoch` (negative amounts: leaving it), in USD
   * cents and the LP's own minor units: what a transfer, a redemption or a forfeiture does to the
   * LPs it concerns, O(1) each.
   */
  enter(lpId: string, epoch: number, cents: number, local: number): void;
  /** An interest moved from one LP to another (new or known) in `epoch`; false if that transfer was applied already. */
  transfer(transfer: InterestTransferred['data'], epoch: number): boolean;
}

/** How one kind of event changes ownership. */
export interface OwnershipRule<E extends OwnershipEvent = OwnershipEvent> {
  /** Its own number (a close's `closeNumber`), by which statements name it. */
  numberOf(data: E['data']): number;
  /** The pieces it gives LPs (or takes from them), entering in `epoch`; false when it changes nothing (applied already). */
  apply(holdings: Holdings, data: E['data'], epoch: number): boolean;
  /** What it asks of the pieces entering. */
  opening(data: E['data']): EpochOpening;
}

const NOTHING: Fraction = parseFraction('0');

/** Every event that opens an epoch, with its rule. Adding one here is what makes it an ownership change for every fold. */
export const OWNERSHIP_RULES: { [T in OwnershipEventType]: OwnershipRule<Extract<OwnershipEvent, { type: T }>> } = {
  CloseHeld: {
    numberOf: (close) => close.closeNumber,
    apply: (holdings, close, epoch) => holdings.applyClose(close, epoch),
    opening: (close) => {
      const catchUpFraction = parseFraction(close.catchUpFraction);
      return {
        catchUpFraction,
        catchUp: callRuleOf(catchUpFraction, close.catchUpSplit),
        interestFactor: parseFraction(close.equalizationInterestFactor),
        paidInCents: parseCents(close.catchUpUsd) + parseCents(close.equalizationInterestUsd),
      };
    },
  },
  InterestTransferred: {
    numberOf: (transfer) => transfer.transferNumber,
    apply: (holdings, transfer, epoch) => holdings.transfer(transfer, epoch),
    // The transferee pays the transferor, not the fund: nothing is paid in, nothing caught up.
    opening: () => ({ catchUpFraction: NOTHING, catchUp: callRuleOf(NOTHING, undefined), interestFactor: NOTHING, paidInCents: 0n }),
  },
};

/** True for an event that changes who owns what: it opens the next epoch. */
export const opensEpoch = <E extends { type: string }>(event: E): event is E & OwnershipEvent => Object.hasOwn(OWNERSHIP_RULES, event.type);

/** The rule of an ownership event. */
export const ownershipRule = (event: OwnershipEvent): OwnershipRule => OWNERSHIP_RULES[event.type] as unknown as OwnershipRule;

/** The fund's epochs after `event`: one more when it changes ownership (`calls`: the calls made before it). */
export function withEpochOpened(epochs: readonly EpochRecord[], event: OwnershipEvent, date: string, calls: number): EpochRecord[] {
  const record: EpochRecord = {
    epoch: epochs.length + 1,
    openedBy: event.type,
    openedByNumber: ownershipRule(event).numberOf(event.data),
    date,
    callsBefore: calls,
  };
  return [...epochs, record];
}
