import { byRemainderThenKey, divFloor, type LpEntry } from '@fundsim/domain';
import { distributionsTo, feesCalledOf, piecesAt, SCALE, sharedLines, type AccountBasis, type Payouts } from '../capital-accounts/allocation-policy';
import { scaledCarry } from '../capital-accounts/carry-allocation';

/*
 * What the governments pay as LPs, cumulative to a date: each government's LPs' shares of the
 * management fees, the expenses and the carry (paid and accrued), from the allocation policy's own
 * functions (the statement's: `sharedLines`, `distributionsTo` over the carry's splits,
 * `scaledCarry`), summed over its LPs exactly and rounded once for the group.
 *
 * The groups (each government, and every other LP together) share each of the fund's lines by
 * largest remainder over their exact shares, ties by key, so they sum to the fund's line to the
 * cent: what the LPs pay in fees and carry is exactly what the managers receive. The other LPs'
 * exact share is the fund's line less the governments' (O(1), not a pass over a million LPs);
 * a property test holds it to the sum of those LPs' own shares.
 */

/** A group of LPs' part of the fund's fees, expenses and carry, cumulative, in cents. */
export interface Borne {
  managementFees: bigint;
  expenses: bigint;
  carriedInterestPaid: bigint;
  carriedInterestAccrued: bigint;
}

/** The key of every LP that is no government's. */
export const OTHER_LPS = 'other-lps';

const FIELDS = ['managementFees', 'expenses', 'carriedInterestPaid', 'carriedInterestAccrued'] as const;

const zero = (): Borne => ({ managementFees: 0n, expenses: 0n, carriedInterestPaid: 0n, carriedInterestAccrued: 0n });

/** The LPs' exact shares, summed, in cents x SCALE. O(LPs x (epochs + distributions)). */
export function exactBorne(basis: AccountBasis, payouts: Payouts, lps: readonly LpEntry[]): Borne {
  const sum = zero();
  for (const lp of lps) {
    const pieces = piecesAt(basis, lp);
    if (pieces.length === 0) continue;
    const lines = sharedLines(basis, pieces);
    // Its share of the fees paid out of the fund's cash, and the fees called from it (fee-exemption.ts).
    sum.managementFees += lines.get('managementFees')! + feesCalledOf(basis, pieces, lp.lpId) * SCALE;
    sum.expenses += lines.get('expenses')!;
    sum.carriedInterestPaid += distributionsTo(basis, payouts.carry, pieces, lp.lpId) * SCALE;
    sum.carriedInterestAccrued += scaledCarry(basis, pieces, lp);
  }
  return sum;
}

/** The fund's lines the LPs bear, in cents: fees, expenses, the managers' part of the distributions declared, the carry accrued. */
export function fundBorne(basis: AccountBasis): Borne {
  const l = basis.lines;
  return {
    managementFees: l.managementFees,
    expenses: l.expenses,
    carriedInterestPaid: l.carriedInterest - l.carryAccrued,
    carriedInterestAccrued: l.carryAccrued,
  };
}

/**
 * Each group's part of the fund's lines on the basis date, in cents, and the other LPs' (`OTHER_LPS`):
 * every group's exact share rounded down, the cents left to the largest remainders, ties by key.
 */
export function borneByGroup(basis: AccountBasis, payouts: Payouts, groups: readonly { key: string; lps: readonly LpEntry[] }[]): Map<string, Borne> {
  const fund = fundBorne(basis);
  const exact = groups.map((g) => ({ key: g.key, borne: exactBorne(basis, payouts, g.lps) }));
  const others = zero();
  for (const f of FIELDS) others[f] = fund[f] * SCALE - exact.reduce((s, g) => s + g.borne[f], 0n);
  exact.push({ key: OTHER_LPS, borne: others });
  const out = new Map<string, Borne>(exact.map((g) => [g.key, zero()]));
  for (const f of FIELDS) {
    const remainders = exact.map((g) => {
      const floor = divFloor(g.borne[f], SCALE);
      out.get(g.key)![f] = floor;
      return { key: g.key, remainder: g.borne[f] - floor * SCALE };
    });
    let left = fund[f] - exact.reduce((s, g) => s + out.get(g.key)![f], 0n);
    remainders.sort(byRemainderThenKey);
    for (let i = 0; left > 0n; i++, left--) out.get(remainders[i].key)![f] += 1n;
  }
  return out;
}
