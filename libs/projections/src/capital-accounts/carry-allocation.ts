import { divFloor, type LpEntry } from '@fundsim/domain';
import { onlyPieceEpoch, piecesAt, SCALE, type AccountBasis, type Pieces } from './account-basis';
import { movedTo } from './transferred-value';

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

/**
 * What the carry accrued is shared by: each epoch's suffix of profit before carry, or of carry
 * paid under a clawback. Should no LP have a key (an accrual with no profit or carry paid to
 * share it by: not reached by any history the deciders accept, but the register must not fail),
 * by commitment.
 */
export function carrySuffix(basis: Pick<AccountBasis, 'carryAccrued' | 'profitSuffix' | 'paidSuffix'>, byCommitment = false): bigint[] {
  if (byCommitment) return basis.profitSuffix.map(() => SCALE);
  return basis.carryAccrued >= 0n ? basis.profitSuffix : basis.paidSuffix;
}

/**
 * The LP's key for the carry accrued, in cents x SCALE: its profit before carry (or the carry it
 * paid, under a clawback), with what transfers moved to or from it, never below zero; zero for a
 * carry-exempt LP.
 */
export function carryKey(basis: AccountBasis, pieces: Pieces, lp: LpEntry): bigint {
  if (basis.exempt?.has(lp.lpId)) return 0n;
  return keyOf(basis, pieces, lp.transfers ? movedTo(basis, lp).key : 0n);
}

/** The key of pieces that bear carry (`moved`: what transfers moved to them). */
function keyOf(basis: AccountBasis, pieces: Pieces, moved = 0n): bigint {
  let key = moved;
  for (const p of pieces) key += p.cents * basis.carrySuffix[p.epoch];
  return key > 0n ? key : 0n;
}

/**
 * The sum of every admitted LP's key in O(epochs + LPs with several pieces or transfers + exempt
 * LPs): an LP with one piece has key cents x suffix[its epoch] (or zero), so those sum per epoch
 * from what entered in each epoch (the change in its admitted total: the pieces entering, net of
 * any leaving); an LP with several pieces or a transfer (`individual`) is counted on its own; a
 * carry-exempt LP (`exempt`, its entry) has none.
 */
export function carryKeysTotal(basis: AccountBasis, individual: readonly LpEntry[], exempt: readonly LpEntry[] = []): bigint {
  const epochs = basis.ledger.epochs;
  const suffix = basis.carrySuffix;
  const positive = (x: bigint) => (x > 0n ? x : 0n);
  let total = 0n;
  for (let e = 0; e < epochs.length; e++) total += (epochs[e].admittedCents - (e > 0 ? epochs[e - 1].admittedCents : 0n)) * positive(suffix[e]);
  for (const lp of individual) {
    const pieces = piecesAt(basis, lp);
    if (pieces.length < 2 && lp.transfers === undefined) continue;
    // As bearing: an exempt LP's key comes off below.
    total += keyOf(basis, pieces, lp.transfers ? movedTo(basis, lp).key : 0n);
    for (const p of pieces) total -= p.cents * positive(suffix[p.epoch]);
  }
  // Counted above as bearing, by epoch or on its own.
  for (const lp of exempt) total -= keyOf(basis, piecesAt(basis, lp));
  return total;
}

/**
 * The carry accrued per cent admitted at each epoch's close, in cents x SCALE (rounded down): an
 * LP admitted once bears cents x this, one multiplication in the register's pass over a million
 * LPs. An LP's key is cents x max(0, suffix), so its share A x key / keys is cents x
 * A x max(0, suffix) / keys.
 */
export function carryPerCent(basis: Pick<AccountBasis, 'carryAccrued' | 'carrySuffix' | 'carryKeys'>): bigint[] {
  return basis.carrySuffix.map((s) => (basis.carryKeys === 0n || s <= 0n ? 0n : divFloor(basis.carryAccrued * s * SCALE, basis.carryKeys)));
}

/** The LP's exact share of the carry accrued, in cents x SCALE (rounded down); 0 when it owns nothing by the date. */
export function scaledCarryOf(basis: AccountBasis, lp: LpEntry): bigint {
  if (basis.carryKeys === 0n || basis.exempt?.has(lp.lpId)) return 0n;
  const only = onlyPieceEpoch(basis, lp);
  if (only !== undefined) return BigInt(lp.cents) * basis.carryPerCent[only];
  return scaledCarry(basis, piecesAt(basis, lp), lp);
}

/** The same from the LP's pieces. */
export function scaledCarry(basis: AccountBasis, pieces: Pieces, lp: LpEntry): bigint {
  if (basis.carryKeys === 0n || pieces.length === 0 || basis.exempt?.has(lp.lpId)) return 0n;
  if (pieces.length === 1 && lp.transfers === undefined) return pieces[0].cents * basis.carryPerCent[pieces[0].epoch];
  return divFloor(basis.carryAccrued * carryKey(basis, pieces, lp) * SCALE, basis.carryKeys);
}
