import { resolveFundParameters } from './fund-parameters';
import { select } from './percentiles';
import { quarterlyIrr } from './quarterly-irr';

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
    expect(() => resolveFundParameters(name)).toThrow(/Unknown scenario/);
  });
});
