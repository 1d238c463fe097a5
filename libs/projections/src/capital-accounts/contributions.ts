import { callShare, callShareSmall, lpCallCents } from '@fundsim/domain';
import type { AccountBasis, Pieces } from './account-basis';

/*
 * An LP's own contributions, the allocation policy's rule (allocation-policy.ts re-exports it):
 * what each epoch it entered in asked of its piece (a close's catch-up) and each call on the pieces
 * it held before the call (the deciders' `lpCallCents`). Apart so that what a transfer moves
 * (transferred-value.ts) counts them by the same rule.
 */

/** Each call since the LP's first admission (before call `callsEnd`, when given), with what it asked of the LP (the deciders' `lpCallCents`). */
export function* callsOf(
  basis: AccountBasis,
  pieces: Pieces,
  lpId: string,
  callsEnd = basis.calls.length,
): Generator<{ call: AccountBasis['calls'][number]; amount: bigint }> {
  if (pieces.length === 0) return;
  // lpCallCents reads a piece's epoch by its number (`Piece.closeNumber`), one more than its index.
  const admitted = pieces.map((p) => ({ closeNumber: p.epoch + 1, cents: Number(p.cents) }));
  for (let k = basis.callsBeforeEpoch[pieces[0].epoch]; k < callsEnd; k++) {
    yield { call: basis.calls[k], amount: lpCallCents(admitted, lpId, k, basis.callsBeforeEpoch, basis.calls[k].rule) };
  }
}

/**
 * Contributions to date (or before call `callsEnd`): what each epoch asked of the piece entering
 * in it (a close's catch-up) and each call's amount.
 */
export function contributionsOf(basis: AccountBasis, pieces: Pieces, lpId: string, callsEnd = basis.calls.length): bigint {
  if (pieces.length === 1) return BigInt(singleContributions(basis, pieces[0].epoch, Number(pieces[0].cents), lpId, callsEnd));
  const epochs = basis.ledger.epochs;
  let total = 0n;
  for (const p of pieces) total += callShare(p.cents, lpId, epochs[p.epoch].catchUp);
  for (const { amount } of callsOf(basis, pieces, lpId, callsEnd)) total += amount;
  return total;
}

/**
 * The same for an LP admitted once (nearly all of them): `lpCallCents` of one piece is
 * `callShare(cents)`, here in floating-point integers while every product stays below 2^52
 * (so exact), else in BigInt: the hot loop of the register.
 */
export function singleContributions(basis: AccountBasis, epoch: number, cents: number, lpId: string, callsEnd = basis.calls.length): number {
  let total = callShareSmall(cents, lpId, basis.ledger.epochs[epoch].catchUp, basis.catchUpRates[epoch]);
  for (let k = basis.callsBeforeEpoch[epoch]; k < callsEnd; k++) total += callShareSmall(cents, lpId, basis.calls[k].rule, basis.callRates[k]);
  return total;
}
