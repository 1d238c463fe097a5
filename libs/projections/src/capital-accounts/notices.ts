import { movedTo } from './transferred-value';
import {
  CALL_PURPOSES,
  divRoundHalfEven,
  formatCents,
  fxRateOn,
  largestRemainder,
  parseCents,
  parseFraction,
  reject,
  splitByPurpose,
  type CallPurpose,
  type LpEntry,
} from '@fundsim/domain';
import {
  callsOf,
  contributionsOf,
  distributionsTo,
  feesCalledOf,
  payoutShare,
  piecesAt,
  weightOf,
  type AccountBasis,
  type Payouts,
  type Pieces,
} from './allocation-policy';

/*
 * Investor notices (ILPA's Capital Call & Distribution Template): what one call asks of one LP, or
 * what one distribution pays it, with the figures an LP reconciles to its bank. Every amount comes
 * from the allocation policy's rules (`callsOf`, `contributionsOf`, `payoutShare`): a notice never
 * computes an LP's share its own way, so it agrees with the statement and the register.
 */

/** The four uses of a call's money, each a line of the notice. */
export type PurposeLines = Record<CallPurpose, string>;

/** The distribution's tiers as they reach the LP (a fund with waterfall terms). */
export interface TierLines {
  returnOfCapital: string;
  preferredReturn: string;
  catchUp: string;
  /** The LPs' part of the profit split after the catch-up (ILPA: gain). */
  gain: string;
}

/** The USD/JPY rate a yen LP's figures are converted at, and the date it was recorded for. */
export interface NoticeRate {
  pair: 'USD/JPY';
  rate: string;
  /** The `FxRateRecorded` in force on the notice's date: the latest on or before it. */
  recordedFor: string;
}

export interface CallNotice {
  notice: 'capital-call';
  fundId: string;
  fundName: string;
  lpId: string;
  lpKind: string;
  country: string;
  currency: 'USD' | 'JPY';
  callNumber: number;
  /** The notice's date: the call's effective date. */
  noticeDate: string;
  dueDate: string;
  /** Fraction of the LP's admitted commitment called. */
  percentage: string;
  /** The LP's commitment admitted by the closes held before the call, in USD. */
  commitment: string;
  amount: string;
  purposes: PurposeLines;
  /** True when the call recorded no purposes (the whole amount is then read as investments). */
  purposesRecorded: boolean;
  contributionsBefore: string;
  /** Including this call. */
  cumulativeContributions: string;
  unfundedBefore: string;
  unfundedAfter: string;
  /** The call's total over all its LPs. */
  callTotal: string;
  knownAt: string | null;
  /** A yen LP's figures in yen, at `rate` (null for a USD LP, or when no rate is recorded). */
  yen: CallNoticeYen | null;
}

/** A call notice's figures in yen (integers), at `rate`. */
export interface CallNoticeYen {
  rate: NoticeRate;
  commitment: string;
  amount: string;
  purposes: PurposeLines;
  contributionsBefore: string;
  cumulativeContributions: string;
  unfundedBefore: string;
  unfundedAfter: string;
  callTotal: string;
}

export interface DistributionNotice {
  notice: 'distribution';
  fundId: string;
  fundName: string;
  lpId: string;
  lpKind: string;
  country: string;
  currency: 'USD' | 'JPY';
  distributionNumber: number;
  /** The notice's date: the distribution's declaration (effective) date. */
  noticeDate: string;
  paymentDate: string;
  /** The cash the LP receives: its share of the LPs' part, by largest remainder over its epoch's LPs. */
  amount: string;
  /** Its split by tier, summing to `amount`; null in a fund without waterfall terms (no tiers), and for an LP exempt from carry (paid whole, outside the tiers). */
  tiers: TierLines | null;
  /** True for an LP that bears no carry (carry-exemption.ts): its share is paid whole, outside the tiers. */
  carryExempt: boolean;
  /** The LP's share of the managers' part (carried interest), split over the LPs as the distribution is. */
  carryWithheld: string;
  /** amount + carryWithheld: what the LP would have received without carried interest. */
  grossAmount: string;
  /** Including this one. */
  cumulativeDistributions: string;
  cumulativeContributions: string;
  unfunded: string;
  /** What the distribution pays all the LPs together, and the managers. */
  distributionToLps: string;
  distributionToManagers: string;
  knownAt: string | null;
  yen: DistributionNoticeYen | null;
}

/** A distribution notice's figures in yen (integers), at `rate`. */
export interface DistributionNoticeYen {
  rate: NoticeRate;
  amount: string;
  tiers: TierLines | null;
  carryWithheld: string;
  grossAmount: string;
  cumulativeDistributions: string;
  cumulativeContributions: string;
  unfunded: string;
}

export type Notice = CallNotice | DistributionNotice;

/** The basis's call numbered `callNumber` (UNKNOWN_CALL when there is none). */
export function callIndexOf(basis: AccountBasis, fundId: string, callNumber: number): number {
  const k = basis.calls.findIndex((c) => c.callNumber === callNumber);
  if (k < 0) reject('UNKNOWN_CALL', `Fund ${fundId} has no capital call number ${callNumber} (calls so far: ${basis.calls.length})`);
  return k;
}

/**
 * One LP's notice of call `k` of the basis (a basis dated the call's date). Undefined when the
 * call asked nothing of the LP: admitted after it (it caught up at its close instead).
 */
export function callNotice(fundId: string, basis: AccountBasis, lp: LpEntry, k: number): CallNotice | undefined {
  // The pieces of epochs opened before the call: a close later the same day admits what this call did not call.
  const pieces = piecesAt(basis, lp).filter((p) => basis.callsBeforeEpoch[p.epoch] <= k);
  if (pieces.length === 0) return undefined;
  // callsOf yields the LP's calls in order: what comes after call k is not yet contributed.
  let amount: bigint | undefined;
  let later = 0n;
  for (const { call, amount: cents } of callsOf(basis, pieces, lp.lpId)) {
    if (amount !== undefined) later += cents;
    else if (call === basis.calls[k]) amount = cents;
  }
  if (amount === undefined) return undefined;
  const commitment = pieces.reduce((sum, p) => sum + p.cents, 0n);
  // An LP that transferred all its interest before the call holds nothing it could be asked for: no notice.
  if (commitment === 0n && amount === 0n) return undefined;
  const cumulative = contributionsOf(basis, pieces, lp.lpId) - later;
  const record = basis.ledger.state.calls[k];
  const purposes = splitByPurpose(amount, record.purposes);
  // Fees called from it (fee-exemption.ts) are contributions beside the commitment: in the cumulative contributions, not out of the unfunded.
  const fees = feesCalledOf(basis, pieces, lp.lpId);
  // Capital contributed on interests transferred to it before the call (or from it) is out of its unfunded commitment too (transferred-value.ts).
  const moved = lp.transfers ? movedTo(basis, lp, basis.callsBeforeEpoch.filter((calls) => calls <= k).length + 1).contributed : 0n;
  const usd = { commitment, amount, purposes, cumulative, fees, moved, callTotal: parseCents(record.totalUsd.toString()) };
  return {
    notice: 'capital-call',
    fundId,
    fundName: basis.ledger.state.config?.name ?? fundId,
    lpId: lp.lpId,
    lpKind: lp.kind,
    country: lp.country,
    currency: lp.currency,
    callNumber: record.callNumber,
    noticeDate: record.date,
    dueDate: record.dueDate,
    percentage: record.percentage.toString(),
    commitment: formatCents(commitment),
    amount: formatCents(amount),
    purposes: purposeLines(purposes, formatCents),
    purposesRecorded: record.purposes !== undefined,
    contributionsBefore: formatCents(cumulative - amount + fees),
    cumulativeContributions: formatCents(cumulative + fees),
    unfundedBefore: formatCents(commitment - moved - cumulative + amount),
    unfundedAfter: formatCents(commitment - moved - cumulative),
    callTotal: record.totalUsd.toString(),
    knownAt: basis.knownAt,
    yen: lp.currency === 'JPY' ? callInYen(basis, record.date, usd) : null,
  };
}

function purposeLines(parts: Record<CallPurpose, bigint>, format: (v: bigint) => string): PurposeLines {
  return Object.fromEntries(CALL_PURPOSES.map((k) => [k, format(parts[k])])) as PurposeLines;
}

/**
 * The call in yen: the commitment, the amount and the cumulative contributions each converted at
 * the rate (half to even, to the yen); the purpose lines are the yen amount split by largest
 * remainder over the USD lines, and the other figures differences of these, so the yen notice adds
 * up as the USD one does.
 */
function callInYen(
  basis: AccountBasis,
  date: string,
  usd: { commitment: bigint; amount: bigint; purposes: Record<CallPurpose, bigint>; cumulative: bigint; fees: bigint; moved: bigint; callTotal: bigint },
): CallNoticeYen | null {
  const rate = rateOn(basis, date);
  if (!rate) return null;
  const y = (cents: bigint) => toYen(cents, rate.rate);
  const amount = y(usd.amount);
  const cumulative = y(usd.cumulative);
  const fees = y(usd.fees);
  const commitment = y(usd.commitment);
  const unfunded = commitment - y(usd.moved) - cumulative;
  const split = largestRemainder(
    amount,
    CALL_PURPOSES.map((key) => ({ key, weight: usd.purposes[key] })),
  );
  const str = (v: bigint) => v.toString();
  return {
    rate,
    commitment: str(commitment),
    amount: str(amount),
    purposes: Object.fromEntries(CALL_PURPOSES.map((k) => [k, str(split.get(k) ?? 0n)])) as PurposeLines,
    contributionsBefore: str(cumulative - amount + fees),
    cumulativeContributions: str(cumulative + fees),
    unfundedBefore: str(unfunded + amount),
    unfundedAfter: str(unfunded),
    callTotal: str(y(usd.callTotal)),
  };
}

/** The basis's distribution numbered `distributionNumber` (UNKNOWN_DISTRIBUTION when there is none). */
export function payoutIndexOf(basis: AccountBasis, fundId: string, distributionNumber: number): number {
  const i = basis.ledger.payouts.findIndex((p) => p.distributionNumber === distributionNumber);
  if (i < 0)
    reject('UNKNOWN_DISTRIBUTION', `Fund ${fundId} has no distribution number ${distributionNumber} (distributions so far: ${basis.ledger.payouts.length})`);
  return i;
}

/**
 * One LP's notice of distribution `i` of the basis (a basis dated its declaration). `payouts`:
 * each distribution's split over its epoch's LPs, of the LPs' part and of the managers' (the
 * carry withheld from each LP, as its statement counts it). Undefined when the LP had no weight in its epoch.
 */
export function distributionNotice(fundId: string, basis: AccountBasis, payouts: Payouts, lp: LpEntry, i: number): DistributionNotice | undefined {
  const payout = basis.ledger.payouts[i];
  const pieces: Pieces = piecesAt(basis, lp);
  const weight = weightOf(pieces, payout.epoch);
  if (weight === 0n) return undefined;
  const amount = payoutShare(payouts.toLps[i], weight, lp.lpId);
  const carried = payoutShare(payouts.carry[i], weight, lp.lpId);
  // An LP exempt from carry is paid its share whole, outside the tiers: no tier lines.
  const carryExempt = basis.exempt?.has(lp.lpId) ?? false;
  const tiers = payout.split && !carryExempt ? tierSplit(amount, payout.split) : null;
  const cumulativeDistributions = distributionsTo(basis, payouts.toLps, pieces, lp.lpId, i + 1);
  const contributions = contributionsOf(basis, pieces, lp.lpId);
  const fees = feesCalledOf(basis, pieces, lp.lpId);
  const commitment = pieces.reduce((sum, p) => sum + p.cents, 0n);
  const moved = movedTo(basis, lp).contributed;
  const usd = { amount, tiers, carried, cumulativeDistributions, contributions, fees, commitment, moved };
  return {
    notice: 'distribution',
    fundId,
    fundName: basis.ledger.state.config?.name ?? fundId,
    lpId: lp.lpId,
    lpKind: lp.kind,
    country: lp.country,
    currency: lp.currency,
    distributionNumber: payout.distributionNumber,
    noticeDate: payout.date,
    paymentDate: payout.paymentDate,
    amount: formatCents(amount),
    tiers: tiers && tierLines(tiers, formatCents),
    carryExempt,
    carryWithheld: formatCents(carried),
    grossAmount: formatCents(amount + carried),
    cumulativeDistributions: formatCents(cumulativeDistributions),
    cumulativeContributions: formatCents(contributions + fees),
    unfunded: formatCents(commitment - moved - contributions),
    distributionToLps: formatCents(payout.cents),
    distributionToManagers: payout.split?.toManagers ?? '0.00',
    knownAt: basis.knownAt,
    yen: lp.currency === 'JPY' ? distributionInYen(basis, payout.date, usd) : null,
  };
}

type Tiers = Record<keyof TierLines, bigint>;
const TIER_KEYS: readonly (keyof TierLines)[] = ['returnOfCapital', 'preferredReturn', 'catchUp', 'gain'];

/**
 * The LP's cash split over the tiers of the LPs' part by largest remainder (ties by tier name), so
 * the lines sum exactly to its cash.
 */
export function tierSplit(
  amount: bigint,
  split: { returnOfCapital: string; preferredReturn: string; catchUpToLps: string; carriedInterestToLps: string },
): Tiers {
  const weights = {
    returnOfCapital: parseCents(split.returnOfCapital),
    preferredReturn: parseCents(split.preferredReturn),
    catchUp: parseCents(split.catchUpToLps),
    gain: parseCents(split.carriedInterestToLps),
  };
  const parts = largestRemainder(
    amount,
    TIER_KEYS.map((key) => ({ key, weight: weights[key] })),
  );
  return Object.fromEntries(TIER_KEYS.map((k) => [k, parts.get(k) ?? 0n])) as Tiers;
}

function tierLines(tiers: Tiers, format: (v: bigint) => string): TierLines {
  return Object.fromEntries(TIER_KEYS.map((k) => [k, format(tiers[k])])) as unknown as TierLines;
}

function distributionInYen(
  basis: AccountBasis,
  date: string,
  usd: {
    amount: bigint;
    tiers: Tiers | null;
    carried: bigint;
    cumulativeDistributions: bigint;
    contributions: bigint;
    fees: bigint;
    commitment: bigint;
    moved: bigint;
  },
): DistributionNoticeYen | null {
  const rate = rateOn(basis, date);
  if (!rate) return null;
  const y = (cents: bigint) => toYen(cents, rate.rate);
  const amount = y(usd.amount);
  const gross = y(usd.amount + usd.carried);
  const contributions = y(usd.contributions);
  const str = (v: bigint) => v.toString();
  const tiers =
    usd.tiers &&
    largestRemainder(
      amount,
      TIER_KEYS.map((key) => ({ key, weight: usd.tiers![key] })),
    );
  return {
    rate,
    amount: str(amount),
    tiers: tiers && (Object.fromEntries(TIER_KEYS.map((k) => [k, str(tiers.get(k) ?? 0n)])) as unknown as TierLines),
    carryWithheld: str(gross - amount),
    grossAmount: str(gross),
    cumulativeDistributions: str(y(usd.cumulativeDistributions)),
    cumulativeContributions: str(contributions + y(usd.fees)),
    unfunded: str(y(usd.commitment) - y(usd.moved) - contributions),
  };
}

/** The USD/JPY rate in force on a date (`fxRateOn`), with the date it was recorded for. */
function rateOn(basis: AccountBasis, date: string): NoticeRate | undefined {
  const state = basis.ledger.state;
  const rate = fxRateOn(state, date);
  if (rate === undefined) return undefined;
  let recordedFor = date;
  for (let j = state.fxRates.length - 1; j >= 0; j--) {
    if (state.fxRates[j].date <= date) {
      recordedFor = state.fxRates[j].date;
      break;
    }
  }
  return { pair: 'USD/JPY', rate, recordedFor };
}

/** Cents at a rate in yen per dollar, to the yen, half to even. */
function toYen(cents: bigint, rate: string): bigint {
  const { numerator, denominator } = parseFraction(rate);
  return divRoundHalfEven(cents * numerator, denominator * 100n);
}
