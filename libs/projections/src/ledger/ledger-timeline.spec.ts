import { investmentsAtFairValue, type RecordedFundEvent } from '@fundsim/domain';
import { at, givenCommittedAllocation, numbered } from '@fundsim/domain/testing/fund-fixtures';
import { linesAt, netAssetsOf } from './fund-ledger';
import { LedgerTimeline } from './ledger-timeline';

/** A fund whose facts (rates, valuations, income) were learnt after later-dated decisions, in the log order they were recorded. */
const recorded = (): RecordedFundEvent[] =>
  numbered([
    ...givenCommittedAllocation(),
    at('2026-07-10', {
      type: 'ProjectFunded',
      data: { allocationId: 'a1', projectId: 'grid', amount: '600.00', cashBefore: '1000.00', allocationLeftAfter: '0.00' },
    }),
    at('2026-09-30', { type: 'ManagementFeeCharged', data: { amount: '5.00', period: '2026-Q3' } }),
    // Learnt late: a valuation as of 09-15 and income as of 08-20, both recorded after the fee of 09-30.
    at('2026-09-15', { type: 'ProjectValued', data: { projectId: 'grid', fairValue: '750.00' } }, 'market-data'),
    at(
      '2026-08-20',
      { type: 'ProceedsReceived', data: { projectId: 'grid', kind: 'income', amount: '20.00', costRelieved: '0.00', realizedGain: '0.00' } },
      'market-data',
    ),
    at('2026-07-05', { type: 'FxRateRecorded', data: { pair: 'USD/JPY', rate: '150.00' } }, 'market-data'),
    at('2026-10-01', { type: 'ProjectValued', data: { projectId: 'grid', fairValue: '800.00' } }, 'market-data'),
  ]);

const byDate = (events: RecordedFundEvent[]) =>
  [...events].sort((a, b) =>
    a.metadata.effectiveDate < b.metadata.effectiveDate
      ? -1
      : a.metadata.effectiveDate > b.metadata.effectiveDate
        ? 1
        : a.metadata.position! - b.metadata.position!,
  );

describe('LedgerTimeline with facts recorded after later-dated events', () => {
  it('counts each fact at its own date: every as-of figure equals the fold of the events in date order', () => {
    for (const every of [1, 2, 3, 500]) {
      const late = new LedgerTimeline(every);
      for (const event of recorded()) late.append([event]);
      const ordered = new LedgerTimeline(every);
      ordered.append(byDate(recorded()));
      expect(late.history.map((e) => e.metadata.eventId)).toEqual(ordered.history.map((e) => e.metadata.eventId));
      for (const asOf of ['2026-07-05', '2026-08-20', '2026-09-15', '2026-09-30', '2026-12-31']) {
        const [a, b] = [late.asOf({ asOf }), ordered.asOf({ asOf })];
        expect([netAssetsOf(linesAt(a, asOf)), investmentsAtFairValue(a.state).toString()]).toEqual([
          netAssetsOf(linesAt(b, asOf)),
          investmentsAtFairValue(b.state).toString(),
        ]);
      }
      // Valued 750 on 09-15 (after the 600 funding), 800 on 10-01.
      expect(investmentsAtFairValue(late.asOf({ asOf: '2026-09-30' }).state).toString()).toBe('750.00');
      expect(investmentsAtFairValue(late.ledger.state).toString()).toBe('800.00');
    }
  });

  it('as known at an earlier instant, leaves out the facts recorded after it', () => {
    const timeline = new LedgerTimeline(2);
    timeline.append(recorded());
    const before = recorded()[8].metadata.recordedAt!;
    const then = timeline.asOf({ asOf: '2026-09-30', knownAt: before });
    // Before the 09-15 valuation was recorded: the project at its cost.
    expect(investmentsAtFairValue(then.state).toString()).toBe('600.00');
  });
});
