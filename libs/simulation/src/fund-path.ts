import { leverageBasis } from '@fundsim/domain';
import { CarryAccount } from './carry-model';
import type { FundFork } from './fund-fork';
import type { FundModelParameters, SectorParameters } from './fund-parameters';
import { correlationFactor } from './sector-correlation';

/** What a run derives once from the fork and the parameters; every path and quarter reads it, none changes it. */
export interface FundModel {
  fork: FundFork;
  p: FundModelParameters;
  /** Quarters simulated after the fork. */
  quarters: number;
  sectors: string[];
  /** Each sector's growth, volatility and income (a sector the parameters do not list: `otherSector`). */
  sectorParameters: SectorParameters[];
  /** The Cholesky factor of the sectors' correlation matrix (row-major, lower). */
  factor: Float64Array;
  /** Each sector's expected growth factor a quarter, (1 + growth)^(1/4), and its quarterly volatility (half the annual). */
  quarterlyGrowth: Float64Array;
  quarterlyVolatility: Float64Array;
  /** sqrt(1 - l^2) for the sentiment loading l, and sqrt(1 - p^2) for its persistence p: computed once, not per quarter. */
  ownShare: number;
  innovationShare: number;
  /**
   * The index: its growth factor and volatility a quarter; the weight of each independent draw in
   * the sectors' equal-weight composite, scaled to unit variance (the column sums of the factor over
   * their norm), times the index's correlation with it; and sqrt(1 - correlation^2), its own draw's weight.
   */
  indexGrowth: number;
  indexVolatility: number;
  indexLoad: Float64Array;
  indexOwn: number;
  /** Each project's chance of a write-off a quarter, 1 - (1 - rate)^(1/4), and the share of its value a write-off keeps. */
  writeOffChance: Float64Array;
  writeOffKeep: Float64Array;
  /** Each project's index in `sectors`. */
  sectorOf: number[];
  /** Each quarter's actual days (0 for the fork). */
  quarterDays: number[];
  /** Cash kept back. */
  reserve: number;
  /** Each facility's rate, shocked. */
  rates: number[];
  /** Quarters from each quarter's date to each facility's maturity (at least 1), by facility then quarter. */
  toMaturity: number[][];
  /** Each allocation's scheduled funding a quarter: evenly over the funding quarters (0 for one the breakdown stops). */
  tranche: number[];
  /** The leverage cap on the fund's net assets: the books' own rule (`leverageBasis`), on the model's figures. */
  capOf(nav: number): number;
}

const days = (a: string, b: string) => Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);

export function fundModelOf(fork: FundFork, p: FundModelParameters): FundModel {
  const quarters = fork.dates.length - 1;
  const sectors = [...new Set(fork.projects.map((pr) => pr.sector))];
  const factor = correlationFactor(sectors, p);
  const n = sectors.length;
  const columnSums = Float64Array.from(sectors, (_, k) => {
    let sum = 0;
    for (let i = k; i < n; i++) sum += factor[i * n + k];
    return sum;
  });
  const norm = Math.hypot(...columnSums);
  const projectSector = fork.projects.map((pr) => p.sectors[pr.sector] ?? p.otherSector);
  return {
    fork,
    p,
    quarters,
    sectors,
    sectorParameters: sectors.map((s) => p.sectors[s] ?? p.otherSector),
    factor,
    quarterlyGrowth: Float64Array.from(sectors, (sec) => Math.pow(1 + (p.sectors[sec] ?? p.otherSector).growth, 0.25)),
    quarterlyVolatility: Float64Array.from(sectors, (sec) => (p.sectors[sec] ?? p.otherSector).volatility / 2),
    ownShare: Math.sqrt(1 - p.sentimentLoading ** 2),
    innovationShare: Math.sqrt(1 - p.sentimentPersistence ** 2),
    indexGrowth: Math.pow(1 + p.indexGrowth, 0.25),
    indexVolatility: p.indexVolatility / 2,
    indexLoad: columnSums.map((w) => (norm > 0 ? (p.indexCorrelation * w) / norm : 0)),
    indexOwn: norm > 0 ? Math.sqrt(1 - p.indexCorrelation ** 2) : 1,
    writeOffChance: Float64Array.from(projectSector, (sp) => 1 - Math.pow(1 - sp.writeOffRate, 0.25)),
    writeOffKeep: Float64Array.from(projectSector, (sp) => 1 - sp.writeOffLoss),
    sectorOf: fork.projects.map((pr) => sectors.indexOf(pr.sector)),
    quarterDays: Array.from({ length: quarters + 1 }, (_, q) => (q === 0 ? 0 : days(fork.dates[q - 1], fork.dates[q]))),
    reserve: p.reserve * fork.admitted,
    rates: fork.facilities.map((f) => Math.max(0, f.annualRate + p.rateShock)),
    toMaturity: fork.facilities.map((f) => fork.dates.map((d) => Math.max(1, Math.ceil(days(d, f.maturityDate) / 91.3125)))),
    tranche: fork.allocations.map((a) => (p.breakdown && !a.committed ? 0 : a.unfunded / p.fundingQuarters)),
    capOf: (nav) => leverageBasis(fork.leveragePolicy, { admitted: fork.admitted, netAssets: nav }) * fork.leveragePolicy.maxRatio,
  };
}

/**
 * One path's fund as it runs: its cash, projects, facilities, what is left to fund, the market's
 * sentiment, the waterfall's account, and what it called and distributed by quarter. One object
 * serves every path of a run (`start` sets it back to the fork), so a million paths allocate no
 * arrays of their own.
 */
export class FundPath {
  cash = 0;
  /** Share of admitted commitments called. */
  called = 0;
  /** The leading indicator, as of the quarter before. */
  sentiment = 0;
  /** The public-market index (1 at the fork). */
  index = 1;
  /** Interest accrued over the horizon; management fees paid over it; carry paid to the managers over it. */
  interestCost = 0;
  fees = 0;
  carryPaid = 0;
  /** Net assets and the carry a liquidation would pay, at the fork. */
  nav0 = 0;
  carry0 = 0;
  readonly fairValue: Float64Array;
  readonly cost: Float64Array;
  readonly principal: Float64Array;
  readonly accrued: Float64Array;
  readonly unfunded: Float64Array;
  /** This quarter's draws and growth factors, by sector (scratch space of the market's step). */
  readonly shocks: Float64Array;
  readonly growth: Float64Array;
  /** This quarter's write-offs, by project (1: written off), and whether each has been written off on the path. */
  readonly writeOff: Uint8Array;
  readonly writtenOff: Uint8Array;
  /** The index by quarter (1 at the fork). */
  readonly indexQ: Float64Array;
  /** The fund's net assets by quarter (index 0: the fork), every path (an LP's hedge is on its share of them). */
  readonly navQ: Float64Array;
  /** Share of admitted commitments called, by quarter. */
  readonly calledShareQ: Float64Array;
  /** Management fees paid and interest accrued, by quarter. */
  readonly feesQ: Float64Array;
  readonly interestQ: Float64Array;
  /** By quarter of the horizon: what was called, distributed, and of it what reached the LPs. */
  readonly calledQ: Float64Array;
  readonly distributedQ: Float64Array;
  readonly toLpsQ: Float64Array;
  /** By quarter: the management fee called from the fee-bearing LPs (`FundFork.feeBearing`), beside their commitments. */
  readonly feesCalledQ: Float64Array;
  readonly account: CarryAccount | undefined;
  /** The carry-bearing LPs' share of the fund (`FundFork.carry.bearing`). */
  readonly bearing: number;

  constructor(private readonly model: FundModel) {
    const { fork, quarters, sectors } = model;
    this.fairValue = new Float64Array(fork.projects.length);
    this.cost = new Float64Array(fork.projects.length);
    this.principal = new Float64Array(fork.facilities.length);
    this.accrued = new Float64Array(fork.facilities.length);
    this.unfunded = new Float64Array(fork.allocations.length);
    this.shocks = new Float64Array(sectors.length);
    this.growth = new Float64Array(sectors.length);
    this.writeOff = new Uint8Array(fork.projects.length);
    this.writtenOff = new Uint8Array(fork.projects.length);
    this.indexQ = new Float64Array(quarters + 1);
    this.navQ = new Float64Array(quarters + 1);
    this.calledShareQ = new Float64Array(quarters + 1);
    this.feesQ = new Float64Array(quarters + 1);
    this.interestQ = new Float64Array(quarters + 1);
    this.calledQ = new Float64Array(quarters + 1);
    this.distributedQ = new Float64Array(quarters + 1);
    this.toLpsQ = new Float64Array(quarters + 1);
    this.feesCalledQ = new Float64Array(quarters + 1);
    this.account = fork.carry ? new CarryAccount(fork.carry.terms) : undefined;
    this.bearing = fork.carry?.bearing ?? 1;
  }

  /** Back to the fork, for the next path. */
  start(): void {
    const { fork } = this.model;
    this.cash = fork.cash;
    this.called = fork.calledFraction;
    for (let j = 0; j < fork.projects.length; j++) ((this.fairValue[j] = fork.projects[j].fairValue), (this.cost[j] = fork.projects[j].cost));
    for (let f = 0; f < fork.facilities.length; f++) ((this.principal[f] = fork.facilities[f].principal), (this.accrued[f] = fork.facilities[f].accrued));
    for (let a = 0; a < this.unfunded.length; a++) this.unfunded[a] = fork.allocations[a].unfunded;
    if (this.account) Object.assign(this.account, fork.carry!.account);
    this.calledQ.fill(0);
    this.distributedQ.fill(0);
    this.toLpsQ.fill(0);
    this.feesCalledQ.fill(0);
    this.sentiment = 0;
    this.index = 1;
    this.indexQ[0] = 1;
    this.writtenOff.fill(0);
    this.interestCost = 0;
    this.fees = 0;
    this.carryPaid = 0;
    this.nav0 = this.navQ[0] = this.netAssets();
    this.calledShareQ[0] = this.called;
    this.carry0 = this.liquidationCarry(this.nav0);
  }

  netAssets(): number {
    let nav = this.cash;
    for (let j = 0; j < this.fairValue.length; j++) nav += this.fairValue[j];
    for (let f = 0; f < this.principal.length; f++) nav -= this.principal[f] + this.accrued[f];
    return nav;
  }

  debt(): number {
    let d = 0;
    for (let f = 0; f < this.principal.length; f++) d += this.principal[f];
    return d;
  }

  /** The carry a liquidation at `nav` would pay the managers (0 without a waterfall). */
  liquidationCarry(nav: number): number {
    return this.account ? this.account.liquidationCarry(nav * this.bearing) : 0;
  }
}
