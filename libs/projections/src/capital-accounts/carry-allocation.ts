import { divFloor, piecesOf, type LpEntry } from '@fundsim/domain';
import { piecesAt, SCALE, type AccountBasis, type Pieces } from './allocation-policy';

/*
 * The carried interest each LP bears, from its own position.
 *
 * - Carry paid: the managers' part of each distribution, taken from the LPs it was distributed
 *   to, by weight, to the cent by largest remainder like the distribution itself (the LP's
 *   `carryPayouts` share in the statement).
 * - Carry accrued on a date (the managers' carry if the fund were liquidated that day, less any
 *   clawback they would owe): shared over the LPs in proportion to each one's profit before any
 *   carry (its share of every P&L line but carried interest), counting only LPs in profit. An LP
 *   with no profit bears none; no LP is credited carry it never bore. When the managers would owe
 *   a clawback (the accrual is negative), it is shared in proportion to the carry each LP paid:
 *   the clawback returns to whom the carry was taken from, never more than it paid.
 *
 * So every LP's carried interest (paid plus accrued) is zero or more, its TVPI net of carry is
 * never above its gross, and the LPs' shares sum exactly to the fund's carry (the register's
 * largest remainder). A worked example is in docs/accounting.md.
 */

/** The LP's key for the carry accrued, in cents x SCALE: its profit before carry (or the carry it paid, under a clawback), never below zero. */
export function carryKey(basis: AccountBasis, pieces: Pieces): bigint {
  const suffix = basis.carryAccrued >= 0n ? basis.profitSuffix : basis.paidSuffix;
  let key = 0n;
  for (const p of pieces) key += p.cents * suffix[p.epoch];
  return key > 0n ? key : 0n;
}

/** carryKey without building the pieces for an LP admitted once. */
export function carryKeyOf(basis: AccountBasis, lp: LpEntry): bigint {
  if (lp.close === 0 || lp.close > basis.ledger.epochs.length) return 0n;
  if (lp.more !== undefined) return carryKey(basis, piecesAt(basis, lp));
  const key = BigInt(lp.cents) * (basis.carryAccrued >= 0n ? basis.profitSuffix : basis.paidSuffix)[lp.close - 1];
  return key > 0n ? key : 0n;
}

/**
 * The sum of every admitted LP's key in O(epochs + LPs admitted at several closes): an LP
 * admitted once has key cents x suffix[its epoch] (or zero), so those sum per epoch from the
 * epochs' admitted totals; an LP with several pieces is counted on its own.
 */
export function carryKeysTotal(basis: AccountBasis, multiPiece: readonly LpEntry[]): bigint {
  const epochs = basis.ledger.epochs;
  const suffix = basis.carryAccrued >= 0n ? basis.profitSuffix : basis.paidSuffix;
  const positive = (x: bigint) => (x > 0n ? x : 0n);
  let total = 0n;
  for (let e = 0; e < epochs.length; e++) total += (epochs[e].admittedCents - (e > 0 ? epochs[e - 1].admittedCents : 0n)) * positive(suffix[e]);
  for (const lp of multiPiece) {
    const pieces = piecesAt(basis, lp);
    if (pieces.length < 2) continue;
    total += carryKey(basis, pieces);
    for (const p of pieces) total -= p.cents * positive(suffix[p.epoch]);
  }
  return total;
}

/** The LP's share of the carry accrued as floor and remainder (of `basis.carryKeys`), in cents: for the register's largest remainder. */
export function carryParts(basis: AccountBasis, key: bigint): { floor: bigint; remainder: bigint } {
  if (basis.carryKeys === 0n || key === 0n) return { floor: 0n, remainder: 0n };
  const exact = basis.carryAccrued * key;
  const floor = divFloor(exact, basis.carryKeys);
  return { floor, remainder: exact - floor * basis.carryKeys };
}

/** The LP's exact share of the carry accrued, in cents x SCALE (rounded down). */
export function scaledCarry(basis: AccountBasis, key: bigint): bigint {
  return basis.carryKeys === 0n ? 0n : divFloor(basis.carryAccrued * key * SCALE, basis.carryKeys);
}

/** LPs admitted at more than one close. */
export const multiPieceLps = (lps: readonly LpEntry[]): LpEntry[] => lps.filter((lp) => lp.more !== undefined && piecesOf(lp).length > 1);
