import { NOT_A_DEAL, TIERS, ZERO_TIERS, dealTiers, formatCents, parseCents, type TierCents } from '@fundsim/domain';
import type { Ledger } from '../ledger/fund-ledger';

/**
 * One deal's line of an American waterfall (deal-by-deal.ts), to the report's date, in USD: what
 * the fund put in and got out, what is held, and the tiers of the distributions its proceeds
 * funded (each distribution's tiers shared over its deals in proportion to what each funded).
 */
export interface DealLedgerRow {
  /** Null: the part of distributions that no deal's proceeds funded (cash not invested, the facility's money). */
  projectId: string | null;
  name: string | null;
  /** Fundings of the project (the whole fund's). */
  funded: string;
  /** Cost not yet relieved by capital proceeds, and fair value: the deal is held while its cost is above zero. */
  cost: string;
  fairValue: string;
  /** Cost above fair value of a deal held: capital the return-of-capital tier already counts as returnable. */
  writtenDown: string;
  /** Proceeds received (income and capital), of them attributed to distributions, and the rest. */
  proceeds: string;
  distributed: string;
  undistributed: string;
  /** The distributions' tiers it funded: the carry-exempt LPs' share paid whole, then each tier. */
  exempt: string;
  returnOfCapital: string;
  preferredReturn: string;
  catchUpToLps: string;
  catchUpToManagers: string;
  carriedInterestToLps: string;
  carriedInterestToManagers: string;
}

/** Each deal's ledger (in the order the projects were registered), then the part no deal funded. */
export function dealLedger(ledger: Ledger): DealLedgerRow[] {
  const state = ledger.state;
  const tiers = new Map<string, TierCents>();
  let notADeal = 0n;
  for (const p of ledger.payouts) {
    const s = p.split;
    if (!s) continue;
    const c = parseCents;
    const recorded: TierCents = {
      exempt: c(s.exempt ?? '0'),
      returnOfCapital: c(s.returnOfCapital),
      preferredReturn: c(s.preferredReturn),
      catchUpToLps: c(s.catchUpToLps),
      catchUpToManagers: c(s.catchUpToManagers),
      carriedInterestToLps: c(s.carriedInterestToLps),
      carriedInterestToManagers: c(s.carriedInterestToManagers),
    };
    const amount = p.cents + c(s.toManagers);
    const deals = (s.deals ?? []).map((d) => ({ projectId: d.projectId, cents: c(d.amount) }));
    for (const d of deals) notADeal -= d.cents;
    notADeal += amount;
    for (const [key, part] of dealTiers(amount, recorded, deals)) {
      const sum = tiers.get(key) ?? { ...ZERO_TIERS };
      for (const tier of TIERS) sum[tier] += part[tier];
      tiers.set(key, sum);
    }
  }
  const f = formatCents;
  const tierFigures = (key: string) => {
    const t = tiers.get(key) ?? ZERO_TIERS;
    return Object.fromEntries(TIERS.map((tier) => [tier, f(t[tier])])) as Record<keyof TierCents, string>;
  };
  const rows: DealLedgerRow[] = [...state.projects.values()].map((project) => {
    const deal = state.deals?.deals.get(project.projectId);
    const cost = parseCents(project.cost.toString());
    const value = parseCents(project.fairValue.toString());
    const proceeds = deal?.proceeds ?? 0n;
    const distributed = deal?.distributed ?? 0n;
    return {
      projectId: project.projectId,
      name: project.name,
      funded: f(deal?.funded ?? 0n),
      cost: f(cost),
      fairValue: f(value),
      writtenDown: f(cost > 0n && value < cost ? cost - (value > 0n ? value : 0n) : 0n),
      proceeds: f(proceeds),
      distributed: f(distributed),
      undistributed: f(proceeds - distributed),
      ...tierFigures(project.projectId),
    };
  });
  const zero = f(0n);
  rows.push({
    projectId: null,
    name: null,
    funded: zero,
    cost: zero,
    fairValue: zero,
    writtenDown: zero,
    proceeds: zero,
    distributed: f(notADeal),
    undistributed: zero,
    ...tierFigures(NOT_A_DEAL),
  });
  return rows;
}
