import { divFloor, divRoundHalfEven, type LpEntry, type TransferRecord } from '@fundsim/domain';
import { piecesAt, SCALE, type AccountBasis } from './account-basis';
import { contributionsOf } from './contributions';

/*
 * What a transferred interest carries with it (libs/domain transfer.decider.ts), part of the allocation
 * policy. From the transfer's epoch on, the pieces say who owns what: the transferor weighs less,
 * the transferee more, in every later call, distribution and P&L share. What the interest had
 * built up before moves in proportion to the commitment moved, from the transferor's position
 * just before the transfer (`positionBefore`):
 *
 * - its net assets before any carry accrued (cents x SCALE): the transferee's capital account
 *   starts with them, the transferor's loses them ("transfers in / out");
 * - its key for the carry accrued (its profit before carry, or the carry it paid): the carry the
 *   interest's past profit would bear falls on whoever holds it;
 * - its contributed capital (to the cent): what the transferee's unfunded commitment is net of.
 *
 * Each is the transferor's figure x moved / held, rounded down (to the cent, half to even, for the
 * contributed capital) once, so the two sides cancel exactly and the LPs still sum to the fund.
 */

/** What transfers moved to an LP (positive) or from it (negative), as of the basis date. */
export interface Moved {
  nav: bigint;
  key: bigint;
  contributed: bigint;
}

const NONE: Moved = { nav: 0n, key: 0n, contributed: 0n };

/** The transfers of the LP recorded in epochs opened by the basis date, with what each moved (signed as it is for the LP). */
export function* transfersOf(
  basis: AccountBasis,
  lp: LpEntry,
  beforeEpoch = basis.ledger.epochs.length + 1,
): Generator<{ record: TransferRecord; moved: Moved }> {
  for (const record of lp.transfers ?? []) {
    if (record.epoch >= beforeEpoch) continue;
    const out = record.cents < 0;
    const from = out ? lp : (basis.lpOf(record.counterparty) ?? missing(record.counterparty));
    const m = movedBy(basis, from, record.epoch, BigInt(out ? -record.cents : record.cents));
    yield { record, moved: out ? { nav: -m.nav, key: -m.key, contributed: -m.contributed } : m };
  }
}

/** The sum of what transfers moved to or from the LP by the basis date (before `beforeEpoch`, an epoch number, when given). */
export function movedTo(basis: AccountBasis, lp: LpEntry, beforeEpoch?: number): Moved {
  if (lp.transfers === undefined) return NONE;
  const sum = { ...NONE };
  for (const { moved } of transfersOf(basis, lp, beforeEpoch)) {
    sum.nav += moved.nav;
    sum.key += moved.key;
    sum.contributed += moved.contributed;
  }
  return sum;
}

/** What `cents` of the transferor's commitment carried out in the transfer that opened epoch number `epoch`. */
function movedBy(basis: AccountBasis, from: LpEntry, epoch: number, cents: bigint): Moved {
  const memo = (basis.transferMemo ??= new Map());
  const key = `${from.lpId}|${epoch}|${cents}`;
  let moved = memo.get(key);
  if (!moved) {
    const before = positionBefore(basis, from, epoch);
    moved =
      before.weight === 0n
        ? NONE
        : {
            nav: divFloor(before.nav * cents, before.weight),
            key: divFloor(before.key * cents, before.weight),
            contributed: divRoundHalfEven(before.contributed * cents, before.weight),
          };
    memo.set(key, moved);
  }
  return moved;
}

/**
 * The LP's position just before epoch number `epoch` opened: its admitted commitment, its net
 * assets before the carry accrued (own contributions, its share of each earlier epoch's P&L and
 * what earlier transfers moved), its carry key over those epochs and its contributed capital.
 */
function positionBefore(basis: AccountBasis, lp: LpEntry, epoch: number): Moved & { weight: bigint } {
  const last = epoch - 1; // epochs 1 .. epoch - 1, by index 0 .. last - 1
  const pieces = piecesAt(basis, lp).filter((p) => p.epoch < last);
  // Its own contributions then, by the policy's one rule (the calls made before the epoch opened).
  const contributed = contributionsOf(basis, pieces, lp.lpId, basis.callsBeforeEpoch[last]);
  let weight = 0n;
  let key = 0n;
  // Its share of epochs [entered, last): a difference of the suffixes, O(pieces) however many epochs there are.
  let shared = 0n;
  for (const p of pieces) {
    weight += p.cents;
    key += p.cents * (basis.carrySuffix[p.epoch] - basis.carrySuffix[last]);
    shared += p.cents * (basis.suffix[p.epoch] - basis.suffix[last]);
  }
  const nav = contributed * SCALE + shared;
  const earlier = movedTo(basis, lp, epoch);
  return { weight, nav: nav + earlier.nav, key: key + earlier.key, contributed: contributed + earlier.contributed };
}

function missing(lpId: string): never {
  throw new Error(`LP ${lpId}, the other side of a transfer, is not in the investor ledger`);
}
