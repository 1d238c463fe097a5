import { largestRemainder } from '../largest-remainder';
import { exemptShare } from './carry-exemption';

/*
 * The American (deal-by-deal) waterfall: the one implementation of what its return-of-capital
 * tier may return and of which deals a distribution comes from, for the distribution decider, the
 * fund's fold and the waterfall report.
 *
 * - The tiers are the European ones (waterfall.ts), run cumulatively over the fund's
 *   distributions, except that the return-of-capital tier returns only `returnableCapital`: the
 *   carry-bearing LPs' contributed capital less the capital of the deals still held, each counted
 *   at most at its fair value. So it returns the capital of every deal realised (its cost relieved
 *   by capital proceeds), the write-down of every deal held below cost (a write-off is a write-down
 *   to zero), and the capital not in a deal (fees, expenses, interest, cash not invested); then
 *   the preferred return, the catch-up and the carry follow. A deal sold at a profit therefore pays
 *   carry while the capital of deals still held at or above cost is out, which is the point of the
 *   style; the preferred return paid first is the whole fund's accrued (on all capital not
 *   returned), which is stricter for the managers than counting only the realised deals'.
 * - A distribution is attributed to deals first in, first out over the proceeds received and not
 *   yet distributed (income and capital alike, by project, oldest first); any part beyond them
 *   (cash not invested, the facility's money) is not a deal's. The attribution is recorded with the
 *   distribution (`WaterfallSplit.deals`) and says which deal each tier came from (`dealTiers`,
 *   pro rata); it does not change the split.
 * - A liquidation realises every deal, so it returns all the capital as the European one does; the
 *   clawback at the fund's end (waterfall.ts `clawback`, either rule, either cap) is what takes back
 *   carry paid on early winners that later losers leave the managers without.
 */

/** One deal (a project) of an American waterfall, in cents of the whole fund (every LP's). */
export interface DealRecord {
  projectId: string;
  /** Fundings of the project. */
  funded: bigint;
  /** Proceeds received from it, income and capital. */
  proceeds: bigint;
  /** Of them, attributed to distributions declared. */
  distributed: bigint;
}

/** The deals of an American waterfall, as the fund's fold keeps them. */
export interface DealBook {
  deals: ReadonlyMap<string, DealRecord>;
  /** Proceeds received and not yet distributed, oldest first. */
  undistributed: readonly { projectId: string; cents: bigint }[];
}

export const openDeals = (): DealBook => ({ deals: new Map(), undistributed: [] });

const dealOf = (book: DealBook, projectId: string): DealRecord => book.deals.get(projectId) ?? { projectId, funded: 0n, proceeds: 0n, distributed: 0n };

function withDeal(book: DealBook, deal: DealRecord): ReadonlyMap<string, DealRecord> {
  const deals = new Map(book.deals);
  deals.set(deal.projectId, deal);
  return deals;
}

/** After `cents` of a project's funding. */
export function withFunding(book: DealBook, projectId: string, cents: bigint): DealBook {
  const deal = dealOf(book, projectId);
  return { ...book, deals: withDeal(book, { ...deal, funded: deal.funded + cents }) };
}

/** After `cents` of proceeds received from a project. */
export function withProceeds(book: DealBook, projectId: string, cents: bigint): DealBook {
  const deal = dealOf(book, projectId);
  return {
    deals: withDeal(book, { ...deal, proceeds: deal.proceeds + cents }),
    undistributed: cents > 0n ? [...book.undistributed, { projectId, cents }] : book.undistributed,
  };
}

/** The deals a distribution of `cents` comes from: the proceeds not yet distributed, oldest first, by project (the rest is not a deal's). */
export function attribute(book: DealBook, cents: bigint): { projectId: string; cents: bigint }[] {
  const byDeal = new Map<string, bigint>();
  let left = cents;
  for (const p of book.undistributed) {
    if (left <= 0n) break;
    const taken = p.cents < left ? p.cents : left;
    byDeal.set(p.projectId, (byDeal.get(p.projectId) ?? 0n) + taken);
    left -= taken;
  }
  return [...byDeal].map(([projectId, taken]) => ({ projectId, cents: taken }));
}

/** After a distribution attributed to `deals` as recorded: each deal's proceeds are taken oldest first. */
export function withDistribution(book: DealBook, deals: readonly { projectId: string; cents: bigint }[]): DealBook {
  let undistributed = [...book.undistributed];
  const records = new Map(book.deals);
  for (const { projectId, cents } of deals) {
    const deal = records.get(projectId) ?? dealOf(book, projectId);
    records.set(projectId, { ...deal, distributed: deal.distributed + cents });
    let left = cents;
    undistributed = undistributed
      .map((p) => {
        if (p.projectId !== projectId || left <= 0n) return p;
        const taken = p.cents < left ? p.cents : left;
        left -= taken;
        return { ...p, cents: p.cents - taken };
      })
      .filter((p) => p.cents > 0n);
  }
  return { deals: records, undistributed };
}

/**
 * What the return-of-capital tier may return by now (cumulative, the carry-bearing LPs'): their
 * contributed capital less the capital of the deals still held (`projects`: each one's cost not
 * yet relieved, counted at most at its fair value, so a write-down is returnable), the carry-exempt
 * LPs' share of that taken out as a distribution's is (by admitted commitment, half to even).
 * Never below zero (deals financed by the facility may hold more than the LPs contributed).
 */
export function returnableCapital(
  contributed: bigint,
  projects: Iterable<{ cost: bigint; fairValue: bigint }>,
  exempt: { cents: bigint; admittedCents: bigint },
): bigint {
  let held = 0n;
  for (const p of projects) {
    if (p.cost <= 0n) continue;
    const value = p.fairValue < 0n ? 0n : p.fairValue;
    held += value < p.cost ? value : p.cost;
  }
  const bearingHeld = held - exemptShare(held, exempt.cents, exempt.admittedCents);
  const returnable = contributed - bearingHeld;
  return returnable > 0n ? returnable : 0n;
}

/** The tiers of a recorded split, in cents. */
export interface TierCents {
  exempt: bigint;
  returnOfCapital: bigint;
  preferredReturn: bigint;
  catchUpToLps: bigint;
  catchUpToManagers: bigint;
  carriedInterestToLps: bigint;
  carriedInterestToManagers: bigint;
}

export const TIERS: readonly (keyof TierCents)[] = [
  'exempt',
  'returnOfCapital',
  'preferredReturn',
  'catchUpToLps',
  'catchUpToManagers',
  'carriedInterestToLps',
  'carriedInterestToManagers',
];

/** The key of the part of a distribution that is no deal's. */
export const NOT_A_DEAL = '';

/**
 * Which deal each tier of a distribution of `amount` cents came from: each tier shared over its
 * deals in proportion to what each funded of it (the part that is no deal's under `NOT_A_DEAL`),
 * to the cent by largest remainder, ties by project id.
 */
export function dealTiers(amount: bigint, tiers: TierCents, deals: readonly { projectId: string; cents: bigint }[]): Map<string, TierCents> {
  let attributed = 0n;
  for (const d of deals) attributed += d.cents;
  const weights = [...deals.map((d) => ({ key: d.projectId, weight: d.cents })), { key: NOT_A_DEAL, weight: amount - attributed }];
  const out = new Map<string, TierCents>(weights.map((w) => [w.key, { ...ZERO_TIERS }]));
  for (const tier of TIERS) for (const [key, cents] of largestRemainder(tiers[tier], weights)) out.get(key)![tier] += cents;
  return out;
}

export const ZERO_TIERS: Readonly<TierCents> = {
  exempt: 0n,
  returnOfCapital: 0n,
  preferredReturn: 0n,
  catchUpToLps: 0n,
  catchUpToManagers: 0n,
  carriedInterestToLps: 0n,
  carriedInterestToManagers: 0n,
};
