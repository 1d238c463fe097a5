import { WORKED_EXAMPLE_WATERFALL } from '@fundsim/domain/testing/fund-fixtures';
import { at, waterfallExample } from './waterfall-example';

/** The hand-worked funds of the notices' tests (libs/application, the PDF, the API and the CLI). */
const establish = () => ({
  type: 'EstablishFund',
  ...at('us-treasury', '2026-01-01'),
  name: 'Notices example',
  targetSize: '10000.00',
  hardCap: '10000.00',
  managers: ['us-treasury', 'jp-mof'],
  approvalsRequired: ['us-treasury', 'jp-mof'],
  leveragePolicy: { maxRatio: '0', basis: 'commitments' },
  concentrationLimit: '1',
  equalizationRate: '0',
});

/**
 * A (USD) commits 1,000.00, B (USD) 333.33, J (JPY) ¥150,000 at 150.00 = 1,000.00; a 10.5% call
 * for investments 90%, fees 7.5%, expenses 2.5%, then a 20% call for investments only, after the
 * rate moved to 160.00. (Each LP's amount is the same whether the call rounds per LP or splits its
 * exact total by largest remainder: 105.00 + 35.00 + 105.00 = 245.00 of 244.99965, and
 * 200.00 + 66.67 + 200.00 = 466.67 of 466.666.)
 */
export const CALLS_FUND = {
  fundId: 'nt',
  commands: [
    establish(),
    { type: 'RecordFxRate', ...at('us-treasury', '2026-03-31'), pair: 'USD/JPY', rate: '150.00' },
    { type: 'CommitCapital', ...at('retail-platform', '2026-04-01'), lpId: 'lp-a', kind: 'retail', country: 'US', amount: '1000.00', currency: 'USD' },
    { type: 'CommitCapital', ...at('retail-platform', '2026-04-01'), lpId: 'lp-b', kind: 'retail', country: 'US', amount: '333.33', currency: 'USD' },
    { type: 'CommitCapital', ...at('retail-platform', '2026-04-01'), lpId: 'lp-j', kind: 'retail', country: 'JP', amount: '150000', currency: 'JPY' },
    { type: 'HoldClose', ...at('us-treasury', '2026-06-30') },
    {
      type: 'CallCapital',
      ...at('us-treasury', '2026-07-01'),
      percentage: '0.105',
      dueDate: '2026-07-31',
      purposes: { investments: '0.9', managementFees: '0.075', expenses: '0.025' },
    },
    { type: 'RecordFxRate', ...at('us-treasury', '2026-09-01'), pair: 'USD/JPY', rate: '160.00' },
    { type: 'CallCapital', ...at('us-treasury', '2026-09-15'), percentage: '0.2', dueDate: '2026-10-15' },
  ],
};

/**
 * The waterfall of docs/accounting.md (8% simple, full catch-up, 20% carry; A 600.00 and B
 * 400.00 called in full on 2026-01-01, the project sold for 1,250.00), its 2028 distributions
 * declared as one of 750.00: 500.00 of capital, 120.00 of preferred return, 30.00 of catch-up to
 * the managers, and 100.00 split 80.00 / 20.00. The LPs receive 700.00 and the managers 50.00.
 */
export const DISTRIBUTION_FUND = (() => {
  const example = waterfallExample(WORKED_EXAMPLE_WATERFALL);
  // Its history up to the 2027 distribution; the four of 2028 declared as one.
  const through2027 = example.commands.slice(0, example.commands.findIndex((c) => c.type === 'DeclareDistribution') + 1);
  return {
    ...example,
    commands: [...through2027, { type: 'DeclareDistribution', ...at('us-treasury', '2028-01-01'), amount: '750.00', paymentDate: '2028-01-15' }],
  };
})();
