import { CarryAccount, type CarryTerms } from './carry-model';
import type { ModelParameters } from './parameters';
import { pathOutcome } from './quarterly-irr';
import { Random } from './random';

/** Where an LP stands right after its commitment is admitted (USD). */
export interface CommitmentStart {
  /** Admitted commitment. */
  commitment: number;
  /** Capital already paid in at admission (the catch-up on earlier calls). */
  paidIn: number;
  /** Equalization interest paid at admission: a cost, outside capital. */
  equalizationInterest: number;
  /** The LP's NAV right after admission. */
  nav: number;
  /** Quarters from the fund's first close to the admission, to the day (0 when this close is the first). */
  fundAgeQuarters: number;
}

/** The quarter-by-quarter rates of the deterministic model, from the fund's age. */
export interface Schedule {
  quarters: number;
  /** Quarterly rate of contribution (of what is left to call), before pacing noise. */
  contribution: Float64Array;
  /** Quarterly rate of distribution (of NAV after growth). */
  distribution: Float64Array;
  /** Quarterly management fee, as a fraction of the commitment. */
  fee: Float64Array;
}

/** Quarters simulated: to the end of the fund's life (calls delayed by delayQuarters), at least 4, the last one at or past it. */
export function horizonOf(start: CommitmentStart, p: ModelParameters): number {
  return p.horizonQuarters ?? Math.max(4, Math.ceil(p.life * 4 + p.delayQuarters - start.fundAgeQuarters));
}

/**
 * The annual rates of Takahashi and Alexander, per quarter: RC for the year of the fund's life
 * (quarterly: 1 - (1 - RC)^(1/4); a year with RC = 1 calls what is left evenly over its four
 * quarters); RD = max(Y, (t/L)^B) for t the fund's age in years (quarterly
 * likewise), 1 from the end of life on. Calls wait for the delay; the age counts from then.
 */
export function scheduleOf(start: CommitmentStart, p: ModelParameters): Schedule {
  const quarters = horizonOf(start, p);
  const contribution = new Float64Array(quarters + 1);
  const distribution = new Float64Array(quarters + 1);
  const fee = new Float64Array(quarters + 1);
  for (let q = 1; q <= quarters; q++) {
    // Fees run from the fund's first close to the end of its life, whatever the delay of calls.
    if ((start.fundAgeQuarters + q) / 4 <= p.life) fee[q] = p.managementFee / 4;
    const age = start.fundAgeQuarters + q - p.delayQuarters;
    if (age <= 0) continue;
    // The year of the fund's life this quarter falls in (its first for an age below one quarter).
    const year = Math.max(0, Math.floor((age - 1) / 4));
    const rc = p.contributionRates[Math.min(year, p.contributionRates.length - 1)];
    // A year that calls everything left (RC = 1) calls it evenly over its quarters (1/4, 1/3,
    // 1/2, then all of what is left), not all in its first quarter.
    contribution[q] = rc >= 1 ? 1 / (4 - Math.min(3, Math.max(0, Math.floor(age - 1 - year * 4)))) : 1 - Math.pow(1 - rc, 0.25);
    const years = age / 4;
    // Nothing is distributed before the fund starts to (its age counted from its first close).
    if ((start.fundAgeQuarters + q) / 4 <= p.distributionStartYears) continue;
    distribution[q] = years >= p.life ? 1 : 1 - Math.pow(1 - Math.max(p.yield, Math.pow(years / p.life, p.bow)), 0.25);
  }
  return { quarters, contribution, distribution, fee };
}

/** One path of the deterministic model: calls, distributions and NAV by quarter (index 0 = admission). */
export interface DeterministicPath {
  calls: number[];
  distributions: number[];
  nav: number[];
}

/**
 * Takahashi and Alexander's recurrence, quarterly, with no randomness, and the fund's fees:
 * C_q = RC_q x (commitment - paid in); D_q = RD_q x NAV_{q-1} x (1 + g);
 * NAV_q = max(0, NAV_{q-1} x (1 + g) + C_q - D_q - fee_q x commitment), with
 * g = (1 + G)^(1/4) - 1, or with leverage g + leverage x (g - rate / 4).
 */
export function deterministicPath(start: CommitmentStart, p: ModelParameters, levered: boolean): DeterministicPath {
  const s = scheduleOf(start, p);
  const g0 = Math.pow(1 + p.growth, 0.25) - 1;
  const g = levered ? g0 + p.leverage * (g0 - p.rate / 4) : g0;
  const calls = [start.paidIn];
  const distributions = [0];
  const nav = [start.nav];
  let left = start.commitment - start.paidIn;
  for (let q = 1; q <= s.quarters; q++) {
    const c = s.contribution[q] * left;
    left -= c;
    const grown = Math.max(0, nav[q - 1] * (1 + g));
    const d = s.distribution[q] * grown;
    calls.push(c);
    distributions.push(d);
    nav.push(Math.max(0, grown + c - d - s.fee[q] * start.commitment));
  }
  return { calls, distributions, nav };
}

/** Percentiles of one figure over the paths. */
export interface Percentiles {
  p5: number;
  p25: number;
  p50: number;
  p75: number;
  p95: number;
}

export interface Outcome extends NetOutcome {
  /** By quarter (0 = admission): calls, distributions and NAV at p5, p50, p95, over the sampled paths. */
  schedule: { calls: Band; distributions: Band; nav: Band };
  /**
   * In a fund with a waterfall: the same figures net of carried interest (each distribution
   * through the fund's tiers, the ending NAV less the carry a liquidation would pay); the figures
   * above are then gross.
   */
  netOfCarry?: NetOutcome;
}

/** An LP's outcome over the paths. */
export interface NetOutcome {
  irr: Percentiles;
  tvpi: Percentiles;
  dpi: Percentiles;
  endingNav: Percentiles;
  /** Paths that end with less than was paid in (TVPI < 1). */
  probabilityOfLoss: number;
  /** Paths on which no IRR exists though they did not lose (the flows never change sign); a total loss counts as -100%. */
  pathsWithoutIrr: number;
}

export interface Band {
  p5: number[];
  p50: number[];
  p95: number[];
}

export interface SimulationResult {
  paths: number;
  quarters: number;
  /** Paths whose quarterly figures the bands are computed from. */
  sampledPaths: number;
  usd: { withLeverage: Outcome; withoutLeverage: Outcome };
  /** In yen along each path's USD/JPY, for a JPY investor. */
  jpy?: { withLeverage: Outcome; withoutLeverage: Outcome };
}

/** Bands by quarter come from the first 10,000 paths (all of them when fewer): memory stays flat. */
export const SAMPLED_PATHS = 10_000;

/**
 * Monte Carlo over `paths` seeded paths. Each path draws, per quarter: a fat-tailed growth shock
 * (Student-t), a pacing factor on the call rate (lognormal), the facility rate (mean-reverting),
 * and for a JPY investor the USD/JPY rate (lognormal); the same draws serve the path with and
 * without leverage, so the two differ only by leverage. With every volatility at zero, each path
 * is `deterministicPath`.
 */
export function simulate(
  start: CommitmentStart,
  p: ModelParameters,
  options: { paths: number; seed: number; fxSpot?: number; carry?: CarryTerms; onProgress?: (done: number) => void },
): SimulationResult {
  const { paths, seed, fxSpot, carry } = options;
  const s = scheduleOf(start, p);
  const H = s.quarters;
  const sampled = Math.min(paths, SAMPLED_PATHS);
  const random = new Random(seed);
  const g0 = Math.pow(1 + p.growth, 0.25) - 1;
  const gVol = p.growthVolatility / 2;
  const paceVol = p.pacingVolatility;
  const paceDrift = -(paceVol * paceVol) / 2;
  const rateVol = p.rateVolatility / 2;
  const fxVol = p.fxVolatility / 2;
  const fxDrift = (p.fxDrift - (p.fxVolatility * p.fxVolatility) / 2) / 4;
  const currencies = fxSpot === undefined ? 1 : 2;

  // Per path: metrics by [variant][currency]; per sampled path and quarter: the bands' inputs.
  const metric = () =>
    Array.from({ length: 2 }, () =>
      Array.from({ length: currencies }, () => ({
        irr: new Float64Array(paths),
        tvpi: new Float64Array(paths),
        dpi: new Float64Array(paths),
        nav: new Float64Array(paths),
      })),
    );
  const metrics = metric();
  // Net of carry, in a fund with a waterfall: each variant's LP account with the managers.
  const netMetrics = carry ? metric() : undefined;
  const accounts = carry ? [new CarryAccount(carry), new CarryAccount(carry)] : undefined;
  const netDist = [new Float64Array(H + 1), new Float64Array(H + 1)];
  const netEnd = [0, 0];
  const band = () =>
    Array.from({ length: 2 }, () =>
      Array.from({ length: currencies }, () => ({
        calls: new Float64Array(sampled * (H + 1)),
        distributions: new Float64Array(sampled * (H + 1)),
        nav: new Float64Array(sampled * (H + 1)),
      })),
    );
  const bands = band();

  const flows = [new Float64Array(H + 1), new Float64Array(H + 1)];
  const fxPath = new Float64Array(H + 1);
  const callPath = new Float64Array(H + 1);
  const distPath = [new Float64Array(H + 1), new Float64Array(H + 1)];
  const navPath = [new Float64Array(H + 1), new Float64Array(H + 1)];
  const localFlows = new Float64Array(H + 1);
  const paidAtAdmission = start.paidIn + start.equalizationInterest;

  for (let path = 0; path < paths; path++) {
    let left = start.commitment - start.paidIn;
    let rate = p.rate;
    let fx = fxSpot ?? 1;
    const nav = [start.nav, start.nav];
    fxPath[0] = fx;
    callPath[0] = paidAtAdmission;
    for (let v = 0; v < 2; v++) {
      flows[v][0] = -paidAtAdmission;
      distPath[v][0] = 0;
      navPath[v][0] = start.nav;
      netDist[v][0] = 0;
      accounts?.[v].reset();
      accounts?.[v].contribute(start.paidIn);
    }
    for (let q = 1; q <= H; q++) {
      const pace = paceVol === 0 ? 1 : Math.exp(paceDrift + paceVol * random.normal());
      const c = Math.min(1, s.contribution[q] * pace) * left;
      left -= c;
      const shock = gVol === 0 ? 0 : random.studentT(p.tailDof);
      const g = g0 + gVol * shock;
      if (rateVol > 0 || p.rateReversion > 0)
        rate = Math.max(0, rate + (p.rateReversion * (p.rateMean - rate)) / 4 + (rateVol === 0 ? 0 : rateVol * random.normal()));
      const levered = g + p.leverage * (g - rate / 4);
      const fee = s.fee[q] * start.commitment;
      for (let v = 0; v < 2; v++) {
        const grown = Math.max(0, nav[v] * (1 + (v === 0 ? g : levered)));
        const d = s.distribution[q] * grown;
        nav[v] = Math.max(0, grown + c - d - fee);
        flows[v][q] = d - c;
        distPath[v][q] = d;
        if (accounts) {
          const account = accounts[v];
          // A quarter: a quarter of a 365-day year (the model's quarters have no dates).
          account.accrue(91.25);
          account.contribute(c);
          netDist[v][q] = account.distribute(d);
        }
        navPath[v][q] = nav[v];
      }
      callPath[q] = c;
      if (currencies === 2) fx *= Math.exp(fxDrift + (fxVol === 0 ? 0 : fxVol * random.normal()));
      fxPath[q] = fx;
    }
    for (let v = 0; v < 2; v++) {
      flows[v][H] += nav[v];
      if (accounts) netEnd[v] = nav[v] - accounts[v].liquidationCarry(nav[v]);
      for (let k = 0; k < currencies; k++) {
        const rates = k === 0 ? undefined : fxPath;
        let paidIn = 0;
        let distributed = 0;
        for (let q = 0; q <= H; q++) {
          const fxq = rates ? rates[q] : 1;
          paidIn += callPath[q] * fxq;
          distributed += distPath[v][q] * fxq;
          localFlows[q] = flows[v][q] * fxq;
        }
        const end = nav[v] * (rates ? rates[H] : 1);
        const score = (m: (typeof metrics)[number][number], distributedTotal: number, endValue: number) => {
          const o = pathOutcome(localFlows, H + 1, paidIn, distributedTotal, endValue);
          m.irr[path] = o.irr;
          m.tvpi[path] = o.tvpi;
          m.dpi[path] = o.dpi;
          m.nav[path] = endValue;
        };
        score(metrics[v][k], distributed, end);
        if (netMetrics) {
          let netDistributed = 0;
          for (let q = 0; q <= H; q++) {
            const fxq = rates ? rates[q] : 1;
            netDistributed += netDist[v][q] * fxq;
            localFlows[q] = (netDist[v][q] - callPath[q]) * fxq;
          }
          const netEndLocal = netEnd[v] * (rates ? rates[H] : 1);
          localFlows[H] += netEndLocal;
          score(netMetrics[v][k], netDistributed, netEndLocal);
        }
        if (path < sampled) {
          const b = bands[v][k];
          for (let q = 0; q <= H; q++) {
            const fxq = rates ? rates[q] : 1;
            b.calls[q * sampled + path] = callPath[q] * fxq;
            b.distributions[q * sampled + path] = distPath[v][q] * fxq;
            b.nav[q * sampled + path] = navPath[v][q] * fxq;
          }
        }
      }
    }
    if (options.onProgress && (path + 1) % 1000 === 0) options.onProgress(path + 1);
  }

  const outcome = (v: number, k: number): Outcome => {
    const m = metrics[v][k];
    const b = bands[v][k];
    const byQuarter = (values: Float64Array) => bandOf(values, sampled, H);
    return {
      ...figures(m, paths),
      schedule: { calls: byQuarter(b.calls), distributions: byQuarter(b.distributions), nav: byQuarter(b.nav) },
      ...(netMetrics ? { netOfCarry: figures(netMetrics[v][k], paths) } : {}),
    };
  };
  return {
    paths,
    quarters: H,
    sampledPaths: sampled,
    usd: { withLeverage: outcome(1, 0), withoutLeverage: outcome(0, 0) },
    ...(currencies === 2 ? { jpy: { withLeverage: outcome(1, 1), withoutLeverage: outcome(0, 1) } } : {}),
  };
}

/** The percentiles of each figure over the paths, the probability of loss, the paths without an IRR. */
function figures(m: { irr: Float64Array; tvpi: Float64Array; dpi: Float64Array; nav: Float64Array }, paths: number): NetOutcome {
  let losses = 0;
  for (let i = 0; i < paths; i++) if (m.tvpi[i] < 1) losses++;
  const irrs = m.irr.filter((x) => !Number.isNaN(x));
  return {
    irr: percentiles(irrs),
    tvpi: percentiles(m.tvpi),
    dpi: percentiles(m.dpi),
    endingNav: percentiles(m.nav),
    probabilityOfLoss: losses / paths,
    pathsWithoutIrr: paths - irrs.length,
  };
}

/** p5, p50 and p95 by quarter of figures stored quarter by quarter, `sampled` paths each (reordered in place). */
export function bandOf(values: Float64Array, sampled: number, quarters: number): Band {
  const out: Band = { p5: [], p50: [], p95: [] };
  for (let q = 0; q <= quarters; q++) {
    const quarter = values.subarray(q * sampled, (q + 1) * sampled);
    out.p5.push(select(quarter, rankIndex(sampled, 0.05)));
    out.p50.push(select(quarter, rankIndex(sampled, 0.5)));
    out.p95.push(select(quarter, rankIndex(sampled, 0.95)));
  }
  return out;
}

/** Index of the nearest-rank percentile p among n sorted values. */
export const rankIndex = (n: number, p: number): number => Math.min(n - 1, Math.max(0, Math.ceil(p * n) - 1));

/** Nearest-rank percentile of sorted values. */
function rank(sorted: Float64Array, p: number): number {
  return sorted.length === 0 ? NaN : sorted[rankIndex(sorted.length, p)];
}

/**
 * The k-th smallest value (quickselect, reordering `values` in place): what a full sort would put
 * at k, in linear time. The bands need three ranks of 10,000 values for each quarter.
 */
export function select(values: Float64Array, k: number): number {
  let lo = 0;
  let hi = values.length - 1;
  while (hi > lo) {
    const mid = (lo + hi) >>> 1;
    // Median of three as the pivot.
    const a = values[lo],
      b = values[mid],
      c = values[hi];
    const pivot = a < b ? (b < c ? b : a < c ? c : a) : a < c ? a : b < c ? c : b;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (values[i] < pivot) i++;
      while (values[j] > pivot) j--;
      if (i <= j) {
        const t = values[i];
        values[i] = values[j];
        values[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return values[k];
  }
  return values[k];
}

export function percentiles(values: Float64Array): Percentiles {
  const sorted = values.slice().sort();
  return { p5: rank(sorted, 0.05), p25: rank(sorted, 0.25), p50: rank(sorted, 0.5), p75: rank(sorted, 0.75), p95: rank(sorted, 0.95) };
}
