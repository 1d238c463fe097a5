import { tierSplit } from './notices';

describe("a distribution's tiers as they reach one LP", () => {
  it('split its cash by largest remainder so the lines sum exactly to it', () => {
    // The LPs' part 700.00 = 500.00 capital + 120.00 preferred + 0 catch-up + 80.00 gain; an LP
    // receiving 233.33 gets 5/7, 12/70 and 8/70 of it: 166.6643 / 39.9994 / 26.6663; floors
    // 166.66 + 39.99 + 26.66 = 233.31, the two cents left to the largest remainders (0.94 of a
    // cent: preferred, 40.00; 0.63: gain, 26.67), capital keeping 166.66.
    const split = { returnOfCapital: '500.00', preferredReturn: '120.00', catchUpToLps: '0.00', carriedInterestToLps: '80.00' };
    expect(tierSplit(23333n, split)).toEqual({ returnOfCapital: 16666n, preferredReturn: 4000n, catchUp: 0n, gain: 2667n });
  });

  it('put nothing on a tier the distribution did not reach', () => {
    expect(tierSplit(12345n, { returnOfCapital: '700.00', preferredReturn: '0.00', catchUpToLps: '0.00', carriedInterestToLps: '0.00' })).toEqual({
      returnOfCapital: 12345n,
      preferredReturn: 0n,
      catchUp: 0n,
      gain: 0n,
    });
  });
});
