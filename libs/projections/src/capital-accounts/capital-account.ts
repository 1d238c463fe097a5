import { Dec, defaultKey, fxRateOn } from '@fundsim/domain';
import type Decimal from 'decimal.js';
import { divFloor, divRoundHalfEven, formatCents, parseFraction, smallRate, timesRate, timesSmallRate, type Fraction, type SmallRate } from '../cents';
import { LINE_KEYS, LINE_SIGNS, linesAt, netAssetsOf, sharedOf, type Ledger, type Lines } from '../ledger/fund-ledger';
import { xirr } from '../performance/xirr';
import { piecesOfLp, type LpEntry } from './lp-index';

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
  callRates: SmallRate[];
  /** Each epoch's catch-up fraction. */
  catchUp: SmallRate[];
  netAssets: bigint;
  admittedCents: bigint;
}

export function accountBasis(ledger: Ledger, asOf: string, knownAt: string | null): AccountBasis {
  const lines = linesAt(ledger, asOf);
  const epochs = ledger.epochs;
  const epochEnds = epochs.map((e) => e.end ?? lines);
  const factors = epochs.map((e, i) => (sharedOf(epochEnds[i]) - sharedOf(e.start)) * SCALE / e.admittedCents);
  const suffix = new Array<bigint>(factors.length);
  for (let i = factors.length - 1, sum = 0n; i >= 0; i--) suffix[i] = sum += factors[i];
  const calls = ledger.state.calls.map((c) => ({ callNumber: c.callNumber, date: c.date, dueDate: c.dueDate, rate: parseFraction(c.percentage.toString()) }));
  return {
    asOf,
    knownAt,
    ledger,
    lines,
    epochEnds,
    factors,
    suffix,
    calls,
    callRates: calls.map((c) => smallRate(c.rate)),
    catchUp: epochs.map((e) => smallRate(e.catchUpFraction)),
    netAssets: netAssetsOf(lines),
    admittedCents: epochs.length ? epochs[epochs.length - 1].admittedCents : 0n,
  };
}

type Pieces = readonly { epoch: number; cents: bigint }[];

/** The LP's pieces admitted by closes held as of the basis date, with their epoch index. */
function piecesOf(basis: AccountBasis, lp: LpEntry): { epoch: number; cents: bigint }[] {
  const closes = basis.ledger.epochs.length;
  const pieces: { epoch: number; cents: bigint }[] = [];
  for (const p of piecesOfLp(lp)) if (p.closeNumber <= closes) pieces.push({ epoch: p.closeNumber - 1, cents: BigInt(p.cents) });
  return pieces;
}

/** Contributions to date: each close's catch-up and each call on what was admitted by then, rounded per LP as the call was. */
function contributionsOf(basis: AccountBasis, pieces: Pieces): bigint {
  if (pieces.length === 1) return BigInt(singleContributions(basis, pieces[0].epoch, Number(pieces[0].cents)));
  const epochs = basis.ledger.epochs;
  let total = 0n;
  for (const p of pieces) total += timesRate(p.cents, epochs[p.epoch].catchUpFraction);
  for (const { amount } of callsOf(basis, pieces)) total += amount;
  return total;
}

/** Each call since the LP's first admission, on what it had admitted by then, rounded per LP as the call was. */
function* callsOf(basis: AccountBasis, pieces: Pieces): Generator<{ call: AccountBasis['calls'][number]; amount: bigint }> {
  const epochs = basis.ledger.epochs;
  if (pieces.length === 0) return;
  for (let k = epochs[pieces[0].epoch].callsBefore; k < basis.calls.length; k++) {
    let admitted = 0n;
    for (const p of pieces) if (epochs[p.epoch].callsBefore <= k) admitted += p.cents;
    yield { call: basis.calls[k], amount: timesRate(admitted, basis.calls[k].rate) };
  }
}

/**
 * The same for an LP admitted once (nearly all of them), in floating-point integers while every
 * product stays below 2^52 (so exact), else in BigInt: the hot loop of the register.
 */
function singleContributions(basis: AccountBasis, epoch: number, cents: number): number {
  const e = basis.ledger.epochs[epoch];
  let total = timesSmallRate(cents, basis.catchUp[epoch]);
  for (let k = e.callsBefore; k < basis.calls.length; k++) total += timesSmallRate(cents, basis.callRates[k]);
  return total;
}

/** The LP's exact net assets, in cents x SCALE: own contributions plus its share of each epoch's P&L. */
function scaledNav(basis: AccountBasis, pieces: Pieces): bigint {
  let nav = contributionsOf(basis, pieces) * SCALE;
  let admitted = 0n;
  for (let e = pieces[0].epoch, next = 0; e < basis.factors.length; e++) {
    while (next < pieces.length && pieces[next].epoch === e) admitted += pieces[next++].cents;
    nav += admitted * basis.factors[e];
  }
  return nav;
}

/** scaledNav without building the pieces for an LP admitted once; undefined when not admitted by the date. */
function scaledNavOf(basis: AccountBasis, lp: LpEntry): bigint | undefined {
  if (lp.close === 0 || lp.close > basis.ledger.epochs.length) return undefined;
  if (lp.more === undefined) {
    const epoch = lp.close - 1;
    return BigInt(singleContributions(basis, epoch, lp.cents)) * SCALE + BigInt(lp.cents) * basis.suffix[epoch];
  }
  return scaledNav(basis, piecesOf(basis, lp));
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
  for (let i = 0; i < lps.length; i++) {
    const nav = scaledNavOf(basis, lps[i]);
    if (nav === undefined) {
      remainders[i] = NaN;
      continue;
    }
    const { floor, remainder } = split(nav);
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
  for (let i = 0; i < lps.length; i++) if (remainders[i] === threshold) tiedIds.push(lps[i].lpId);
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
  const nav = scaledNavOf(basis, lp);
  if (nav === undefined) return 0n;
  const { floor, remainder } = split(nav);
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
  const single = lp.more === undefined && lp.close > 0 && lp.close <= basis.ledger.epochs.length;
  const pieces = single ? undefined : piecesOf(basis, lp);
  const admitted = pieces ? pieces.reduce((sum, p) => sum + p.cents, 0n) : BigInt(lp.cents);
  const contributions = pieces ? (pieces.length ? contributionsOf(basis, pieces) : 0n) : BigInt(singleContributions(basis, lp.close - 1, lp.cents));
  return {
    lpId: lp.lpId,
    kind: lp.kind,
    country: lp.country,
    currency: lp.currency,
    commitmentUsd: formatCents(admitted),
    contributions: formatCents(contributions),
    netAssets: formatCents(navCents(basis, cutoff, lp)),
    ownership: ratio(admitted, basis.admittedCents, 10),
  };
}

/** a / b to `places` decimals, half to even. */
function ratio(a: bigint, b: bigint, places: number): string {
  if (b === 0n) return '0';
  const digits = divRoundHalfEven(a * 10n ** BigInt(places), b).toString().padStart(places + 1, '0');
  return `${digits.slice(0, -places)}.${digits.slice(-places)}`;
}

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

/** Cumulative share of each P&L line from inception to the basis date, in cents x SCALE (rounded down). */
function sharedLines(basis: AccountBasis, pieces: Pieces): Map<keyof Lines, bigint> {
  const result = new Map<keyof Lines, bigint>(LINE_KEYS.map((k) => [k, 0n]));
  let admitted = 0n;
  const epochs = basis.ledger.epochs;
  for (let e = pieces[0]?.epoch ?? epochs.length, next = 0; e < epochs.length; e++) {
    while (next < pieces.length && pieces[next].epoch === e) admitted += pieces[next++].cents;
    for (const k of LINE_KEYS) {
      if (k === 'contributions') continue;
      const delta = basis.epochEnds[e][k] - epochs[e].start[k];
      if (delta !== 0n) result.set(k, result.get(k)! + divFloor(admitted * delta * SCALE, epochs[e].admittedCents));
    }
  }
  return result;
}

/**
 * Splits `total` cents over exact amounts (cents x SCALE) so the parts sum to it: each rounded
 * down, the cents left to the largest remainders (ties by order). Keeps a statement's lines
 * adding up to the change in its NAV.
 */
function allocateToTotal(exact: readonly bigint[], total: bigint): bigint[] {
  const floors = exact.map((x) => divFloor(x, SCALE));
  let left = total - floors.reduce((a, b) => a + b, 0n);
  const order = exact.map((x, i) => ({ i, r: x - floors[i] * SCALE })).sort((a, b) => (a.r > b.r ? -1 : a.r < b.r ? 1 : a.i - b.i));
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
  const then = before ? sharedLines(before.basis, beforePieces) : new Map<keyof Lines, bigint>();
  const shared: (keyof Lines)[] = LINE_KEYS.filter((k) => k !== 'contributions');
  const exact = shared.map((k) => (now.get(k)! - (then.get(k) ?? 0n)) * LINE_SIGNS[k]);
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
    commitment: { usd: formatCents(admitted), local: lp.committedLocal, currency: lp.currency },
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
function cashFlows(basis: AccountBasis, lp: LpEntry, pieces: Pieces, nav: bigint) {
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
  for (const { call, amount } of callsOf(basis, pieces)) {
    if (state.defaults.has(defaultKey(call.callNumber, lp.lpId))) defaulted.push(amount);
    else if (call.dueDate <= basis.asOf) flows.push({ date: call.dueDate, cents: -amount });
  }
  // Declared and unpaid, the LP's share is still in the fund (a payable): it counts at the date.
  let terminal = nav;
  for (const payout of basis.ledger.payouts) {
    let admitted = 0n;
    for (const p of pieces) if (p.epoch <= payout.epoch) admitted += p.cents;
    if (admitted === 0n) continue;
    const cents = divRoundHalfEven(admitted * payout.cents, epochs[payout.epoch].admittedCents);
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
    if (rate === undefined) return undefined;
    const { numerator, denominator } = parseFraction(rate);
    return divRoundHalfEven(cents * numerator, denominator * 100n);
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
