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
  /** The deepest cash-out: the most the LP is out of pocket at a quarter's end (the trough of its cumulative net cash flows, as a positive amount). */
  deepestCashOut: Percentiles;
  /** Years from the fork until its cumulative net cash flows are back to zero or above (Infinity: not within the horizon). */
  paybackYears: Percentiles;
  /** Paths on which it is paid back within the horizon. */
  paidBack: number;
  /** Kaplan-Schoar public-market equivalent: its inflows over its outflows, each divided by the index on its date (above 1: it beat the index). */
  pme: Percentiles;
}

/** An LP's outcome in one currency: gross and net of carry, what it pays in money, and by quarter what it pays in, receives, holds (net of carry) and still owes. */
export interface LpOutcome {
  gross: LpFigures;
  /** In a fund with a waterfall: after it (its distributions through the tiers, its net assets less the carry accrued); null otherwise. */
  netOfCarry: LpFigures | null;
  /** Its share of the management fees paid and of the interest accrued over the horizon, in money. */
  fees: Percentiles;
  interest: Percentiles;
  /** The carried interest it bears over the horizon (paid, and accrued at the end), in money: gross less net. Null without a waterfall. */
  carry: Percentiles | null;
  /** A yen investor's hedge (the hedged outcome only): its cost (the forward points paid on the notional) and its settlements, summed. */
  hedge: { cost: Percentiles; settlements: Percentiles } | null;
  calls: Band;
  distributions: Band;
  netAssets: Band;
  /** Its commitment not yet called (in yen a dollar obligation, so it moves with the rate). */
  unfunded: Band;
  /** The hedge's settlement each quarter (the hedged outcome only; zero otherwise). */
  hedgeSettlements: Band;
}

export interface LpResult {
  lpId: string;
  ownership: number;
  bearsCarry: boolean;
  usd: LpOutcome;
  /** For a yen investor: every flow at its path's USD/JPY of the quarter, unhedged. */
  jpy: LpOutcome | null;
  /** For a yen investor: the same with its net assets hedged by rolling 3-month forwards (`hedgeRatio`, priced from `usdRate` and `jpyRate`). */
  jpyHedged: LpOutcome | null;
  /**
   * When it sells its interest on the secondary market (`saleYear`): the quarter, the discount to
   * its net assets drawn on each path, and the price in USD (net of carry where the fund has a
   * waterfall: a buyer prices the carry the interest would bear).
   */
  sale: { year: number; quarter: number; discount: Percentiles; priceUsd: Percentiles } | null;
}

const zeroBand = (H: number): Band => ({ p5: new Array<number>(H + 1).fill(0), p50: new Array<number>(H + 1).fill(0), p95: new Array<number>(H + 1).fill(0) });

/** USD/JPY draws come from a generator of their own: the fund's paths are the same whatever the LP's currency. */
const FX_STREAM = 0x5bd1e995;
/** The secondary discount's own generator: the fund's paths are the same with a sale or without. */
const SALE_STREAM = 0x27d4eb2f;

const USD = 0;
const HEDGED = 2;

type Metrics = {
  irr: Float64Array;
  tvpi: Float64Array;
  dpi: Float64Array;
  nav: Float64Array;
  trough: Float64Array;
  payback: Float64Array;
  pme: Float64Array;
};
type Costs = { fees: Float64Array; interest: Float64Array; carry: Float64Array; hedgeCost: Float64Array; settlements: Float64Array };
/** The hedge's settlements are kept for the hedged outcome only (empty otherwise: its band is zero). */
type Bands = { calls: Float64Array; distributions: Float64Array; nav: Float64Array; unfunded: Float64Array; settlements: Float64Array };

/**
 * The LP followed on the fund's paths. Its share of everything is its ownership `o` of admitted
 * commitments: it is called `o` of each call and charged `o` of the fees and interest (through its
 * net assets, which move by `o` of the change in the fund's); what reaches the carry-bearing LPs
 * of a distribution (after the waterfall) is theirs pro rata, so a carry-bearing LP gets
 * `o / bearing` of it, as it bears `o / bearing` of the change in the carry a liquidation would pay;
 * an LP exempt from carry gets `o` of the whole. A yen investor's outcome comes three ways: in
 * dollars, in yen unhedged (each flow at the quarter's rate), and in yen hedged (its net assets
 * sold forward each quarter for three months, the forward settled in cash at the quarter's end).
 */
export class LpResults {
  /** 1 (USD) or 3 (USD, JPY unhedged, JPY hedged). */
  private readonly currencies: number;
  private readonly fx: Float64Array;
  /** A hedged yen investor's rate: the index converted at the hedged rate (spot at the fork, rolled at the forward points). */
  private readonly hedgedFx: Float64Array;
  /** The hedge's settlement by quarter (in yen), of the current path. */
  private readonly settlement: Float64Array;
  private readonly fxRandom: Random | undefined;
  /** By variant (0 gross, 1 net of carry) then currency. */
  private readonly metrics: Metrics[][];
  private readonly costs: Costs[];
  /** By currency, per sampled path and quarter. */
  private readonly bands: Bands[];
  private readonly flows: Float64Array;
  private readonly withCarry: boolean;
  /** The forward's discount a quarter: F = S (1 + jpyRate/4) / (1 + usdRate/4). */
  private readonly forward: number;
  /** The quarter it sells its interest (`saleYear` x 4, within the horizon; 0: it holds), the path's discount, and the draws. */
  private readonly saleQ: number;
  private readonly saleRandom: Random | undefined;
  private discount = 0;
  private readonly saleDiscounts: Float64Array;
  private readonly salePrices: Float64Array;

  constructor(
    private readonly model: FundModel,
    private readonly lp: FollowedLp,
    private readonly paths: number,
    private readonly sampled: number,
    seed: number,
  ) {
    const H = model.quarters;
    const { p } = model;
    this.currencies = lp.fxSpot === undefined ? 1 : 3;
    this.fx = new Float64Array(H + 1).fill(1);
    this.hedgedFx = new Float64Array(H + 1).fill(1);
    this.settlement = new Float64Array(H + 1);
    this.forward = (1 + p.jpyRate / 4) / (1 + p.usdRate / 4);
    if (lp.fxSpot !== undefined) for (let q = 0; q <= H; q++) this.hedgedFx[q] = lp.fxSpot * Math.pow(this.forward, q);
    this.fxRandom = lp.fxSpot === undefined ? undefined : new Random((seed ^ FX_STREAM) >>> 0);
    this.withCarry = model.fork.carry !== undefined;
    this.saleQ = p.saleYear > 0 && p.saleYear * 4 <= H ? p.saleYear * 4 : 0;
    this.saleRandom = this.saleQ ? new Random((seed ^ SALE_STREAM) >>> 0) : undefined;
    this.saleDiscounts = new Float64Array(this.saleQ ? paths : 0);
    this.salePrices = new Float64Array(this.saleQ ? paths : 0);
    const perPath = () => new Float64Array(paths);
    const metrics = (): Metrics => ({
      irr: perPath(),
      tvpi: perPath(),
      dpi: perPath(),
      nav: perPath(),
      trough: perPath(),
      payback: perPath(),
      pme: perPath(),
    });
    this.metrics = [0, 1].map((v) => (v === 0 || this.withCarry ? Array.from({ length: this.currencies }, metrics) : []));
    this.costs = Array.from({ length: this.currencies }, () => ({
      fees: perPath(),
      interest: perPath(),
      carry: perPath(),
      hedgeCost: perPath(),
      settlements: perPath(),
    }));
    const byQuarter = () => new Float64Array(sampled * (H + 1));
    this.bands = Array.from({ length: this.currencies }, (_, c) => ({
      calls: byQuarter(),
      distributions: byQuarter(),
      nav: byQuarter(),
      unfunded: byQuarter(),
      settlements: c === HEDGED ? byQuarter() : new Float64Array(0),
    }));
    this.flows = new Float64Array(H + 1);
  }

  /** A new path: a yen investor's USD/JPY for each of its quarters (lognormal, `fxDrift` and `fxVolatility` a year). */
  startPath(): void {
    if (this.saleRandom) {
      const { secondaryDiscount: mean, secondaryDiscountVolatility: vol } = this.model.p;
      this.discount = Math.min(0.9, Math.max(0, mean + (vol === 0 ? 0 : vol * this.saleRandom.normal())));
    }
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

  /**
   * Its net assets at `nav` (the fund's), net of the carry a liquidation would then pay, or gross;
   * never below zero: an LP is liable for its commitment, not for the fund's debts (on a path
   * where the fund's net assets go below zero, the lenders bear the rest).
   */
  private navOf(s: FundPath, nav: number, carry: number, net: boolean): number {
    const { netAssets, ownership: o } = this.lp;
    if (!(net && this.throughWaterfall)) return Math.max(0, netAssets + o * (nav - s.nav0));
    return Math.max(0, netAssets + o * (nav - carry / s.bearing - (s.nav0 - s.carry0 / s.bearing)));
  }

  /** The rate of currency c in quarter q: 1 for dollars, the path's USD/JPY for yen (hedged or not: the flows are exchanged at spot). */
  private rate(c: number, q: number): number {
    return c === USD ? 1 : this.fx[q];
  }

  /** What the LP still owes of its commitment at quarter q, in USD. */
  private unfundedAt(s: FundPath, q: number): number {
    return this.lp.ownership * this.model.fork.admitted * Math.max(0, 1 - s.calledShareQ[q]);
  }

  /** Its part of quarter q's fee called from the fee-bearing LPs (`FundFork.feeBearing`): `o / feeBearing` of it when it bears fees. */
  private feeCalled(s: FundPath, q: number): number {
    const feeBearing = this.model.fork.feeBearing;
    return feeBearing !== undefined && this.lp.paysFees ? (this.lp.ownership / feeBearing) * s.feesCalledQ[q] : 0;
  }

  /** Quarter q of a sampled path (0: the fork), net of carry. */
  record(path: number, q: number, s: FundPath, nav: number): void {
    if (path >= this.sampled) return;
    // Path by path: a path's quarters side by side (bandOf gathers each quarter).
    const k = path * (this.model.quarters + 1) + q;
    const o = this.lp.ownership;
    // Once sold, it holds nothing: no call, distribution, net assets or unfunded commitment; the price is a distribution of the sale's quarter.
    const sold = this.saleQ > 0 && q >= this.saleQ;
    const held = !(this.saleQ > 0 && q > this.saleQ);
    const calls = !held ? 0 : q === 0 ? this.lp.paidAtFork : o * s.calledQ[q] + this.feeCalled(s, q);
    const lpNav = this.navOf(s, nav, this.throughWaterfall ? s.liquidationCarry(nav) : 0, true);
    const distributions = !held ? 0 : (q === 0 ? 0 : o * this.netShare(s, q)) + (sold ? lpNav * (1 - this.discount) : 0);
    const unfunded = sold ? 0 : this.unfundedAt(s, q);
    for (let c = 0; c < this.currencies; c++) {
      const fx = this.rate(c, q);
      const b = this.bands[c];
      b.calls[k] = calls * fx;
      b.distributions[k] = distributions * fx;
      b.nav[k] = sold ? 0 : lpNav * fx;
      b.unfunded[k] = unfunded * fx;
      if (c === HEDGED) b.settlements[k] = q > 0 ? this.settlementAt(s, q) : 0;
    }
  }

  /** The hedge's settlement at the end of quarter q (q >= 1), in yen. */
  private settlementAt(s: FundPath, q: number): number {
    const notional = this.model.p.hedgeRatio * Math.max(0, this.navOf(s, s.navQ[q - 1], 0, false));
    return notional * (this.fx[q - 1] * this.forward - this.fx[q]);
  }

  /**
   * A path done: its IRR, multiples, net assets, deepest cash-out, payback and PME at the horizon,
   * gross and net of carry, in each currency; its fees, interest, carry and hedge in money; and, on
   * a sampled path, its quarters for the bands.
   */
  endPath(path: number, s: FundPath, nav: number, carryAccrued: number): void {
    const H = this.model.quarters;
    const { flows, lp } = this;
    const o = lp.ownership;
    const hedged = this.currencies === 3;
    if (hedged) this.settle(path, s);
    // Sold in quarter S: its flows end there, with the price (its net assets then, less the path's discount) for what it would have held.
    const S = this.saleQ || H;
    const sellAt = (net: boolean) => this.navOf(s, s.navQ[S], net && this.throughWaterfall ? s.liquidationCarry(s.navQ[S]) : 0, net) * (1 - this.discount);
    const endGross = this.saleQ ? 0 : this.navOf(s, nav, carryAccrued, false);
    if (this.saleQ) {
      this.saleDiscounts[path] = this.discount;
      this.salePrices[path] = sellAt(this.withCarry);
    }
    for (let c = 0; c < this.currencies; c++) {
      flows.fill(0);
      let fees = 0;
      let interest = 0;
      for (let q = 1; q <= S; q++) {
        fees += (o * (s.feesQ[q] - s.feesCalledQ[q]) + this.feeCalled(s, q)) * this.rate(c, q);
        interest += o * s.interestQ[q] * this.rate(c, q);
      }
      this.costs[c].fees[path] = fees;
      this.costs[c].interest[path] = interest;
    }
    for (let v = 0; v < (this.withCarry ? 2 : 1); v++) {
      const net = v === 1;
      const end = this.saleQ ? 0 : net ? this.navOf(s, nav, carryAccrued, true) : endGross;
      for (let c = 0; c < this.currencies; c++) {
        const index = (q: number) => s.indexQ[q] * (c === USD ? 1 : c === HEDGED ? this.hedgedFx[q] : this.fx[q]);
        let cash = (flows[0] = -lp.paidIn * this.rate(c, 0));
        let trough = Math.min(0, cash);
        let payback = cash >= 0 ? 0 : Infinity;
        let called = 0;
        let fees = 0;
        let received = 0;
        let carry = 0;
        let pmeIn = 0;
        let pmeOut = (lp.paidIn * this.rate(c, 0)) / index(0);
        flows.fill(0, 1);
        for (let q = 1; q <= S; q++) {
          const fx = this.rate(c, q);
          const share = net ? this.netShare(s, q) : s.distributedQ[q];
          const settle = c === HEDGED ? this.settlement[q] : 0;
          const fee = this.feeCalled(s, q);
          flows[q] = (o * (share - s.calledQ[q]) - fee) * fx + settle;
          called += s.calledQ[q] * fx;
          fees += fee * fx;
          received += share * fx;
          if (net) carry += o * (s.distributedQ[q] - share) * fx;
          pmeOut += (o * s.calledQ[q] * fx + fee * fx + Math.max(0, -settle)) / index(q);
          pmeIn += (o * share * fx + Math.max(0, settle)) / index(q);
          if (q === this.saleQ) {
            const price = sellAt(net) * fx;
            flows[q] += price;
            received += price / o;
            pmeIn += price / index(q);
            if (net) carry += (sellAt(false) - sellAt(true)) * fx;
          }
          cash += flows[q];
          if (cash < trough) trough = cash;
          if (payback === Infinity && cash >= 0 && trough < 0) payback = q / 4;
        }
        const residual = end * this.rate(c, H);
        pmeIn += residual / index(H);
        flows[H] += residual;
        const invested = lp.paidIn * this.rate(c, 0) + o * called + fees;
        // A hedge's settlements are cash: in the IRR, and in the value (with the residual) of the multiples.
        const settlements = c === HEDGED ? this.costs[c].settlements[path] : 0;
        const outcome = pathOutcome(flows, H + 1, invested, o * received, residual + settlements);
        const m = this.metrics[v][c];
        m.irr[path] = outcome.irr;
        m.tvpi[path] = invested > 0 ? outcome.tvpi : NaN;
        m.dpi[path] = invested > 0 ? outcome.dpi : NaN;
        m.nav[path] = residual;
        m.trough[path] = -trough;
        m.payback[path] = payback;
        m.pme[path] = pmeOut > 0 ? pmeIn / pmeOut : NaN;
        if (net) this.costs[c].carry[path] = carry + (endGross - end) * this.rate(c, H);
      }
    }
  }

  /**
   * The hedge of a yen investor's net assets (before carry): each quarter it sells `hedgeRatio` of
   * them forward for three months at F = S (1 + jpyRate/4) / (1 + usdRate/4), and settles in yen at
   * the quarter's end, notional x (F - S then). Its cost is the forward points, notional x (S - F).
   */
  private settle(path: number, s: FundPath): void {
    const { fx, settlement, forward } = this;
    const h = this.model.p.hedgeRatio;
    let cost = 0;
    let total = 0;
    settlement[0] = 0;
    for (let q = 1; q < fx.length; q++) {
      // Nothing is hedged once the interest is sold.
      const notional = this.saleQ > 0 && q - 1 >= this.saleQ ? 0 : h * Math.max(0, this.navOf(s, s.navQ[q - 1], 0, false));
      const f = fx[q - 1] * forward;
      settlement[q] = notional * (f - fx[q]);
      cost += notional * (fx[q - 1] - f);
      total += settlement[q];
    }
    this.costs[HEDGED].hedgeCost[path] = cost;
    this.costs[HEDGED].settlements[path] = total;
  }

  summary(): LpResult {
    const H = this.model.quarters;
    const figures = (m: Metrics): LpFigures => {
      let losses = 0;
      let paidBack = 0;
      for (let i = 0; i < this.paths; i++) {
        if (m.tvpi[i] < 1) losses++;
        if (Number.isFinite(m.payback[i])) paidBack++;
      }
      const irrs = m.irr.filter((x) => !Number.isNaN(x));
      return {
        irr: percentiles(irrs),
        tvpi: percentiles(m.tvpi),
        dpi: percentiles(m.dpi),
        endingNav: percentiles(m.nav),
        probabilityOfLoss: losses / this.paths,
        pathsWithoutIrr: this.paths - irrs.length,
        deepestCashOut: percentiles(m.trough),
        paybackYears: percentiles(m.payback),
        paidBack: paidBack / this.paths,
        pme: percentiles(m.pme),
      };
    };
    const outcome = (c: number): LpOutcome => ({
      gross: figures(this.metrics[0][c]),
      netOfCarry: this.withCarry ? figures(this.metrics[1][c]) : null,
      fees: percentiles(this.costs[c].fees),
      interest: percentiles(this.costs[c].interest),
      carry: this.withCarry ? percentiles(this.costs[c].carry) : null,
      hedge: c === HEDGED ? { cost: percentiles(this.costs[c].hedgeCost), settlements: percentiles(this.costs[c].settlements) } : null,
      calls: bandOf(this.bands[c].calls, this.sampled, H),
      distributions: bandOf(this.bands[c].distributions, this.sampled, H),
      netAssets: bandOf(this.bands[c].nav, this.sampled, H),
      unfunded: bandOf(this.bands[c].unfunded, this.sampled, H),
      hedgeSettlements: c === HEDGED ? bandOf(this.bands[c].settlements, this.sampled, H) : zeroBand(H),
    });
    return {
      lpId: this.lp.lpId,
      ownership: this.lp.ownership,
      bearsCarry: this.lp.bearsCarry,
      usd: outcome(USD),
      jpy: this.currencies === 3 ? outcome(1) : null,
      jpyHedged: this.currencies === 3 ? outcome(HEDGED) : null,
      sale: this.saleQ
        ? { year: this.saleQ / 4, quarter: this.saleQ, discount: percentiles(this.saleDiscounts), priceUsd: percentiles(this.salePrices) }
        : null,
    };
  }
}
