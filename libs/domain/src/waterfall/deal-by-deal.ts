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

/**
 * The deals of an American waterfall, as the fund's fold keeps them. The proceeds are a log that
 * each version shares with the versions before it and grows in place (as `GrowingSet`): this
 * version's are the first `received`, and a distribution moves a cursor over them, so a fold stays
 * linear however many proceeds wait to be distributed.
 */
export interface DealBook {
  deals: ReadonlyMap<string, DealRecord>;
  /** Proceeds received, oldest first (shared; this version's are the first `received`). */
  proceeds: { projectId: string; cents: bigint }[];
  received: number;
  /** Distributed so far: the first `head` proceeds whole, and `headTaken` cents of the next. */
  head: number;
  headTaken: bigint;
}

export const openDeals = (): DealBook => ({ deals: new Map(), proceeds: [], received: 0, head: 0, headTaken: 0n });

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
  const deals = withDeal(book, { ...deal, proceeds: deal.proceeds + cents });
  if (cents <= 0n) return { ...book, deals };
  // Another version grew the shared log past this one (a fold resumed from an earlier state): this one gets its own copy.
  const proceeds = book.proceeds.length === book.received ? book.proceeds : book.proceeds.slice(0, book.received);
  proceeds.push({ projectId, cents });
  return { ...book, deals, proceeds, received: book.received + 1 };
}

/** Walks the proceeds not yet distributed, oldest first, over `cents`: what each takes, and the cursor after. */
function walk(book: DealBook, cents: bigint, take: (projectId: string, cents: bigint) => void): { head: number; headTaken: bigint } {
  let { head, headTaken } = book;
  let left = cents;
  while (left > 0n && head < book.received) {
    const p = book.proceeds[head];
    const available = p.cents - headTaken;
    const taken = available < left ? available : left;
    take(p.projectId, taken);
    left -= taken;
    if (taken === available) {
      head++;
      headTaken = 0n;
    } else headTaken += taken;
  }
  return { head, headTaken };
}

/** The deals a distribution of `cents` comes from: the proceeds not yet distributed, oldest first, by project (the rest is not a deal's). */
export function attribute(book: DealBook, cents: bigint): { projectId: string; cents: bigint }[] {
  const byDeal = new Map<string, bigint>();
  walk(book, cents, (projectId, taken) => byDeal.set(projectId, (byDeal.get(projectId) ?? 0n) + taken));
  return [...byDeal].map(([projectId, taken]) => ({ projectId, cents: taken }));
}

/** After a distribution attributed to `deals` as recorded: each deal has distributed its part, and the oldest proceeds are taken for their sum. */
export function withDistribution(book: DealBook, deals: readonly { projectId: string; cents: bigint }[]): DealBook {
  const records = new Map(book.deals);
  let total = 0n;
  for (const { projectId, cents } of deals) {
    const deal = records.get(projectId) ?? dealOf(book, projectId);
    records.set(projectId, { ...deal, distributed: deal.distributed + cents });
    total += cents;
  }
  return { ...book, deals: records, ...walk(book, total, () => undefined) };
}

/**
 * What the return-of-capital tier may return by now (cumulative, the carry-bearing LPs'): their
 * contributed capital less the capital of the deals still held (`projects`: each one's cost not
 * yet relieved, counted at most at its fair value, so a write-down is returnable), the carry-exempt
 * LPs' share of that taken out as a distribution's is (by admitted commitment, half to even).
 * Never below zero: the deals held count against the LPs' capital first and the facility finances
 * the rest, so while they hold more than the LPs contributed nothing is returnable yet.
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
