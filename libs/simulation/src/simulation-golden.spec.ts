import { createHash } from 'node:crypto';
import { simulateFund, type FundFork } from './fund-model';
import { resolveFundParameters } from './fund-parameters';

/**
 * Golden figures of fixed seeds, pinned before `simulateFund` was split into quarter steps and the
 * two parameter modules were given one resolver: a refactoring that changes a draw, its order or
 * one floating-point operation changes them. The fingerprint is the SHA-256 of the whole result
 * (every band, every percentile, path 0's trace), so it catches a change in the last bit anywhere.
 * When the LP followed became the engine of a new commitment (issue 28, one engine), its result
 * took a new shape (gross and net of carry, in yen too): the fingerprints changed with it, every
 * figure pinned below (the LP's IRR included) stayed to the last bit.
 */
const fingerprint = (x: unknown) => createHash('sha256').update(JSON.stringify(x)).digest('hex');

const quarterEnds = (from: string, n: number) =>
  Array.from({ length: n + 1 }, (_, q) => {
    const [y, m] = from.split('-').map(Number);
    const month = m - 1 + 3 * q;
    const end = new Date(Date.UTC(y + Math.floor(month / 12), (month % 12) + 1, 0));
    return end.toISOString().slice(0, 10);
  });

/** A fund with every part the model has: three sectors (tech, infrastructure, one unlisted), two facilities (one maturing inside the horizon), allocations approved and not, a waterfall, two managers, an LP followed. */
const fork: FundFork = {
  dates: quarterEnds('2028-12-31', 32),
  fundAgeYears: 2.5,
  admitted: 10_000,
  calledFraction: 0.4,
  cash: 150,
  leveragePolicy: { maxRatio: 0.6, basis: 'net-assets' },
  facilities: [
    { facilityId: 'bank-a', limit: 2500, principal: 1200, annualRate: 0.055, dayBasis: 360, maturityDate: '2033-06-30', accrued: 12 },
    { facilityId: 'bank-b', limit: 1500, principal: 300, annualRate: 0.048, dayBasis: 365, maturityDate: '2040-12-31', accrued: 0 },
  ],
  projects: [
    { projectId: 'dc', sector: 'ai-infrastructure', cost: 2000, fairValue: 2300 },
    { projectId: 'grid', sector: 'energy-grids', cost: 1500, fairValue: 1450 },
    { projectId: 'chips', sector: 'semiconductors', cost: 800, fairValue: 950 },
    { projectId: 'port', sector: 'harbours', cost: 400, fairValue: 420 },
  ],
  allocations: [
    { allocationId: 'al-dc', project: 0, unfunded: 1800, committed: true },
    { allocationId: 'al-grid', project: 1, unfunded: 900, committed: true },
    { allocationId: 'al-port', project: 3, unfunded: 600, committed: false },
  ],
  pastFlows: [-1000, 0, -1000, -500, 0, -1000, 0, 0, -500, 0],
  pastPaidIn: 4000,
  pastDistributed: 0,
  interestBefore: 85,
  carry: {
    terms: { preferredReturn: 0.08, compounding: 'annual', dayBasis: 365, catchUp: 1, carriedInterest: 0.2 },
    account: { contributed: 4000, returned: 0, prefAccrued: 420, prefPaid: 0, lpsProfit: 0, managers: 0 },
    bearing: 1,
  },
  managers: [
    { manager: 'us-treasury', share: 0.5, lpOwnership: 0.01 },
    { manager: 'jp-mof', share: 0.5, lpOwnership: 0.005 },
  ],
  lp: { lpId: 'lp-1', ownership: 0.002, netAssets: 9.5, paidIn: 9.5, paidAtFork: 0, bearsCarry: true, paysFees: true },
};

describe('golden figures of fixed seeds (unchanged by refactoring)', () => {
  it('the fund model, base scenario, seed 2026: p5, p50 and p95 as pinned', () => {
    const r = simulateFund(fork, resolveFundParameters('base', { quarters: 32 }), { paths: 400, seed: 2026, trace: true });
    expect([r.netAssets.p5[32], r.netAssets.p50[32], r.netAssets.p95[32]]).toEqual([4270.639726587367, 6971.854423526775, 12539.140992177185]);
    expect([r.fund.withLeverageCost.irr.p5, r.fund.withLeverageCost.irr.p50, r.fund.withLeverageCost.irr.p95]).toEqual([
      0.03323099307523747, 0.10309977648284163, 0.18732754300168053,
    ]);
    expect([r.fund.netOfCarry!.tvpi.p5, r.fund.netOfCarry!.tvpi.p50, r.fund.netOfCarry!.tvpi.p95]).toEqual([
      1.1883533908429145, 1.5744393953081255, 2.3718527166914587,
    ]);
    expect([r.lp!.usd.netOfCarry!.irr.p5, r.lp!.usd.netOfCarry!.irr.p50, r.lp!.usd.netOfCarry!.irr.p95]).toEqual([
      0.03835922754831844, 0.09792689000989974, 0.18793465989000824,
    ]);
    expect([r.managers[0].total.p5, r.managers[0].total.p50, r.managers[0].total.p95]).toEqual([421.25533908429145, 1177.9131836659692, 2254.421167533469]);
    expect(r.liquidityShortfall.probability).toBe(0);
    expect(fingerprint(r)).toBe('640a86594ff1678271e4dfd444aa7783403ff9f9e4112d55f7b7f13368b1d36c');
  });

  it('the fund model, where the cap binds and cash runs short (bear, tight leverage, correlated), seed 7', () => {
    const tight = { ...fork, leveragePolicy: { maxRatio: 0.18, basis: 'commitments' as const } };
    const p = resolveFundParameters('bear', { quarters: 32, correlation: 0.8, callPace: 0, targetLeverage: 1, 'ai-infrastructure.growth': 0.05 });
    const r = simulateFund(tight, p, { paths: 300, seed: 7, trace: true });
    expect(r.capBinds).toEqual({ probability: 1, firstQuarter: { p5: 2, p25: 2, p50: 2, p75: 2, p95: 2 } });
    expect(r.liquidityShortfall.probability).toBe(1);
    expect([r.netAssets.p5[32], r.netAssets.p50[32], r.netAssets.p95[32], r.debt.p50[20]]).toEqual([
      1111.9089794273395, 4642.684685624477, 9876.162320491285, 1709.532331590455,
    ]);
    expect(fingerprint(r)).toBe('8e1d496149e1ddcd8dfbc5baec1e6c5a336a3a142bf9d4e4cff014d966bb1b9c');
  });

  it("a new yen commitment followed on the fund's paths, in a fund where most capital bears no carry, seed 42", () => {
    const exempt = { ...fork, carry: { ...fork.carry!, bearing: 0.4 } };
    const lp = { lpId: 'simulated-lp', ownership: 0.001, netAssets: 4, paidIn: 4.05, paidAtFork: 4.05, bearsCarry: true, paysFees: true, fxSpot: 157.23 };
    const r = simulateFund({ ...exempt, lp }, resolveFundParameters('base', { quarters: 32 }), { paths: 300, seed: 42 });
    const [usd, jpy] = [r.lp!.usd, r.lp!.jpy!];
    // The carry bites on the best paths only (the pool's preferred return is 8%, compounding).
    expect([usd.gross.irr.p95, usd.netOfCarry!.irr.p95, usd.netOfCarry!.tvpi.p5, usd.netOfCarry!.probabilityOfLoss]).toEqual([
      0.2260135940413197, 0.21672279959181862, 1.1746432220508023, 0.006666666666666667,
    ]);
    expect([jpy.netOfCarry!.irr.p50, jpy.netOfCarry!.tvpi.p50]).toEqual([0.1146738865267134, 1.6840107059143383]);
    expect(fingerprint(r.lp)).toBe('b2a9f604f9ba08b2301cf2135a23db3fbc9e4d09ee0f964b548e28d6eac205ad');
  });
});
