import type { QuarterActions } from './fund-fork';
import type { FundModel, FundPath } from './fund-path';
import type { QuarterOutcome } from './fund-quarter';
import { LpResults, type LpResult } from './lp-results';
import { bandOf, percentiles, type Band, type Percentiles } from './percentiles';
import { pathOutcome } from './quarterly-irr';

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
  /** Each project's chance of being written off within the horizon (share of paths). */
  writeOffs: { projectId: string; probability: number }[];
  /** The public-market index (1 at the fork) by quarter, p5, p50 and p95: the PME's yardstick. */
  index: Band;
  /** The LPs together, since the fund's first flow: with the cost of leverage, and with interest added back. */
  fund: { withLeverageCost: FundPathFigures; interestAddedBack: FundPathFigures; netOfCarry: FundPathFigures | null };
  /** Each manager's revenue over the horizon: fees, carried interest (paid and accrued at the end), its LP account's profit. */
  managers: { manager: string; fees: Percentiles; carriedInterest: Percentiles; asLp: Percentiles; total: Percentiles }[];
  /** The LP followed (one in the books, or a new commitment): its outcome from the fork, gross and net of carry, and by quarter what it pays in, receives and holds. */
  lp: LpResult | null;
  /** Path 0's quarters as commands, when asked for. */
  trace?: QuarterActions[];
}

/** Bands by quarter come from the first 10,000 paths (all of them when fewer): memory stays flat. */
export const FUND_SAMPLED_PATHS = 10_000;

type FigureKeys = readonly ['irr' | 'irrNoCost' | 'irrNet', 'tvpi' | 'tvpiNoCost' | 'tvpiNet', 'dpi' | 'dpiNoCost' | 'dpiNet'];

/**
 * What the paths add up to: each sampled path's quarters (the bands), each path's figures at the
 * horizon (the percentiles), the shortfalls and the quarters the cap binds, and path 0's trace.
 */
export class FundResults {
  private readonly sampled: number;
  private readonly bands;
  private readonly m;
  private readonly firstBind: Float64Array;
  private readonly shortByQuarter: Float64Array;
  private shortPaths = 0;
  private shortOnPath = false;
  private readonly sectorValue: Float64Array[];
  private readonly writtenOff: Float64Array;
  private readonly revenue: { fees: Float64Array; carry: Float64Array; asLp: Float64Array; total: Float64Array }[];
  /** The LPs' flows since the first: the past ones set once (each path writes only its own quarters). */
  private readonly flows: Float64Array;
  private readonly lp: LpResults | undefined;
  private readonly trace: QuarterActions[] = [];

  constructor(
    private readonly model: FundModel,
    private readonly paths: number,
    seed: number,
  ) {
    const H = model.quarters;
    const sampled = (this.sampled = Math.min(paths, FUND_SAMPLED_PATHS));
    const byQuarter = () => new Float64Array(sampled * (H + 1));
    this.bands = {
      netAssets: byQuarter(),
      debt: byQuarter(),
      leverageRatio: byQuarter(),
      cash: byQuarter(),
      index: byQuarter(),
    };
    const perPath = () => new Float64Array(paths);
    this.m = {
      irr: perPath(),
      tvpi: perPath(),
      dpi: perPath(),
      irrNoCost: perPath(),
      tvpiNoCost: perPath(),
      dpiNoCost: perPath(),
      irrNet: perPath(),
      tvpiNet: perPath(),
      dpiNet: perPath(),
    };
    this.firstBind = new Float64Array(paths).fill(NaN);
    this.shortByQuarter = new Float64Array(H + 1);
    this.sectorValue = model.sectors.map(() => perPath());
    this.writtenOff = new Float64Array(model.fork.projects.length);
    this.revenue = model.fork.managers.map(() => ({ fees: perPath(), carry: perPath(), asLp: perPath(), total: perPath() }));
    this.flows = new Float64Array(model.fork.pastFlows.length + H + 1);
    this.flows.set(model.fork.pastFlows);
    this.lp = model.fork.lp && new LpResults(model, model.fork.lp, paths, sampled, seed);
  }

  /** The path's figures at quarter `q` (0: the fork), on a sampled path. */
  record(path: number, q: number, s: FundPath): void {
    if (path >= this.sampled) return;
    const { bands } = this;
    const { capOf } = this.model;
    // Path by path: a path's quarters side by side (bandOf gathers each quarter).
    const k = path * (this.model.quarters + 1) + q;
    // The quarter's net assets, as its last step left them (runQuarter, or start for the fork).
    const nav = s.navQ[q];
    const debt = s.debt();
    const cap = capOf(nav);
    bands.netAssets[k] = nav;
    bands.debt[k] = debt;
    bands.leverageRatio[k] = cap > 0 ? debt / cap : 0;
    bands.cash[k] = s.cash;
    bands.index[k] = s.index;
    this.lp?.record(path, q, s, nav);
  }

  /** A path starts (the fund back at the fork). */
  startPath(): void {
    this.lp?.startPath();
  }

  /** A quarter done: its shortfall, the cap, the trace, the bands. */
  endQuarter(path: number, q: number, s: FundPath, outcome: QuarterOutcome, acts: QuarterActions | undefined): void {
    if (outcome.capBinds && Number.isNaN(this.firstBind[path])) this.firstBind[path] = q;
    if (outcome.shortfall) {
      this.shortByQuarter[q]++;
      this.shortOnPath = true;
    }
    if (acts) {
      acts.shortfall = outcome.shortfall;
      this.trace.push(acts);
    }
    this.record(path, q, s);
  }

  /** A path done: the LPs' figures since the fund's first flow (net assets at the horizon as residual), the sectors, the managers' revenue, the LP followed. */
  endPath(path: number, s: FundPath): void {
    if (this.shortOnPath) this.shortPaths++;
    this.shortOnPath = false;
    const nav = s.netAssets();
    const carryAccrued = s.liquidationCarry(nav);
    // Paid in and distributed are summed apart (a quarter may both call and distribute); the netted flows serve the IRR only.
    let received = 0;
    let paid = 0;
    for (let q = 1; q <= this.model.quarters; q++) ((received += s.toLpsQ[q]), (paid += s.calledQ[q] + s.feesCalledQ[q]));
    this.recordLpsTogether(path, s, nav, carryAccrued, paid);
    for (let i = 0; i < this.sectorValue.length; i++) this.sectorValue[i][path] = 0;
    for (let j = 0; j < s.fairValue.length; j++) {
      this.sectorValue[this.model.sectorOf[j]][path] += s.fairValue[j];
      this.writtenOff[j] += s.writtenOff[j];
    }
    this.recordManagers(path, s, nav, carryAccrued, received, paid);
    this.lp?.endPath(path, s, nav, carryAccrued);
  }

  /** The LPs together since the fund's first flow: with the cost of leverage, with interest added back, net of carry. */
  private recordLpsTogether(path: number, s: FundPath, nav: number, carryAccrued: number, paid: number): void {
    const { fork, quarters: H } = this.model;
    const { m, flows } = this;
    const pastLength = fork.pastFlows.length;
    const n = pastLength + H + 1;
    const paidIn = fork.pastPaidIn + paid;
    const figures = (toLps: Float64Array, residual: number, [irrKey, tvpiKey, dpiKey]: FigureKeys) => {
      let distributed = fork.pastDistributed;
      for (let q = 1; q <= H; q++) {
        flows[pastLength + q] = toLps[q] - s.calledQ[q] - s.feesCalledQ[q];
        distributed += toLps[q];
      }
      flows[n - 1] += residual;
      const o = pathOutcome(flows, n, paidIn, distributed, residual);
      m[irrKey][path] = o.irr;
      m[tvpiKey][path] = o.tvpi;
      m[dpiKey][path] = o.dpi;
    };
    // The LPs are liable for their commitments, not for the fund's debts: net assets below zero are worth nothing to them.
    figures(s.distributedQ, Math.max(0, nav), ['irr', 'tvpi', 'dpi']);
    figures(s.distributedQ, Math.max(0, nav + fork.interestBefore + s.interestCost), ['irrNoCost', 'tvpiNoCost', 'dpiNoCost']);
    if (s.account) figures(s.toLpsQ, Math.max(0, nav - carryAccrued), ['irrNet', 'tvpiNet', 'dpiNet']);
  }

  /** Each manager's fees, carry (paid, and the change in what a liquidation would pay) and its LP account's share of the LPs' profit. */
  private recordManagers(path: number, s: FundPath, nav: number, carryAccrued: number, received: number, paid: number): void {
    // The LPs' profit over the horizon, net of carry: the change in their net assets, plus what they received, less what they paid in.
    const profit = nav - carryAccrued - (s.nav0 - s.carry0) + received - paid;
    for (const [i, mgr] of this.model.fork.managers.entries()) {
      const r = this.revenue[i];
      r.fees[path] = s.fees * mgr.share;
      r.carry[path] = (s.carryPaid + carryAccrued - s.carry0) * mgr.share;
      r.asLp[path] = mgr.lpOwnership * profit;
      r.total[path] = r.fees[path] + r.carry[path] + r.asLp[path];
    }
  }

  /** Percentiles over the paths, bands over the sampled ones. */
  summary(withTrace: boolean): FundSimulationResult {
    const { fork, quarters: H, sectors } = this.model;
    const { paths, sampled, bands, m } = this;
    const byQuarter = (values: Float64Array) => bandOf(values, sampled, H);
    const pathFigures = (irr: Float64Array, tvpi: Float64Array, dpi: Float64Array): FundPathFigures => ({
      irr: percentiles(irr.filter((x) => !Number.isNaN(x))),
      tvpi: percentiles(tvpi),
      dpi: percentiles(dpi),
    });
    const binding = this.firstBind.filter((x) => !Number.isNaN(x));
    return {
      paths,
      quarters: H,
      sampledPaths: sampled,
      netAssets: byQuarter(bands.netAssets),
      debt: byQuarter(bands.debt),
      leverageRatio: byQuarter(bands.leverageRatio),
      cash: byQuarter(bands.cash),
      liquidityShortfall: { probability: this.shortPaths / paths, byQuarter: [...this.shortByQuarter].map((x) => x / paths) },
      capBinds: { probability: binding.length / paths, firstQuarter: binding.length ? percentiles(binding) : null },
      sectors: sectors.map((sector, i) => ({ sector, fairValue: percentiles(this.sectorValue[i]) })),
      writeOffs: fork.projects.map((pr, j) => ({ projectId: pr.projectId, probability: this.writtenOff[j] / paths })),
      index: byQuarter(bands.index),
      fund: {
        withLeverageCost: pathFigures(m.irr, m.tvpi, m.dpi),
        interestAddedBack: pathFigures(m.irrNoCost, m.tvpiNoCost, m.dpiNoCost),
        netOfCarry: fork.carry ? pathFigures(m.irrNet, m.tvpiNet, m.dpiNet) : null,
      },
      managers: fork.managers.map((mgr, i) => ({
        manager: mgr.manager,
        fees: percentiles(this.revenue[i].fees),
        carriedInterest: percentiles(this.revenue[i].carry),
        asLp: percentiles(this.revenue[i].asLp),
        total: percentiles(this.revenue[i].total),
      })),
      lp: this.lp?.summary() ?? null,
      ...(withTrace ? { trace: this.trace } : {}),
    };
  }
}
