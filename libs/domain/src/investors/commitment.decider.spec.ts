import { evolveFund, initialFundState } from '../fund/fund.state';
import { at, by, usJapanFundEstablished } from '../testing/fund-fixtures';
import { expectRejection } from '../testing/given-when-then';
import type { RecordedFundEvent } from '../fund/fund.state';
import type { CommitCapital } from './commitment.commands';
import { decideCommitment } from './commitment.decider';

const fundWith = (...events: RecordedFundEvent[]) => events.reduce(evolveFund, initialFundState());
const withYen = () => fundWith(usJapanFundEstablished(), at('2026-03-31', { type: 'FxRateRecorded', data: { pair: 'USD/JPY', rate: '150.00' } }, 'market-data'));
const commit = (data: Partial<CommitCapital['data']>, date = '2026-04-01'): CommitCapital => ({
  type: 'CommitCapital',
  data: { lpId: 'retail-000001', kind: 'retail', country: 'US', amount: '10000.00', currency: 'USD', ...data },
  metadata: by('retail-platform', date),
});

describe('commitment decider', () => {
  it('records a USD commitment at its face value', () => {
    expect(decideCommitment(commit({}), withYen())).toEqual([
      { type: 'CapitalCommitted', data: { fundId: 'usjp', lpId: 'retail-000001', kind: 'retail', country: 'US', amount: '10000.00', currency: 'USD', amountUsd: '10000.00' } },
    ]);
  });

  it('converts a JPY commitment at the USD/JPY rate in force on its date, and keeps the rate', () => {
    const [event] = decideCommitment(commit({ lpId: 'retail-jp-1', country: 'JP', amount: '1500000', currency: 'JPY' }), withYen());
    expect(event.data).toMatchObject({ amount: '1500000', currency: 'JPY', fxRate: '150.00', amountUsd: '10000.00' });
  });

  it.each([
    ['a currency the fund does not take', commit({ currency: 'EUR' }), 'UNSUPPORTED_CURRENCY'],
    ['a zero amount', commit({ amount: '0.00' }), 'INVALID_AMOUNT'],
    ['sub-yen precision', commit({ currency: 'JPY', amount: '100.5' }), 'INVALID_AMOUNT'],
    ['an unknown LP kind', commit({ kind: 'hedge-fund' as never }), 'INVALID_LP'],
    ['a bad country', commit({ country: 'USA' }), 'INVALID_LP'],
    ['a bad LP id', commit({ lpId: 'has spaces' }), 'INVALID_LP'],
    ['a date before the fund knew of it', commit({}, '2026-03-01'), 'EFFECTIVE_DATE_BEFORE_LATEST'],
  ] as const)('rejects %s', (_name, command, code) => {
    expectRejection(() => decideCommitment(command, withYen()), code);
  });

  it('needs a USD/JPY rate recorded on or before the date of a JPY commitment', () => {
    expectRejection(() => decideCommitment(commit({ currency: 'JPY', amount: '1500000' }), fundWith(usJapanFundEstablished())), 'FX_RATE_MISSING');
  });

  it('needs the fund', () => {
    expectRejection(() => decideCommitment(commit({}), initialFundState()), 'FUND_NOT_ESTABLISHED');
  });
});
