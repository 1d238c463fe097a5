import { Dec } from './money';
import { Money } from './money';
import fc from 'fast-check';
import { divRoundHalfEven, formatCents, parseCents, parseFraction, smallRate, timesRate, timesSmallRate } from './cents';

const amount = fc.tuple(fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n })).map(([c]) => formatCents(c));
const rate = fc
  .tuple(fc.integer({ min: 0, max: 10 ** 9 }), fc.integer({ min: 0, max: 12 }))
  .map(([n, places]) => new Dec(n).dividedBy(new Dec(10).pow(places)).toString());

describe('integer cents', () => {
  it('parse and format round-trip the way Money prints USD', () => {
    fc.assert(
      fc.property(amount, (text) => {
        expect(formatCents(parseCents(text))).toBe(Money.parse(text, 'USD').toString());
      }),
    );
    expect(parseCents('12')).toBe(1200n);
    expect(parseCents('-0.5')).toBe(-50n);
    expect(() => parseCents('1.005')).toThrow('Not a USD amount');
  });

  it('times a rate, rounded half to even, exactly as Money.times books it', () => {
    fc.assert(
      fc.property(amount, rate, (text, r) => {
        expect(formatCents(timesRate(parseCents(text), parseFraction(r)))).toBe(Money.parse(text, 'USD').times(r).toString());
      }),
      { numRuns: 500 },
    );
    expect(divRoundHalfEven(5n, 2n)).toBe(2n);
    expect(divRoundHalfEven(7n, 2n)).toBe(4n);
    expect(divRoundHalfEven(-5n, 2n)).toBe(-2n);
    expect(parseFraction('1.5e-3')).toEqual({ numerator: 15n, denominator: 10000n });
  });

  it('times a rate in float integers exactly as in BigInt, falling back when the product is too large', () => {
    const cents = fc.oneof(fc.integer({ min: 0, max: 2 ** 31 }), fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }));
    fc.assert(
      fc.property(cents, rate, (c, r) => {
        expect(timesSmallRate(c, smallRate(parseFraction(r)))).toBe(Number(timesRate(BigInt(c), parseFraction(r))));
      }),
      { numRuns: 2000 },
    );
    expect(timesSmallRate(5, smallRate(parseFraction('0.5')))).toBe(2);
    expect(timesSmallRate(15, smallRate(parseFraction('0.5')))).toBe(8);
  });
});
