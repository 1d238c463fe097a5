import { at, by, closeHeld, usJapanFundEstablished } from '../testing/fund-fixtures';
import { given } from '../testing/given-when-then';
import { InvestorLedger } from '../investors/investor-ledger';
import type { FundCommand } from './fund.commands';
import { availableCash, cashOn, distributionsPayable, netAssets } from './fund.queries';
import { evolveFund, initialFundState, type RecordedFundEvent } from './fund.state';

const cmd = (type: string, data: object, date = '2026-09-01') => ({ type, data, metadata: by('us-treasury', date) }) as FundCommand;

/** $1,000 admitted and fully called: $1,000 of cash from 2026-07-31. */
const givenFundWithCash = (): RecordedFundEvent[] => [
  usJapanFundEstablished(),
  closeHeld(1, '2026-06-30', '1000.00'),
  at('2026-07-01', {
    type: 'CapitalCalled',
    data: { callNumber: 1, percentage: '1', dueDate: '2026-07-31', admittedUsd: '1000.00', totalUsd: '1000.00', lpCount: 1 },
  }),
];
const declared = at('2026-09-01', {
  type: 'DistributionDeclared',
  data: { distributionNumber: 1, amount: '600.00', paymentDate: '2026-09-30', cashAvailable: '1000.00' },
});

describe('distribution decider', () => {
  it('declares a distribution payable on its payment date, within the cash available', () => {
    given(givenFundWithCash())
      .when(cmd('DeclareDistribution', { amount: '600.00', paymentDate: '2026-09-30' }))
      .then([{ type: 'DistributionDeclared', data: { distributionNumber: 1, amount: '600.00', paymentDate: '2026-09-30', cashAvailable: '1000.00' } }]);
  });

  it('keeps it a liability until paid, then takes it out of cash; net assets are the same either way', () => {
    const state = [...givenFundWithCash(), declared].reduce(evolveFund, initialFundState());
    expect([cashOn(state, '2026-09-15'), distributionsPayable(state, '2026-09-15'), availableCash(state, '2026-09-15')].map(String)).toEqual([
      '1000.00',
      '600.00',
      '400.00',
    ]);
    expect([cashOn(state, '2026-09-30'), distributionsPayable(state, '2026-09-30')].map(String)).toEqual(['400.00', '0.00']);
    expect(netAssets(state, '2026-09-15').toString()).toBe(netAssets(state, '2026-09-30').toString());
    // Before the call's due date the contribution is a receivable: net assets are 1,000 already.
    const called = givenFundWithCash().reduce(evolveFund, initialFundState());
    expect([cashOn(called, '2026-07-15'), netAssets(called, '2026-07-15')].map(String)).toEqual(['0.00', '1000.00']);
  });

  it('charges fees and records expenses out of the cash not promised to LPs', () => {
    given([...givenFundWithCash(), declared], new InvestorLedger())
      .when(cmd('ChargeManagementFee', { amount: '400.00', period: '2026-Q3' }))
      .then([{ type: 'ManagementFeeCharged', data: { amount: '400.00', period: '2026-Q3' } }]);
    given([...givenFundWithCash(), declared])
      .when(cmd('RecordExpense', { amount: '400.01', description: 'audit' }))
      .thenRejects('INSUFFICIENT_CASH');
  });

  it('rejects a distribution beyond the cash available', () => {
    given([...givenFundWithCash(), declared])
      .when(cmd('DeclareDistribution', { amount: '400.01' }))
      .thenRejects('DISTRIBUTION_EXCEEDS_CASH');
  });
});
