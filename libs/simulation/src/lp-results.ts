import type { FollowedLp } from './fund-fork';
import type { FundModel, FundPath } from './fund-path';
import { bandOf, percentiles, type Band, type Percentiles } from './percentiles';
import { pathOutcome } from './quarterly-irr';
import { Random } from './random';

/** An LP's figures over the paths, from the fork to the horizon (its net assets then as residual value). */
export interface LpFigures {
  irr: Percentiles;
  tvpi: Percentiles;
  dpi: Percentiles;
  endingNav: Percentiles;
  /** Paths that end with less than was paid in (TVPI below 1). */
  probabilityOfLoss: number;
  /** Paths without an IRR though they did not lose (the flows never change sign); a total loss counts as -100%. */
  pathsWithoutIrr: number;
}

/** An LP's outcome in one currency: gross and net of carry, and by quarter what it pays in, receives and holds (net of carry). */
export interface LpOutcome {
  gross: LpFigures;
  /** In a fund with a waterfall: after it (its distributions through the tiers, its net assets less the carry accrued); null otherwise. */
  netOfCarry: LpFigures | null;
  calls: Band;
  distributions: Band;
  netAssets: Band;
}

export interface LpResult {
  lpId: string;
  ownership: number;
  bearsCarry: boolean;
  usd: LpOutcome;
  /** For a yen investor: every flow at its path's USD/JPY of the quarter. */
  jpy: LpOutcome | null;
}

/** USD/JPY draws come from a generator of their own: the fund's paths are the same whatever the LP's currency. */
const FX_STREAM = 0x5bd1e995;

type Metrics = { irr: Float64Array; tvpi: Float64Array; dpi: Float64Array; nav: Float64Array };

/**
 * The LP followed on the fund's paths. Its share of everything is its ownership `o` of admitted
 * commitments: it is called `o` of each call and charged `o` of the fees and interest (through its
 * net assets, which move by `o` of the change in the fund's); what reaches the carry-bearing LPs
 * of a distribution (after the waterfall) is theirs pro rata, so a carry-bearing LP gets
 * `o / bearing` of it, as it bears `o / bearing` of the change in the carry a liquidation would pay;
 * an LP exempt from carry gets `o` of the whole.
 */
export class LpResults {
  private readonly currencies: number;
  private readonly fx: Float64Array;
  private readonly fxRandom: Random | undefined;
  /** By variant (0 gross, 1 net of carry) then currency (0 USD, 1 JPY). */
  private readonly metrics: Metrics[][];
  /** By currency, per sampled path and quarter. */
  private readonly bands: { calls: Float64Array; distributions: Float64Array; nav: Float64Array }[];
  private readonly flows: Float64Array;
  private readonly withCarry: boolean;

  constructor(
    private readonly model: FundModel,
    private readonly lp: FollowedLp,
    private readonly paths: number,
    private readonly sampled: number,
    seed: number,
  ) {
    const H = model.quarters;
    this.currencies = lp.fxSpot === undefined ? 1 : 2;
    this.fx = new Float64Array(H + 1).fill(1);
    this.fxRandom = lp.fxSpot === undefined ? undefined : new Random((seed ^ FX_STREAM) >>> 0);
    this.withCarry = model.fork.carry !== undefined;
    const metrics = (): Metrics => ({
      irr: new Float64Array(paths),
      tvpi: new Float64Array(paths),
      dpi: new Float64Array(paths),
      nav: new Float64Array(paths),
    });
    this.metrics = [0, 1].map((v) => (v === 0 || this.withCarry ? Array.from({ length: this.currencies }, metrics) : []));
    const byQuarter = () => new Float64Array(sampled * (H + 1));
    this.bands = Array.from({ length: this.currencies }, () => ({ calls: byQuarter(), distributions: byQuarter(), nav: byQuarter() }));
    this.flows = new Float64Array(H + 1);
  }

  /** A new path: a yen investor's USD/JPY for each of its quarters (lognormal, `fxDrift` and `fxVolatility` a year). */
  startPath(): void {
    if (!this.fxRandom) return;
    const { fxDrift, fxVolatility } = this.model.p;
    const vol = fxVolatility / 2;
    const drift = (fxDrift - (fxVolatility * fxVolatility) / 2) / 4;
    this.fx[0] = this.lp.fxSpot!;
    for (let q = 1; q < this.fx.length; q++) this.fx[q] = this.fx[q - 1] * Math.exp(drift + (vol === 0 ? 0 : vol * this.fxRandom.normal()));
  }

  /** Does its share go through the waterfall? */
  private get throughWaterfall(): boolean {
    return this.withCarry && this.lp.bearsCarry;
  }

  /** What reaches it of quarter q's distribution, per unit of ownership, after the waterfall. */
  private netShare(s: FundPath, q: number): number {
    return this.throughWaterfall ? (s.toLpsQ[q] - s.distributedQ[q] * (1 - s.bearing)) / s.bearing : s.distributedQ[q];
  }

  /** Its net assets at `nav` (the fund's), net of the carry a liquidation would then pay, or gross. */
  private navOf(s: FundPath, nav: number, carry: number, net: boolean): number {
    const { netAssets, ownership: o } = this.lp;
    if (!(net && this.throughWaterfall)) return netAssets + o * (nav - s.nav0);
    return netAssets + o * (nav - carry / s.bearing - (s.nav0 - s.carry0 / s.bearing));
  }

  /** Its part of quarter q's fee called from the fee-bearing LPs (`FundFork.feeBearing`): `o / feeBearing` of it when it bears fees. */
  private feeCalled(s: FundPath, q: number): number {
    const feeBearing = this.model.fork.feeBearing;
    return feeBearing !== undefined && this.lp.paysFees ? (this.lp.ownership / feeBearing) * s.feesCalledQ[q] : 0;
  }

  /** Quarter q of a sampled path (0: the fork), net of carry. */
  record(path: number, q: number, s: FundPath, nav: number): void {
    if (path >= this.sampled) return;
    const k = q * this.sampled + path;
    const o = this.lp.ownership;
    const calls = q === 0 ? this.lp.paidAtFork : o * s.calledQ[q] + this.feeCalled(s, q);
    const distributions = q === 0 ? 0 : o * this.netShare(s, q);
    const lpNav = this.navOf(s, nav, this.throughWaterfall ? s.liquidationCarry(nav) : 0, true);
    for (let c = 0; c < this.currencies; c++) {
      const fx = c === 0 ? 1 : this.fx[q];
      const b = this.bands[c];
      b.calls[k] = calls * fx;
      b.distributions[k] = distributions * fx;
      b.nav[k] = lpNav * fx;
    }
  }

  /** A path done: its IRR, multiples and net assets at the horizon, gross and net of carry, in each currency. */
  endPath(path: number, s: FundPath, nav: number, carryAccrued: number): void {
    const H = this.model.quarters;
    const { flows, fx, lp } = this;
    const o = lp.ownership;
    for (let v = 0; v < (this.withCarry ? 2 : 1); v++) {
      const net = v === 1;
      const end = this.navOf(s, nav, carryAccrued, net);
      for (let c = 0; c < this.currencies; c++) {
        const rate = (q: number) => (c === 0 ? 1 : fx[q]);
        flows[0] = -lp.paidIn * rate(0);
        let called = 0;
        let fees = 0;
        let received = 0;
        for (let q = 1; q <= H; q++) {
          const share = net ? this.netShare(s, q) : s.distributedQ[q];
          const fee = this.feeCalled(s, q);
          flows[q] = (o * (share - s.calledQ[q]) - fee) * rate(q);
          called += s.calledQ[q] * rate(q);
          fees += fee * rate(q);
          received += share * rate(q);
        }
        const residual = end * rate(H);
        flows[H] += residual;
        const invested = lp.paidIn * rate(0) + o * called + fees;
        const outcome = pathOutcome(flows, H + 1, invested, o * received, residual);
        const m = this.metrics[v][c];
        m.irr[path] = outcome.irr;
        m.tvpi[path] = invested > 0 ? outcome.tvpi : NaN;
        m.dpi[path] = invested > 0 ? outcome.dpi : NaN;
        m.nav[path] = residual;
      }
    }
  }

  summary(): LpResult {
    const H = this.model.quarters;
    const figures = (m: Metrics): LpFigures => {
      let losses = 0;
      for (let i = 0; i < this.paths; i++) if (m.tvpi[i] < 1) losses++;
      const irrs = m.irr.filter((x) => !Number.isNaN(x));
      return {
        irr: percentiles(irrs),
        tvpi: percentiles(m.tvpi),
        dpi: percentiles(m.dpi),
        endingNav: percentiles(m.nav),
        probabilityOfLoss: losses / this.paths,
        pathsWithoutIrr: this.paths - irrs.length,
      };
    };
    const outcome = (c: number): LpOutcome => ({
      gross: figures(this.metrics[0][c]),
      netOfCarry: this.withCarry ? figures(this.metrics[1][c]) : null,
      calls: bandOf(this.bands[c].calls, this.sampled, H),
      distributions: bandOf(this.bands[c].distributions, this.sampled, H),
      netAssets: bandOf(this.bands[c].nav, this.sampled, H),
    });
    return {
      lpId: this.lp.lpId,
      ownership: this.lp.ownership,
      bearsCarry: this.lp.bearsCarry,
      usd: outcome(0),
      jpy: this.currencies === 2 ? outcome(1) : null,
    };
  }
}
