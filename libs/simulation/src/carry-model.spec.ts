import { accruedCarry, contribute, distribute, openWaterfall, parseWaterfallTerms, type WaterfallLedger } from '@fundsim/domain';
import fc from 'fast-check';
import { CarryAccount } from './carry-model';

const dateAfter = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

describe("the model's waterfall", () => {
  it("follows the books' waterfall to within a cent a step, on random histories and terms", () => {
    fc.assert(
      fc.property(
        fc.constantFrom('0', '0.06', '0.08'),
        fc.constantFrom('annual' as const, 'none' as const),
        fc.constantFrom('0', '0.5', '1'),
        fc.constantFrom('0.1', '0.2'),
        fc.array(fc.record({ days: fc.integer({ min: 0, max: 400 }), contribution: fc.boolean(), cents: fc.bigInt({ min: 1n, max: 50_000_000n }) }), {
          minLength: 1,
          maxLength: 25,
        }),
        fc.bigInt({ min: 0n, max: 100_000_000n }),
        fc.constantFrom(undefined, { rule: 'share-of-profit' as const }, { rule: 'rerun' as const }, { rule: 'rerun' as const, taxRate: '0.3' }),
        (rate, compounding, catchUp, carry, steps, nav, clawback) => {
          const terms = parseWaterfallTerms(
            {
              style: 'european',
              preferredReturn: { rate, compounding, dayCount: 'ACT/365' },
              catchUp,
              carriedInterest: carry,
              carryBearing: 'all',
              managerShares: [{ manager: 'm', share: '1' }],
              ...(clawback ? { clawback } : {}),
            },
            ['m'],
          );
          const model = new CarryAccount({
            preferredReturn: Number(rate),
            compounding,
            dayBasis: 365,
            catchUp: Number(catchUp),
            carriedInterest: Number(carry),
            ...(clawback ? { clawback: { rule: clawback.rule, ...(clawback.taxRate ? { taxRate: Number(clawback.taxRate) } : {}) } } : {}),
          });
          let ledger: WaterfallLedger = openWaterfall('2026-01-01');
          let date = '2026-01-01';
          for (const [i, step] of steps.entries()) {
            date = dateAfter(date, step.days);
            model.accrue(step.days);
            const dollars = Number(step.cents) / 100;
            if (step.contribution) {
              ledger = contribute(terms, ledger, step.cents, date);
              model.contribute(dollars);
              continue;
            }
            const books = distribute(terms, ledger, step.cents, date);
            ledger = books.ledger;
            // Each step rounds the books to the cent once a tier: a few cents apart at most, growing with the steps.
            expect(Math.abs(model.distribute(dollars) - Number(books.split.toLps) / 100)).toBeLessThanOrEqual(0.05 * (i + 1));
          }
          expect(Math.abs(model.liquidationCarry(Number(nav) / 100) - Number(accruedCarry(terms, ledger, nav, date)) / 100)).toBeLessThanOrEqual(
            0.05 * (steps.length + 1),
          );
        },
      ),
      { numRuns: 300 },
    );
  });
});
