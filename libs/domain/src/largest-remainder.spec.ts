import fc from 'fast-check';
import { largestRemainder } from './largest-remainder';

const split = (total: bigint, weights: Record<string, bigint>) =>
  Object.fromEntries(
    largestRemainder(
      total,
      Object.entries(weights).map(([key, weight]) => ({ key, weight })),
    ),
  );

describe('largestRemainder', () => {
  it('gives the leftover units to the largest remainders, ties by key', () => {
    expect(split(10_000n, { a: 1n, b: 1n, c: 1n })).toEqual({ a: 3334n, b: 3333n, c: 3333n });
    expect(split(10_000n, { c: 1n, b: 1n, a: 1n })).toEqual({ a: 3334n, b: 3333n, c: 3333n });
    expect(split(1000n, { a: 1n, b: 2n })).toEqual({ a: 333n, b: 667n });
    expect(split(5n, { x: 0n, y: 1n })).toEqual({ x: 0n, y: 5n });
    expect(split(5n, { x: 0n, y: 0n })).toEqual({ x: 0n, y: 0n });
  });

  it('ranks remainders exactly where floats would tie them', () => {
    // Remainders 10^20 - 1 and 10^20 - 2 out of 10^20 + 1: equal as doubles, not as integers.
    const big = 10n ** 20n;
    const parts = largestRemainder(1n, [
      { key: 'a', weight: big - 2n },
      { key: 'b', weight: big - 1n },
      { key: 'c', weight: 4n },
    ]);
    expect(parts.get('b')).toBe(1n);
    expect(parts.get('a')).toBe(0n);
  });

  it('always sums to the total exactly, each part within one unit of its exact share (property)', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 10n ** 16n }),
        fc.array(fc.bigInt({ min: 0n, max: 10n ** 12n }), { minLength: 1, maxLength: 40 }),
        (total, weights) => {
          const parts = largestRemainder(
            total,
            weights.map((weight, i) => ({ key: `lp-${String(i).padStart(3, '0')}`, weight })),
          );
          const sum = [...parts.values()].reduce((a, b) => a + b, 0n);
          const totalWeight = weights.reduce((a, b) => a + b, 0n);
          expect(sum).toBe(totalWeight === 0n ? 0n : total);
          weights.forEach((w, i) => {
            const part = parts.get(`lp-${String(i).padStart(3, '0')}`)!;
            if (totalWeight > 0n) expect(part === (w * total) / totalWeight || part === (w * total) / totalWeight + 1n).toBe(true);
          });
        },
      ),
    );
  });
});
