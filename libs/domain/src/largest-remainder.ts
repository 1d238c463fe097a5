import type Decimal from 'decimal.js';
import { Dec, MINOR_UNITS, Money, type Currency } from './money';

export interface Share {
  key: string;
  weight: Decimal;
}

/**
 * Splits `total` over weighted keys so that the parts sum to it exactly: each part is rounded
 * down to the minor unit, then the units left over go one each to the largest remainders,
 * ties broken by key. Keys with zero weight get zero.
 */
export function allocateLargestRemainder(total: Money, shares: readonly Share[]): Map<string, Money> {
  const currency: Currency = total.currency;
  const unit = new Dec(10).pow(-MINOR_UNITS[currency]);
  const totalWeight = shares.reduce((sum, s) => sum.plus(s.weight), new Dec(0));
  const result = new Map<string, Money>();
  if (totalWeight.isZero()) {
    for (const s of shares) result.set(s.key, Money.zero(currency));
    return result;
  }
  const totalUnits = total.amount.dividedBy(unit);
  let allocatedUnits = new Dec(0);
  const remainders: { key: string; remainder: Decimal }[] = [];
  const units = new Map<string, Decimal>();
  for (const s of shares) {
    const exact = totalUnits.times(s.weight).dividedBy(totalWeight);
    const floor = exact.floor();
    units.set(s.key, floor);
    allocatedUnits = allocatedUnits.plus(floor);
    remainders.push({ key: s.key, remainder: exact.minus(floor) });
  }
  let left = totalUnits.minus(allocatedUnits).toNumber();
  remainders.sort((a, b) => b.remainder.comparedTo(a.remainder) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  for (const { key } of remainders) {
    if (left <= 0) break;
    units.set(key, units.get(key)!.plus(1));
    left--;
  }
  for (const s of shares) result.set(s.key, Money.of(units.get(s.key)!.times(unit), currency));
  return result;
}
