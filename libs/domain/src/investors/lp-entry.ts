/*
 * The investor ledger's entries, apart from the ledger so that the rule of admission
 * (close-admission.ts) and the ledger can both name them without importing each other.
 */

/**
 * What an LP holds from one ownership epoch on (ownership.ts): what a close admitted of it, or
 * what a transfer moved to it (or, negative, from it). Amounts are integer minor units held as numbers: a commitment is at most the fund's hard cap
 * (bounded by `MAX_HARD_CAP_USD`), so they stay safe integers.
 */
export interface Piece {
  /**
   * The epoch it entered in, numbered from 1 (read it with `entryEpochOf`). The name is the one the
   * persisted snapshots keep from when only closes opened epochs; a transfer opens one too.
   */
  closeNumber: number;
  /** USD cents admitted. */
  cents: number;
  /** The same in the LP's currency, minor units (cents for USD, yen for JPY). */
  local: number;
  /** Present only when the close scaled this LP back: what it had subscribed. */
  subscribedCents?: number;
  subscribedLocal?: number;
}

/**
 * An LP of the fund. Most LPs are admitted once, so the first piece is kept inline (`close`: the
 * epoch it entered in, 0: none yet; read it with `firstEpochOf`) and only later ones in `more`: a
 * million LPs are a million small objects.
 */
export interface LpEntry {
  lpId: string;
  kind: string;
  country: string;
  currency: 'USD' | 'JPY';
  close: number;
  cents: number;
  local: number;
  subscribedCents?: number;
  subscribedLocal?: number;
  more?: Piece[];
  /** Interests transferred to it (positive cents) or from it (negative), in the order recorded (transfer.decider.ts). */
  transfers?: TransferRecord[];
}

/**
 * One side of a transfer of an LP interest (transfer.decider.ts): in the epoch it opened, `cents` of
 * admitted commitment came in from (positive) or went out to (negative) `counterparty`, at a price
 * of `priceCents` paid (in) or received (out). The pieces carry the commitment; this record is
 * how the books move what the interest had built up before (allocation-policy.ts).
 */
export interface TransferRecord {
  epoch: number;
  transferNumber: number;
  counterparty: string;
  cents: number;
  priceCents: number;
}

/** The commitments a close would admit: how many, their total, and the last one's position. */
export interface PendingSummary {
  count: number;
  cents: bigint;
  throughPosition: number;
}

/** What a close admits of one LP: its pending commitments up to the close, scaled back if need be. */
export interface Admission {
  lp: LpEntry;
  cents: number;
  local: number;
  subscribedCents: number;
  subscribedLocal: number;
}
