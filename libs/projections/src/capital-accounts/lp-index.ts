/** The terms of a commitment the register needs (the data of a `CapitalCommitted`, as it is). */
export interface CommitmentTerms {
  lpId: string;
  kind: string;
  country: string;
  currency: 'USD' | 'JPY';
  /** In the commitment's currency, as committed. */
  amount: string;
  amountUsd: string;
}

/** What a close admitted of an LP, in cents (a safe integer: at most the fund's hard cap). */
export interface Piece {
  closeNumber: number;
  cents: number;
}

/**
 * An LP of the register. Most LPs are admitted once, so the first admission is kept inline and
 * only later ones in a list: a million LPs are a million small objects, not three million.
 */
export interface LpEntry {
  lpId: string;
  kind: string;
  country: string;
  currency: 'USD' | 'JPY';
  /** Committed in the LP's currency (a decimal string), before any scale-back. */
  committedLocal: string;
  /** Close that first admitted it (0: none yet) and the cents it admitted. */
  close: number;
  cents: number;
  more?: Piece[];
}

export const piecesOfLp = (lp: LpEntry): Piece[] => (lp.close === 0 ? [] : [{ closeNumber: lp.close, cents: lp.cents }, ...(lp.more ?? [])]);

export interface CloseTerms {
  closeNumber: number;
  throughPosition: number;
  admittedCents: bigint;
}

/** "1234.56" -> 123456, for amounts the fund books (at most two places, within its hard cap). */
function centsOf(text: string): number {
  const dot = text.indexOf('.');
  const cents = dot < 0 ? Number(text) * 100 : Number(text.slice(0, dot)) * 100 + (dot === text.length - 2 ? Number(text[dot + 1]) * 10 : Number(text.slice(dot + 1, dot + 3).padEnd(2, '0')));
  if (!Number.isSafeInteger(cents) || cents < 0) throw new Error(`Not an admissible USD amount: ${text}`);
  return cents;
}

/**
 * Every LP of a fund and what each close admitted of it, maintained as commitments and closes
 * arrive: one pass over the commitments in all. A close admits the pending commitments up to its
 * position; when it scaled back at the hard cap, each LP's share is its pending amount scaled by
 * largest remainder, ties by LP id (the rule of the close's decider).
 */
export class LpIndex {
  readonly lps = new Map<string, LpEntry>();
  // Pending commitments, in log order, as parallel arrays from `next` on.
  private pendingLp: LpEntry[] = [];
  private pendingCents: number[] = [];
  private pendingPosition: number[] = [];
  private pendingId: string[] = [];
  private next = 0;
  private closes = 0;
  private sorted?: LpEntry[];
  private readonly interned = new Map<string, string>();
  private lastInterned = '';

  /** A commitment (its event id, terms and log position), pending until a close admits it. */
  addCommitment(id: string, c: CommitmentTerms, position: number): void {
    let lp = this.lps.get(c.lpId);
    if (!lp) {
      lp = { lpId: c.lpId, kind: this.intern(c.kind), country: this.intern(c.country), currency: c.currency, committedLocal: c.amount, close: 0, cents: 0 };
      this.lps.set(c.lpId, lp);
    } else if (lp.currency === c.currency) {
      lp.committedLocal = addDecimal(lp.committedLocal, c.amount);
    }
    this.pendingLp.push(lp);
    this.pendingCents.push(centsOf(c.amountUsd));
    this.pendingPosition.push(position);
    this.pendingId.push(id);
  }

  /** A pending commitment reversed (with its replacement's USD amount, if any). */
  reverseCommitment(commitmentId: string, replacementUsd?: string): void {
    const i = this.pendingId.indexOf(commitmentId, this.next);
    if (i < 0) return;
    // A reversal without replacement leaves a zero: it admits nothing.
    this.pendingCents[i] = replacementUsd === undefined ? 0 : centsOf(replacementUsd);
  }

  get closesApplied(): number {
    return this.closes;
  }

  applyClose(close: CloseTerms): void {
    if (close.closeNumber <= this.closes) return;
    let end = this.next;
    let total = 0;
    while (end < this.pendingPosition.length && this.pendingPosition[end] <= close.throughPosition) total += this.pendingCents[end++];
    if (BigInt(total) === close.admittedCents) {
      for (let i = this.next; i < end; i++) admit(this.pendingLp[i], close.closeNumber, this.pendingCents[i]);
    } else {
      const byLp = new Map<string, bigint>();
      for (let i = this.next; i < end; i++) byLp.set(this.pendingLp[i].lpId, (byLp.get(this.pendingLp[i].lpId) ?? 0n) + BigInt(this.pendingCents[i]));
      for (const [lpId, cents] of scaleBack(byLp, BigInt(total), close.admittedCents)) admit(this.lps.get(lpId)!, close.closeNumber, Number(cents));
    }
    this.next = end;
    if (this.next > 100_000 && this.next * 2 > this.pendingLp.length) this.compact();
    this.closes = close.closeNumber;
    this.sorted = undefined;
  }

  /** LPs admitted by some close, by LP id: the register's order. */
  admittedSorted(): LpEntry[] {
    this.sorted ??= [...this.lps.values()].filter((lp) => lp.close > 0).sort((a, b) => (a.lpId < b.lpId ? -1 : a.lpId > b.lpId ? 1 : 0));
    return this.sorted;
  }

  private compact(): void {
    this.pendingLp = this.pendingLp.slice(this.next);
    this.pendingCents = this.pendingCents.slice(this.next);
    this.pendingPosition = this.pendingPosition.slice(this.next);
    this.pendingId = this.pendingId.slice(this.next);
    this.next = 0;
  }

  /** Kinds and countries repeat a million times: keep one copy of each. */
  private intern(text: string): string {
    if (text === this.lastInterned) return this.lastInterned;
    const known = this.interned.get(text);
    if (known !== undefined) return (this.lastInterned = known);
    this.interned.set(text, text);
    return (this.lastInterned = text);
  }
}

function admit(lp: LpEntry, closeNumber: number, cents: number): void {
  if (cents === 0) return;
  if (lp.close === 0) {
    lp.close = closeNumber;
    lp.cents = cents;
  } else if (lp.close === closeNumber && !lp.more) {
    lp.cents += cents;
  } else {
    const last = lp.more?.[lp.more.length - 1];
    if (last?.closeNumber === closeNumber) last.cents += cents;
    else (lp.more ??= []).push({ closeNumber, cents });
  }
}

function addDecimal(a: string, b: string): string {
  const places = Math.max(a.split('.')[1]?.length ?? 0, b.split('.')[1]?.length ?? 0);
  const scaled = (s: string) => BigInt(s.replace('.', '') + '0'.repeat(places - (s.split('.')[1]?.length ?? 0)));
  const sum = (scaled(a) + scaled(b)).toString().padStart(places + 1, '0');
  return places === 0 ? sum : `${sum.slice(0, -places)}.${sum.slice(-places)}`;
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
