import type { CarryAccount, CarryTerms } from './carry-model';

/**
 * The fund at the fork's date, from its books (in USD, floats: a model's figures). The
 * application builds it from the fund's state as of a date, as known at a time.
 */
export interface FundFork {
  /** The fork's date, then each quarter's date (length quarters + 1). */
  dates: string[];
  /** Years since the fund's first close, on the fork's date. */
  fundAgeYears: number;
  admitted: number;
  /** Share of admitted commitments already called. */
  calledFraction: number;
  /** Cash the fund may spend (distributions declared and unpaid set aside; calls due counted in). */
  cash: number;
  leveragePolicy: { maxRatio: number; basis: 'commitments' | 'net-assets' };
  facilities: { facilityId: string; limit: number; principal: number; annualRate: number; dayBasis: 365 | 360; maturityDate: string; accrued: number }[];
  projects: { projectId: string; sector: string; cost: number; fairValue: number }[];
  /** Allocations with something left to fund; `committed`: approved by both governments. */
  allocations: { allocationId: string; project: number; unfunded: number; committed: boolean }[];
  /** The LPs' flows before the fork, by quarter since the fund's first: paid in negative, distributed positive (for the IRR). */
  pastFlows: number[];
  /** The same, summed: what the LPs paid in and received before the fork (calls not yet due counted as paid: the model spends them). */
  pastPaidIn: number;
  pastDistributed: number;
  /** Interest the fund paid and accrued up to the fork: added back, with the horizon's, for the figures with interest added back. */
  interestBefore: number;
  /**
   * The fund's waterfall, with the carry-bearing LPs' account at the fork, when it has one.
   * `bearing`: their share of the fund (1 less the carry-exempt LPs' share of the admitted
   * commitments): what of each call, distribution and liquidation goes through the tiers; the
   * exempt LPs' share goes to them whole (carry-exemption.ts in the domain).
   */
  carry?: {
    terms: CarryTerms;
    account: Pick<CarryAccount, 'contributed' | 'returned' | 'prefAccrued' | 'prefPaid' | 'lpsProfit' | 'managers'>;
    bearing: number;
  };
  /**
   * Once the terms exempt an admitted LP from management fees (fee-exemption.ts in the domain): the
   * fee-bearing LPs' share of the admitted commitments. Fees are then charged on their commitments
   * only and called from them beside their commitments, not paid out of the fund's cash. Absent:
   * fees on every LP's commitment, out of cash.
   */
  feeBearing?: number;
  /** The managers' shares of fees and carry, and their own LP account's share of the fund. */
  managers: { manager: string; share: number; lpOwnership: number }[];
  /** An LP followed on the same paths: one in the books, or a new commitment admitted at the fork. */
  lp?: FollowedLp;
}

/**
 * An LP followed on the fund's paths, with its share of admitted commitments (what it is called,
 * charged and paid of the fund's). An LP in the books starts from its net assets at the fork, which
 * count as its stake; a new commitment is admitted on a copy of the books at the fork (its
 * catch-up is its net assets then; the catch-up and the equalization interest are what it pays in
 * on that day).
 */
export interface FollowedLp {
  lpId: string;
  ownership: number;
  /** Its net assets at the fork. */
  netAssets: number;
  /** What it has in at the fork, the first flow of its IRR: its net assets for an LP in the books; the catch-up and equalization interest for a new commitment. */
  paidIn: number;
  /** What it pays on the fork's date (0 for an LP in the books; `paidIn` for a new commitment). */
  paidAtFork: number;
  /** False for an LP the terms exempt from carry (its share goes to it whole). */
  bearsCarry: boolean;
  /** False for an LP the terms exempt from management fees: where fees are called (`FundFork.feeBearing`), it pays none. */
  paysFees: boolean;
  /** A yen investor's USD/JPY at the fork: its figures in yen too, along each path's rate. */
  fxSpot?: number;
}

/** What one quarter of one path did: the commands the fund's books would record (path 0, on request). */
export interface QuarterActions {
  quarter: number;
  date: string;
  valuations: { projectId: string; fairValue: number }[];
  proceeds: { projectId: string; kind: 'income' | 'capital'; amount: number }[];
  call: number;
  draws: { facilityId: string; amount: number }[];
  interest: string[];
  fee: number;
  expense: number;
  fundings: { allocationId: string; amount: number }[];
  repayments: { facilityId: string; amount: number }[];
  distribution: number;
  shortfall: boolean;
}

/** Path 0's quarter before anything happens in it (the trace fills it in). */
export const noActions = (quarter: number, date: string): QuarterActions => ({
  quarter,
  date,
  valuations: [],
  proceeds: [],
  call: 0,
  draws: [],
  interest: [],
  fee: 0,
  expense: 0,
  fundings: [],
  repayments: [],
  distribution: 0,
  shortfall: false,
});
