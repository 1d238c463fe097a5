import { DEFAULT_FUND_PARAMETERS, type FundModelParameters } from './fund-parameters';
import { simulateFund, type FundFork } from './fund-model';
import { smallFund } from './testing/small-fund';

/** The small fund of fund-model.spec.ts, with one LP followed (10% of it), over two years (issue 30: what leaving early costs). */
const fork: FundFork = {
  ...smallFund,
  dates: ['2030-01-01', '2030-04-01', '2030-07-01', '2030-10-01', '2031-01-01', '2031-04-01', '2031-07-01', '2031-10-01', '2032-01-01'],
  lp: { lpId: 'lp-1', ownership: 0.1, netAssets: 50, paidIn: 50, paidAtFork: 0, bearsCarry: true, paysFees: true },
};
const run = (over: Partial<FundModelParameters> = {}) => simulateFund(fork, { ...DEFAULT_FUND_PARAMETERS, quarters: 8, ...over }, { paths: 2000, seed: 7 });

describe("an LP's sale of its interest on the secondary market (saleYear)", () => {
  const held = run();
  it('holds to the horizon by default: no sale', () => {
    expect(held.lp!.sale).toBeNull();
  });

  it('sold at the horizon with no discount is worth what holding is: the same TVPI and IRR on every percentile, the fund the same', () => {
    const sold = run({ saleYear: 2, secondaryDiscount: 0, secondaryDiscountVolatility: 0 });
    for (const k of ['p5', 'p50', 'p95'] as const) {
      expect(sold.lp!.usd.gross.tvpi[k]).toBeCloseTo(held.lp!.usd.gross.tvpi[k], 10);
      expect(sold.lp!.usd.gross.irr[k]).toBeCloseTo(held.lp!.usd.gross.irr[k], 10);
    }
    // Its ending net assets are now the price, paid to it: in what it received, not what it holds.
    expect(sold.lp!.usd.gross.endingNav.p50).toBe(0);
    expect(sold.lp!.sale!.priceUsd.p50).toBeCloseTo(held.lp!.usd.gross.endingNav.p50, 6);
    // The fund's own paths do not depend on the sale (its discount has a generator of its own).
    expect(sold.fund).toEqual(held.fund);
  });

  it('a year early at a 20% discount: the price is 80% of its net assets then, and leaving costs it against holding on most paths', () => {
    const atPar = run({ saleYear: 1, secondaryDiscount: 0, secondaryDiscountVolatility: 0 });
    const discounted = run({ saleYear: 1, secondaryDiscount: 0.2, secondaryDiscountVolatility: 0 });
    expect(discounted.lp!.sale!.year).toBe(1);
    expect(discounted.lp!.sale!.quarter).toBe(4);
    for (const k of ['p5', 'p50', 'p95'] as const) {
      expect(discounted.lp!.sale!.priceUsd[k]).toBeCloseTo(0.8 * atPar.lp!.sale!.priceUsd[k], 8);
      expect(discounted.lp!.sale!.discount[k]).toBeCloseTo(0.2, 12);
    }
    expect(discounted.lp!.usd.gross.tvpi.p50).toBeLessThan(atPar.lp!.usd.gross.tvpi.p50);
    // After the sale it holds nothing: no net assets, no unfunded commitment in its bands.
    expect(discounted.lp!.usd.netAssets.p95[5]).toBe(0);
    expect(discounted.lp!.usd.unfunded.p95[8]).toBe(0);
  });

  it("draws each path's discount around the documented mean, within 0-90%", () => {
    const sold = run({ saleYear: 1 });
    const d = sold.lp!.sale!.discount;
    expect(d.p50).toBeGreaterThan(0.13);
    expect(d.p50).toBeLessThan(0.17);
    expect(d.p5).toBeGreaterThanOrEqual(0);
    expect(d.p95).toBeLessThanOrEqual(0.9);
    expect(d.p95 - d.p5).toBeGreaterThan(0.2);
  });
});
