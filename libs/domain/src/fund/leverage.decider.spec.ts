import type { RejectionCode } from '../rejections';
import { at, by, closeHeld, usJapanFundEstablished } from '../testing/fund-fixtures';
import { given } from '../testing/given-when-then';
import type { FundCommand } from './fund.commands';
import { cashOn, totalDebt } from './fund.queries';
import { withinLeverageCap } from './limits';
import { Money } from '../money';
import { evolveFund, initialFundState, type RecordedFundEvent } from './fund.state';

const close = (admittedUsd: string): RecordedFundEvent => closeHeld(1, '2026-06-30', admittedUsd);
const facilityOpened = (limit = '500000000000.00', dayCount: 'ACT/365' | 'ACT/360' = 'ACT/365'): RecordedFundEvent =>
  at('2026-07-01', {
    type: 'CreditFacilityOpened',
    data: { facilityId: 'jbic-1', lender: 'JBIC', limit, annualRate: '0.05', dayCount, maturityDate: '2031-07-01' },
  });
const drawn = (amount: string, date = '2026-07-01'): RecordedFundEvent =>
  at(date, { type: 'LeverageDrawn', data: { facilityId: 'jbic-1', amount, principalAfter: amount, totalDebtAfter: amount, leverageCap: '466000000000.00' } });

/** $200B admitted, a $500B facility at 5%: the cap is 2.33 x 200B = 466B. */
const givenLeveredFund = (dayCount: 'ACT/365' | 'ACT/360' = 'ACT/365') => [
  usJapanFundEstablished(),
  close('200000000000.00'),
  facilityOpened(undefined, dayCount),
];
const cmd = (type: string, data: object, date = '2026-07-01', actor = 'us-treasury') => ({ type, data, metadata: by(actor, date) }) as FundCommand;

describe('leverage decider', () => {
  it('opens a credit facility', () => {
    given([usJapanFundEstablished(), close('200000000000.00')])
      .when(
        cmd('OpenCreditFacility', {
          facilityId: 'jbic-1',
          lender: 'JBIC',
          limit: '500000000000.00',
          annualRate: '0.05',
          dayCount: 'ACT/365',
          maturityDate: '2031-07-01',
        }),
      )
      .then([
        {
          type: 'CreditFacilityOpened',
          data: { facilityId: 'jbic-1', lender: 'JBIC', limit: '500000000000.00', annualRate: '0.05', dayCount: 'ACT/365', maturityDate: '2031-07-01' },
        },
      ]);
  });

  it('draws within the limit and the cap, recording the figures behind both checks, and adds the cash', () => {
    const history = givenLeveredFund();
    given(history)
      .when(cmd('DrawLeverage', { facilityId: 'jbic-1', amount: '466000000000.00' }))
      .then([
        {
          type: 'LeverageDrawn',
          data: {
            facilityId: 'jbic-1',
            amount: '466000000000.00',
            principalAfter: '466000000000.00',
            totalDebtAfter: '466000000000.00',
            leverageCap: '466000000000.00',
          },
        },
      ]);
    const after = [...history, drawn('1000.00')].reduce(evolveFund, initialFundState());
    expect(cashOn(after, '2026-07-01').toString()).toBe('1000.00');
    expect(totalDebt(after).toString()).toBe('1000.00');
  });

  it("refuses a draw over the cap with the named check's own figures and message, the ones compliance reports", () => {
    const history = givenLeveredFund();
    const { state } = given(history);
    const check = withinLeverageCap(state, '2026-07-01', Money.parse('466000000000.01', 'USD'));
    expect([check.ok, check.code, check.figures.cap, check.figures.debtAfter]).toEqual([false, 'LEVERAGE_CAP_EXCEEDED', '466000000000.00', '466000000000.01']);
    expect(() =>
      given(history)
        .when(cmd('DrawLeverage', { facilityId: 'jbic-1', amount: '466000000000.01' }))
        .then([]),
    ).toThrow(check.message);
    given(history)
      .when(cmd('DrawLeverage', { facilityId: 'jbic-1', amount: '466000000000.01' }))
      .thenRejects('LEVERAGE_CAP_EXCEEDED');
  });

  it.each([
    ['ACT/365', '25068.49'],
    ['ACT/360', '25416.67'],
  ] as const)('pays simple interest by %s: $1M at 5%% for 183 days is %s', (dayCount, interest) => {
    given([...givenLeveredFund(dayCount), drawn('1000000.00')])
      .when(cmd('PayInterest', { facilityId: 'jbic-1' }, '2026-12-31'))
      .then([{ type: 'InterestPaid', data: { facilityId: 'jbic-1', amount: interest, throughDate: '2026-12-31' } }]);
  });

  it('accrues from the last payment, carrying the rounding remainder', () => {
    const paid = at('2026-12-31', { type: 'InterestPaid', data: { facilityId: 'jbic-1', amount: '25068.49', throughDate: '2026-12-31' } });
    // 1M x 5% x 1/365 = 136.986..., plus the 0.00315 left from the first payment: 136.99.
    given([...givenLeveredFund(), drawn('1000000.00'), paid])
      .when(cmd('PayInterest', { facilityId: 'jbic-1' }, '2027-01-01'))
      .then(([event]) => expect(event.data).toMatchObject({ amount: '136.99' }));
  });

  it('repays principal out of cash', () => {
    given([...givenLeveredFund(), drawn('1000000.00')])
      .when(cmd('RepayLeverage', { facilityId: 'jbic-1', amount: '400000.00' }, '2026-08-01'))
      .then([{ type: 'LeverageRepaid', data: { facilityId: 'jbic-1', amount: '400000.00', principalAfter: '600000.00' } }]);
  });

  const rows: [string, RecordedFundEvent[], FundCommand, RejectionCode][] = [
    [
      'a second facility with the same id',
      givenLeveredFund(),
      cmd('OpenCreditFacility', { facilityId: 'jbic-1', lender: 'X', limit: '1.00', annualRate: '0.01', dayCount: 'ACT/365', maturityDate: '2030-01-01' }),
      'FACILITY_EXISTS',
    ],
    ['a draw on an unknown facility', givenLeveredFund(), cmd('DrawLeverage', { facilityId: 'nope', amount: '1.00' }), 'UNKNOWN_FACILITY'],
    ['a draw after maturity', givenLeveredFund(), cmd('DrawLeverage', { facilityId: 'jbic-1', amount: '1.00' }, '2031-07-01'), 'FACILITY_MATURED'],
    [
      'a draw over the facility limit',
      [usJapanFundEstablished(), close('200000000000.00'), facilityOpened('100.00')],
      cmd('DrawLeverage', { facilityId: 'jbic-1', amount: '100.01' }),
      'FACILITY_LIMIT_EXCEEDED',
    ],
    ['a draw over the leverage cap', givenLeveredFund(), cmd('DrawLeverage', { facilityId: 'jbic-1', amount: '466000000000.01' }), 'LEVERAGE_CAP_EXCEEDED'],
    ['interest when none accrued', givenLeveredFund(), cmd('PayInterest', { facilityId: 'jbic-1' }, '2026-12-31'), 'NO_INTEREST_DUE'],
    [
      'a repayment beyond the principal',
      [...givenLeveredFund(), drawn('100.00')],
      cmd('RepayLeverage', { facilityId: 'jbic-1', amount: '100.01' }),
      'REPAYMENT_EXCEEDS_DEBT',
    ],
    [
      'a repayment beyond the cash (interest was paid out of it)',
      [
        ...givenLeveredFund(),
        drawn('1000000.00'),
        at('2026-12-31', { type: 'InterestPaid', data: { facilityId: 'jbic-1', amount: '25068.49', throughDate: '2026-12-31' } }),
      ],
      cmd('RepayLeverage', { facilityId: 'jbic-1', amount: '1000000.00' }, '2027-01-15'),
      'INSUFFICIENT_CASH',
    ],
    [
      'a draw by someone who is not a manager',
      givenLeveredFund(),
      cmd('DrawLeverage', { facilityId: 'jbic-1', amount: '1.00' }, '2026-07-01', 'a-banker'),
      'ACTOR_NOT_MANAGER',
    ],
  ];
  it.each(rows)('rejects %s', (_name, history, command, code) => {
    given(history).when(command).thenRejects(code);
  });

  describe('amending a facility (a command added by its catalog entry, its decider and its evolve)', () => {
    const amend = (limit: string, maturityDate: string, date = '2026-09-01') => cmd('AmendCreditFacility', { facilityId: 'jbic-1', limit, maturityDate }, date);
    const amendment = (limit: string, maturityDate: string) => ({
      type: 'CreditFacilityAmended' as const,
      data: { facilityId: 'jbic-1', limit, maturityDate, limitBefore: '500000000000.00', maturityDateBefore: '2031-07-01', principal: '100000000000.00' },
    });
    const amended = (limit: string, maturityDate: string): RecordedFundEvent => at('2026-09-01', amendment(limit, maturityDate));

    it('records the new limit and maturity with what they were and the principal they cover', () => {
      given([...givenLeveredFund(), drawn('100000000000.00')])
        .when(amend('150000000000', '2033-07-01'))
        .then([amendment('150000000000.00', '2033-07-01')]);
    });

    it('holds later draws to the amended limit, and lets them run to the amended maturity', () => {
      const history = [...givenLeveredFund(), drawn('100000000000.00'), amended('150000000000.00', '2033-07-01')];
      given(history)
        .when(cmd('DrawLeverage', { facilityId: 'jbic-1', amount: '50000000001.00' }, '2026-10-01'))
        .thenRejects('FACILITY_LIMIT_EXCEEDED');
      given(history)
        .when(cmd('DrawLeverage', { facilityId: 'jbic-1', amount: '50000000000.00' }, '2031-08-01'))
        .then((events) => expect(events[0]).toMatchObject({ type: 'LeverageDrawn', data: { principalAfter: '150000000000.00' } }));
    });

    const rows: [string, RecordedFundEvent[], FundCommand, RejectionCode][] = [
      [
        'a limit below the principal outstanding',
        [...givenLeveredFund(), drawn('100000000000.00')],
        amend('99999999999.99', '2033-07-01'),
        'FACILITY_LIMIT_EXCEEDED',
      ],
      ['a facility that has matured', givenLeveredFund(), amend('500000000000', '2033-07-01', '2031-07-01'), 'FACILITY_MATURED'],
      ['a maturity on or before the amendment', givenLeveredFund(), amend('500000000000', '2026-09-01'), 'INVALID_DATE'],
      [
        'an unknown facility',
        givenLeveredFund(),
        cmd('AmendCreditFacility', { facilityId: 'nope', limit: '1', maturityDate: '2033-07-01' }, '2026-09-01'),
        'UNKNOWN_FACILITY',
      ],
      ['a zero limit', givenLeveredFund(), amend('0', '2033-07-01'), 'INVALID_AMOUNT'],
      [
        'an actor that is not a manager',
        givenLeveredFund(),
        cmd('AmendCreditFacility', { facilityId: 'jbic-1', limit: '1', maturityDate: '2033-07-01' }, '2026-09-01', 'retail-platform'),
        'ACTOR_NOT_MANAGER',
      ],
    ];
    it.each(rows)('refuses %s', (_name, history, command, code) => given(history).when(command).thenRejects(code));
  });
});
