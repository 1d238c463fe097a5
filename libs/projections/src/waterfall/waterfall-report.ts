import {
  accrue,
  capitalReturnableOf,
  formatCents,
  managersSplit,
  parseCents,
  reject,
  sharesOn,
  splitRecord,
  type WaterfallSplit,
  type WaterfallTerms,
} from '@fundsim/domain';
import { bearingNetAssets, exemptNetAssets, linesAt, liquidationOn, netAssetsOf, type Ledger } from '../ledger/fund-ledger';
import { dealLedger, type DealLedgerRow } from './deal-ledger';

/** A manager's account with the fund from inception to a date, in USD. */
export interface ManagerAccount {
  manager: string;
  /** Its share of the carry on the date, as a fraction of 1: fixed, or its government's stake (`carryShares`). */
  share: string;
  /** Its share of a fee charged on the date, likewise (`feeShares`). */
  feeShare: string;
  /** Its government's own LP account, when the terms name one. */
  lpId: string | null;
  /** Management fees charged, its share. */
  managementFees: string;
  /** Its part of each distribution's catch-up and carried interest, as recorded. */
  carriedInterestPaid: string;
  /** Its share of the carry accrued on the date (negative: a clawback it would owe). */
  carriedInterestAccrued: string;
  /** Fees, carry paid and carry accrued. */
  total: string;
}

export interface WaterfallReport {
  fundId: string;
  asOf: string;
  knownAt: string | null;
  terms: WaterfallTerms;
  /** The fund's net assets, and how they divide between the LPs and the managers' accrued carry. */
  netAssets: { fund: string; lps: string; managersAccruedCarry: string };
  /** The carry-bearing LPs' account with the managers, cumulative to the date (preferred return accrued to it). */
  account: {
    contributed: string;
    returned: string;
    preferredReturnAccrued: string;
    preferredReturnPaid: string;
    catchUpToLps: string;
    catchUpToManagers: string;
    carriedInterestToLps: string;
    carriedInterestToManagers: string;
    /** American (deal by deal): the capital the return-of-capital tier may return by the date (deal-by-deal.ts), the next distribution's first call. */
    capitalReturnable?: string;
  };
  /**
   * The net assets distributed through the tiers on the date (`liquidated`: less defaulted
   * contributions still owed, which are not profit), and the clawback the managers would then owe.
   */
  liquidation: WaterfallSplit & { liquidated: string; clawback: string; accruedCarry: string };
  /** Each distribution declared by the date, with its split by tier as the log recorded it. */
  distributions: { distributionNumber: number; date: string; paymentDate: string; amount: string; split: WaterfallSplit }[];
  managers: ManagerAccount[];
  /** In an American (deal-by-deal) waterfall: each deal's ledger, and a last row for what was no deal's (deal-ledger.ts). */
  deals?: DealLedgerRow[];
}

/** The waterfall's terms, or a rejection for a fund established without them. */
export function termsOf(ledger: Ledger, fundId: string, asOf?: string): WaterfallTerms {
  if (!ledger.state.config) return reject('INVALID_DATE', `Fund ${fundId} was not yet established on ${asOf}`);
  const terms = ledger.state.config.waterfall;
  if (!terms || !ledger.state.waterfall)
    return reject('NO_WATERFALL', `Fund ${fundId} was established without waterfall terms: its distributions go to the LPs whole`);
  return terms;
}

/** Each manager's fees, carry paid and carry accrued, cumulative to a date, in cents. */
export interface ManagerCents {
  manager: string;
  share: string;
  feeShare: string;
  lpId: string | null;
  fees: bigint;
  paid: bigint;
  accrued: bigint;
}

/** The carry paid to the managers and accrued on the ledger's date, the net assets it divides, and each manager's account, in cents. */
export function managerAccounts(
  terms: WaterfallTerms,
  ledger: Ledger,
  asOf: string,
): { paid: bigint; accrued: bigint; lpsNetAssets: bigint; fundNetAssets: bigint; managers: ManagerCents[] } {
  const lines = linesAt(ledger, asOf);
  const paid = ledger.flows.carriedInterest;
  const accrued = lines.carriedInterest - paid;
  const lpsNetAssets = netAssetsOf(lines);
  // Fees shared by stake are split fee by fee, each on its own date (the ledger keeps the sums); fixed shares split the total once.
  const fees = ledger.feesByManager ?? managersSplit(terms, ledger.flows.managementFees, 'fees');
  const accruedBy = managersSplit(terms, accrued, 'carry', ledger.state.stakes);
  const paidBy = new Map<string, bigint>();
  for (const p of ledger.payouts) for (const [m, cents] of Object.entries(p.split?.managers ?? {})) paidBy.set(m, (paidBy.get(m) ?? 0n) + parseCents(cents));
  const carryShares = sharesOn(terms, 'carry', ledger.state.stakes);
  const feeShares = sharesOn(terms, 'fees', ledger.state.stakes);
  const managers = terms.managerShares.map(({ manager, lpId }) => ({
    manager,
    share: carryShares.get(manager)!,
    feeShare: feeShares.get(manager)!,
    lpId: lpId ?? null,
    fees: fees.get(manager) ?? 0n,
    paid: paidBy.get(manager) ?? 0n,
    accrued: accruedBy.get(manager) ?? 0n,
  }));
  return { paid, accrued, lpsNetAssets, fundNetAssets: lpsNetAssets + accrued, managers };
}

/** The waterfall on a date: terms, the LPs' account with the managers, a liquidation, each distribution's split, each manager's account. */
export function waterfallReport(fundId: string, ledger: Ledger, asOf: string, knownAt: string | null): WaterfallReport {
  const terms = termsOf(ledger, fundId, asOf);
  const accounts = managerAccounts(terms, ledger, asOf);
  const account = accrue(terms, ledger.state.waterfall!, asOf);
  const mark = linesAt(ledger, asOf);
  const exempt = exemptNetAssets(ledger, mark);
  const liquidated = liquidationOn(ledger.state, bearingNetAssets(ledger, mark), asOf)!;
  const c = formatCents;
  return {
    fundId,
    asOf,
    knownAt,
    terms,
    netAssets: { fund: c(accounts.fundNetAssets), lps: c(accounts.lpsNetAssets), managersAccruedCarry: c(accounts.accrued) },
    account: {
      contributed: c(account.contributed),
      returned: c(account.returned),
      preferredReturnAccrued: c(account.prefAccrued),
      preferredReturnPaid: c(account.prefPaid),
      catchUpToLps: c(account.catchUpToLps),
      catchUpToManagers: c(account.catchUpToManagers),
      carriedInterestToLps: c(account.carryTierToLps),
      carriedInterestToManagers: c(account.carryTierToManagers),
      ...(terms.style === 'american' ? { capitalReturnable: c(capitalReturnableOf(ledger.state)) } : {}),
    },
    liquidation: {
      ...splitRecord(terms, liquidated.split, ledger.state.stakes, ledger.state.carryExempt ? exempt : undefined),
      liquidated: c(liquidated.liquidated),
      clawback: c(liquidated.clawback),
      accruedCarry: c(liquidated.accruedCarry),
    },
    distributions: ledger.payouts.map((p) => ({
      distributionNumber: p.distributionNumber,
      date: p.date,
      paymentDate: p.paymentDate,
      amount: c(p.cents + parseCents(p.split!.toManagers)),
      split: p.split!,
    })),
    managers: accounts.managers.map((m) => ({
      manager: m.manager,
      share: m.share,
      feeShare: m.feeShare,
      lpId: m.lpId,
      managementFees: c(m.fees),
      carriedInterestPaid: c(m.paid),
      carriedInterestAccrued: c(m.accrued),
      total: c(m.fees + m.paid + m.accrued),
    })),
    ...(terms.style === 'american' ? { deals: dealLedger(ledger) } : {}),
  };
}
