import type { Command } from '../command';
import type { LpKind } from './commitment.events';

/** A transfer of an LP interest (transfer.decider.ts): the command the managers send, and the event on the fund's stream. */
export type TransferInterest = Command<
  'TransferInterest',
  {
    fromLpId: string;
    toLpId: string;
    /** Admitted commitment moved, USD. */
    commitmentUsd: string;
    /** What the transferee pays the transferor, USD: recorded, not cash of the fund. */
    priceUsd: string;
    /** A transferee new to the fund: its terms (as a first commitment would fix them). */
    kind?: LpKind;
    country?: string;
    currency?: 'USD' | 'JPY';
  }
>;

export type InterestTransferred = {
  type: 'InterestTransferred';
  data: {
    transferNumber: number;
    fromLpId: string;
    toLpId: string;
    /** Admitted commitment moved, USD. */
    commitmentUsd: string;
    /** The same as it leaves the transferor, in its currency (yen: its share of the LP's yen commitment). */
    fromAmount: string;
    /** As it enters the transferee, in its currency (yen from a dollar LP: at `fxRate`, the rate in force on the date). */
    toAmount: string;
    /** The currency `toAmount` is in: the transferee's, as the decider knew it (absent in none recorded yet; then the transferee's own). */
    toCurrency?: 'USD' | 'JPY';
    /** USD/JPY in force on the date, when one is. */
    fxRate?: string;
    priceUsd: string;
    /** The transferee's terms when it is new to the fund. */
    newLp?: { kind: LpKind; country: string; currency: 'USD' | 'JPY' };
  };
};
