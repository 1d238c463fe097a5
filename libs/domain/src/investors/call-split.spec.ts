import fc from 'fast-check';
import { parseFraction, timesRate } from '../cents';
import { callRuleOf, callShare, callShareSmall, splitCall } from './call-split';
import { smallRate } from '../cents';

/** LPs as [id, admitted cents], split at `rate` through the recorded cut. */
function amounts(lps: readonly [string, number][], percentage: string) {
  const rate = parseFraction(percentage);
  const histogram = new Map<number, number>();
  for (const [, cents] of lps) histogram.set(cents, (histogram.get(cents) ?? 0) + 1);
  const sorted = [...lps].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const { totalCents, split } = splitCall(rate, histogram, (weights) => sorted.filter(([, c]) => weights.has(c)).map(([id]) => id));
  const rule = callRuleOf(rate, split);
  return { totalCents, split, each: new Map(lps.map(([id, cents]) => [id, callShare(BigInt(cents), id, rule)])), rule, rate };
}

describe('a call split by largest remainder', () => {
  it('gives the cent left to the largest remainder, ties by LP id (worked by hand)', () => {
    // 50% of 0.05 + 0.05 + 100.00 = 50.05; rounded down 0.02 + 0.02 + 50.00; the cent left to a.
    const { totalCents, each, split } = amounts(
      [
        ['b', 5],
        ['a', 5],
        ['c', 10_000],
      ],
      '0.5',
    );
    expect(totalCents).toBe(5005n);
    expect(Object.fromEntries(each)).toEqual({ a: 3n, b: 2n, c: 5000n });
    expect(split).toEqual({ remainderAbove: '5', tiedThrough: 'a' });
  });

  it('sums to the rate of the admitted total, each LP within a cent of its exact share, ranked as largest remainder (property)', () => {
    const lp = fc.tuple(fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j'), fc.integer({ min: 1, max: 10 ** 9 }));
    fc.assert(
      fc.property(
        fc.uniqueArray(lp, { selector: ([id]) => id, minLength: 1, maxLength: 10 }),
        fc.constantFrom('0.1', '0.07', '0.333', '0.5', '1', '0.0125', '0.25'),
        (lps, percentage) => {
          const { totalCents, each, rule, rate } = amounts(lps, percentage);
          const admitted = lps.reduce((sum, [, c]) => sum + BigInt(c), 0n);
          expect(totalCents).toBe(timesRate(admitted, rate));
          expect([...each.values()].reduce((a, b) => a + b, 0n)).toBe(totalCents);
          // The reference: every exact share rounded down, the cents left to the largest remainders, ties by id.
          const exact = lps.map(([id, c]) => ({
            id,
            floor: (BigInt(c) * rate.numerator) / rate.denominator,
            remainder: (BigInt(c) * rate.numerator) % rate.denominator,
          }));
          let left = totalCents - exact.reduce((sum, e) => sum + e.floor, 0n);
          for (const e of [...exact].sort((x, y) => (x.remainder > y.remainder ? -1 : x.remainder < y.remainder ? 1 : x.id < y.id ? -1 : 1))) {
            expect(each.get(e.id)).toBe(e.floor + (left > 0n ? 1n : 0n));
            if (left > 0n) left--;
          }
          // The register's float path gives the same amounts.
          for (const [id, c] of lps) expect(BigInt(callShareSmall(c, id, rule, smallRate(rate)))).toBe(each.get(id));
        },
      ),
    );
  });

  it('keeps the rule of calls recorded before it: each LP rounded half to even on its own', () => {
    const rule = callRuleOf(parseFraction('0.5'), undefined);
    expect(callShare(5n, 'a', rule)).toBe(2n);
    expect(callShare(15n, 'a', rule)).toBe(8n);
  });
});
