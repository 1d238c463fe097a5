import { admittedCentsOf, byRemainderThenKey, formatCents, type LpEntry } from '@fundsim/domain';
import { ratio } from '../performance/metrics';
import { contributionsOf, feesCalledOf, onlyPieceEpoch, piecesAt, scaledGrossNavOf, SCALE, singleContributions, type AccountBasis } from './allocation-policy';
import { scaledCarryOf } from './carry-allocation';

/** Which LPs get one unit more when every exact share is rounded down: the largest remainders, ties by LP id. */
export interface Cut {
  /** LPs whose remainder is above this get one more. */
  threshold: bigint;
  /** Of those whose remainder equals it, these get one more too. */
  tied: ReadonlySet<string>;
}

/**
 * The register's rounding on a date, found in one pass over the LPs (a sort of their remainders),
 * then kept, so that each LP's figures are O(1) and agree with the full register: its net assets
 * (summing to the LPs' part of the fund's), and its share of the carry accrued (summing to the
 * managers' accrued carry).
 */
export interface RegisterCutoff extends Cut {
  /** Admitted LPs in the register. */
  count: number;
  carry: Cut;
}

type Parts = { floor: bigint; remainder: bigint };

export function registerCutoff(basis: AccountBasis, lps: readonly LpEntry[]): RegisterCutoff {
  let count = 0;
  const nav = cutOf(
    lps,
    (lp) => {
      const gross = scaledGrossNavOf(basis, lp);
      if (gross === undefined) return undefined;
      count++;
      return split(gross - scaledCarryOf(basis, lp));
    },
    basis.netAssets,
    SCALE,
  );
  const carry =
    basis.carryKeys === 0n ? { threshold: 0n, tied: new Set<string>() } : cutOf(lps, (lp) => split(scaledCarryOf(basis, lp)), basis.carryAccrued, SCALE);
  return { ...nav, count, carry };
}

/**
 * Largest remainder over the LPs' parts (undefined: not in the register), so the parts sum to
 * `total`. Remainders are below `modulus`: ranked as floats first, then exactly where floats tie.
 */
function cutOf(lps: readonly LpEntry[], partsOf: (lp: LpEntry) => Parts | undefined, total: bigint, modulus: bigint): Cut {
  const approx = new Float64Array(lps.length).fill(NaN);
  let floors = 0n;
  let count = 0;
  for (let i = 0; i < lps.length; i++) {
    const parts = partsOf(lps[i]);
    if (parts === undefined) continue;
    floors += parts.floor;
    approx[i] = Number(parts.remainder);
    count++;
  }
  const extra = total - floors;
  // No LP admitted yet: what the fund holds (a project valued, income before the first close) is
  // no LP's, and there is nothing to round (it was a 500, found by the hostile corpus).
  if (count === 0) return { threshold: modulus, tied: new Set() };
  if (extra < 0n || extra > BigInt(count)) throw new Error(`Register rounding out of range: ${extra} over ${count} LPs`);
  const k = Number(extra);
  if (k === 0) return { threshold: modulus, tied: new Set() };
  // NaN sorts last in a typed array: the admitted LPs' remainders are the first `count`.
  const sorted = approx.slice().sort();
  const cut = sorted[count - k];
  // The LPs whose float remainder equals the cut are ranked exactly (recomputed: they are few),
  // by remainder then LP id; Number() is monotonic, so the others fall on their own side of it.
  const near: { key: string; remainder: bigint }[] = [];
  let above = 0;
  for (let i = 0; i < lps.length; i++) {
    if (approx[i] === cut) near.push({ key: lps[i].lpId, remainder: partsOf(lps[i])!.remainder });
    else if (approx[i] > cut) above++;
  }
  near.sort(byRemainderThenKey);
  const taken = near.slice(0, k - above);
  const threshold = taken[taken.length - 1].remainder;
  return { threshold, tied: new Set(taken.filter((t) => t.remainder === threshold).map((t) => t.key)) };
}

/** Exact scaled NAV -> whole cents (rounded down) and the remainder. */
function split(nav: bigint): Parts {
  const floor = nav >= 0n ? nav / SCALE : -((-nav + SCALE - 1n) / SCALE);
  return { floor, remainder: nav - floor * SCALE };
}

const rounded = ({ floor, remainder }: Parts, cut: Cut, lpId: string): bigint =>
  floor + (remainder > cut.threshold || (remainder === cut.threshold && cut.tied.has(lpId)) ? 1n : 0n);

/** An LP's net assets on the basis date, in cents, as the register rounds it. */
export function navCents(basis: AccountBasis, cutoff: RegisterCutoff, lp: LpEntry): bigint {
  const gross = scaledGrossNavOf(basis, lp);
  if (gross === undefined) return 0n;
  return rounded(split(gross - scaledCarryOf(basis, lp)), cutoff, lp.lpId);
}

/** An LP's share of the carry accrued on the basis date, in cents: the LPs' shares sum to the managers' accrued carry. */
export function accruedCarryCents(basis: AccountBasis, cutoff: RegisterCutoff, lp: LpEntry): bigint {
  if (basis.carryKeys === 0n) return 0n;
  return rounded(split(scaledCarryOf(basis, lp)), cutoff.carry, lp.lpId);
}

export interface RegisterRow {
  lpId: string;
  kind: string;
  country: string;
  currency: 'USD' | 'JPY';
  /** Admitted (after any scale-back), in USD. */
  commitmentUsd: string;
  contributions: string;
  netAssets: string;
  /** Share of admitted commitments (the key P&L is shared by), as a fraction of 1. */
  ownership: string;
}

export function registerRow(basis: AccountBasis, cutoff: RegisterCutoff, lp: LpEntry): RegisterRow {
  const only = onlyPieceEpoch(basis, lp);
  const pieces = only === undefined ? piecesAt(basis, lp) : undefined;
  const admitted = pieces ? pieces.reduce((sum, p) => sum + p.cents, 0n) : BigInt(admittedCentsOf(lp));
  const called = pieces ? (pieces.length ? contributionsOf(basis, pieces, lp.lpId) : 0n) : BigInt(singleContributions(basis, only!, lp.cents, lp.lpId));
  // With the fees called from it beside the commitment (fee-exemption.ts), as its statement counts them.
  const contributions = basis.ledger.feeCalls.length ? called + feesCalledOf(basis, pieces ?? piecesAt(basis, lp), lp.lpId) : called;
  return {
    lpId: lp.lpId,
    kind: lp.kind,
    country: lp.country,
    currency: lp.currency,
    commitmentUsd: formatCents(admitted),
    contributions: formatCents(contributions),
    netAssets: formatCents(navCents(basis, cutoff, lp)),
    ownership: ratio(admitted, basis.admittedCents, 10),
  };
}
