import {
  accrueInterest,
  accruedInterest,
  cashOn,
  contributionsReceivable,
  Dec,
  formatCents,
  distributionsPayable,
  investmentsAtFairValue,
  Money,
  leverageBasis,
  leverageCap,
  netAssets,
  totalDebt,
  type FundState,
  type RecordedFundEvent,
} from '@fundsim/domain';
import { ledgerAsOf, linesAt, type Ledger } from '../ledger/fund-ledger';

/** As of an effective date; optionally as the books stood at a recorded time. */
export interface AsOfQuery {
  asOf: string;
  /** An ISO timestamp, or a date (the end of that day, UTC). Absent: as known now. */
  knownAt?: string;
}

export interface BalanceSheet {
  asOf: string;
  knownAt: string | null;
  currency: 'USD';
  assets: { cash: string; investmentsAtFairValue: string; contributionsReceivable: string; total: string };
  liabilities: { debt: string; accruedInterest: string; distributionsPayable: string; total: string };
  netAssets: string;
  /** Net assets by partner: the LPs' capital, and the carried interest accrued to the managers (a fund with a waterfall). */
  partners: { lps: string; managersAccruedCarry: string };
  commitments: { admitted: string; called: string; unfunded: string };
  leverage: { debt: string; ratio: string | null; cap: string; headroom: string; basis: 'commitments' | 'net-assets' };
  facilities: { facilityId: string; lender: string; limit: string; principal: string; accruedInterest: string; annualRate: string; maturityDate: string }[];
  investments: { projectId: string; name: string; sector: string; cost: string; fairValue: string; unrealizedGain: string }[];
  sectors: { sector: string; cost: string; fairValue: string }[];
}

/** The end of the day for a date-only knownAt, so "known at 2027-06-30" includes that whole day. */
export function knownAtInstant(knownAt: string): string {
  return /^\d{4}-\d{2}-\d{2}$/.test(knownAt) ? `${knownAt}T23:59:59.999Z` : new Date(knownAt).toISOString();
}

/**
 * The fund's state as of a date, as known at a time: the events recorded by then whose effective
 * date is on or before the date, each correction known by then applied at the place of the event
 * it reverses (so a later correction does not change what was known earlier).
 */
export function fundStateAsOf(history: readonly RecordedFundEvent[], query: AsOfQuery): FundState {
  return fundLedgerAsOf(history, query).state;
}

const fundLedgerAsOf = (history: readonly RecordedFundEvent[], query: AsOfQuery): Ledger =>
  ledgerAsOf(history, { asOf: query.asOf, knownAt: query.knownAt === undefined ? undefined : knownAtInstant(query.knownAt) });

const sum = (amounts: Money[]): Money => amounts.reduce((a, b) => a.plus(b), Money.zero('USD'));

/** The balance sheet on a date: assets = liabilities + net assets, to the cent, by construction and by test. */
export function balanceSheet(history: readonly RecordedFundEvent[], query: AsOfQuery): BalanceSheet {
  return balanceSheetOf(fundLedgerAsOf(history, query), query);
}

/** The balance sheet from the ledger folded as of the query's date. */
export function balanceSheetOf(ledger: Ledger, query: AsOfQuery): BalanceSheet {
  const { state } = ledger;
  const date = query.asOf;
  const cash = cashOn(state, date);
  const investments = investmentsAtFairValue(state);
  const receivable = contributionsReceivable(state, date);
  const debt = totalDebt(state);
  const accrued = accruedInterest(state, date);
  const payable = distributionsPayable(state, date);
  const assets = sum([cash, investments, receivable]);
  const liabilities = sum([debt, accrued, payable]);
  const nav = netAssets(state, date);
  const carry = Money.of(formatCents(linesAt(ledger, date).carryAccrued), 'USD');

  const called = sum([...state.calls.map((c) => c.totalUsd), ...state.closes.map((c) => c.catchUpUsd)]);
  const policy = state.config?.leveragePolicy ?? { maxRatio: '0', basis: 'commitments' as const };
  const basis = leverageBasis(policy, { admitted: state.admittedUsd, netAssets: nav });
  // The deciders' cap (limits.ts), shown as no room at all when negative net assets make it negative.
  const limit = leverageCap(state, date);
  const cap = limit.amount.isNegative() ? Money.zero('USD') : limit;

  const projects = [...state.projects.values()];
  const sectors = new Map<string, { cost: Money; fairValue: Money }>();
  for (const p of projects) {
    const s = sectors.get(p.sector) ?? { cost: Money.zero('USD'), fairValue: Money.zero('USD') };
    sectors.set(p.sector, { cost: s.cost.plus(p.cost), fairValue: s.fairValue.plus(p.fairValue) });
  }

  return {
    asOf: date,
    knownAt: query.knownAt === undefined ? null : knownAtInstant(query.knownAt),
    currency: 'USD',
    assets: { cash: cash.toString(), investmentsAtFairValue: investments.toString(), contributionsReceivable: receivable.toString(), total: assets.toString() },
    liabilities: { debt: debt.toString(), accruedInterest: accrued.toString(), distributionsPayable: payable.toString(), total: liabilities.toString() },
    netAssets: nav.toString(),
    partners: { lps: nav.minus(carry).toString(), managersAccruedCarry: carry.toString() },
    commitments: { admitted: state.admittedUsd.toString(), called: called.toString(), unfunded: state.admittedUsd.minus(called).toString() },
    leverage: {
      debt: debt.toString(),
      ratio: basis.amount.isPositive() ? debt.amount.dividedBy(basis.amount).toDecimalPlaces(4, Dec.ROUND_HALF_EVEN).toFixed(4) : null,
      cap: cap.toString(),
      headroom: cap.minus(debt).toString(),
      basis: policy.basis,
    },
    facilities: [...state.facilities.values()].map((f) => ({
      facilityId: f.facilityId,
      lender: f.lender,
      limit: f.limit.toString(),
      principal: f.principal.toString(),
      accruedInterest: Money.of(accrueInterest(f, date).accrued, 'USD').toString(),
      annualRate: f.annualRate.toString(),
      maturityDate: f.maturityDate,
    })),
    investments: projects.map((p) => ({
      projectId: p.projectId,
      name: p.name,
      sector: p.sector,
      cost: p.cost.toString(),
      fairValue: p.fairValue.toString(),
      unrealizedGain: p.fairValue.minus(p.cost).toString(),
    })),
    sectors: [...sectors].map(([sector, s]) => ({ sector, cost: s.cost.toString(), fairValue: s.fairValue.toString() })),
  };
}
