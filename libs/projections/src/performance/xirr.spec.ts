import { xirr } from './xirr';

describe('xirr', () => {
  it("matches Excel's documented example: 0.373362535", () => {
    const rate = xirr([
      { date: '2008-01-01', amount: -10000 },
      { date: '2008-03-01', amount: 2750 },
      { date: '2008-10-30', amount: 4250 },
      { date: '2009-02-15', amount: 3250 },
      { date: '2009-04-01', amount: 2750 },
    ]);
    expect(rate).toBeCloseTo(0.373362535, 8);
  });

  it('finds a one-year doubling at 100% and a loss as a negative rate', () => {
    expect(
      xirr([
        { date: '2026-01-01', amount: -100 },
        { date: '2027-01-01', amount: 200 },
      ]),
    ).toBeCloseTo(1, 9);
    expect(
      xirr([
        { date: '2026-01-01', amount: -100 },
        { date: '2027-01-01', amount: 80 },
      ]),
    ).toBeCloseTo(-0.2, 9);
  });

  it('gives no result, never a wrong number, when there is no rate', () => {
    expect(
      xirr([
        { date: '2026-01-01', amount: -100 },
        { date: '2027-01-01', amount: -50 },
      ]),
    ).toBeUndefined();
    expect(
      xirr([
        { date: '2026-01-01', amount: 100 },
        { date: '2027-01-01', amount: 50 },
      ]),
    ).toBeUndefined();
    expect(xirr([{ date: '2026-01-01', amount: -100 }])).toBeUndefined();
    expect(xirr([])).toBeUndefined();
  });

  it('falls back to bracketing when Newton leaves the domain', () => {
    // Losing 98% in a year: from the default guess of 10% Newton's first step lands below -100%.
    const rate = xirr([
      { date: '2026-01-01', amount: -100 },
      { date: '2027-01-01', amount: 2 },
    ]);
    expect(rate).toBeCloseTo(-0.98, 9);
  });
});
