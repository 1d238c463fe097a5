import { entryEpochOf, firstEpochOf, ownsBy, piecesOf, type CallRule, type LpEntry, type SmallRate } from '@fundsim/domain';
import type { Ledger, Mark } from '../ledger/fund-ledger';

/*
 * What the allocation policy (allocation-policy.ts) and the carry allocation (carry-allocation.ts)
 * both read: the fund's figures on a date, computed once, and an LP's pieces as of it.
 */

/** Fixed-point scale of each LP's exact share of net assets: 10^-24 of a cent. */
export const SCALE = 10n ** 24n;

/**
 * Everything an LP's account needs from the fund on a date, computed once in O(fund events):
 * each epoch's shared P&L per cent of commitment, and the calls. An LP's figures then cost
 * O(its closes + calls), whatever the number of LPs.
 */
export interface AccountBasis {
  asOf: string;
  knownAt: string | null;
  ledger: Ledger;
  lines: Mark;
  /** Lines at the end of each epoch (the last one: at asOf). */
  epochEnds: Mark[];
  /** floor(shared P&L of epoch e but the carry accrued x SCALE / admitted cents of epoch e): gross of the carry accrued. */
  factors: bigint[];
  /** suffix[e] = factors[e] + ... + factors[last]. */
  suffix: bigint[];
  /** The same suffixes of the profit before any carry (what carry is a share of), and of the carry paid. */
  profitSuffix: bigint[];
  paidSuffix: bigint[];
  /** The carry accrued to the managers on the date (negative: a clawback they would owe). */
  carryAccrued: bigint;
  /** What each epoch's LPs' keys for the carry accrued are per cent admitted (`carrySuffix`). */
  carrySuffix: bigint[];
  /** The sum of every admitted LP's `carryKey`. */
  carryKeys: bigint;
  /** `carryPerCent`: the carry accrued per cent admitted at each epoch's close. */
  carryPerCent: bigint[];
  calls: { callNumber: number; date: string; dueDate: string; rule: CallRule }[];
  callRates: SmallRate[];
  /** callsBeforeEpoch[n - 1]: calls made before epoch n opened (the deciders' key for `lpCallCents`). */
  callsBeforeEpoch: number[];
  /** Each epoch's catch-up fraction. */
  catchUpRates: SmallRate[];
  netAssets: bigint;
  admittedCents: bigint;
  /** The carry-exempt LPs admitted by the date (carry-exemption.ts); absent when none is. */
  exempt?: ReadonlySet<string>;
  /** The fund's LPs by id: the other side of a transfer (transferred-value.ts). */
  lpOf: (lpId: string) => LpEntry | undefined;
  /** What each transfer moved, as of this basis (transferred-value.ts), kept once computed. */
  transferMemo?: Map<string, { nav: bigint; key: bigint; contributed: bigint }>;
}

/** An LP's pieces: `epoch` is the index (in `ledger.epochs`) of the epoch each entered in. */
export type Pieces = readonly { epoch: number; cents: bigint }[];

/** The LP's pieces entered in the epochs opened as of the basis date, with their epoch index. */
export function piecesAt(basis: AccountBasis, lp: LpEntry): { epoch: number; cents: bigint }[] {
  const epochs = basis.ledger.epochs.length;
  const pieces: { epoch: number; cents: bigint }[] = [];
  for (const p of piecesOf(lp)) if (entryEpochOf(p) <= epochs) pieces.push({ epoch: entryEpochOf(p) - 1, cents: BigInt(p.cents) });
  return pieces;
}

/**
 * The epoch index of the LP's one piece when it holds one only (nearly every LP), it entered by
 * the basis date and no transfer moved anything to or from it: the register's fast path, with no
 * pieces built. Undefined otherwise.
 */
export function onlyPieceEpoch(basis: AccountBasis, lp: LpEntry): number | undefined {
  return lp.more === undefined && lp.transfers === undefined && ownsBy(lp, basis.ledger.epochs.length) ? firstEpochOf(lp) - 1 : undefined;
}
