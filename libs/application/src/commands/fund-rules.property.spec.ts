import { availableCash, Dec, foldFundHistory, Money, totalDebt } from '@fundsim/domain';
import fc from 'fast-check';
import { runRandomHistory, step } from '../testing/random-fund';

/**
 * Random command sequences, valid or not: whatever the deciders accept, the fund's state never
 * breaks a rule. Rejected commands must write nothing; accepted ones keep every invariant.
 */
const SPENDING = new Set(['FundProject', 'PayInterest', 'RepayLeverage', 'DeclareDistribution', 'ChargeManagementFee', 'RecordExpense']);

describe('fund rules over random command sequences (property)', () => {
  it('never leave a state that breaks a rule, and rejected commands write nothing', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 50 }), async (steps) => {
        await runRandomHistory(steps, (history, command, date) => {
          const state = foldFundHistory(history);
          const config = state.config!;
          expect(state.calledFraction.lte(1)).toBe(true);
          // Spending must fit in the cash available. A default may still leave it short: the fund
          // counted on the money from the due date, and the books must show that it never came.
          if (SPENDING.has(command.type)) expect(availableCash(state, date).amount.isNegative()).toBe(false);
          expect(totalDebt(state).gt(state.admittedUsd.times(config.leveragePolicy.maxRatio))).toBe(false);
          for (const f of state.facilities.values()) expect(f.principal.gt(f.limit)).toBe(false);
          const limit = state.admittedUsd.times(new Dec(config.concentrationLimit));
          for (const p of state.projects.values()) expect(p.committed.gt(limit)).toBe(false);
          for (const a of state.allocations.values()) {
            expect(a.funded.gt(a.amount)).toBe(false);
            if (a.status !== 'committed') expect(a.funded.isZero()).toBe(true);
          }
          expect(Money.zero('USD').gt(state.admittedUsd)).toBe(false);
        });
      }),
      { numRuns: 150 },
    );
  }, 60_000);
});
