import type { CallSplitData } from '../investors/call-split';
import type { CallPurposes } from './call-purposes';
import type { WaterfallTerms } from '../waterfall/waterfall';
import type { CorrectionEvent } from './correction.events';
import type { DistributionEvent } from './distribution.events';
import type { LeverageEvent } from './leverage.events';
import type { ProjectEvent } from './project.events';
import type { InterestTransferred } from '../investors/transfer.events';

/**
 * Events of the fund's own stream (`fund-<fundId>`). Amounts are decimal strings in USD, the base
 * currency, unless a field says otherwise; rates and fractions are decimal strings too.
 */
export interface LeveragePolicy {
  /** debt <= maxRatio x basis */
  maxRatio: string;
  basis: 'commitments' | 'net-assets';
}

export type FundEstablished = {
  type: 'FundEstablished';
  data: {
    fundId: string;
    name: string;
    baseCurrency: 'USD';
    targetSize: string;
    hardCap: string;
    managers: string[];
    /** Managers whose approval an allocation needs: all of them, in this fund. */
    approvalsRequired: string[];
    leveragePolicy: LeveragePolicy;
    /** Largest share of admitted commitments that allocations to one project may reach. */
    concentrationLimit: string;
    /** Annual simple rate charged to LPs admitted at later closes on their catch-up. */
    equalizationRate: string;
    inceptionDate: string;
    /** The distribution waterfall, when the fund has one (otherwise distributions go to the LPs whole). */
    waterfall?: WaterfallTerms;
    /**
     * Managers it names that must still accept before the fund takes commands: every one but the
     * manager that established it, when a manager did (absent when an admin or a scenario did).
     */
    awaitingAcceptance?: string[];
  };
};

/** A manager named by the fund's terms accepts to manage it. */
export type ManagementAccepted = { type: 'ManagementAccepted'; data: { manager: string } };

export type MilestoneRecorded = {
  type: 'MilestoneRecorded';
  data: { milestone: string; note: string };
};

/** USD/JPY: yen per dollar, in force from the event's effective date. */
export type FxRateRecorded = {
  type: 'FxRateRecorded';
  data: { pair: 'USD/JPY'; rate: string };
};

/**
 * Admits every commitment recorded on LP streams at or before `throughPosition` and not yet
 * admitted. Each LP's admitted amount is derived, not listed (a close may admit a million LPs):
 * its pending amount, scaled by `admittedUsd / pendingUsd` with largest remainder, ties by LP id.
 */
export type CloseHeld = {
  type: 'CloseHeld';
  data: {
    closeNumber: number;
    throughPosition: number;
    pendingCount: number;
    pendingUsd: string;
    admittedUsd: string;
    scaledBack: boolean;
    /** Fraction of commitments called before this close, which new LPs pay now to catch up. */
    catchUpFraction: string;
    /** Interest factor on the commitment (sum over prior calls of pct x rate x days / 365). */
    equalizationInterestFactor: string;
    catchUpUsd: string;
    /** How `catchUpUsd` (the fraction of what the close admits, rounded once) is split over the LPs it admits, as a call's total is (`call-split.ts`). Absent in closes recorded before: each LP's catch-up rounded on its own. */
    catchUpSplit?: CallSplitData;
    equalizationInterestUsd: string;
    /** Its own date: it admits only commitments dated on or before it (absent in closes recorded before that rule). */
    admitsThroughDate?: string;
    /**
     * In a fund whose managers share fees or carry by stake: each government's LP account
     * (`managerShares[].lpId`) and its admitted commitment after the close, USD (0 when not admitted).
     */
    stakes?: Record<string, string>;
    /**
     * In a fund whose terms exempt LPs from carry (carry-exemption.ts): what the close admits of
     * each exempt LP (USD), and their part of `catchUpUsd`. Absent when it admits none.
     */
    carryExempt?: { admitted: Record<string, string>; catchUpUsd: string };
    /** In a fund whose terms exempt LPs from management fees (fee-exemption.ts): what the close admits of each fee-exempt LP (USD). Absent when it admits none. */
    feeExempt?: { admitted: Record<string, string> };
  };
};

/** A percentage of every admitted LP's commitment, rounded per LP; the total is their sum. */
export type CapitalCalled = {
  type: 'CapitalCalled';
  data: {
    callNumber: number;
    percentage: string;
    dueDate: string;
    admittedUsd: string;
    totalUsd: string;
    lpCount: number;
    /**
     * How the total is shared over the LPs (largest remainder, `call-split.ts`). Absent in calls
     * recorded before the rule: there each LP's amount was rounded on its own and the total is
     * their sum.
     */
    split?: CallSplitData;
    /** What the call is for, as fractions of it summing to 1 (absent: all investments). */
    purposes?: CallPurposes;
    /** In a fund with carry-exempt LPs admitted: their part of `totalUsd` (carry-exemption.ts). */
    carryExemptUsd?: string;
  };
};

export type ContributionDefaulted = {
  type: 'ContributionDefaulted';
  data: { callNumber: number; lpId: string; amountUsd: string };
};

export type FundEvent =
  | FundEstablished
  | MilestoneRecorded
  | FxRateRecorded
  | CloseHeld
  | CapitalCalled
  | ContributionDefaulted
  | InterestTransferred
  | LeverageEvent
  | ProjectEvent
  | DistributionEvent
  | ManagementAccepted
  | CorrectionEvent;
export type FundEventType = FundEvent['type'];
