import { parseCents } from '../cents';

/** A commitment as the register needs it (from a `CapitalCommitted` on an LP stream). */
export interface CommitmentRecord {
  id: string;
  lpId: string;
  kind: string;
  country: string;
  currency: 'USD' | 'JPY';
  /** In the commitment's currency, as committed. */
  amount: string;
  amountUsd: string;
  position: number;
}

/** What a close admitted of an LP. */
export interface Piece {
  closeNumber: number;
  cents: bigint;
}

export interface LpEntry {
  lpId: string;
  kind: string;
  country: string;
  currency: 'USD' | 'JPY';
  /** Committed in the LP's currency, in its minor units (cents or yen), before any scale-back. */
  committedLocal: bigint;
  /** Admitted amounts by close, in close order. */
  pieces: Piece[];
}

export interface CloseTerms {
  closeNumber: number;
  throughPosition: number;
  admittedCents: bigint;
}

interface Pending {
  id: string;
  lpId: string;
  cents: bigint;
  position: number;
}

/**
 * Every LP of a fund and what each close admitted of it, maintained as commitments and closes
 * arrive: one pass over the commitments in all, the pieces kept in integer cents. A close admits
 * the pending commitments up to its position; when it scaled back at the hard cap, each LP's
 * piece is its pending amount scaled by largest remainder, ties by LP id (the rule of the close).
 */
export class LpIndex {
  readonly lps = new Map<string, LpEntry>();
  private pending: Pending[] = [];
  private closes = 0;
  private sorted?: LpEntry[];

  addCommitment(c: CommitmentRecord): void {
    let lp = this.lps.get(c.lpId);
    if (!lp) {
      lp = { lpId: c.lpId, kind: c.kind, country: c.country, currency: c.currency, committedLocal: 0n, pieces: [] };
      this.lps.set(c.lpId, lp);
      this.sorted = undefined;
    }
    if (lp.currency === c.currency) lp.committedLocal += c.currency === 'JPY' ? BigInt(c.amount) : parseCents(c.amount);
    this.pending.push({ id: c.id, lpId: c.lpId, cents: parseCents(c.amountUsd), position: c.position });
  }

  /** A pending commitment reversed (with its replacement's USD amount, if any). */
  reverseCommitment(commitmentId: string, replacementUsd?: string): void {
    const i = this.pending.findIndex((p) => p.id === commitmentId);
    if (i < 0) return;
    if (replacementUsd === undefined) this.pending.splice(i, 1);
    else this.pending[i] = { ...this.pending[i], cents: parseCents(replacementUsd) };
  }

  get closesApplied(): number {
    return this.closes;
  }

  applyClose(close: CloseTerms): void {
    if (close.closeNumber <= this.closes) return;
    let n = 0;
    while (n < this.pending.length && this.pending[n].position <= close.throughPosition) n++;
    const batch = this.pending.slice(0, n);
    this.pending = this.pending.slice(n);
    const byLp = new Map<string, bigint>();
    let total = 0n;
    for (const p of batch) {
      byLp.set(p.lpId, (byLp.get(p.lpId) ?? 0n) + p.cents);
      total += p.cents;
    }
    const admitted = total === close.admittedCents ? byLp : scaleBack(byLp, total, close.admittedCents);
    for (const [lpId, cents] of admitted) if (cents > 0n) this.lps.get(lpId)!.pieces.push({ closeNumber: close.closeNumber, cents });
    this.closes = close.closeNumber;
    this.sorted = undefined;
  }

  /** LPs admitted by some close, by LP id: the register's order. */
  admittedSorted(): LpEntry[] {
    this.sorted ??= [...this.lps.values()].filter((lp) => lp.pieces.length > 0).sort((a, b) => (a.lpId < b.lpId ? -1 : a.lpId > b.lpId ? 1 : 0));
    return this.sorted;
  }
}

/** Largest remainder in integer cents, ties by LP id: the same split as the close's decider. */
export function scaleBack(byLp: ReadonlyMap<string, bigint>, total: bigint, target: bigint): Map<string, bigint> {
  const result = new Map<string, bigint>();
  const remainders: { lpId: string; remainder: bigint }[] = [];
  let allocated = 0n;
  for (const [lpId, cents] of byLp) {
    const exact = cents * target;
    const floor = exact / total;
    result.set(lpId, floor);
    allocated += floor;
    remainders.push({ lpId, remainder: exact - floor * total });
  }
  remainders.sort((a, b) => (a.remainder > b.remainder ? -1 : a.remainder < b.remainder ? 1 : a.lpId < b.lpId ? -1 : a.lpId > b.lpId ? 1 : 0));
  for (let i = 0; allocated < target; i++, allocated++) result.set(remainders[i].lpId, result.get(remainders[i].lpId)! + 1n);
  return result;
}
