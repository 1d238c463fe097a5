import { parseCents, type RecordedFundEvent } from '@fundsim/domain';
import { FundBooks, type Performance } from '@fundsim/projections';
import fc from 'fast-check';
import { catchUpBooks } from '../follow/fund-follower';
import { dateAfter, runRandomHistory, step } from '../testing/random-fund';

/** Profit, undiscounted: distributed + residual value - paid in. */
const profit = (p: Performance) => parseCents(p.distributed) + parseCents(p.residualValue) - parseCents(p.paidIn);

describe('the fund without its facility over random histories (property)', () => {
  it('after every event: the LPs gain exactly the interest (paid and accrued) without the facility, as with it added back; what they pay in grows by at most what was drawn', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 40 }), async (steps) => {
        const books = new FundBooks(5);
        let position = 0;
        await runRandomHistory(steps, async (history: RecordedFundEvent[], _command, date, i, store) => {
          position = (await catchUpBooks(store, 'f', books, position)).position;
          for (const asOf of [date, dateAfter(i * 7 + 60)]) {
            const p = books.performance({ asOf });
            const interest = parseCents(p.interestExpense);
            expect(profit(p.withoutFacility) - profit(p.withFacility)).toBe(interest);
            expect(profit(p.interestAddedBack) - profit(p.withFacility)).toBe(interest);
            const drawn = history
              .filter((e) => e.type === 'LeverageDrawn' && e.metadata.effectiveDate <= asOf)
              .reduce((s, e) => s + parseCents((e.data as { amount: string }).amount), 0n);
            const more = parseCents(p.withoutFacility.paidIn) - parseCents(p.withFacility.paidIn);
            expect(more <= drawn).toBe(true);
          }
        });
      }),
      { numRuns: 40 },
    );
  }, 300_000);
});
