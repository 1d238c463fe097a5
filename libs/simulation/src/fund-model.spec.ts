import { DEFAULT_FUND_PARAMETERS, resolveFundParameters, type FundModelParameters } from './fund-parameters';
import { correlationFactor, simulateFund } from './fund-model';
import { smallFund as fork } from './testing/small-fund';

const byHand: FundModelParameters = {
  ...DEFAULT_FUND_PARAMETERS,
  quarters: 4,
  // 2% a quarter, income 1% a quarter, no volatility.
  sectors: { 'energy-grids': { growth: 1.02 ** 4 - 1, volatility: 0, incomeYield: 0.04, writeOffRate: 0, writeOffLoss: 0 } },
  sentimentLoading: 0,
  exitStartYears: 10,
  incomeStartYears: 0,
  callPace: 0.05,
  fundingQuarters: 3,
  targetLeverage: 1,
  repayRate: 0.5,
  managementFee: 0.02,
  expenseRate: 0.004,
  reserve: 0.01,
  distributionShare: 0.5,
  distributionStartYears: 1.5,
};

describe('the forward model of the fund', () => {
  it('with no volatility, runs the quarters computed by hand: calls, draws within the cap, interest on the days, fundings, a repayment', () => {
    // q1: 400 grows to 408, 4.08 of income, 50 called; fees 5 and expenses 1 paid, 100 funded: cash 48.08.
    // q2: 508 grows to 518.16, 5.1816 in, 50 called; 12.7384 short of the 100 funding and the 6 over the 10 reserve: drawn.
    // q3: 12.7384 x 8% x 92/360 = 0.26042951 of interest; 49.95519751 drawn for the last funding.
    // q4: nothing left to fund: no call; interest 62.69359751 x 8% x 92/360 = 1.28173577, then 0.16960087 repaid (cash above the reserve).
    const r = simulateFund(fork, byHand, { paths: 3, seed: 1, trace: true });
    expect(r.netAssets.p50.map((x) => +x.toFixed(8))).toEqual([500, 556.08, 615.4216, 677.82960249, 692.60966736]);
    expect(r.debt.p50.map((x) => +x.toFixed(8))).toEqual([0, 0, 12.7384, 62.69359751, 62.52399664]);
    expect(r.cash.p50.map((x) => +x.toFixed(8))).toEqual([100, 48.08, 10, 10, 10]);
    expect(r.netAssets.p5).toEqual(r.netAssets.p95);
    const [q1, q2, q3, q4] = r.trace!;
    expect([q1.call, q2.call, q3.call, q4.call]).toEqual([0.05, 0.05, 0.05, 0]);
    expect(q2.draws.map((d) => +d.amount.toFixed(8))).toEqual([12.7384]);
    expect(q3.interest).toEqual(['bank']);
    expect(q4.repayments.map((d) => +d.amount.toFixed(8))).toEqual([0.16960087]);
    expect(r.liquidityShortfall.probability).toBe(0);
    // The leverage ratio against the cap (0.5 x 1,000 admitted).
    expect(+r.leverageRatio.p50[4].toFixed(8)).toBe(+(62.52399664 / 500).toFixed(8));
  });

  it('refuses to draw past the leverage cap: what the cap does not cover is a shortfall, and the quarter it binds is reported', () => {
    const tight = { ...fork, leveragePolicy: { maxRatio: 0.02, basis: 'commitments' as const } };
    const r = simulateFund(tight, byHand, { paths: 1, seed: 1, trace: true });
    expect(Math.max(...r.debt.p50)).toBeLessThanOrEqual(20 + 1e-9);
    expect(r.capBinds.probability).toBe(1);
    expect(r.capBinds.firstQuarter!.p50).toBe(3);
    expect(r.liquidityShortfall.probability).toBe(1);
  });

  it('with correlation 1, moves every sector together; with 0, independently', () => {
    const sectors = ['ai-infrastructure', 'renewable-energy', 'semiconductors'];
    const one = correlationFactor(sectors, resolveFundParameters('base', { correlation: 1 }));
    // Every row of the factor is (1, 0, 0): each sector's shock is the first one.
    expect([...one].map((x) => +x.toFixed(12))).toEqual([1, 0, 0, 1, 0, 0, 1, 0, 0]);
    const two = { ...fork, projects: [fork.projects[0], { projectId: 'ai', sector: 'ai-infrastructure', cost: 400, fairValue: 400 }], allocations: [] };
    const same = {
      ...byHand,
      sentimentLoading: 0,
      correlationTech: 1,
      correlationInfrastructure: 1,
      correlationAcross: 1,
      sectors: {
        'energy-grids': { growth: 0.05, volatility: 0.2, incomeYield: 0, writeOffRate: 0, writeOffLoss: 0 },
        'ai-infrastructure': { growth: 0.05, volatility: 0.2, incomeYield: 0, writeOffRate: 0, writeOffLoss: 0 },
      },
    };
    const r = simulateFund(two, same, { paths: 1, seed: 7, trace: true });
    for (const q of r.trace!) expect(q.valuations[0].fairValue).toBeCloseTo(q.valuations[1].fairValue, 9);
    const apart = simulateFund(two, { ...same, correlationAcross: 0 }, { paths: 1, seed: 7, trace: true });
    expect(apart.trace![0].valuations[0].fairValue).not.toBeCloseTo(apart.trace![0].valuations[1].fairValue, 3);
  });

  it('writes a project off at its chance: its value loses its share, what is left to fund of it is abandoned (no more calls for it)', () => {
    const sure = { ...byHand, sectors: { 'energy-grids': { ...byHand.sectors['energy-grids'], writeOffRate: 1, writeOffLoss: 0.75 } } };
    const r = simulateFund(fork, sure, { paths: 1, seed: 1, trace: true });
    // q1: 400 keeps a quarter (100), then grows 2%; nothing is funded nor called after.
    expect(+r.trace![0].valuations[0].fairValue.toFixed(8)).toBe(102);
    expect(r.trace!.flatMap((q) => q.fundings)).toEqual([]);
    expect(r.trace!.map((q) => q.call)).toEqual([0, 0, 0, 0]);
    expect(r.writeOffs).toEqual([{ projectId: 'grid', probability: 1 }]);
    // Never at a chance of 0; at 10% a year, about 1 - 0.9^10 of paths over ten years.
    const never = simulateFund(fork, { ...byHand, quarters: 4 }, { paths: 200, seed: 1 });
    expect(never.writeOffs[0].probability).toBe(0);
    const tenYears = { ...fork, dates: Array.from({ length: 41 }, (_, q) => `${2030 + Math.floor(q / 4)}-${String(1 + 3 * (q % 4)).padStart(2, '0')}-01`) };
    const some = { ...byHand, quarters: 40, sectors: { 'energy-grids': { ...byHand.sectors['energy-grids'], writeOffRate: 0.1, writeOffLoss: 0.5 } } };
    expect(simulateFund(tenYears, some, { paths: 4000, seed: 5 }).writeOffs[0].probability).toBeCloseTo(1 - 0.9 ** 10, 1);
  });

  it('is reproducible, and checks its parameters', () => {
    const p = resolveFundParameters('base', { quarters: 8 });
    expect(simulateFund({ ...fork, dates: fork.dates }, p, { paths: 50, seed: 3 })).toEqual(simulateFund(fork, p, { paths: 50, seed: 3 }));
    expect(() => resolveFundParameters('base', { correlation: 2 })).toThrow(/correlation must be a number in \[-1, 1\]/);
    // -1 between every pair of three or more sectors is no correlation matrix: refused, not clamped.
    expect(() => resolveFundParameters('base', { correlation: -1 })).toThrow(/do not make a valid correlation matrix/);
    expect(() => resolveFundParameters('base', { correlationTech: 0.5, correlationInfrastructure: 0.5, correlationAcross: -0.9 })).toThrow(
      /valid correlation matrix/,
    );
    expect(() => resolveFundParameters('base', { 'quantum-computing.growth': 'x' })).toThrow(/quantum-computing.growth must be a number/);
    expect(() => resolveFundParameters('base', { nope: 1 })).toThrow(/Unknown parameter "nope"/);
    expect(() => resolveFundParameters('nope')).toThrow(/Unknown scenario/);
    expect(resolveFundParameters('tariff-delay').delayQuarters).toBe(4);
  });
});
