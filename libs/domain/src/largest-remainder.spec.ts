import fc from 'fast-check';
import { allocateLargestRemainder } from './largest-remainder';
import { Dec, Money } from './money';

const split = (total: string, weights: Record<string, string>) =>
  Object.fromEntries(
    [...allocateLargestRemainder(Money.parse(total, 'USD'), Object.entries(weights).map(([key, w]) => ({ key, weight: new Dec(w) })))].map(([k, m]) => [k, m.toString()]),
  );

describe('allocateLargestRemainder', () => {
  it('gives the leftover cents to the largest remainders, ties by key', () => {
    expect(split('100.00', { a: '1', b: '1', c: '1' })).toEqual({ a: '33.34', b: '33.33', c: '33.33' });
    expect(split('100.00', { c: '1', b: '1', a: '1' })).toEqual({ a: '33.34', b: '33.33', c: '33.33' });
    expect(split('10.00', { a: '1', b: '2' })).toEqual({ a: '3.33', b: '6.67' });
    expect(split('0.05', { x: '0', y: '1' })).toEqual({ x: '0.00', y: '0.05' });
  });

  it('always sums to the total exactly (property)', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 10n ** 14n }),
        fc.array(fc.integer({ min: 0, max: 1_000_000 }), { minLength: 1, maxLength: 40 }),
        (cents, weights) => {
          const total = Money.of(new Dec(cents.toString()).dividedBy(100), 'USD');
          const parts = allocateLargestRemainder(total, weights.map((w, i) => ({ key: `lp-${String(i).padStart(3, '0')}`, weight: new Dec(w) })));
          const sum = [...parts.values()].reduce((s, m) => s.plus(m), Money.zero('USD'));
          const anyWeight = weights.some((w) => w > 0);
          return anyWeight ? sum.toString() === total.toString() : sum.isZero();
        },
      ),
    );
  });
});
