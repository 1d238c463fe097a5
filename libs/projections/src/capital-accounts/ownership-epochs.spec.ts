import { callRuleOf, opensEpoch, OWNERSHIP_RULES, parseCents, type OwnershipRule, type RecordedFundEvent } from '@fundsim/domain';
import { at, closeHeld, commitmentEntry, usJapanFundEstablished } from '@fundsim/domain/testing/fund-fixtures';
import { FundBooks } from '../fund-books';

/*
 * The seam of ownership epochs (libs/domain/src/investors/ownership.ts): an event becomes a change
 * of who owns what by one entry in OWNERSHIP_RULES, and every fold (the investor ledger, the fund's
 * state, the books' epochs) and the allocation policy take it from there. This test declares an
 * event that exists only here, which moves part of one LP's interest to another (not a transfer as
 * issue 30 will build it: no capital account moves with it), and checks that it opens an epoch and
 * that P&L and payouts before it are shared by the owners before it, and after it by those after.
 */

type InterestMoved = { type: 'TestInterestMoved'; data: { moveNumber: number; fromLp: string; toLp: string; amountUsd: string } };

const ZERO = { numerator: 0n, denominator: 1n };
const interestMoved: OwnershipRule = {
  numberOf: (data) => (data as unknown as InterestMoved['data']).moveNumber,
  apply: (holdings, data, epoch) => {
    const move = data as unknown as InterestMoved['data'];
    const cents = Number(parseCents(move.amountUsd));
    holdings.enter(move.fromLp, epoch, -cents, -cents);
    holdings.enter(move.toLp, epoch, cents, cents);
    return true;
  },
  // Nothing asked of the piece entering: no catch-up, no equalization interest.
  opening: () => ({ catchUpFraction: ZERO, catchUp: callRuleOf(ZERO, undefined), interestFactor: ZERO, paidInCents: 0n }),
};

const rules = OWNERSHIP_RULES as unknown as Record<string, OwnershipRule>;
beforeAll(() => (rules.TestInterestMoved = interestMoved));
afterAll(() => delete rules.TestInterestMoved);

const event = (date: string, type: string, data: object) => at(date, { type, data } as unknown as RecordedFundEvent);

/**
 * A (600.00) and B (400.00) admitted at close 1 and called in full; 100.00 of expenses on
 * 2026-09-30; on 2026-10-01 A's 300.00 moves to C (who committed after the close); 100.00 of
 * expenses and a distribution of 100.00 on 2026-12-31.
 */
function books(): FundBooks {
  const b = new FundBooks();
  b.applyFundEvents([usJapanFundEstablished()]);
  b.applyLpEvent(commitmentEntry('A', '600.00', 1));
  b.applyLpEvent(commitmentEntry('B', '400.00', 2));
  b.applyFundEvents([
    closeHeld(1, '2026-06-30', '1000.00', 2),
    event('2026-07-01', 'CapitalCalled', { callNumber: 1, percentage: '1', dueDate: '2026-07-01', admittedUsd: '1000.00', totalUsd: '1000.00', lpCount: 2 }),
    event('2026-09-30', 'ExpenseRecorded', { amount: '100.00', description: 'audit' }),
  ]);
  b.applyLpEvent(commitmentEntry('C', '1.00', 10));
  b.applyFundEvents([
    event('2026-10-01', 'TestInterestMoved', { moveNumber: 1, fromLp: 'A', toLp: 'C', amountUsd: '300.00' }),
    event('2026-12-31', 'ExpenseRecorded', { amount: '100.00', description: 'audit' }),
    event('2026-12-31', 'DistributionDeclared', { distributionNumber: 1, amount: '100.00', paymentDate: '2026-12-31', cashAvailable: '900.00' }),
  ]);
  return b;
}

describe('ownership epochs: an event declared in OWNERSHIP_RULES alone changes who shares P&L', () => {
  it('is an ownership event once declared, and opens the next epoch in the fund state and the books', () => {
    expect(opensEpoch({ type: 'CloseHeld' })).toBe(true);
    expect(opensEpoch({ type: 'TestInterestMoved' })).toBe(true);
    expect(opensEpoch({ type: 'ExpenseRecorded' })).toBe(false);
    const b = books();
    const ledger = b.timeline.asOf({ asOf: '2026-12-31' });
    expect(ledger.state.epochs.map((e) => [e.epoch, e.openedBy, e.openedByNumber, e.date, e.callsBefore])).toEqual([
      [1, 'CloseHeld', 1, '2026-06-30', 0],
      [2, 'TestInterestMoved', 1, '2026-10-01', 1],
    ]);
    expect(ledger.epochs.map((e) => e.admittedCents)).toEqual([100000n, 100000n]);
    expect(b.investors.epochsOpened).toBe(2);
    expect(b.timeline.asOf({ asOf: '2026-09-30' }).epochs).toHaveLength(1);
  });

  it('shares P&L before the change by the owners before it, and after it by those after', () => {
    const b = books();
    const expenses = (lpId: string, asOf: string, from?: string) => b.capitalAccount('usjp', lpId, { asOf, ...(from ? { from } : {}) }).rollForward.expenses;
    // Before: A and B, 60/40; C owns nothing yet.
    expect(['A', 'B', 'C'].map((lp) => expenses(lp, '2026-09-30'))).toEqual(['60.00', '40.00', '0.00']);
    // After: A 300.00, B 400.00, C 300.00 share the second 100.00 30/40/30.
    expect(['A', 'B', 'C'].map((lp) => expenses(lp, '2026-12-31', '2026-10-01'))).toEqual(['30.00', '40.00', '30.00']);
    expect(['A', 'B', 'C'].map((lp) => expenses(lp, '2026-12-31'))).toEqual(['90.00', '80.00', '30.00']);
  });

  it('splits a payout after the change over the new owners, and the register still sums to net assets', () => {
    const b = books();
    const distributions = ['A', 'B', 'C'].map((lp) => b.capitalAccount('usjp', lp, { asOf: '2026-12-31' }).rollForward.distributions);
    expect(distributions).toEqual(['30.00', '40.00', '30.00']);
    const before = b.register({ asOf: '2026-09-30' });
    expect(before.rows.map((r) => [r.lpId, r.commitmentUsd, r.netAssets])).toEqual([
      ['A', '600.00', '540.00'],
      ['B', '400.00', '360.00'],
    ]);
    // The capital account does not move with this test event (a transfer's rule would say what does): C holds 300.00 of commitment, its share of P&L only.
    const after = b.register({ asOf: '2026-12-31' });
    expect(after.rows.map((r) => [r.lpId, r.commitmentUsd, r.netAssets])).toEqual([
      ['A', '300.00', '480.00'],
      ['B', '400.00', '280.00'],
      ['C', '300.00', '-60.00'],
    ]);
    const sum = after.rows.reduce((total, r) => total + parseCents(r.netAssets), 0n);
    expect(sum).toBe(parseCents(after.netAssets));
    expect(after.netAssets).toBe('700.00');
  });
});
