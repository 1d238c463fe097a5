import { scenarioFund } from '../testing/scenario-fund';
import { at, establishExample, gridFunded } from '../testing/waterfall-example';

/**
 * Carry-exempt LPs admitted at a later close, where the managers end up owing: cases a review
 * found (issue 27). A bearing LP gets back exactly the carry it paid, never another's; and a
 * liquidation never pays out more than the fund has when the exempt LPs' net assets are below zero.
 */
const terms = {
  style: 'european',
  preferredReturn: { rate: '0', compounding: 'none', dayCount: 'ACT/365' },
  catchUp: '1',
  carriedInterest: '0.2',
  carryBearing: 'all',
  carryExempt: ['lp-x'],
  managerShares: [
    { manager: 'us-treasury', share: '0.5' },
    { manager: 'jp-mof', share: '0.5' },
  ],
};
const commit = (lpId: string, amount: string, date: string) => ({
  type: 'CommitCapital',
  ...at('retail-platform', date),
  lpId,
  kind: 'retail',
  country: 'US',
  amount,
  currency: 'USD',
});
/** A pays 10.00 of carry alone; B (bearing) and X (exempt) join; A and B pay 10.00 each more; then `loss` is spent. */
const history = (...after: object[]) => [
  establishExample('Exempt at a later close', '10000.00', terms),
  commit('lp-a', '200.00', '2025-12-10'),
  { type: 'HoldClose', ...at('us-treasury', '2025-12-31') },
  { type: 'CallCapital', ...at('us-treasury', '2026-01-01'), percentage: '0.5', dueDate: '2026-01-01' },
  ...gridFunded('al', '100.00', '50000.00'),
  { type: 'ValueProject', ...at('us-treasury', '2026-05-01'), projectId: 'grid', fairValue: '300.00' },
  { type: 'ReceiveProceeds', ...at('us-treasury', '2026-05-02'), projectId: 'grid', kind: 'capital', amount: '150.00' },
  { type: 'DeclareDistribution', ...at('us-treasury', '2026-05-03'), amount: '150.00' },
  commit('lp-b', '200.00', '2026-05-10'),
  commit('lp-x', '400.00', '2026-05-10'),
  { type: 'HoldClose', ...at('us-treasury', '2026-05-31') },
  { type: 'ReceiveProceeds', ...at('us-treasury', '2026-06-02'), projectId: 'grid', kind: 'capital', amount: '150.00' },
  { type: 'DeclareDistribution', ...at('us-treasury', '2026-06-03'), amount: '400.00' },
  ...after,
];

async function books(commands: object[]) {
  const { queries } = await scenarioFund(commands);
  return async (asOf: string) => {
    const sheet = await queries.balanceSheet('f', { asOf });
    const register = await queries.register('f', { asOf }, 0, 10);
    const accounts = await Promise.all(register.rows.map((r) => queries.capitalAccount('f', r.lpId, { asOf })));
    return {
      sheet: [sheet.netAssets, sheet.partners.lps, sheet.partners.managersAccruedCarry],
      lps: accounts.map((a) => [a.lpId, a.rollForward.carriedInterestPaid, a.accruedCarry, a.rollForward.carriedInterest]),
    };
  };
}

describe('carry-exempt LPs admitted at a later close', () => {
  it('under a clawback, gives each bearing LP back the carry it paid (A 20.00, B 10.00), never another LP of another epoch', async () => {
    const at2026 = await books(
      history(
        { type: 'CallCapital', ...at('us-treasury', '2026-07-01'), percentage: '0.5', dueDate: '2026-07-01' },
        { type: 'RecordExpense', ...at('us-treasury', '2026-07-02'), amount: '450.00', description: 'lost' },
      ),
    );
    // The fund is worth nothing: the managers owe back all 30.00 of carry they were paid.
    expect(await at2026('2026-12-31')).toEqual({
      sheet: ['0.00', '30.00', '-30.00'],
      lps: [
        ['lp-a', '20.00', '-20.00', '0.00'],
        ['lp-b', '10.00', '-10.00', '0.00'],
        ['lp-x', '0.00', '0.00', '0.00'],
      ],
    });
  });

  it('liquidates no more than the fund has when the exempt LPs are below zero: no carry accrues on what they owe', async () => {
    const at2026 = await books(history({ type: 'RecordExpense', ...at('us-treasury', '2026-07-02'), amount: '50.00', description: 'lost' }));
    // The fund's net assets are 0.00 and X's -25.00: a liquidation has nothing to pay, the managers accrue nothing.
    const { sheet } = await at2026('2026-12-31');
    expect(sheet).toEqual(['0.00', '0.00', '0.00']);
  });
});
