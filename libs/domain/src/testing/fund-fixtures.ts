import type { CommandMetadata } from '../command';
import type { EstablishFund } from '../fund/fund.commands';
import type { CloseHeld, FundEstablished, FundEvent } from '../fund/fund.events';
import type { RecordedFundEvent } from '../fund/fund.state';
import { evolveInvestors, InvestorLedger, type InvestorLedgerEvent } from '../investors/investor-ledger';
import type { WaterfallTerms } from '../waterfall/waterfall';

export const INCEPTION = '2026-01-15';

export const by = (actor: string, effectiveDate: string, extra: Partial<CommandMetadata> = {}): CommandMetadata => ({ actor, effectiveDate, ...extra });

export const at = <E extends FundEvent>(effectiveDate: string, event: E, actor = 'us-treasury'): RecordedFundEvent =>
  ({ ...event, metadata: { effectiveDate, actor } }) as RecordedFundEvent;

export const establishUsJapanFund = (overrides: Partial<EstablishFund['data']> = {}, metadata = by('us-treasury', INCEPTION)): EstablishFund => ({
  type: 'EstablishFund',
  data: {
    fundId: 'usjp',
    name: 'U.S.-Japan Sovereign Investment Fund',
    targetSize: '300000000000.00',
    hardCap: '300000000000.00',
    managers: ['us-treasury', 'jp-mof'],
    approvalsRequired: ['us-treasury', 'jp-mof'],
    leveragePolicy: { maxRatio: '2.33', basis: 'commitments' },
    concentrationLimit: '0.60',
    equalizationRate: '0.05',
    ...overrides,
  },
  metadata,
});

/** The FundEstablished event the command above produces. */
export const fundEstablishedEvent = (hardCap = '300000000000.00'): FundEstablished => ({
  type: 'FundEstablished',
  data: {
    fundId: 'usjp',
    name: 'U.S.-Japan Sovereign Investment Fund',
    baseCurrency: 'USD',
    targetSize: hardCap,
    hardCap,
    managers: ['us-treasury', 'jp-mof'],
    approvalsRequired: ['us-treasury', 'jp-mof'],
    leveragePolicy: { maxRatio: '2.33', basis: 'commitments' },
    concentrationLimit: '0.60',
    equalizationRate: '0.05',
    inceptionDate: INCEPTION,
  },
});

export const usJapanFundEstablished = (hardCap?: string): RecordedFundEvent => at(INCEPTION, fundEstablishedEvent(hardCap));

/** A USD commitment as the investor ledger folds it. */
export const commitmentEntry = (lpId: string, amountUsd: string, position: number): InvestorLedgerEvent => ({
  id: `commitment-${lpId}-${position}`,
  type: 'CapitalCommitted',
  data: { fundId: 'usjp', lpId, kind: 'retail', country: 'US', amount: amountUsd, currency: 'USD', amountUsd },
  position,
  metadata: { effectiveDate: INCEPTION },
});

/** A close as the investor ledger folds it. */
export const closeEntry = (closeNumber: number, admittedUsd: string, throughPosition: number): InvestorLedgerEvent => ({
  id: `close-${closeNumber}`,
  type: 'CloseHeld',
  data: closeHeldEvent(closeNumber, admittedUsd, throughPosition).data,
  position: throughPosition + 1,
  metadata: { effectiveDate: INCEPTION },
});

/** An investor ledger folded from these events, in order. */
export function investorLedger(...events: InvestorLedgerEvent[]): InvestorLedger {
  const ledger = new InvestorLedger();
  for (const e of events) evolveInvestors(ledger, e);
  return ledger;
}

/** A close admitting `admittedUsd` with nothing scaled back and no one to equalize. */
export const closeHeldEvent = (closeNumber: number, admittedUsd: string, throughPosition: number, overrides: Partial<CloseHeld['data']> = {}): CloseHeld => ({
  type: 'CloseHeld',
  data: {
    closeNumber,
    throughPosition,
    pendingCount: 2,
    pendingUsd: admittedUsd,
    admittedUsd,
    scaledBack: false,
    catchUpFraction: '0',
    equalizationInterestFactor: '0',
    catchUpUsd: '0.00',
    equalizationInterestUsd: '0.00',
    ...overrides,
  },
});

export const closeHeld = (closeNumber: number, date: string, admittedUsd: string, throughPosition = 3): RecordedFundEvent =>
  at(date, closeHeldEvent(closeNumber, admittedUsd, throughPosition), 'jp-mof');

/** The waterfall terms of the hand-worked example in docs/accounting.md: 8% simple, ACT/365, full catch-up, 20%, managers 50/50. */
export const WORKED_EXAMPLE_WATERFALL: WaterfallTerms = {
  style: 'european',
  preferredReturn: { rate: '0.08', compounding: 'none', dayCount: 'ACT/365' },
  catchUp: '1',
  carriedInterest: '0.20',
  carryBearing: 'all',
  managerShares: [
    { manager: 'us-treasury', share: '0.5' },
    { manager: 'jp-mof', share: '0.5' },
  ],
};

/** Numbers events e1, e2, ... as the store would identify them: id, position, and recorded a second apart. */
export const numbered = (events: RecordedFundEvent[]): RecordedFundEvent[] =>
  events.map(
    (e, i) =>
      ({
        ...e,
        metadata: { ...e.metadata, eventId: `e${i + 1}`, position: i + 1, recordedAt: new Date(Date.UTC(2027, 0, 1) + i * 1000).toISOString() },
      }) as RecordedFundEvent,
  );

/** A fund after its first close ($1,000), a 100% call and project `grid`'s allocation `a1` of $600 approved by both managers and committed. */
export const givenCommittedAllocation = (): RecordedFundEvent[] => [
  usJapanFundEstablished(),
  closeHeld(1, '2026-06-30', '1000.00'),
  at('2026-07-01', {
    type: 'CapitalCalled',
    data: { callNumber: 1, percentage: '1', dueDate: '2026-07-01', admittedUsd: '1000.00', totalUsd: '1000.00', lpCount: 1 },
  }),
  at('2026-07-02', {
    type: 'ProjectRegistered',
    data: { projectId: 'grid', name: 'Energy grid', sector: 'energy', partners: [], totalProjectSize: '5000.00' },
  }),
  at('2026-07-03', { type: 'AllocationProposed', data: { allocationId: 'a1', projectId: 'grid', amount: '600.00' } }),
  at('2026-07-04', { type: 'AllocationApproved', data: { allocationId: 'a1', approvals: ['us-treasury', 'jp-mof'] } }, 'jp-mof'),
  at(
    '2026-07-04',
    {
      type: 'AllocationCommitted',
      data: {
        allocationId: 'a1',
        projectId: 'grid',
        amount: '600.00',
        approvedBy: ['us-treasury', 'jp-mof'],
        projectCommittedAfter: '600.00',
        concentrationLimitAmount: '600.00',
      },
    },
    'jp-mof',
  ),
];
