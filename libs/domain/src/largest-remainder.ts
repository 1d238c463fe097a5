/** A key and its weight, in integer units (cents, or any unit the caller splits in). */
export interface Share {
  key: string;
  weight: bigint;
}

/**
 * Splits `total` units over weighted keys so that the parts sum to it exactly: each part is
 * rounded down, then the units left over go one each to the largest remainders, ties broken by
 * key. Remainders are ranked exactly (as integers), never as floats. Keys with zero weight get
 * zero; when every weight is zero, every part is zero.
 *
 * The one implementation of the rule: a close's scale-back, and the register and payouts in the
 * projections (which rank the same remainders without building this map for a million LPs).
 */
export function largestRemainder(total: bigint, shares: readonly Share[]): Map<string, bigint> {
  let totalWeight = 0n;
  for (const s of shares) totalWeight += s.weight;
  const result = new Map<string, bigint>();
  if (totalWeight === 0n) {
    for (const s of shares) result.set(s.key, 0n);
    return result;
  }
  let allocated = 0n;
  const remainders: { key: string; remainder: bigint }[] = [];
  for (const s of shares) {
    const exact = s.weight * total;
    const floor = exact / totalWeight;
    result.set(s.key, floor);
    allocated += floor;
    remainders.push({ key: s.key, remainder: exact - floor * totalWeight });
  }
  let left = total - allocated;
  if (left === 0n) return result;
  remainders.sort(byRemainderThenKey);
  for (let i = 0; left > 0n; i++, left--) result.set(remainders[i].key, result.get(remainders[i].key)! + 1n);
  return result;
}

/** Largest remainder first; equal remainders by key, ascending. */
export function byRemainderThenKey(a: { key: string; remainder: bigint }, b: { key: string; remainder: bigint }): number {
  if (a.remainder !== b.remainder) return a.remainder > b.remainder ? -1 : 1;
  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}
