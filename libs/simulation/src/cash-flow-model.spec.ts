import { deterministicPath, scheduleOf, select, simulate, type CommitmentStart } from './cash-flow-model';
import { DEFAULT_PARAMETERS, resolveParameters, type ModelParameters } from './parameters';
import { quarterlyIrr } from './quarterly-irr';

const horizonOfAge = (age: number) => scheduleOf({ ...fresh, fundAgeQuarters: age }, DEFAULT_PARAMETERS).quarters;
const fresh: CommitmentStart = { commitment: 1000, paidIn: 0, equalizationInterest: 0, nav: 0, fundAgeQuarters: 0 };
/** Rates chosen so each quarter is easy by hand: calls 25% of what is left, 10% distributed, 2% growth a quarter. */
const byHand: ModelParameters = {
  ...DEFAULT_PARAMETERS,
  contributionRates: [1 - 0.75 ** 4],
  growth: 1.02 ** 4 - 1,
  yield: 1 - 0.9 ** 4,
  bow: 10,
  life: 12,
  leverage: 1,
  rate: 0.04,
  rateMean: 0.04,
  growthVolatility: 0,
  pacingVolatility: 0,
  rateVolatility: 0,
  fxVolatility: 0,
  horizonQuarters: 3,
  managementFee: 0,
  distributionStartYears: 0,
};
const still = { growthVolatility: 0, pacingVolatility: 0, rateVolatility: 0, fxVolatility: 0 };

describe('the Takahashi-Alexander model, quarterly', () => {
  it('matches quarters computed by hand', () => {
    // q1: call 250 of 1000, nothing to grow; q2: call 187.50, 250 grows to 255.00, 25.50 out;
    // q3: call 140.625, 417 grows to 425.34, 42.534 out.
    const path = deterministicPath(fresh, byHand, false);
    expect(path.calls.map((x) => +x.toFixed(6))).toEqual([0, 250, 187.5, 140.625]);
    expect(path.distributions.map((x) => +x.toFixed(6))).toEqual([0, 0, 25.5, 42.534]);
    expect(path.nav.map((x) => +x.toFixed(6))).toEqual([0, 250, 417, 523.431]);
    // With leverage 1 at 4% a year (1% a quarter): growth 2% + (2% - 1%) = 3% a quarter.
    const levered = deterministicPath(fresh, byHand, true);
    expect(+levered.nav[2].toFixed(6)).toBe(257.5 + 187.5 - 25.75);
  });

  it('waits for the delay before calling, and distributes everything at the end of life', () => {
    const s = scheduleOf(fresh, { ...DEFAULT_PARAMETERS, delayQuarters: 4 });
    expect([...s.contribution.slice(1, 5)]).toEqual([0, 0, 0, 0]);
    expect(s.contribution[5]).toBeGreaterThan(0);
    expect(s.distribution[s.quarters]).toBe(1);
    expect(s.quarters).toBe(12 * 4 + 4);
  });

  it('with every volatility at zero, every Monte Carlo path is the deterministic one', () => {
    const p = { ...resolveParameters('base', 0.045, still), horizonQuarters: 20 };
    const result = simulate(fresh, p, { paths: 50, seed: 7 });
    for (const [levered, outcome] of [
      [false, result.usd.withoutLeverage],
      [true, result.usd.withLeverage],
    ] as const) {
      const path = deterministicPath(fresh, p, levered);
      for (let q = 0; q <= 20; q++) {
        expect(outcome.schedule.nav.p5[q]).toBeCloseTo(path.nav[q], 9);
        expect(outcome.schedule.nav.p95[q]).toBeCloseTo(path.nav[q], 9);
        expect(outcome.schedule.calls.p50[q]).toBeCloseTo(path.calls[q], 9);
        expect(outcome.schedule.distributions.p50[q]).toBeCloseTo(path.distributions[q], 9);
      }
      expect(outcome.tvpi.p5).toBe(outcome.tvpi.p95);
      const paid = path.calls.reduce((a, b) => a + b, 0);
      expect(outcome.tvpi.p50).toBeCloseTo((path.distributions.reduce((a, b) => a + b, 0) + path.nav[20]) / paid, 9);
    }
  });

  it('leverage widens the spread of outcomes', () => {
    const result = simulate(fresh, resolveParameters('base', 0.045), { paths: 2000, seed: 11 });
    const spread = (o: typeof result.usd.withLeverage) => o.tvpi.p95 - o.tvpi.p5;
    expect(spread(result.usd.withLeverage)).toBeGreaterThan(1.5 * spread(result.usd.withoutLeverage));
    expect(result.usd.withLeverage.probabilityOfLoss).toBeGreaterThan(result.usd.withoutLeverage.probabilityOfLoss);
  });

  it('gives a JPY investor the USD results converted along the USD/JPY path', () => {
    // No FX volatility but a drift: the path is spot x e^(drift q / 4).
    const p = { ...resolveParameters('base', 0.045, { ...still, fxDrift: 0.02 }), horizonQuarters: 12 };
    const result = simulate(fresh, p, { paths: 5, seed: 3, fxSpot: 150 });
    for (let q = 0; q <= 12; q++) {
      const fx = 150 * Math.exp((0.02 * q) / 4);
      expect(result.jpy!.withoutLeverage.schedule.nav.p50[q]).toBeCloseTo(result.usd.withoutLeverage.schedule.nav.p50[q] * fx, 6);
      expect(result.jpy!.withLeverage.schedule.calls.p50[q]).toBeCloseTo(result.usd.withLeverage.schedule.calls.p50[q] * fx, 6);
    }
    // Without drift the multiples are the same in both currencies.
    const flat = simulate(fresh, { ...p, fxDrift: 0 }, { paths: 5, seed: 3, fxSpot: 150 });
    expect(flat.jpy!.withLeverage.tvpi.p50).toBeCloseTo(flat.usd.withLeverage.tvpi.p50, 12);
    expect(flat.jpy!.withoutLeverage.irr.p50).toBeCloseTo(flat.usd.withoutLeverage.irr.p50, 9);
  });

  it('charges the management fee out of NAV, which makes the J-curve, and distributes nothing before the start', () => {
    const value = (path: { calls: number[]; distributions: number[]; nav: number[] }, q: number) => {
      const paid = path.calls.slice(0, q + 1).reduce((a, b) => a + b, 0);
      return (path.distributions.slice(0, q + 1).reduce((a, b) => a + b, 0) + path.nav[q]) / paid;
    };
    const withFees = deterministicPath(fresh, { ...DEFAULT_PARAMETERS, ...still }, false);
    const noFees = deterministicPath(fresh, { ...DEFAULT_PARAMETERS, ...still, managementFee: 0 }, false);
    // In the first quarters: below 1 with fees (the J-curve), above 1 without (growth alone);
    // later, growth outruns the fees.
    expect(value(withFees, 2)).toBeLessThan(1);
    expect(value(noFees, 2)).toBeGreaterThan(1);
    expect(value(withFees, 40)).toBeGreaterThan(1);
    expect(value(withFees, 40)).toBeLessThan(value(noFees, 40));
    // 1% a year of 1,000 is 2.50 a quarter: the first quarter's NAV is its call less the fee.
    expect(+withFees.nav[1].toFixed(6)).toBe(+(withFees.calls[1] - 2.5).toFixed(6));
    // Nothing distributed in the first 13 quarters (3.25 years from the first close), then some.
    expect(withFees.distributions.slice(1, 14).every((d) => d === 0)).toBe(true);
    expect(withFees.distributions[14]).toBeGreaterThan(0);
    // An LP admitted when the fund is already 4 years old is paid from its first quarter on.
    const late = deterministicPath({ ...fresh, nav: 500, paidIn: 500, fundAgeQuarters: 16 }, { ...DEFAULT_PARAMETERS, ...still }, false);
    expect(late.distributions[1]).toBeGreaterThan(0);
  });

  it('takes the fund age to the day: an LP admitted half a quarter later pays one quarter less of fees', () => {
    const fees = (age: number) => scheduleOf({ ...fresh, fundAgeQuarters: age }, DEFAULT_PARAMETERS).fee.filter((f) => f > 0).length;
    expect(fees(1)).toBe(47);
    expect(fees(1.5)).toBe(46);
    expect(horizonOfAge(1.5)).toBe(47);
  });

  it('gives finite figures for an LP admitted part way through a quarter, in every scenario and currency', () => {
    for (const scenario of ['base', 'bull', 'bear', 'tariff-delay', 'rate-shock']) {
      for (const age of [0, 0.3, 1.69, 7.5]) {
        const start = { ...fresh, fundAgeQuarters: age };
        const result = simulate(start, resolveParameters(scenario, undefined), { paths: 200, seed: 1, fxSpot: 150 });
        for (const outcome of [result.usd.withLeverage, result.usd.withoutLeverage, result.jpy!.withLeverage, result.jpy!.withoutLeverage]) {
          const figures = [outcome.irr, outcome.tvpi, outcome.dpi, outcome.endingNav].flatMap((p) => Object.values(p));
          const bands = [outcome.schedule.calls, outcome.schedule.distributions, outcome.schedule.nav].flatMap((b) => [...b.p5, ...b.p50, ...b.p95]);
          expect([scenario, age, [...figures, ...bands].every(Number.isFinite)]).toEqual([scenario, age, true]);
        }
        const calls = deterministicPath(start, resolveParameters(scenario, undefined), false).calls.reduce((a, b) => a + b, 0);
        expect([scenario, age, Math.round(calls * 1e6) / 1e6]).toEqual([scenario, age, 1000]);
      }
    }
  });

  it('calls what is left evenly over a year whose rate is 1, not all in one quarter', () => {
    const path = deterministicPath(fresh, { ...DEFAULT_PARAMETERS, ...still, contributionRates: [0.5, 1], horizonQuarters: 8 }, false);
    const secondYear = path.calls.slice(5, 9);
    // Half is called in the first year; the second year calls the other half, a quarter each.
    expect(secondYear.map((x) => +x.toFixed(6))).toEqual([125, 125, 125, 125]);
    expect(+path.calls.reduce((a, b) => a + b, 0).toFixed(6)).toBe(1000);
  });

  it('counts every path in every percentile: a total loss is an IRR of -100%, not a missing value', () => {
    // A crash with heavy leverage: many paths get nothing back.
    const params = { ...DEFAULT_PARAMETERS, growth: -0.4, growthVolatility: 0.6, leverage: 5 };
    const result = simulate(fresh, params, { paths: 2000, seed: 7 });
    const levered = result.usd.withLeverage;
    expect(levered.pathsWithoutIrr).toBe(0);
    expect(levered.irr.p5).toBe(-1);
    expect(levered.probabilityOfLoss).toBeGreaterThan(0.05);
  });

  it('is reproducible: the same seed gives the same numbers, another seed others', () => {
    const p = resolveParameters('bear', 0.045);
    const a = JSON.stringify(simulate(fresh, p, { paths: 300, seed: 42, fxSpot: 150 }));
    expect(JSON.stringify(simulate(fresh, p, { paths: 300, seed: 42, fxSpot: 150 }))).toBe(a);
    expect(JSON.stringify(simulate(fresh, p, { paths: 300, seed: 43, fxSpot: 150 }))).not.toBe(a);
  });

  it('names scenarios and checks overrides', () => {
    expect(resolveParameters('rate-shock', 0.045)).toMatchObject({ rate: 0.075, rateMean: 0.075 });
    expect(resolveParameters('tariff-delay', undefined).delayQuarters).toBe(4);
    expect(() => resolveParameters('moon', 0.045)).toThrow(/Unknown scenario "moon"/);
    expect(() => resolveParameters('base', 0.045, { growth: 3 })).toThrow(/growth must be a number in \[-0.5, 1\]/);
    expect(() => resolveParameters('base', 0.045, { warp: 1 })).toThrow(/Unknown parameter "warp"/);
  });
});

describe('quarterly IRR and selection', () => {
  it('solves known cases and gives no rate without a sign change', () => {
    expect(quarterlyIrr([-100, 0, 0, 0, 110])).toBeCloseTo(0.1, 12);
    expect(quarterlyIrr([-100, 50, 60])).toBeCloseTo(Math.pow(1 + 0.0639, 4) - 1, 3);
    expect(quarterlyIrr([-100, 0, 0, 0, 50])).toBeCloseTo(-0.5, 12);
    expect(quarterlyIrr([100, 50])).toBeNaN();
    expect(quarterlyIrr([0, 0])).toBeNaN();
  });

  it('selects the k-th smallest value as a sort would', () => {
    const values = Float64Array.from({ length: 1001 }, (_, i) => Math.sin(i) * 1000);
    const sorted = values.slice().sort();
    for (const k of [0, 50, 500, 950, 1000]) expect(select(values.slice(), k)).toBe(sorted[k]);
  });
});

describe('scenario names', () => {
  it.each(['constructor', '__proto__', 'toString', 'hasOwnProperty'])('are looked up among the scenarios only: %s is unknown', (name) => {
    expect(() => resolveParameters(name, undefined)).toThrow(/Unknown scenario/);
  });
});

describe('the outcome net of carried interest', () => {
  const steady = { ...DEFAULT_PARAMETERS, ...still, growth: 0.15, managementFee: 0.01 };
  const carry = { preferredReturn: 0.08, compounding: 'annual' as const, dayBasis: 365 as const, catchUp: 1, carriedInterest: 0.2 };

  it('leaves the managers 20% of the whole profit when a full catch-up is reached: net TVPI - 1 = 0.8 x (gross TVPI - 1)', () => {
    const result = simulate(fresh, steady, { paths: 3, seed: 1, carry }).usd.withoutLeverage;
    const gross = result.tvpi.p50;
    expect(gross).toBeGreaterThan(1.5);
    expect(result.netOfCarry!.tvpi.p50 - 1).toBeCloseTo(0.8 * (gross - 1), 9);
    expect(result.netOfCarry!.irr.p50).toBeLessThan(result.irr.p50);
  });

  it('takes no carry from an outcome below the preferred return, and gives none without terms', () => {
    const low = simulate(fresh, { ...steady, growth: 0.04 }, { paths: 3, seed: 1, carry }).usd.withoutLeverage;
    expect(low.irr.p50).toBeLessThan(0.08);
    expect(low.netOfCarry!.tvpi.p50).toBeCloseTo(low.tvpi.p50, 12);
    expect(simulate(fresh, steady, { paths: 3, seed: 1 }).usd.withoutLeverage.netOfCarry).toBeUndefined();
  });
});
