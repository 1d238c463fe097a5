import { closeEntry, closeHeld, commitmentEntry, by, investorLedger, usJapanFundEstablished } from '../testing/fund-fixtures';
import { given } from '../testing/given-when-then';
import type { FundCommand } from './fund.commands';
import { splitByPurpose } from './call-purposes';

const afterFirstClose = () => [usJapanFundEstablished(), closeHeld(1, '2026-06-30', '200000000000.00', 3)];
const lps = () =>
  investorLedger(commitmentEntry('us-gov', '110000000000.00', 1), commitmentEntry('jp-gov', '90000000000.00', 2), closeEntry(1, '200000000000.00', 3));
const callWith = (purposes: unknown): FundCommand => ({
  type: 'CallCapital',
  data: { percentage: '0.10', dueDate: '2026-07-31', purposes } as never,
  metadata: by('us-treasury', '2026-07-01'),
});

describe('a call says what it is for', () => {
  it('records the purposes as given, fractions of the call', () => {
    given(afterFirstClose(), lps())
      .when(callWith({ investments: '0.9', managementFees: '0.075', expenses: '0.025' }))
      .then(([event]) =>
        expect(event.data).toMatchObject({ totalUsd: '20000000000.00', purposes: { investments: '0.9', managementFees: '0.075', expenses: '0.025' } }),
      );
  });

  it('records none when none are given (the notice reads all of it as investments)', () => {
    given(afterFirstClose(), lps())
      .when({ type: 'CallCapital', data: { percentage: '0.10' }, metadata: by('us-treasury', '2026-07-01') })
      .then(([event]) => expect(event.data).not.toHaveProperty('purposes'));
  });

  it.each([
    ['fractions summing to less than 1', { investments: '0.5', expenses: '0.4' }],
    ['fractions summing to more than 1', { investments: '0.9', facilityRepayment: '0.2' }],
    ['an unknown purpose', { investments: '0.5', bonuses: '0.5' }],
    ['an amount, not a fraction', { investments: '1000.00' }],
    ['a negative fraction', { investments: '1.1', expenses: '-0.1' }],
    ['a number, not a decimal string', { investments: 1 }],
    ['not an object', ['investments']],
  ])('rejects %s with INVALID_CALL_PURPOSES', (_name, purposes) => {
    given(afterFirstClose(), lps()).when(callWith(purposes)).thenRejects('INVALID_CALL_PURPOSES');
  });
});

describe('splitByPurpose', () => {
  it('splits an LP amount by largest remainder so the lines sum to it', () => {
    // 606.28 x 0.9 = 545.652, x 0.075 = 45.471, x 0.025 = 15.157: floors 545.65 + 45.47 + 15.15 =
    // 606.27; the cent left goes to the largest remainder (0.7 of a cent, expenses).
    expect(splitByPurpose(60628n, { investments: '0.9', managementFees: '0.075', expenses: '0.025' })).toEqual({
      investments: 54565n,
      managementFees: 4547n,
      expenses: 1516n,
      facilityRepayment: 0n,
    });
  });

  it('gives all of it to investments when the call recorded no purposes', () => {
    expect(splitByPurpose(60628n, undefined)).toEqual({ investments: 60628n, managementFees: 0n, expenses: 0n, facilityRepayment: 0n });
  });
});
