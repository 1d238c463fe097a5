/*
 * The investor ledger's entries, apart from the ledger so that the rule of admission
 * (close-admission.ts) and the ledger can both name them without importing each other.
 */

/**
 * What an LP holds from one ownership epoch on (ownership.ts): today, what one close admitted of
 * it. Amounts are integer minor units held as numbers: a commitment is at most the fund's hard cap
 * (bounded by `MAX_HARD_CAP_USD`), so they stay safe integers.
 */
export interface Piece {
  /**
   * The epoch it entered in, numbered from 1 (read it with `entryEpochOf`). Every epoch is opened
   * by a close so far, so this is also that close's number, the name the persisted snapshots keep.
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
