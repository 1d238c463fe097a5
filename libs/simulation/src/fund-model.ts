import { leverageBasis } from '@fundsim/domain';
import { CarryAccount, type CarryTerms } from './carry-model';
import type { Band, Percentiles } from './cash-flow-model';
import { bandOf, percentiles } from './cash-flow-model';
import type { FundModelParameters, SectorParameters } from './fund-parameters';
import { pathOutcome } from './quarterly-irr';
import { InvalidParameterError } from './parameters';
import { Random } from './random';

/**
 * The fund at the fork's date, from its books (in USD, floats: a model's figures). The
 * application builds it from the fund's state as of a date, as known at a time.
 */
export interface FundFork {
  /** The fork's date, then each quarter's date (length quarters + 1). */
  dates: string[];
  /** Years since the fund's first close, on the fork's date. */
  fundAgeYears: number;
  admitted: number;
  /** Share of admitted commitments already called. */
  calledFraction: number;
  /** Cash the fund may spend (distributions declared and unpaid set aside; calls due counted in). */
  cash: number;
  leveragePolicy: { maxRatio: number; basis: 'commitments' | 'net-assets' };
  facilities: { facilityId: string; limit: number; principal: number; annualRate: number; dayBasis: 365 | 360; maturityDate: string; accrued: number }[];
  projects: { projectId: string; sector: string; cost: number; fairValue: number }[];
  /** Allocations with something left to fund; `committed`: approved by both governments. */
  allocations: { allocationId: string; project: number; unfunded: number; committed: boolean }[];
  /** The LPs' flows before the fork, by quarter since the fund's first: paid in negative, distributed positive (for the IRR). */
  pastFlows: number[];
  /** The same, summed: what the LPs paid in and received before the fork (calls not yet due counted as paid: the model spends them). */
  pastPaidIn: number;
  pastDistributed: number;
  /** Interest the fund paid and accrued up to the fork: added back, with the horizon's, for the figures with interest added back. */
  interestBefore: number;
  /** The fund's waterfall, with the LPs' account at the fork, when it has one. */
  carry?: { terms: CarryTerms; account: Pick<CarryAccount, 'contributed' | 'returned' | 'prefAccrued' | 'prefPaid' | 'lpsProfit' | 'managers'> };
  /** The managers' shares of fees and carry, and their own LP account's share of the fund. */
  managers: { manager: string; share: number; lpOwnership: number }[];
  /** An LP followed on the same paths: its share of the fund and its net assets at the fork. */
  lp?: { lpId: string; ownership: number; netAssets: number };
}

/** What one quarter of one path did: the commands the fund's books would record (path 0, on request). */
export interface QuarterActions {
  quarter: number;
  date: string;
  valuations: { projectId: string; fairValue: number }[];
  proceeds: { projectId: string; kind: 'income' | 'capital'; amount: number }[];
  call: number;
  draws: { facilityId: string; amount: number }[];
  interest: string[];
  fee: number;
  expense: number;
  fundings: { allocationId: string; amount: number }[];
  repayments: { facilityId: string; amount: number }[];
  distribution: number;
  shortfall: boolean;
}

export interface FundPathFigures {
  irr: Percentiles;
  tvpi: Percentiles;
  dpi: Percentiles;
}

export interface FundSimulationResult {
  paths: number;
  quarters: number;
  sampledPaths: number;
  /** By quarter (0 = the fork): p5, p50, p95. */
  netAssets: Band;
  debt: Band;
  /** Debt over the leverage cap (1: at the cap). */
  leverageRatio: Band;
  cash: Band;
  /** Share of paths on which interest, fees, a scheduled funding or a matured facility could not be paid after calls and draws: in any quarter, and by quarter. */
  liquidityShortfall: { probability: number; byQuarter: number[] };
  /** Share of paths on which a draw is limited by the leverage cap, and the first quarter it is (over those paths). */
  capBinds: { probability: number; firstQuarter: Percentiles | null };
  /** Fair value by sector at the horizon. */
  sectors: { sector: string; fairValue: Percentiles }[];
  /** The LPs together, since the fund's first flow: with the cost of leverage, and with interest added back. */
  fund: { withLeverageCost: FundPathFigures; interestAddedBack: FundPathFigures; netOfCarry: FundPathFigures | null };
  /** Each manager's revenue over the horizon: fees, carried interest (paid and accrued at the end), its LP account's profit. */
  managers: { manager: string; fees: Percentiles; carriedInterest: Percentiles; asLp: Percentiles; total: Percentiles }[];
  /** The LP followed: its calls, distributions and net assets by quarter, and its IRR and TVPI from the fork (its net assets then as its stake). */
  lp: { lpId: string; ownership: number; calls: Band; distributions: Band; netAssets: Band; irr: Percentiles; tvpi: Percentiles } | null;
  /** Path 0's quarters as commands, when asked for. */
  trace?: QuarterActions[];
}

export const FUND_SAMPLED_PATHS = 10_000;

/** Below a cent, floating-point dust: no shortfall, no binding cap. */
const CENT = 0.01;

/** Cholesky factor of the sectors' correlation matrix (row-major, lower): shocks z = L e. */
export function correlationFactor(sectors: readonly string[], p: FundModelParameters): Float64Array {
  const n = sectors.length;
  const tech = sectors.map((s) => p.techSectors.includes(s));
  const c = (i: number, j: number) =>
    i === j ? 1 : tech[i] && tech[j] ? p.correlationTech : !tech[i] && !tech[j] ? p.correlationInfrastructure : p.correlationAcross;
  const invalid = () =>
    new InvalidParameterError(
      `The sector correlations (tech ${p.correlationTech}, infrastructure ${p.correlationInfrastructure}, across ${p.correlationAcross}) do not make a valid correlation matrix`,
    );
  const L = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = c(i, j);
      for (let k = 0; k < j; k++) sum -= L[i * n + k] * L[j * n + k];
      if (i === j) {
        // A matrix that is not positive semi-definite has no factor: refused, never clamped.
        if (sum < -1e-9) throw invalid();
        L[i * n + i] = Math.sqrt(Math.max(0, sum));
      } else if (L[j * n + j] > 1e-12) L[i * n + j] = sum / L[j * n + j];
      // A zero pivot leaves nothing to correlate with: the residual must be zero too.
      else if (Math.abs(sum) > 1e-9) throw invalid();
    }
  }
  return L;
}

const days = (a: string, b: string) => Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);

/**
 * Runs the fund forward from its fork, quarter by quarter, over `paths` seeded paths. Each
 * quarter: values move (sector shocks, correlated, tilted by the sentiment of the quarter
 * before); income and, from the exit age, capital proceeds come in; interest, fees and expenses
 * fall due; the quarter's fundings are scheduled; calls come in at their pace, and what is still
 * short is drawn within the leverage cap (`leverageCap`: the books' rule) and the facilities'
 * limits and maturities; what cannot be paid is a liquidity shortfall (fundings wait first);
 * once nothing is left to fund, debt is repaid; spare cash is distributed. With every volatility
 * at zero each path is the deterministic run.
 */
export function simulateFund(
  fork: FundFork,
  p: FundModelParameters,
  options: { paths: number; seed: number; trace?: boolean; onProgress?: (done: number) => void },
): FundSimulationResult {
  const H = fork.dates.length - 1;
  const { paths, seed } = options;
  const sampled = Math.min(paths, FUND_SAMPLED_PATHS);
  const random = new Random(seed);
  const sectors = [...new Set(fork.projects.map((pr) => pr.sector))];
  const params: SectorParameters[] = sectors.map((s) => p.sectors[s] ?? p.otherSector);
  const L = correlationFactor(sectors, p);
  const nS = sectors.length;
  const sectorOf = fork.projects.map((pr) => sectors.indexOf(pr.sector));
  const nP = fork.projects.length;
  const nF = fork.facilities.length;
  const quarterDays = Array.from({ length: H + 1 }, (_, q) => (q === 0 ? 0 : days(fork.dates[q - 1], fork.dates[q])));
  const reserve = p.reserve * fork.admitted;
  const rates = fork.facilities.map((f) => Math.max(0, f.annualRate + p.rateShock));
  // Quarters from each quarter's date to each facility's maturity (at least 1).
  const toMaturity = fork.facilities.map((f) => fork.dates.map((d) => Math.max(1, Math.ceil(days(d, f.maturityDate) / 91.3125))));
  // Scheduled fundings: each allocation evenly over the funding quarters, after any delay.
  const tranche = fork.allocations.map((a) => (p.breakdown && !a.committed ? 0 : a.unfunded / p.fundingQuarters));
  const pastLength = fork.pastFlows.length;
  // The books' leverage rule, on the model's figures.
  const capOf = (nav: number) => leverageBasis(fork.leveragePolicy, { admitted: fork.admitted, netAssets: nav }) * fork.leveragePolicy.maxRatio;

  const band = () => ({
    netAssets: new Float64Array(sampled * (H + 1)),
    debt: new Float64Array(sampled * (H + 1)),
    leverageRatio: new Float64Array(sampled * (H + 1)),
    cash: new Float64Array(sampled * (H + 1)),
    lpCalls: new Float64Array(sampled * (H + 1)),
    lpDistributions: new Float64Array(sampled * (H + 1)),
    lpNav: new Float64Array(sampled * (H + 1)),
  });
  const bands = band();
  const perPath = () => new Float64Array(paths);
  const m = {
    irr: perPath(),
    tvpi: perPath(),
    dpi: perPath(),
    irrNoCost: perPath(),
    tvpiNoCost: perPath(),
    dpiNoCost: perPath(),
    irrNet: perPath(),
    tvpiNet: perPath(),
    dpiNet: perPath(),
    lpIrr: perPath(),
    lpTvpi: perPath(),
  };
  const firstBind = new Float64Array(paths).fill(NaN);
  const shortByQuarter = new Float64Array(H + 1);
  let shortPaths = 0;
  const sectorValue = sectors.map(() => perPath());
  const revenue = fork.managers.map(() => ({ fees: perPath(), carry: perPath(), asLp: perPath(), total: perPath() }));

  const fv = new Float64Array(nP);
  const cost = new Float64Array(nP);
  const principal = new Float64Array(nF);
  const accrued = new Float64Array(nF);
  const unfunded = new Float64Array(fork.allocations.length);
  const eps = new Float64Array(nS);
  const growth = new Float64Array(nS);
  // The LPs' flows since the first: the past ones set once (each path writes only its own quarters).
  const flows = new Float64Array(pastLength + H + 1);
  flows.set(fork.pastFlows);
  // By quarter of the horizon: what was called, distributed, and of it what reached the LPs.
  const calledQ = new Float64Array(H + 1);
  const distributedQ = new Float64Array(H + 1);
  const toLpsQ = new Float64Array(H + 1);
  const lpFlows = new Float64Array(H + 1);
  const account = fork.carry ? new CarryAccount(fork.carry.terms) : undefined;
  const trace: QuarterActions[] = [];

  for (let path = 0; path < paths; path++) {
    let cash = fork.cash;
    let called = fork.calledFraction;
    for (let j = 0; j < nP; j++) ((fv[j] = fork.projects[j].fairValue), (cost[j] = fork.projects[j].cost));
    for (let f = 0; f < nF; f++) ((principal[f] = fork.facilities[f].principal), (accrued[f] = fork.facilities[f].accrued));
    for (let a = 0; a < unfunded.length; a++) unfunded[a] = fork.allocations[a].unfunded;
    if (account) Object.assign(account, fork.carry!.account);
    lpFlows.fill(0);
    calledQ.fill(0);
    distributedQ.fill(0);
    toLpsQ.fill(0);
    let sentiment = 0;
    let interestCost = 0;
    let fees = 0;
    let carryPaid = 0;
    let shortOnPath = false;
    const navOf = () => {
      let nav = cash;
      for (let j = 0; j < nP; j++) nav += fv[j];
      for (let f = 0; f < nF; f++) nav -= principal[f] + accrued[f];
      return nav;
    };
    const debtOf = () => {
      let d = 0;
      for (let f = 0; f < nF; f++) d += principal[f];
      return d;
    };
    const nav0 = navOf();
    const carry0 = account ? account.liquidationCarry(nav0) : 0;
    const record = (q: number) => {
      if (path >= sampled) return;
      const k = q * sampled + path;
      const nav = navOf();
      const debt = debtOf();
      const cap = capOf(nav);
      bands.netAssets[k] = nav;
      bands.debt[k] = debt;
      bands.leverageRatio[k] = cap > 0 ? debt / cap : 0;
      bands.cash[k] = cash;
      // The LP's net assets: its own at the fork, moved by its share of the change in the LPs' (net of the carry accrued).
      bands.lpNav[k] = fork.lp ? fork.lp.netAssets + fork.lp.ownership * (nav - (account ? account.liquidationCarry(nav) : 0) - (nav0 - carry0)) : 0;
    };
    record(0);

    for (let q = 1; q <= H; q++) {
      const date = fork.dates[q];
      const age = fork.fundAgeYears + q / 4;
      const acts: QuarterActions | undefined =
        options.trace && path === 0
          ? {
              quarter: q,
              date,
              valuations: [],
              proceeds: [],
              call: 0,
              draws: [],
              interest: [],
              fee: 0,
              expense: 0,
              fundings: [],
              repayments: [],
              distribution: 0,
              shortfall: false,
            }
          : undefined;
      // Values: correlated sector shocks, tilted by last quarter's sentiment.
      for (let s = 0; s < nS; s++) eps[s] = random.normal();
      const nextSentiment = p.sentimentPersistence * sentiment + Math.sqrt(1 - p.sentimentPersistence ** 2) * random.normal();
      for (let s = 0; s < nS; s++) {
        let z = 0;
        for (let k = 0; k <= s; k++) z += L[s * nS + k] * eps[k];
        z = Math.sqrt(1 - p.sentimentLoading ** 2) * z + p.sentimentLoading * sentiment;
        const vol = params[s].volatility / 2;
        growth[s] = Math.pow(1 + params[s].growth, 0.25) * Math.exp(vol * z - (vol * vol) / 2);
      }
      sentiment = nextSentiment;
      account?.accrue(quarterDays[q]);
      for (let j = 0; j < nP; j++) {
        if (fv[j] <= 0) continue;
        fv[j] *= growth[sectorOf[j]];
        acts?.valuations.push({ projectId: fork.projects[j].projectId, fairValue: fv[j] });
        const income = (fv[j] * params[sectorOf[j]].incomeYield) / 4;
        cash += income;
        if (income > 0) acts?.proceeds.push({ projectId: fork.projects[j].projectId, kind: 'income', amount: income });
        if (age > p.exitStartYears && p.exitRate > 0) {
          const exit = fv[j] * p.exitRate;
          cost[j] -= cost[j] * p.exitRate;
          fv[j] -= exit;
          cash += exit;
          acts?.proceeds.push({ projectId: fork.projects[j].projectId, kind: 'capital', amount: exit });
        }
      }
      // What falls due: interest (ACT/365 or ACT/360 on the quarter's days), fees, expenses, the quarter's fundings.
      let interest = 0;
      for (let f = 0; f < nF; f++) {
        const accrual = (principal[f] * rates[f] * quarterDays[q]) / fork.facilities[f].dayBasis;
        accrued[f] += accrual;
        interestCost += accrual;
        interest += accrued[f];
      }
      const fee = (p.managementFee * fork.admitted) / 4;
      const expense = (p.expenseRate * fork.admitted) / 4;
      let scheduled = 0;
      const investing = q > p.delayQuarters;
      if (investing) for (let a = 0; a < unfunded.length; a++) scheduled += Math.min(unfunded[a], tranche[a]);
      // Calls at their pace while there is something to fund and commitments left.
      if (investing && scheduled > 0 && called < 1) {
        const pace = Math.min(p.callPace, 1 - called);
        const amount = pace * fork.admitted;
        called += pace;
        cash += amount;
        calledQ[q] = amount;
        account?.contribute(amount);
        if (acts) acts.call = pace;
      }
      // Draws for what is still short, within the cap (the books' rule) and the facilities' limits.
      let short = interest + fee + expense + scheduled - (cash - reserve);
      if (short > 0 && investing) {
        const debt = debtOf();
        const cap = capOf(navOf());
        const room = p.targetLeverage * cap - debt;
        let want = Math.min(short, Math.max(0, room));
        // The cap binds when it, and not the facilities (their limits, their maturities), stops a draw.
        let facilityRoom = 0;
        for (let f = 0; f < nF; f++) if (date < fork.facilities[f].maturityDate) facilityRoom += Math.max(0, fork.facilities[f].limit - principal[f]);
        if (short > room + CENT && facilityRoom > Math.max(0, room) + CENT && Number.isNaN(firstBind[path])) firstBind[path] = q;
        for (let f = 0; f < nF && want > 0; f++) {
          if (date >= fork.facilities[f].maturityDate) continue;
          const amount = Math.min(want, fork.facilities[f].limit - principal[f]);
          if (amount <= 0) continue;
          principal[f] += amount;
          cash += amount;
          want -= amount;
          short -= amount;
          acts?.draws.push({ facilityId: fork.facilities[f].facilityId, amount });
        }
      }
      // Pay: interest, fees and expenses first, then the fundings as far as cash allows.
      let shortfall = false;
      for (let f = 0; f < nF; f++) {
        if (accrued[f] <= 0) continue;
        if (accrued[f] > cash) {
          if (accrued[f] > cash + CENT) shortfall = true;
          continue;
        }
        cash -= accrued[f];
        accrued[f] = 0;
        acts?.interest.push(fork.facilities[f].facilityId);
      }
      for (const [amount, kind] of [
        [fee, 'fee'],
        [expense, 'expense'],
      ] as const) {
        if (amount > cash) {
          if (amount > cash + CENT) shortfall = true;
          continue;
        }
        cash -= amount;
        if (kind === 'fee') fees += amount;
        if (acts) acts[kind] = amount;
      }
      if (investing) {
        for (let a = 0; a < unfunded.length; a++) {
          const want = Math.min(unfunded[a], tranche[a]);
          if (want <= 0) continue;
          const amount = Math.min(want, Math.max(0, cash - reserve));
          if (amount < want - CENT) shortfall = true;
          if (amount <= 0) continue;
          unfunded[a] -= amount;
          cash -= amount;
          const j = fork.allocations[a].project;
          fv[j] += amount;
          cost[j] += amount;
          acts?.fundings.push({ allocationId: fork.allocations[a].allocationId, amount });
        }
      }
      // Nothing left to fund: repay a share of the debt from spare cash; a matured facility whole.
      let left = 0;
      for (let a = 0; a < unfunded.length; a++) left += tranche[a] > 0 ? unfunded[a] : 0;
      for (let f = 0; f < nF; f++) {
        const matured = date >= fork.facilities[f].maturityDate;
        // In its last two years a facility is repaid on a straight line to its maturity, funding or not.
        const glide = toMaturity[f][q] <= 8 ? principal[f] / toMaturity[f][q] : 0;
        const due = matured ? principal[f] : Math.max(left <= 0 ? principal[f] * p.repayRate : 0, glide);
        const amount = Math.min(due, Math.max(0, cash - reserve));
        // A matured facility the cash cannot repay whole is a shortfall too.
        if (matured && amount < due - CENT) shortfall = true;
        if (amount <= 0) continue;
        principal[f] -= amount;
        cash -= amount;
        acts?.repayments.push({ facilityId: fork.facilities[f].facilityId, amount });
      }
      // Distribute a share of the cash above twice the reserve.
      const spare = cash - 2 * reserve;
      if (age >= p.distributionStartYears && spare > 0 && p.distributionShare > 0) {
        const amount = spare * p.distributionShare;
        cash -= amount;
        distributedQ[q] = amount;
        toLpsQ[q] = account ? account.distribute(amount) : amount;
        carryPaid += amount - toLpsQ[q];
        if (acts) acts.distribution = amount;
      }
      if (shortfall) {
        shortByQuarter[q]++;
        shortOnPath = true;
      }
      if (acts) {
        acts.shortfall = shortfall;
        trace.push(acts);
      }
      record(q);
      if (path < sampled && fork.lp) {
        bands.lpCalls[q * sampled + path] = fork.lp.ownership * calledQ[q];
        bands.lpDistributions[q * sampled + path] = fork.lp.ownership * toLpsQ[q];
      }
    }
    if (shortOnPath) shortPaths++;

    // The LPs together since the fund's first flow, with the net assets at the horizon as residual.
    const nav = navOf();
    const carryAccrued = account ? account.liquidationCarry(nav) : 0;
    const n = pastLength + H + 1;
    // Paid in and distributed are summed apart (a quarter may both call and distribute); the netted flows serve the IRR only.
    let received = 0;
    let paid = 0;
    for (let q = 1; q <= H; q++) ((received += toLpsQ[q]), (paid += calledQ[q]));
    const paidIn = fork.pastPaidIn + paid;
    const figures = (
      toLps: Float64Array,
      residual: number,
      [irrKey, tvpiKey, dpiKey]: readonly ['irr' | 'irrNoCost' | 'irrNet', 'tvpi' | 'tvpiNoCost' | 'tvpiNet', 'dpi' | 'dpiNoCost' | 'dpiNet'],
    ) => {
      let distributed = fork.pastDistributed;
      for (let q = 1; q <= H; q++) {
        flows[pastLength + q] = toLps[q] - calledQ[q];
        distributed += toLps[q];
      }
      flows[n - 1] += residual;
      const o = pathOutcome(flows, n, paidIn, distributed, residual);
      m[irrKey][path] = o.irr;
      m[tvpiKey][path] = o.tvpi;
      m[dpiKey][path] = o.dpi;
    };
    figures(distributedQ, nav, ['irr', 'tvpi', 'dpi']);
    figures(distributedQ, nav + fork.interestBefore + interestCost, ['irrNoCost', 'tvpiNoCost', 'dpiNoCost']);
    if (account) figures(toLpsQ, nav - carryAccrued, ['irrNet', 'tvpiNet', 'dpiNet']);
    for (let s = 0; s < nS; s++) sectorValue[s][path] = 0;
    for (let j = 0; j < nP; j++) sectorValue[sectorOf[j]][path] += fv[j];
    // The LPs' profit over the horizon, net of carry: the change in their net assets, plus what they received, less what they paid in.
    const profit = nav - carryAccrued - (nav0 - carry0) + received - paid;
    for (const [i, mgr] of fork.managers.entries()) {
      const r = revenue[i];
      r.fees[path] = fees * mgr.share;
      r.carry[path] = (carryPaid + carryAccrued - carry0) * mgr.share;
      r.asLp[path] = mgr.lpOwnership * profit;
      r.total[path] = r.fees[path] + r.carry[path] + r.asLp[path];
    }
    if (fork.lp) {
      const o = fork.lp.ownership;
      lpFlows[0] = -fork.lp.netAssets;
      for (let q = 1; q <= H; q++) lpFlows[q] = o * (toLpsQ[q] - calledQ[q]);
      const lpEnd = fork.lp.netAssets + o * (nav - carryAccrued - (nav0 - carry0));
      lpFlows[H] += lpEnd;
      const invested = fork.lp.netAssets + o * paid;
      const outcome = pathOutcome(lpFlows, H + 1, invested, o * received, lpEnd);
      m.lpIrr[path] = outcome.irr;
      m.lpTvpi[path] = invested > 0 ? outcome.tvpi : NaN;
    }
    if (options.onProgress && (path + 1) % 1000 === 0) options.onProgress(path + 1);
  }

  const byQuarter = (values: Float64Array) => bandOf(values, sampled, H);
  const pathFigures = (irr: Float64Array, tvpi: Float64Array, dpi: Float64Array): FundPathFigures => ({
    irr: percentiles(irr.filter((x) => !Number.isNaN(x))),
    tvpi: percentiles(tvpi),
    dpi: percentiles(dpi),
  });
  const binding = firstBind.filter((x) => !Number.isNaN(x));
  return {
    paths,
    quarters: H,
    sampledPaths: sampled,
    netAssets: byQuarter(bands.netAssets),
    debt: byQuarter(bands.debt),
    leverageRatio: byQuarter(bands.leverageRatio),
    cash: byQuarter(bands.cash),
    liquidityShortfall: { probability: shortPaths / paths, byQuarter: [...shortByQuarter].map((x) => x / paths) },
    capBinds: { probability: binding.length / paths, firstQuarter: binding.length ? percentiles(binding) : null },
    sectors: sectors.map((sector, s) => ({ sector, fairValue: percentiles(sectorValue[s]) })),
    fund: {
      withLeverageCost: pathFigures(m.irr, m.tvpi, m.dpi),
      interestAddedBack: pathFigures(m.irrNoCost, m.tvpiNoCost, m.dpiNoCost),
      netOfCarry: fork.carry ? pathFigures(m.irrNet, m.tvpiNet, m.dpiNet) : null,
    },
    managers: fork.managers.map((mgr, i) => ({
      manager: mgr.manager,
      fees: percentiles(revenue[i].fees),
      carriedInterest: percentiles(revenue[i].carry),
      asLp: percentiles(revenue[i].asLp),
      total: percentiles(revenue[i].total),
    })),
    lp: fork.lp
      ? {
          lpId: fork.lp.lpId,
          ownership: fork.lp.ownership,
          calls: byQuarter(bands.lpCalls),
          distributions: byQuarter(bands.lpDistributions),
          netAssets: byQuarter(bands.lpNav),
          irr: percentiles(m.lpIrr.filter((x) => !Number.isNaN(x))),
          tvpi: percentiles(m.lpTvpi),
        }
      : null,
    ...(options.trace ? { trace } : {}),
  };
}
