import type { QuarterActions } from './fund-fork';
import type { FundModel, FundPath } from './fund-path';
import type { Random } from './random';

/**
 * One quarter of one path, as named steps in the order the fund lives them (docs/simulation.md,
 * the fund simulation, part 2). Each step reads the run's model, updates the path's state in place
 * and, on the traced path, notes what the books would record. Only the market's step draws from the
 * generator, so the draws and their order are the same whatever the other steps do.
 */
export function runQuarter(m: FundModel, s: FundPath, q: number, random: Random, acts?: QuarterActions): QuarterOutcome {
  const feesBefore = s.fees;
  const interestBefore = s.interestCost;
  moveMarkets(m, s, random);
  s.indexQ[q] = s.index;
  s.account?.accrue(m.quarterDays[q]);
  revalue(m, s, acts);
  takeProceeds(m, s, q, acts);
  const due = fallDue(m, s, q);
  call(m, s, q, due, acts);
  const capBinds = draw(m, s, q, due, acts);
  const unpaid = payDues(m, s, due, acts, q);
  const unfunded = fundAllocations(m, s, due, acts);
  const unrepaid = repay(m, s, q, acts);
  distribute(m, s, q, acts);
  s.calledShareQ[q] = s.called;
  s.feesQ[q] = s.fees - feesBefore;
  s.interestQ[q] = s.interestCost - interestBefore;
  s.navQ[q] = s.netAssets();
  return { shortfall: unpaid || unfunded || unrepaid, capBinds };
}

export interface QuarterOutcome {
  /** Something fell due that the cash could not pay after calls and draws. */
  shortfall: boolean;
  /** A draw was limited by the leverage cap (not by the facilities' limits or maturities). */
  capBinds: boolean;
}

/** What falls due in a quarter, before anything is paid. */
interface Dues {
  /** Interest accrued and unpaid on every facility, this quarter's included. */
  interest: number;
  fee: number;
  expense: number;
  /** The quarter's scheduled fundings (0 before the fund invests). */
  scheduled: number;
  /** Past the tariff delay: calls, draws and fundings happen. */
  investing: boolean;
}

/** Below a cent, floating-point dust: no shortfall, no binding cap. */
const CENT = 0.01;

const ageAt = (m: FundModel, q: number) => m.fork.fundAgeYears + q / 4;

/**
 * Each sector's growth factor: correlated shocks (the Cholesky factor), tilted by the sentiment of
 * the quarter before; the index, on its correlation with the sectors' composite and the same tilt;
 * then the sentiment moves; then each project's write-off, drawn on its own.
 */
function moveMarkets(m: FundModel, s: FundPath, random: Random): void {
  const { p, factor, quarterlyGrowth, quarterlyVolatility, ownShare, innovationShare, indexLoad, writeOffChance } = m;
  const n = quarterlyGrowth.length;
  let composite = 0;
  for (let i = 0; i < n; i++) {
    const e = (s.shocks[i] = random.normal());
    composite += indexLoad[i] * e;
  }
  const zIndex = ownShare * (composite + m.indexOwn * random.normal()) + p.sentimentLoading * s.sentiment;
  const nextSentiment = p.sentimentPersistence * s.sentiment + innovationShare * random.normal();
  for (let i = 0; i < n; i++) {
    let z = 0;
    for (let k = 0; k <= i; k++) z += factor[i * n + k] * s.shocks[k];
    z = ownShare * z + p.sentimentLoading * s.sentiment;
    const vol = quarterlyVolatility[i];
    s.growth[i] = quarterlyGrowth[i] * Math.exp(vol * z - (vol * vol) / 2);
  }
  const iv = m.indexVolatility;
  s.index *= m.indexGrowth * Math.exp(iv * zIndex - (iv * iv) / 2);
  s.sentiment = nextSentiment;
  for (let j = 0; j < writeOffChance.length; j++) s.writeOff[j] = random.next() < writeOffChance[j] ? 1 : 0;
}

/** Each project with a value moves by its sector's factor; one written off this quarter loses its share, and what is left to fund of it is abandoned. */
function revalue({ fork, sectorOf, writeOffKeep }: FundModel, s: FundPath, acts: QuarterActions | undefined): void {
  const fv = s.fairValue;
  for (let j = 0; j < fv.length; j++) {
    if (s.writeOff[j]) {
      s.writtenOff[j] = 1;
      fv[j] *= writeOffKeep[j];
      for (let a = 0; a < s.unfunded.length; a++) if (fork.allocations[a].project === j) s.unfunded[a] = 0;
    }
    if (fv[j] <= 0) continue;
    fv[j] *= s.growth[sectorOf[j]];
    acts?.valuations.push({ projectId: fork.projects[j].projectId, fairValue: fv[j] });
  }
}

/** Income on each project's value; from the exit age, capital exits of a share of it (the cost relieved pro rata). */
function takeProceeds(m: FundModel, s: FundPath, q: number, acts: QuarterActions | undefined): void {
  const { fork, p, sectorOf, sectorParameters } = m;
  const fv = s.fairValue;
  const exiting = ageAt(m, q) > p.exitStartYears && p.exitRate > 0;
  const earning = ageAt(m, q) >= p.incomeStartYears;
  for (let j = 0; j < fv.length; j++) {
    if (fv[j] <= 0) continue;
    const income = earning ? (fv[j] * sectorParameters[sectorOf[j]].incomeYield) / 4 : 0;
    s.cash += income;
    if (income > 0) acts?.proceeds.push({ projectId: fork.projects[j].projectId, kind: 'income', amount: income });
    if (exiting) {
      const exit = fv[j] * p.exitRate;
      s.cost[j] -= s.cost[j] * p.exitRate;
      fv[j] -= exit;
      s.cash += exit;
      acts?.proceeds.push({ projectId: fork.projects[j].projectId, kind: 'capital', amount: exit });
    }
  }
}

/** Interest accrues on each facility over the quarter's actual days (ACT/365 or ACT/360, its own); fees, expenses and the quarter's fundings fall due. */
function fallDue({ fork, p, rates, quarterDays, tranche }: FundModel, s: FundPath, q: number): Dues {
  let interest = 0;
  for (let f = 0; f < fork.facilities.length; f++) {
    const accrual = (s.principal[f] * rates[f] * quarterDays[q]) / fork.facilities[f].dayBasis;
    s.accrued[f] += accrual;
    s.interestCost += accrual;
    interest += s.accrued[f];
  }
  let scheduled = 0;
  const investing = q > p.delayQuarters;
  if (investing) for (let a = 0; a < s.unfunded.length; a++) scheduled += Math.min(s.unfunded[a], tranche[a]);
  // Fees on the fee-bearing LPs' commitments (all of them where none is exempt).
  const fee = (p.managementFee * fork.admitted * (fork.feeBearing ?? 1)) / 4;
  return { interest, fee, expense: (p.expenseRate * fork.admitted) / 4, scheduled, investing };
}

/** Calls at their pace while there is something to fund and commitments are left to call. */
function call({ fork, p }: FundModel, s: FundPath, q: number, due: Dues, acts: QuarterActions | undefined): void {
  if (!(due.investing && due.scheduled > 0 && s.called < 1)) return;
  const pace = Math.min(p.callPace, 1 - s.called);
  const amount = pace * fork.admitted;
  s.called += pace;
  s.cash += amount;
  s.calledQ[q] = amount;
  s.account?.contribute(amount * s.bearing);
  if (acts) acts.call = pace;
}

/** Draws for what is still short of the reserve, within the leverage cap (the books' rule) and each facility's limit, before its maturity; true when the cap binds. */
function draw({ fork, p, reserve, capOf }: FundModel, s: FundPath, q: number, due: Dues, acts: QuarterActions | undefined): boolean {
  // A fee called from the fee-bearing LPs needs no cash of the fund's.
  const fromCash = fork.feeBearing === undefined ? due.fee : 0;
  const short = due.interest + fromCash + due.expense + due.scheduled - (s.cash - reserve);
  if (!(short > 0 && due.investing)) return false;
  const date = fork.dates[q];
  const room = p.targetLeverage * capOf(s.netAssets()) - s.debt();
  let want = Math.min(short, Math.max(0, room));
  // The cap binds when it, and not the facilities (their limits, their maturities), stops a draw.
  let facilityRoom = 0;
  for (let f = 0; f < fork.facilities.length; f++)
    if (date < fork.facilities[f].maturityDate) facilityRoom += Math.max(0, fork.facilities[f].limit - s.principal[f]);
  for (let f = 0; f < fork.facilities.length && want > 0; f++) {
    if (date >= fork.facilities[f].maturityDate) continue;
    const amount = Math.min(want, fork.facilities[f].limit - s.principal[f]);
    if (amount <= 0) continue;
    s.principal[f] += amount;
    s.cash += amount;
    want -= amount;
    acts?.draws.push({ facilityId: fork.facilities[f].facilityId, amount });
  }
  return short > room + CENT && facilityRoom > Math.max(0, room) + CENT;
}

/**
 * Pays interest, then the fee and expenses, each only if the cash covers it whole; true if one is
 * left unpaid. A fee called from the fee-bearing LPs is paid in as it is paid out: no cash moves,
 * and what the carry-bearing of them paid is capital of the waterfall (as the books count it).
 */
function payDues({ fork }: FundModel, s: FundPath, due: Dues, acts: QuarterActions | undefined, q: number): boolean {
  let shortfall = false;
  for (let f = 0; f < fork.facilities.length; f++) {
    if (s.accrued[f] <= 0) continue;
    if (s.accrued[f] > s.cash) {
      if (s.accrued[f] > s.cash + CENT) shortfall = true;
      continue;
    }
    s.cash -= s.accrued[f];
    s.accrued[f] = 0;
    acts?.interest.push(fork.facilities[f].facilityId);
  }
  const pay = (amount: number, kind: 'fee' | 'expense') => {
    if (amount > s.cash) {
      if (amount > s.cash + CENT) shortfall = true;
      return;
    }
    s.cash -= amount;
    if (kind === 'fee') s.fees += amount;
    if (acts) acts[kind] = amount;
  };
  if (fork.feeBearing === undefined) pay(due.fee, 'fee');
  else if (due.fee > 0) {
    s.fees += due.fee;
    s.feesCalledQ[q] = due.fee;
    // The carry-bearing fee payers' part: exact when one set of LPs holds the other (the sovereigns exempt from both, say).
    s.account?.contribute(due.fee * Math.min(1, s.bearing / fork.feeBearing));
    if (acts) acts.fee = due.fee;
  }
  pay(due.expense, 'expense');
  return shortfall;
}

/** Funds each allocation's tranche from the cash above the reserve; true if one is funded short. */
function fundAllocations({ fork, reserve, tranche }: FundModel, s: FundPath, due: Dues, acts: QuarterActions | undefined): boolean {
  if (!due.investing) return false;
  let shortfall = false;
  for (let a = 0; a < s.unfunded.length; a++) {
    const want = Math.min(s.unfunded[a], tranche[a]);
    if (want <= 0) continue;
    const amount = Math.min(want, Math.max(0, s.cash - reserve));
    if (amount < want - CENT) shortfall = true;
    if (amount <= 0) continue;
    s.unfunded[a] -= amount;
    s.cash -= amount;
    const j = fork.allocations[a].project;
    s.fairValue[j] += amount;
    s.cost[j] += amount;
    acts?.fundings.push({ allocationId: fork.allocations[a].allocationId, amount });
  }
  return shortfall;
}

/**
 * Once nothing is left to fund, repays a share of the debt from the cash above the reserve; in a
 * facility's last two years at least a straight line to its maturity, funding or not; a matured
 * facility whole. True if a matured facility cannot be repaid whole.
 */
function repay({ fork, p, reserve, tranche, toMaturity }: FundModel, s: FundPath, q: number, acts: QuarterActions | undefined): boolean {
  const date = fork.dates[q];
  let left = 0;
  for (let a = 0; a < s.unfunded.length; a++) left += tranche[a] > 0 ? s.unfunded[a] : 0;
  let shortfall = false;
  for (let f = 0; f < fork.facilities.length; f++) {
    const matured = date >= fork.facilities[f].maturityDate;
    const glide = toMaturity[f][q] <= 8 ? s.principal[f] / toMaturity[f][q] : 0;
    const due = matured ? s.principal[f] : Math.max(left <= 0 ? s.principal[f] * p.repayRate : 0, glide);
    const amount = Math.min(due, Math.max(0, s.cash - reserve));
    if (matured && amount < due - CENT) shortfall = true;
    if (amount <= 0) continue;
    s.principal[f] -= amount;
    s.cash -= amount;
    acts?.repayments.push({ facilityId: fork.facilities[f].facilityId, amount });
  }
  return shortfall;
}

/** From the distribution age, pays out a share of the cash above twice the reserve, through the waterfall when the fund has one. */
function distribute(m: FundModel, s: FundPath, q: number, acts: QuarterActions | undefined): void {
  const { p, reserve } = m;
  const spare = s.cash - 2 * reserve;
  if (!(ageAt(m, q) >= p.distributionStartYears && spare > 0 && p.distributionShare > 0)) return;
  const amount = spare * p.distributionShare;
  s.cash -= amount;
  s.distributedQ[q] = amount;
  s.toLpsQ[q] = s.account ? amount * (1 - s.bearing) + s.account.distribute(amount * s.bearing) : amount;
  s.carryPaid += amount - s.toLpsQ[q];
  if (acts) acts.distribution = amount;
}
