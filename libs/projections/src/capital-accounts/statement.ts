import {
  callShare,
  Dec,
  defaultKey,
  divFloor,
  divRoundHalfEven,
  entryEpochOf,
  formatCents,
  fxRateOn,
  parseFraction,
  piecesOf,
  timesRate,
  type LpEntry,
} from '@fundsim/domain';
import type Decimal from 'decimal.js';
import { LINE_KEYS, LINE_SIGNS, type Lines } from '../ledger/fund-ledger';
import { performance, ratio, type Flow, type Performance, type Residual } from '../performance/metrics';
import {
  callsOf,
  contributionsOf,
  feeCallsOf,
  feesCalledOf,
  distributionsTo,
  payoutShare,
  piecesAt,
  SCALE,
  sharedLines,
  weightOf,
  type AccountBasis,
  type Payouts,
  type PayoutSplit,
  type Pieces,
} from './allocation-policy';
import { accruedCarryCents, navCents, type RegisterCutoff } from './register';
import { movedTo, transfersOf } from './transferred-value';

export interface RollForward {
  beginningNav: string;
  contributions: string;
  distributions: string;
  /** The capital account an interest brought when transferred to the LP in the period (transferred-value.ts). */
  transfersIn: string;
  /** The capital account an interest took when the LP transferred it in the period (shown positive, out of net assets). */
  transfersOut: string;
  /**
   * The carried interest the LP bore (a fund with a waterfall; ILPA: carried interest allocation):
   * `carriedInterestPaid` + `changeInAccruedCarry`. Never negative over the LP's life unless the
   * managers would owe it a clawback (carry-allocation.ts).
   */
  carriedInterest: string;
  /** The managers' part of the distributions declared to the LP in the period. */
  carriedInterestPaid: string;
  /** The change in the LP's share of the carry accrued (negative when the accrual falls). */
  changeInAccruedCarry: string;
  managementFees: string;
  expenses: string;
  interest: string;
  income: string;
  realizedGain: string;
  changeInUnrealizedGain: string;
  endingNav: string;
}

/** The LP's commitment as admitted by the date's closes, and as subscribed when a close scaled it back. */
export interface Commitment {
  usd: string;
  /** In the LP's currency: for a JPY LP, the yen it subscribed scaled as its USD was. */
  local: string;
  currency: 'USD' | 'JPY';
  scaledBack: boolean;
  subscribedUsd: string;
  subscribedLocal: string;
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
  commitment: Commitment;
  unfunded: string;
  /** The LP's share of the managers' carry accrued on the date: what a liquidation that day would take from it. */
  accruedCarry: string;
  /** Net assets before the carry accrued: `rollForward.endingNav` + `accruedCarry` (they sum over the LPs to the fund's net assets). */
  grossNav: string;
  /** Called and not yet due (neither paid nor in default): a receivable of the fund. */
  contributionsReceivable: string;
  /** Paid by this LP at a later close, outside its capital: it goes to the LPs admitted before. */
  equalizationInterestPaid: string;
  /** Of the period's contributions, the management fees called from this LP beside its commitment (fee-exemption.ts): not out of its unfunded commitment. */
  feesCalled: string;
  defaultedUnpaid: string;
  /** Share of admitted commitments, as a fraction of 1. */
  ownership: string;
  /**
   * Interests transferred to or from the LP in the period (libs/domain transfer.decider.ts), USD: the
   * commitment moved, and of it the unfunded part (the commitment less the contributed capital
   * that moved with it), and the prices agreed: paid for what came in, received for what went out
   * (cash between the LPs, not the fund's: in the LP's performance, not its capital account).
   * Zero for an LP with no transfer.
   */
  transfers: { commitmentIn: string; commitmentOut: string; unfundedIn: string; unfundedOut: string; pricePaid: string; priceReceived: string };
  rollForward: RollForward;
  lookThrough: { projects: { projectId: string; name: string; sector: string; exposure: string }[]; sectors: { sector: string; exposure: string }[] };
  performance: Performance[];
  /**
   * In a fund with a waterfall: the same before carried interest (the LP's share of the carry
   * paid added back to each distribution, of the carry accrued to its net assets). Empty otherwise.
   */
  grossPerformance: Performance[];
}

export interface StatementInput {
  fundId: string;
  lp: LpEntry;
  to: { basis: AccountBasis; cutoff: RegisterCutoff; payouts: Payouts };
  /** The day before the period starts; absent: from inception. */
  before?: { basis: AccountBasis; cutoff: RegisterCutoff; from: string };
}

export function capitalAccount({ fundId, lp, to, before }: StatementInput): CapitalAccount {
  const { basis } = to;
  const pieces = piecesAt(basis, lp);
  const admitted = pieces.reduce((sum, p) => sum + p.cents, 0n);
  const ending = navCents(basis, to.cutoff, lp);
  const beginning = before ? navCents(before.basis, before.cutoff, lp) : 0n;
  const contributedTo = pieces.length ? contributionsOf(basis, pieces, lp.lpId) : 0n;
  const beforePieces = before ? piecesAt(before.basis, lp) : [];
  const contributedBefore = beforePieces.length ? contributionsOf(before!.basis, beforePieces, lp.lpId) : 0n;
  // Fees called from the fee-bearing LPs: paid in beside the commitment, and borne, by the LP alone.
  const feesTo = feesCalledOf(basis, pieces, lp.lpId);
  const feesBefore = before ? feesCalledOf(before.basis, beforePieces, lp.lpId) : 0n;
  const contributions = contributedTo + feesTo - contributedBefore - feesBefore;
  const transfers = transfersIn(basis, lp, before ? before.basis.ledger.epochs.length : 0);

  const now = withFees(sharedLines(basis, pieces), feesTo);
  const then = before ? withFees(sharedLines(before.basis, beforePieces), feesBefore) : new Map<keyof Lines, bigint>();
  // The distributions line is the cash: the LP's share of each distribution declared in the
  // period as paid or payable to it (split by largest remainder), so it ties to its bank to the
  // cent; so is the carry paid (the managers' part of those distributions, split the same way)
  // and the carry accrued is the register's. The rounding of the LP's exact shares lands on the
  // P&L lines.
  const inPeriod = (splits: readonly PayoutSplit[]) =>
    distributionsTo(basis, splits, pieces, lp.lpId) - (before ? distributionsTo(basis, splits, pieces, lp.lpId, before.basis.ledger.payouts.length) : 0n);
  const distributed = inPeriod(to.payouts.toLps);
  const carryPaid = inPeriod(to.payouts.carry);
  const accruedCarry = accruedCarryCents(basis, to.cutoff, lp);
  const changeInAccrued = accruedCarry - (before ? accruedCarryCents(before.basis, before.cutoff, lp) : 0n);
  const shared: (keyof Lines)[] = LINE_KEYS.filter((k) => k !== 'contributions' && k !== 'distributions' && k !== 'carriedInterest');
  const exact = shared.map((k) => (now.get(k)! - (then.get(k) ?? 0n)) * LINE_SIGNS[k]);
  const pnl = allocateToTotal(exact, ending - beginning - contributions - transfers.navIn + transfers.navOut + distributed + carryPaid + changeInAccrued);
  const lines = new Map<keyof Lines, bigint>(shared.map((k, i) => [k, pnl[i]]));
  lines.set('distributions', -distributed);
  lines.set('carriedInterest', -(carryPaid + changeInAccrued));
  const line = (k: keyof Lines) => formatCents(lines.get(k)! * LINE_SIGNS[k]);

  const state = basis.ledger.state;
  const share = admitted === 0n ? new Dec(0) : new Dec(admitted.toString()).dividedBy(basis.admittedCents.toString());
  const projects = [...state.projects.values()].map((p) => ({
    projectId: p.projectId,
    name: p.name,
    sector: p.sector,
    exposure: p.fairValue.times(share).toString(),
  }));
  const sectors = new Map<string, Decimal>();
  for (const p of state.projects.values()) sectors.set(p.sector, (sectors.get(p.sector) ?? new Dec(0)).plus(p.fairValue.amount.times(share)));

  const flows = cashFlows(basis, to.payouts, lp, pieces);
  // Called and not paid (not yet due, or defaulted) is in its NAV as a receivable, not paid in.
  const residual: Residual = { nav: ending, distributionsPayable: flows.payable, contributionsOwed: flows.defaulted + flows.receivable };
  // Gross of carry: the carry it paid added back to each distribution, its share of the carry accrued to its NAV.
  const grossResidual: Residual = { ...residual, nav: ending + accruedCarry, distributionsPayable: flows.payable + flows.carryPayable };
  return {
    fundId,
    lpId: lp.lpId,
    kind: lp.kind,
    country: lp.country,
    currency: lp.currency,
    from: before?.from ?? null,
    asOf: basis.asOf,
    knownAt: basis.knownAt,
    commitment: commitmentOf(lp, basis.ledger.epochs.length),
    unfunded: formatCents(admitted - contributedTo - movedTo(basis, lp).contributed),
    accruedCarry: formatCents(accruedCarry),
    grossNav: formatCents(ending + accruedCarry),
    contributionsReceivable: formatCents(flows.receivable),
    equalizationInterestPaid: formatCents(flows.equalizationInterest),
    feesCalled: formatCents(feesTo - feesBefore),
    defaultedUnpaid: formatCents(flows.defaulted),
    ownership: ratio(admitted, basis.admittedCents, 10),
    transfers: {
      commitmentIn: formatCents(transfers.commitmentIn),
      commitmentOut: formatCents(transfers.commitmentOut),
      unfundedIn: formatCents(transfers.unfundedIn),
      unfundedOut: formatCents(transfers.unfundedOut),
      pricePaid: formatCents(transfers.pricePaid),
      priceReceived: formatCents(transfers.priceReceived),
    },
    rollForward: {
      beginningNav: formatCents(beginning),
      contributions: formatCents(contributions),
      distributions: line('distributions'),
      transfersIn: formatCents(transfers.navIn),
      transfersOut: formatCents(transfers.navOut),
      carriedInterest: line('carriedInterest'),
      carriedInterestPaid: formatCents(carryPaid),
      changeInAccruedCarry: formatCents(changeInAccrued),
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
    performance: performances(basis, lp, flows.flows, residual),
    grossPerformance: basis.ledger.state.config?.waterfall ? performances(basis, lp, flows.grossFlows, grossResidual) : [],
  };
}

/**
 * The LP's transfers recorded after the first `epochsBefore` epochs, by the basis date: the net
 * assets each moved (transferred-value.ts, rounded half to even to the cent once, so the two
 * sides agree), the commitment and its unfunded part.
 */
function transfersIn(basis: AccountBasis, lp: LpEntry, epochsBefore: number) {
  const sum = { navIn: 0n, navOut: 0n, commitmentIn: 0n, commitmentOut: 0n, unfundedIn: 0n, unfundedOut: 0n, pricePaid: 0n, priceReceived: 0n };
  for (const { record, moved } of transfersOf(basis, lp)) {
    if (record.epoch <= epochsBefore) continue;
    const nav = divRoundHalfEven(moved.nav, SCALE);
    const unfunded = BigInt(record.cents) - moved.contributed;
    if (record.cents > 0)
      ((sum.navIn += nav), (sum.commitmentIn += BigInt(record.cents)), (sum.unfundedIn += unfunded), (sum.pricePaid += BigInt(record.priceCents)));
    else ((sum.navOut -= nav), (sum.commitmentOut -= BigInt(record.cents)), (sum.unfundedOut -= unfunded), (sum.priceReceived -= BigInt(record.priceCents)));
  }
  return sum;
}

/** In USD, and in yen too for a JPY LP. */
function performances(basis: AccountBasis, lp: LpEntry, flows: readonly Flow[], residual: Residual): Performance[] {
  return [performance('USD', flows, residual, basis.asOf), ...(lp.currency === 'JPY' ? jpyPerformance(basis, flows, residual) : [])];
}

/** The commitment held from the first `epochs` epochs, in USD and the LP's currency, and as subscribed. */
function commitmentOf(lp: LpEntry, epochs: number): Commitment {
  const fmt = lp.currency === 'JPY' ? (v: bigint) => v.toString() : formatCents;
  let usd = 0n;
  let local = 0n;
  let subscribedUsd = 0n;
  let subscribedLocal = 0n;
  for (const p of piecesOf(lp)) {
    if (entryEpochOf(p) > epochs) continue;
    usd += BigInt(p.cents);
    local += BigInt(p.local);
    subscribedUsd += BigInt(p.subscribedCents ?? p.cents);
    subscribedLocal += BigInt(p.subscribedLocal ?? p.local);
  }
  return {
    usd: formatCents(usd),
    local: fmt(local),
    currency: lp.currency,
    scaledBack: subscribedUsd !== usd,
    subscribedUsd: formatCents(subscribedUsd),
    subscribedLocal: fmt(subscribedLocal),
  };
}

/**
 * Splits `total` cents over exact amounts (cents x SCALE) so the parts sum to it: each rounded
 * down, the cents left to the largest remainders (ties by order). Keeps a statement's lines
 * adding up to the change in its NAV. A line the LP has no share of (exactly zero: a fee-exempt
 * LP's fees, say) takes no cent while another line can; when none has a share, the last line (the
 * change in unrealized gain) takes what is left.
 */
function allocateToTotal(exact: readonly bigint[], total: bigint): bigint[] {
  const floors = exact.map((x) => divFloor(x, SCALE));
  let left = total - floors.reduce((a, b) => a + b, 0n);
  const all = exact.map((x, i) => ({ i, r: x - floors[i] * SCALE }));
  const order = all.filter(({ i }) => exact[i] !== 0n).sort((a, b) => (a.r > b.r ? -1 : a.r < b.r ? 1 : a.i - b.i));
  if (order.length === 0) {
    floors[floors.length - 1] += left;
    return floors;
  }
  for (let j = 0; left > 0n; j = (j + 1) % order.length, left--) floors[order[j].i] += 1n;
  for (let j = order.length - 1; left < 0n; j = (j - 1 + order.length) % order.length, left++) floors[order[j].i] -= 1n;
  return floors;
}

/** The shared lines with the LP's own fees called added to its management fees. */
function withFees(lines: Map<keyof Lines, bigint>, feesCalled: bigint): Map<keyof Lines, bigint> {
  if (feesCalled !== 0n) lines.set('managementFees', lines.get('managementFees')! + feesCalled * SCALE);
  return lines;
}

/**
 * The LP's own cash flows: what each epoch it entered in asked of it (a close's catch-up and
 * equalization interest) on the epoch's date, calls on their due
 * dates (unless defaulted: then owed), fees called from it on their dates, its share of each distribution paid (declared and unpaid:
 * payable).
 */
function cashFlows(basis: AccountBasis, payouts: Payouts, lp: LpEntry, pieces: Pieces) {
  const epochs = basis.ledger.epochs;
  const state = basis.ledger.state;
  const flows: Flow[] = [];
  let equalizationInterest = 0n;
  let defaulted = 0n;
  let receivable = 0n;
  for (const p of pieces) {
    const interest = timesRate(p.cents, epochs[p.epoch].interestFactor);
    equalizationInterest += interest;
    const paid = callShare(p.cents, lp.lpId, epochs[p.epoch].catchUp) + interest;
    if (paid > 0n) flows.push({ date: epochs[p.epoch].date, cents: -paid });
  }
  for (const { call, amount } of callsOf(basis, pieces, lp.lpId)) {
    if (state.defaults.has(defaultKey(call.callNumber, lp.lpId))) defaulted += amount;
    else if (call.dueDate <= basis.asOf) flows.push({ date: call.dueDate, cents: -amount });
    else receivable += amount;
  }
  for (const { date, amount } of feeCallsOf(basis, pieces, lp.lpId)) flows.push({ date, cents: -amount });
  // A transferee's performance starts with the price it paid; a transferor's ends with the price it received.
  for (const t of lp.transfers ?? []) if (t.epoch <= epochs.length) flows.push({ date: epochs[t.epoch - 1].date, cents: -BigInt(t.priceCents) });
  let payable = 0n;
  // Gross of carry: the LP's share of the managers' part of each distribution (split as the distribution is).
  const grossFlows: Flow[] = [...flows];
  let carryPayable = 0n;
  basis.ledger.payouts.forEach((payout, i) => {
    const weight = weightOf(pieces, payout.epoch);
    const cents = payoutShare(payouts.toLps[i], weight, lp.lpId);
    const carry = payoutShare(payouts.carry[i], weight, lp.lpId);
    if (cents === 0n && carry === 0n) return;
    if (payout.paymentDate <= basis.asOf) {
      flows.push({ date: payout.paymentDate, cents });
      grossFlows.push({ date: payout.paymentDate, cents: cents + carry });
    } else {
      payable += cents;
      carryPayable += carry;
    }
  });
  const byDate = (a: Flow, b: Flow) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0);
  flows.sort(byDate);
  grossFlows.sort(byDate);
  return { flows, grossFlows, payable, carryPayable, equalizationInterest, defaulted, receivable };
}

/** The same flows in yen, each at the USD/JPY rate in force on its date. None when no rate is recorded. */
function jpyPerformance(basis: AccountBasis, flows: readonly Flow[], residual: Residual): Performance[] {
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
  const at = (v: bigint) => toYen(v, basis.asOf);
  const nav = at(residual.nav);
  if (nav === undefined) return [];
  return [
    performance('JPY', yen, { nav, distributionsPayable: at(residual.distributionsPayable)!, contributionsOwed: at(residual.contributionsOwed)! }, basis.asOf),
  ];
}
