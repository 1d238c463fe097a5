/** The hand-worked waterfall of docs/accounting.md as a scenario (`waterfall`: the fund's terms; none: distributions go to the LPs whole). */
export const at = (actor: string, effectiveDate: string) => ({ actor, effectiveDate });
/** A fund of the hand-worked examples, established on 2025-12-01: no leverage, one project may take it all, no equalization interest. */
export const establishExample = (name: string, size: string, waterfall?: object) => ({
  type: 'EstablishFund',
  ...at('us-treasury', '2025-12-01'),
  name,
  targetSize: size,
  hardCap: size,
  managers: ['us-treasury', 'jp-mof'],
  approvalsRequired: ['us-treasury', 'jp-mof'],
  leveragePolicy: { maxRatio: '0', basis: 'commitments' },
  concentrationLimit: '1',
  equalizationRate: '0',
  ...(waterfall ? { waterfall } : {}),
});
/** The project 'grid' registered, an allocation of `amount` proposed and approved by both managers, and funded whole, on 2026-01-01. */
export const gridFunded = (allocationId: string, amount: string, totalProjectSize: string) => [
  { type: 'RegisterProject', ...at('us-treasury', '2026-01-01'), projectId: 'grid', name: 'Grid', sector: 'energy-grids', partners: ['X'], totalProjectSize },
  { type: 'ProposeAllocation', ...at('us-treasury', '2026-01-01'), allocationId, projectId: 'grid', amount },
  { type: 'ApproveAllocation', ...at('jp-mof', '2026-01-01'), allocationId },
  { type: 'FundProject', ...at('us-treasury', '2026-01-01'), allocationId, amount },
];
export const waterfallExample = (waterfall?: object) => ({
  fundId: 'wf',
  commands: [
    establishExample('Waterfall example', '1000.00', waterfall),
    { type: 'CommitCapital', ...at('retail-platform', '2025-12-10'), lpId: 'lp-a', kind: 'retail', country: 'US', amount: '600.00', currency: 'USD' },
    { type: 'CommitCapital', ...at('retail-platform', '2025-12-10'), lpId: 'lp-b', kind: 'retail', country: 'US', amount: '400.00', currency: 'USD' },
    { type: 'HoldClose', ...at('us-treasury', '2025-12-31') },
    { type: 'CallCapital', ...at('us-treasury', '2026-01-01'), percentage: '1', dueDate: '2026-01-01' },
    ...gridFunded('al-grid', '1000.00', '5000.00'),
    // The project is sold back whole for 1,250.00: 250.00 of realized gain.
    { type: 'ValueProject', ...at('us-treasury', '2026-12-31'), projectId: 'grid', fairValue: '1250.00' },
    { type: 'ReceiveProceeds', ...at('us-treasury', '2027-01-01'), projectId: 'grid', kind: 'capital', amount: '1250.00' },
    { type: 'DeclareDistribution', ...at('us-treasury', '2027-01-01'), amount: '500.00' },
    { type: 'DeclareDistribution', ...at('us-treasury', '2028-01-01'), amount: '500.00' },
    { type: 'DeclareDistribution', ...at('us-treasury', '2028-01-01'), amount: '120.00' },
    { type: 'DeclareDistribution', ...at('us-treasury', '2028-01-01'), amount: '30.00' },
    { type: 'DeclareDistribution', ...at('us-treasury', '2028-01-01'), amount: '100.00' },
  ],
});
/**
 * The hand-worked American (deal-by-deal) case of docs/accounting.md: A 600.00 and B 400.00, all
 * called on 2026-01-01 and put half in 'grid' (the early winner, sold for 900.00 on 2027-01-01)
 * and half in 'chips' (written down to 200.00 at the end of 2027 and sold for it on 2028-01-01),
 * each sale distributed on its day.
 */
export const americanExample = (waterfall: object) => ({
  fundId: 'us',
  commands: [
    establishExample('American waterfall example', '1000.00', waterfall),
    { type: 'CommitCapital', ...at('retail-platform', '2025-12-10'), lpId: 'lp-a', kind: 'retail', country: 'US', amount: '600.00', currency: 'USD' },
    { type: 'CommitCapital', ...at('retail-platform', '2025-12-10'), lpId: 'lp-b', kind: 'retail', country: 'US', amount: '400.00', currency: 'USD' },
    { type: 'HoldClose', ...at('us-treasury', '2025-12-31') },
    { type: 'CallCapital', ...at('us-treasury', '2026-01-01'), percentage: '1', dueDate: '2026-01-01' },
    ...gridFunded('al-grid', '500.00', '5000.00'),
    {
      type: 'RegisterProject',
      ...at('us-treasury', '2026-01-01'),
      projectId: 'chips',
      name: 'Chips',
      sector: 'semiconductors',
      partners: ['Y'],
      totalProjectSize: '5000.00',
    },
    { type: 'ProposeAllocation', ...at('us-treasury', '2026-01-01'), allocationId: 'al-chips', projectId: 'chips', amount: '500.00' },
    { type: 'ApproveAllocation', ...at('jp-mof', '2026-01-01'), allocationId: 'al-chips' },
    { type: 'FundProject', ...at('us-treasury', '2026-01-01'), allocationId: 'al-chips', amount: '500.00' },
    { type: 'ValueProject', ...at('us-treasury', '2026-12-31'), projectId: 'grid', fairValue: '900.00' },
    { type: 'ReceiveProceeds', ...at('us-treasury', '2027-01-01'), projectId: 'grid', kind: 'capital', amount: '900.00' },
    { type: 'DeclareDistribution', ...at('us-treasury', '2027-01-01'), amount: '900.00' },
    { type: 'ValueProject', ...at('us-treasury', '2027-12-31'), projectId: 'chips', fairValue: '200.00' },
    { type: 'ReceiveProceeds', ...at('us-treasury', '2028-01-01'), projectId: 'chips', kind: 'capital', amount: '200.00' },
    { type: 'DeclareDistribution', ...at('us-treasury', '2028-01-01'), amount: '200.00' },
  ],
});
