import { Dec, fxRateOn } from '@fundsim/domain';
import type Decimal from 'decimal.js';
import { formatCents, parseFraction, timesRate, type Fraction } from '../cents';
import { LINE_KEYS, LINE_SIGNS, linesAt, netAssetsOf, sharedOf, type Ledger, type Lines } from '../ledger/fund-ledger';
import { xirr } from '../performance/xirr';
import type { LpEntry } from './lp-index';

/** Fixed-point scale of each LP's exact share of net assets: 10^-24 of a cent. */
const SCALE = 10n ** 24n;

/**
 * Everything an LP's account needs from the fund on a date, computed once in O(fund events):
 * each epoch's shared P&L per cent of commitment, and the calls. An LP's figures then cost
 * O(its closes + calls), whatever the number of LPs.
 */
export interface AccountBasis {
  asOf: string;
  knownAt: string | null;
  ledger: Ledger;
  lines: Lines;
  /** Lines at the end of each epoch (the last one: at asOf). */
  epochEnds: Lines[];
  /** floor(shared P&L of epoch e x SCALE / admitted cents of epoch e). */
  factors: bigint[];
  /** suffix[e] = factors[e] + ... + factors[last]. */
  suffix: bigint[];
  calls: { callNumber: number; date: string; dueDate: string; rate: Fraction }[];
  netAssets: bigint;
  admittedCents: bigint;
  /** Contributions of LPs admitted at one close, by (epoch, cents): most LPs share a few amounts. */
  memo: Map<string, bigint>;
}

export function accountBasis(ledger: Ledger, asOf: string, knownAt: string | null): AccountBasis {
  const lines = linesAt(ledger, asOf);
  const epochs = ledger.epochs;
  const epochEnds = epochs.map((e) => e.end ?? lines);
  const factors = epochs.map((e, i) => (sharedOf(epochEnds[i]) - sharedOf(e.start)) * SCALE / e.admittedCents);
  const suffix = new Array<bigint>(factors.length);
  for (let i = factors.length - 1, sum = 0n; i >= 0; i--) suffix[i] = sum += factors[i];
  return {
    asOf,
    knownAt,
    ledger,
    lines,
    epochEnds,
    factors,
    suffix,
    calls: ledger.state.calls.map((c) => ({ callNumber: c.callNumber, date: c.date, dueDate: c.dueDate, rate: parseFraction(c.percentage.toString()) })),
    netAssets: netAssetsOf(lines),
    admittedCents: epochs.length ? epochs[epochs.length - 1].admittedCents : 0n,
    memo: new Map(),
  };
}

/** The LP's pieces admitted by closes held as of the basis date, with their epoch index. */
function piecesOf(basis: AccountBasis, lp: LpEntry): { epoch: number; cents: bigint }[] {
  const closes = basis.ledger.epochs.length;
  const pieces: { epoch: number; cents: bigint }[] = [];
  for (const p of lp.pieces) if (p.closeNumber <= closes) pieces.push({ epoch: p.closeNumber - 1, cents: p.cents });
  return pieces;
}

/** Contributions to date: each close's catch-up and each call on what was admitted by then, rounded per LP as the call was. */
function contributionsOf(basis: AccountBasis, pieces: readonly { epoch: number; cents: bigint }[]): bigint {
  const key = pieces.length === 1 ? `${pieces[0].epoch}:${pieces[0].cents}` : undefined;
  const known = key === undefined ? undefined : basis.memo.get(key);
  if (known !== undefined) return known;
  const epochs = basis.ledger.epochs;
  let total = 0n;
  for (const p of pieces) total += timesRate(p.cents, epochs[p.epoch].catchUpFraction);
  for (let k = epochs[pieces[0].epoch].callsBefore; k < basis.calls.length; k++) {
    let admitted = 0n;
    for (const p of pieces) if (epochs[p.epoch].callsBefore <= k) admitted += p.cents;
    total += timesRate(admitted, basis.calls[k].rate);
  }
  if (key !== undefined) basis.memo.set(key, total);
  return total;
}

/** The LP's exact net assets, in cents x SCALE: own contributions plus its share of each epoch's P&L. */
function scaledNav(basis: AccountBasis, pieces: readonly { epoch: number; cents: bigint }[]): bigint {
  let nav = contributionsOf(basis, pieces) * SCALE;
  if (pieces.length === 1) return nav + pieces[0].cents * basis.suffix[pieces[0].epoch];
  let admitted = 0n;
  for (let e = pieces[0].epoch, next = 0; e < basis.factors.length; e++) {
    while (next < pieces.length && pieces[next].epoch === e) admitted += pieces[next++].cents;
    nav += admitted * basis.factors[e];
  }
  return nav;
}

/**
 * Which LPs get the cents left over when every exact share is rounded down: the largest
 * remainders, ties by LP id. Found in one pass over the LPs (a sort of their remainders), then
 * kept, so that each LP's net assets is O(1) and agrees with the full register.
 */
export interface RegisterCutoff {
  /** LPs whose remainder is above this get one cent more. */
  threshold: number;
  /** Of those whose remainder equals it, these get one cent more too. */
  tied: ReadonlySet<string>;
  /** Admitted LPs in the register. */
  count: number;
}

export function registerCutoff(basis: AccountBasis, lps: readonly LpEntry[]): RegisterCutoff {
  // NaN for LPs not admitted by this date.
  const remainders = new Float64Array(lps.length);
  let floors = 0n;
  let count = 0;
  for (const [i, lp] of lps.entries()) {
    const pieces = piecesOf(basis, lp);
    if (pieces.length === 0) {
      remainders[i] = NaN;
      continue;
    }
    const { floor, remainder } = split(scaledNav(basis, pieces));
    floors += floor;
    remainders[i] = remainder;
    count++;
  }
  const extra = basis.netAssets - floors;
  if (extra < 0n || extra > BigInt(count)) throw new Error(`Register rounding out of range: ${extra} cents over ${count} LPs`);
  const k = Number(extra);
  if (k === 0) return { threshold: Infinity, tied: new Set(), count };
  // NaN sorts last in a typed array: the admitted LPs' remainders are the first `count`.
  const sorted = remainders.slice().sort();
  const threshold = sorted[count - k];
  let above = 0;
  for (let i = count - k + 1; i < count; i++) if (sorted[i] > threshold) above++;
  // Ties at the threshold: the smallest LP ids among them take the cents left.
  const tiedIds: string[] = [];
  for (const [i, lp] of lps.entries()) if (remainders[i] === threshold) tiedIds.push(lp.lpId);
  tiedIds.sort();
  return { threshold, tied: new Set(tiedIds.slice(0, k - above)), count };
}

/** Exact scaled NAV -> whole cents (rounded down) and the remainder, as a float for ranking. */
function split(nav: bigint): { floor: bigint; remainder: number } {
  const floor = nav >= 0n ? nav / SCALE : -((-nav + SCALE - 1n) / SCALE);
  return { floor, remainder: Number(nav - floor * SCALE) };
}

/** An LP's net assets on the basis date, in cents, as the register rounds it. */
export function navCents(basis: AccountBasis, cutoff: RegisterCutoff, lp: LpEntry): bigint {
  const pieces = piecesOf(basis, lp);
  if (pieces.length === 0) return 0n;
  const { floor, remainder } = split(scaledNav(basis, pieces));
  return floor + (remainder > cutoff.threshold || (remainder === cutoff.threshold && cutoff.tied.has(lp.lpId)) ? 1n : 0n);
}

export interface RegisterRow {
  lpId: string;
  kind: string;
  country: string;
  currency: 'USD' | 'JPY';
  commitmentUsd: string;
  contributions: string;
  netAssets: string;
  /** Share of admitted commitments, the key P&L is shared by. */
  ownership: string;
}

export function registerRow(basis: AccountBasis, cutoff: RegisterCutoff, lp: LpEntry): RegisterRow {
  const pieces = piecesOf(basis, lp);
  const admitted = pieces.reduce((sum, p) => sum + p.cents, 0n);
  return {
    lpId: lp.lpId,
    kind: lp.kind,
    country: lp.country,
    currency: lp.currency,
    commitmentUsd: formatCents(admitted),
    contributions: formatCents(pieces.length ? contributionsOf(basis, pieces) : 0n),
    netAssets: formatCents(navCents(basis, cutoff, lp)),
    ownership: ratio(admitted, basis.admittedCents, 10),
  };
}

const ratio = (a: bigint, b: bigint, places: number): string =>
  b === 0n ? '0' : new Dec(a.toString()).dividedBy(b.toString()).toDecimalPlaces(places, Dec.ROUND_HALF_EVEN).toFixed(places);

/* ---------------------------------------------------------------- one LP's statement */

export interface RollForward {
  beginningNav: string;
  contributions: string;
  distributions: string;
  managementFees: string;
  expenses: string;
  interest: string;
  income: string;
  realizedGain: string;
  changeInUnrealizedGain: string;
  endingNav: string;
}

export interface Performance {
  currency: 'USD' | 'JPY';
  paidIn: string;
  distributed: string;
  nav: string;
  /** Annualised, as a decimal fraction; null when the flows admit no rate. */
  xirr: string | null;
  tvpi: string | null;
  dpi: string | null;
  rvpi: string | null;
}

export interface CapitalAccount {
  fundId: string;
  lpId: string;
  kind: string;
  country: string;
  currency: 'USD' | 'JPY';
  from: string | null;
  asOf: string;
  knownAt: string | null;
  commitment: { usd: string; local: string; currency: 'USD' | 'JPY' };
  unfunded: string;
  /** Paid by this LP at a later close, outside its capital: it goes to the LPs admitted before. */
  equalizationInterestPaid: string;
  defaultedUnpaid: string;
  ownership: string;
  rollForward: RollForward;
  lookThrough: { projects: { projectId: string; name: string; sector: string; exposure: string }[]; sectors: { sector: string; exposure: string }[] };
  performance: Performance[];
}

/** Exact cumulative share of each P&L line, from inception to the basis date. */
function sharedLines(basis: AccountBasis, pieces: readonly { epoch: number; cents: bigint }[]): Map<keyof Lines, Decimal> {
  const result = new Map<keyof Lines, Decimal>(LINE_KEYS.map((k) => [k, new Dec(0)]));
  let admitted = 0n;
  const epochs = basis.ledger.epochs;
  for (let e = pieces[0]?.epoch ?? epochs.length, next = 0; e < epochs.length; e++) {
    while (next < pieces.length && pieces[next].epoch === e) admitted += pieces[next++].cents;
    const share = new Dec(admitted.toString()).dividedBy(epochs[e].admittedCents.toString());
    for (const k of LINE_KEYS) {
      if (k === 'contributions') continue;
      const delta = basis.epochEnds[e][k] - epochs[e].start[k];
      if (delta !== 0n) result.set(k, result.get(k)!.plus(share.times(delta.toString())));
    }
  }
  return result;
}

/**
 * Splits `total` cents over exact amounts so the parts sum to it: each rounded down, the cents
 * left to the largest remainders (ties by order). Keeps a statement's lines adding up to its NAVs.
 */
function allocateToTotal(exact: readonly Decimal[], total: bigint): bigint[] {
  const floors = exact.map((x) => BigInt(x.floor().toFixed(0)));
  let left = total - floors.reduce((a, b) => a + b, 0n);
  const order = exact.map((x, i) => ({ i, r: x.minus(x.floor()) })).sort((a, b) => b.r.comparedTo(a.r) || a.i - b.i);
  for (let j = 0; left > 0n; j = (j + 1) % order.length, left--) floors[order[j].i] += 1n;
  for (let j = order.length - 1; left < 0n; j = (j - 1 + order.length) % order.length, left++) floors[order[j].i] -= 1n;
  return floors;
}

export interface StatementInput {
  fundId: string;
  lp: LpEntry;
  to: { basis: AccountBasis; cutoff: RegisterCutoff };
  /** The day before the period starts; absent: from inception. */
  before?: { basis: AccountBasis; cutoff: RegisterCutoff; from: string };
}

export function capitalAccount({ fundId, lp, to, before }: StatementInput): CapitalAccount {
  const { basis } = to;
  const pieces = piecesOf(basis, lp);
  const admitted = pieces.reduce((sum, p) => sum + p.cents, 0n);
  const ending = navCents(basis, to.cutoff, lp);
  const beginning = before ? navCents(before.basis, before.cutoff, lp) : 0n;
  const contributedTo = pieces.length ? contributionsOf(basis, pieces) : 0n;
  const beforePieces = before ? piecesOf(before.basis, lp) : [];
  const contributedBefore = beforePieces.length ? contributionsOf(before!.basis, beforePieces) : 0n;
  const contributions = contributedTo - contributedBefore;

  const now = sharedLines(basis, pieces);
  const then = before ? sharedLines(before.basis, beforePieces) : new Map<keyof Lines, Decimal>();
  const shared: (keyof Lines)[] = LINE_KEYS.filter((k) => k !== 'contributions');
  const exact = shared.map((k) => now.get(k)!.minus(then.get(k) ?? 0).times(LINE_SIGNS[k].toString()));
  const lines = allocateToTotal(exact, ending - beginning - contributions);
  const line = (k: keyof Lines) => formatCents(lines[shared.indexOf(k)] * LINE_SIGNS[k]);

  const state = basis.ledger.state;
  const share = admitted === 0n ? new Dec(0) : new Dec(admitted.toString()).dividedBy(basis.admittedCents.toString());
  const projects = [...state.projects.values()].map((p) => ({ projectId: p.projectId, name: p.name, sector: p.sector, exposure: p.fairValue.times(share).toString() }));
  const sectors = new Map<string, Decimal>();
  for (const p of state.projects.values()) sectors.set(p.sector, (sectors.get(p.sector) ?? new Dec(0)).plus(p.fairValue.amount.times(share)));

  const flows = cashFlows(basis, lp, pieces, ending);
  let defaulted = 0n;
  for (const f of flows.defaulted) defaulted += f;
  return {
    fundId,
    lpId: lp.lpId,
    kind: lp.kind,
    country: lp.country,
    currency: lp.currency,
    from: before?.from ?? null,
    asOf: basis.asOf,
    knownAt: basis.knownAt,
    commitment: { usd: formatCents(admitted), local: lp.currency === 'JPY' ? lp.committedLocal.toString() : formatCents(lp.committedLocal), currency: lp.currency },
    unfunded: formatCents(admitted - contributedTo),
    equalizationInterestPaid: formatCents(flows.equalizationInterest),
    defaultedUnpaid: formatCents(defaulted),
    ownership: ratio(admitted, basis.admittedCents, 10),
    rollForward: {
      beginningNav: formatCents(beginning),
      contributions: formatCents(contributions),
      distributions: line('distributions'),
      managementFees: line('managementFees'),
      expenses: line('expenses'),
      interest: line('interest'),
      income: line('income'),
      realizedGain: line('realizedGain'),
      changeInUnrealizedGain: line('unrealizedGain'),
      endingNav: formatCents(ending),
    },
    lookThrough: {
      projects: projects.map((p) => ({ ...p, exposure: new Dec(p.exposure).toFixed(2) })),
      sectors: [...sectors].map(([sector, exposure]) => ({ sector, exposure: exposure.toDecimalPlaces(2, Dec.ROUND_HALF_EVEN).toFixed(2) })),
    },
    performance: [performance('USD', flows.flows, flows.terminal, basis.asOf), ...(lp.currency === 'JPY' ? jpyPerformance(basis, flows.flows, flows.terminal) : [])],
  };
}

export interface Flow {
  date: string;
  /** Cents; negative paid in by the LP, positive received. */
  cents: bigint;
}

/** The LP's own cash flows: catch-up and equalization interest at its closes, calls on their due dates (unless defaulted), distributions paid. */
function cashFlows(basis: AccountBasis, lp: LpEntry, pieces: readonly { epoch: number; cents: bigint }[], nav: bigint) {
  const epochs = basis.ledger.epochs;
  const state = basis.ledger.state;
  const flows: Flow[] = [];
  let equalizationInterest = 0n;
  const defaulted: bigint[] = [];
  for (const p of pieces) {
    const interest = timesRate(p.cents, epochs[p.epoch].interestFactor);
    equalizationInterest += interest;
    const paid = timesRate(p.cents, epochs[p.epoch].catchUpFraction) + interest;
    if (paid > 0n) flows.push({ date: epochs[p.epoch].date, cents: -paid });
  }
  if (pieces.length > 0) {
    for (let k = epochs[pieces[0].epoch].callsBefore; k < basis.calls.length; k++) {
      const call = basis.calls[k];
      let admitted = 0n;
      for (const p of pieces) if (epochs[p.epoch].callsBefore <= k) admitted += p.cents;
      const amount = timesRate(admitted, call.rate);
      if (state.defaults.has(`${call.callNumber}:${lp.lpId}`)) defaulted.push(amount);
      else if (call.dueDate <= basis.asOf) flows.push({ date: call.dueDate, cents: -amount });
    }
  }
  // Declared and unpaid, the LP's share is still in the fund (a payable): it counts at the date.
  let terminal = nav;
  for (const payout of basis.ledger.payouts) {
    let admitted = 0n;
    for (const p of pieces) if (p.epoch <= payout.epoch) admitted += p.cents;
    if (admitted === 0n) continue;
    const cents = BigInt(new Dec((admitted * payout.cents).toString()).dividedBy(epochs[payout.epoch].admittedCents.toString()).toDecimalPlaces(0, Dec.ROUND_HALF_EVEN).toFixed(0));
    if (payout.paymentDate <= basis.asOf) flows.push({ date: payout.paymentDate, cents });
    else terminal += cents;
  }
  flows.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  return { flows, terminal, equalizationInterest, defaulted };
}

/** XIRR, TVPI, DPI, RVPI of cash flows with a terminal value. */
export function performance(currency: 'USD' | 'JPY', flows: readonly Flow[], terminal: bigint, asOf: string): Performance {
  let paidIn = 0n;
  let distributed = 0n;
  for (const f of flows) {
    if (f.cents < 0n) paidIn -= f.cents;
    else distributed += f.cents;
  }
  const fmt = currency === 'JPY' ? (v: bigint) => v.toString() : formatCents;
  const multiple = (v: bigint) => (paidIn === 0n ? null : ratio(v, paidIn, 4));
  const rate = xirrOf([...flows, { date: asOf, cents: terminal }]);
  return { currency, paidIn: fmt(paidIn), distributed: fmt(distributed), nav: fmt(terminal), xirr: rate, tvpi: multiple(distributed + terminal), dpi: multiple(distributed), rvpi: multiple(terminal) };
}

function xirrOf(flows: readonly Flow[]): string | null {
  const rate = xirr(flows.map((f) => ({ date: f.date, amount: Number(f.cents) })));
  // toFixed keeps the sign of a rate that rounds to zero: print 0.000000, not -0.000000.
  return rate === undefined ? null : (Math.abs(rate) < 5e-7 ? 0 : rate).toFixed(6);
}

/** The same flows in yen, each at the USD/JPY rate in force on its date. None when no rate is recorded. */
function jpyPerformance(basis: AccountBasis, flows: readonly Flow[], terminal: bigint): Performance[] {
  const state = basis.ledger.state;
  const toYen = (cents: bigint, date: string): bigint | undefined => {
    const rate = fxRateOn(state, date);
    return rate === undefined ? undefined : BigInt(new Dec(cents.toString()).times(rate).dividedBy(100).toDecimalPlaces(0, Dec.ROUND_HALF_EVEN).toFixed(0));
  };
  const yen: Flow[] = [];
  for (const f of flows) {
    const cents = toYen(f.cents, f.date);
    if (cents === undefined) return [];
    yen.push({ date: f.date, cents });
  }
  const nav = toYen(terminal, basis.asOf);
  return nav === undefined ? [] : [performance('JPY', yen, nav, basis.asOf)];
}
