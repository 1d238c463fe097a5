import { admittedCentsOf, byRemainderThenKey, formatCents, type LpEntry } from '@fundsim/domain';
import { ratio } from '../performance/metrics';
import { contributionsOf, piecesAt, scaledNavOf, SCALE, singleContributions, type AccountBasis } from './allocation-policy';

/**
 * Which LPs get the cents left over when every exact share of net assets is rounded down: the
 * largest remainders, ties by LP id. Found in one pass over the LPs (a sort of their remainders),
 * then kept, so that each LP's net assets is O(1) and agrees with the full register.
 */
export interface RegisterCutoff {
  /** LPs whose remainder is above this get one cent more. */
  threshold: bigint;
  /** Of those whose remainder equals it, these get one cent more too. */
  tied: ReadonlySet<string>;
  /** Admitted LPs in the register. */
  count: number;
}

export function registerCutoff(basis: AccountBasis, lps: readonly LpEntry[]): RegisterCutoff {
  // Remainders are below SCALE (10^24): ranked as floats first, then exactly where floats tie.
  const approx = new Float64Array(lps.length).fill(NaN);
  let floors = 0n;
  let count = 0;
  for (let i = 0; i < lps.length; i++) {
    const nav = scaledNavOf(basis, lps[i]);
    if (nav === undefined) continue;
    const { floor, remainder } = split(nav);
    floors += floor;
    approx[i] = Number(remainder);
    count++;
  }
  const extra = basis.netAssets - floors;
  // No LP admitted yet: what the fund holds (a project valued, income before the first close) is
  // no LP's, and there is nothing to round (it was a 500, found by the hostile corpus).
  if (count === 0) return { threshold: SCALE, tied: new Set(), count };
  if (extra < 0n || extra > BigInt(count)) throw new Error(`Register rounding out of range: ${extra} cents over ${count} LPs`);
  const k = Number(extra);
  if (k === 0) return { threshold: SCALE, tied: new Set(), count };
  // NaN sorts last in a typed array: the admitted LPs' remainders are the first `count`.
  const sorted = approx.slice().sort();
  const cut = sorted[count - k];
  // The LPs whose float remainder equals the cut are ranked exactly (recomputed: they are few),
  // by remainder then LP id; Number() is monotonic, so the others fall on their own side of it.
  const near: { key: string; remainder: bigint }[] = [];
  let above = 0;
  for (let i = 0; i < lps.length; i++) {
    if (approx[i] === cut) near.push({ key: lps[i].lpId, remainder: split(scaledNavOf(basis, lps[i])!).remainder });
    else if (approx[i] > cut) above++;
  }
  near.sort(byRemainderThenKey);
  const taken = near.slice(0, k - above);
  const threshold = taken[taken.length - 1].remainder;
  return { threshold, tied: new Set(taken.filter((t) => t.remainder === threshold).map((t) => t.key)), count };
}

/** Exact scaled NAV -> whole cents (rounded down) and the remainder. */
function split(nav: bigint): { floor: bigint; remainder: bigint } {
  const floor = nav >= 0n ? nav / SCALE : -((-nav + SCALE - 1n) / SCALE);
  return { floor, remainder: nav - floor * SCALE };
}

/** An LP's net assets on the basis date, in cents, as the register rounds it. */
export function navCents(basis: AccountBasis, cutoff: RegisterCutoff, lp: LpEntry): bigint {
  const nav = scaledNavOf(basis, lp);
  if (nav === undefined) return 0n;
  const { floor, remainder } = split(nav);
  return floor + (remainder > cutoff.threshold || (remainder === cutoff.threshold && cutoff.tied.has(lp.lpId)) ? 1n : 0n);
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
  const single = lp.more === undefined && lp.close > 0 && lp.close <= basis.ledger.epochs.length;
  const pieces = single ? undefined : piecesAt(basis, lp);
  const admitted = pieces ? pieces.reduce((sum, p) => sum + p.cents, 0n) : BigInt(admittedCentsOf(lp));
  const contributions = pieces ? (pieces.length ? contributionsOf(basis, pieces, lp.lpId) : 0n) : BigInt(singleContributions(basis, lp.close - 1, lp.cents, lp.lpId));
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
