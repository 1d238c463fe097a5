import { Money, type RecordedFundEvent } from '@fundsim/domain';
import { at, closeHeld, usJapanFundEstablished } from '@fundsim/domain/testing/fund-fixtures';
import { balanceSheet } from './balance-sheet.projection';

/** Stamps ids and recorded times, as the store would. */
const recorded = (event: RecordedFundEvent, id: string, recordedAt: string): RecordedFundEvent =>
  ({ ...event, metadata: { ...event.metadata, eventId: id, recordedAt } }) as RecordedFundEvent;

/** $1,000 admitted, all called (due 2026-07-31), $600 funded into a grid project valued at $900 on 2026-09-30. */
const history: RecordedFundEvent[] = [
  recorded(usJapanFundEstablished(), 'e1', '2026-01-15T10:00:00.000Z'),
  recorded(closeHeld(1, '2026-06-30', '1000.00'), 'e2', '2026-06-30T10:00:00.000Z'),
  recorded(
    at('2026-07-01', {
      type: 'CapitalCalled',
      data: { callNumber: 1, percentage: '1', dueDate: '2026-07-31', admittedUsd: '1000.00', totalUsd: '1000.00', lpCount: 2 },
    }),
    'e3',
    '2026-07-01T10:00:00.000Z',
  ),
  recorded(
    at('2026-07-02', {
      type: 'CreditFacilityOpened',
      data: { facilityId: 'bank', lender: 'Bank', limit: '2000.00', annualRate: '0.05', dayCount: 'ACT/365', maturityDate: '2030-01-01' },
    }),
    'e4',
    '2026-07-02T10:00:00.000Z',
  ),
  recorded(
    at('2026-07-02', {
      type: 'LeverageDrawn',
      data: { facilityId: 'bank', amount: '730.00', principalAfter: '730.00', totalDebtAfter: '730.00', leverageCap: '2330.00' },
    }),
    'e5',
    '2026-07-02T10:00:00.000Z',
  ),
  recorded(
    at('2026-08-01', {
      type: 'ProjectRegistered',
      data: { projectId: 'grid', name: 'Energy grid', sector: 'energy', partners: [], totalProjectSize: '5000.00' },
    }),
    'e6',
    '2026-08-01T10:00:00.000Z',
  ),
  recorded(
    at('2026-08-02', {
      type: 'ProjectFunded',
      data: { allocationId: 'a1', projectId: 'grid', amount: '600.00', cashBefore: '1730.00', allocationLeftAfter: '0.00' },
    }),
    'e7',
    '2026-08-02T10:00:00.000Z',
  ),
  recorded(at('2026-09-30', { type: 'ProjectValued', data: { projectId: 'grid', fairValue: '900.00' } }), 'e8', '2026-09-30T10:00:00.000Z'),
  // Recorded in January: the September valuation should have been $750.
  recorded(
    at(
      '2026-09-30',
      {
        type: 'EventReversed',
        data: {
          eventId: 'e8',
          reversedType: 'ProjectValued',
          reason: 'stale model',
          replacement: { type: 'ProjectValued', data: { projectId: 'grid', fairValue: '750.00' } },
        },
      },
      'jp-mof',
    ),
    'e9',
    '2027-01-10T09:00:00.000Z',
  ),
];

describe('balance sheet projection', () => {
  it('adds up cash, investments and receivables against debt, interest and payables', () => {
    // Cash 1,000 called + 730 drawn - 600 funded; interest 730 x 5% x 90/365 = 9.00 on 2026-09-30.
    const sheet = balanceSheet(history, { asOf: '2026-09-30', knownAt: '2026-12-31' });
    expect(sheet).toMatchObject({
      asOf: '2026-09-30',
      knownAt: '2026-12-31T23:59:59.999Z',
      assets: { cash: '1130.00', investmentsAtFairValue: '900.00', contributionsReceivable: '0.00', total: '2030.00' },
      liabilities: { debt: '730.00', accruedInterest: '9.00', distributionsPayable: '0.00', total: '739.00' },
      netAssets: '1291.00',
      commitments: { admitted: '1000.00', called: '1000.00', unfunded: '0.00' },
      leverage: { debt: '730.00', ratio: '0.7300', cap: '2330.00', headroom: '1600.00', basis: 'commitments' },
      investments: [{ projectId: 'grid', name: 'Energy grid', sector: 'energy', cost: '600.00', fairValue: '900.00', unrealizedGain: '300.00' }],
      sectors: [{ sector: 'energy', cost: '600.00', fairValue: '900.00' }],
    });
  });

  it('shows a called contribution as receivable until its due date', () => {
    const sheet = balanceSheet(history, { asOf: '2026-07-15' });
    expect(sheet.assets).toMatchObject({ cash: '730.00', contributionsReceivable: '1000.00' });
    expect(sheet.commitments.called).toBe('1000.00');
  });

  it('differs as known before and after a correction recorded later, exactly where it applies', () => {
    const before = balanceSheet(history, { asOf: '2026-09-30', knownAt: '2027-01-09' });
    const now = balanceSheet(history, { asOf: '2026-09-30' });
    expect(before.assets.investmentsAtFairValue).toBe('900.00');
    expect(now.assets.investmentsAtFairValue).toBe('750.00');
    expect(now.knownAt).toBeNull();
    expect(Money.parse(before.netAssets, 'USD').minus(Money.parse(now.netAssets, 'USD')).toString()).toBe('150.00');
    // Before the corrected event's date, both views agree.
    expect(balanceSheet(history, { asOf: '2026-09-29', knownAt: '2027-01-09' })).toEqual({
      ...balanceSheet(history, { asOf: '2026-09-29' }),
      knownAt: '2027-01-09T23:59:59.999Z',
    });
  });

  it('reads nothing recorded after the time it is asked about', () => {
    const sheet = balanceSheet(history, { asOf: '2026-12-31', knownAt: '2026-07-01T12:00:00Z' });
    expect(sheet.assets.investmentsAtFairValue).toBe('0.00');
    expect(sheet.liabilities.debt).toBe('0.00');
    expect(sheet.commitments.called).toBe('1000.00');
  });
});
