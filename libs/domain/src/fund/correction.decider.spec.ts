import type { RejectionCode } from '../rejections';
import { at, by, closeHeld, closeHeldEvent, usJapanFundEstablished } from '../testing/fund-fixtures';
import { expectRejection } from '../testing/given-when-then';
import type { ReverseEvent } from './correction.commands';
import { decideReversal } from './correction.decider';
import { foldFundHistory } from './fund.history';
import { cashOn, investmentsAtFairValue } from './fund.queries';
import type { RecordedFundEvent } from './fund.state';

/** Numbers events e1, e2, ... as the store's ids would identify them. */
const withIds = (events: RecordedFundEvent[]): RecordedFundEvent[] =>
  events.map((e, i) => ({ ...e, metadata: { ...e.metadata, eventId: `e${i + 1}`, position: i + 1 } }) as RecordedFundEvent);

/** e1 fund, e2 close ($1,000), e3 call (100%), e4 project, e5 proposed, e6-7 approved+committed, e8 funded $600, e9 valued $900. */
const history = (): RecordedFundEvent[] =>
  withIds([
    usJapanFundEstablished(),
    closeHeld(1, '2026-06-30', '1000.00'),
    at('2026-07-01', { type: 'CapitalCalled', data: { callNumber: 1, percentage: '1', dueDate: '2026-07-01', admittedUsd: '1000.00', totalUsd: '1000.00', lpCount: 1 } }),
    at('2026-07-02', { type: 'ProjectRegistered', data: { projectId: 'grid', name: 'Energy grid', sector: 'energy', partners: [], totalProjectSize: '5000.00' } }),
    at('2026-07-03', { type: 'AllocationProposed', data: { allocationId: 'a1', projectId: 'grid', amount: '600.00' } }),
    at('2026-07-04', { type: 'AllocationApproved', data: { allocationId: 'a1', approvals: ['us-treasury', 'jp-mof'] } }, 'jp-mof'),
    at('2026-07-04', { type: 'AllocationCommitted', data: { allocationId: 'a1', projectId: 'grid', amount: '600.00', approvedBy: ['us-treasury', 'jp-mof'], projectCommittedAfter: '600.00', concentrationLimitAmount: '600.00' } }, 'jp-mof'),
    at('2026-07-05', { type: 'ProjectFunded', data: { allocationId: 'a1', projectId: 'grid', amount: '600.00', cashBefore: '1000.00', allocationLeftAfter: '0.00' } }),
    at('2026-09-30', { type: 'ProjectValued', data: { projectId: 'grid', fairValue: '900.00' } }),
  ]);

const reverse = (eventId: string, replacement?: ReverseEvent['data']['replacement']): ReverseEvent => ({
  type: 'ReverseEvent',
  data: { eventId, reason: 'booked in error', replacement },
  metadata: by('jp-mof', '2027-01-10'),
});
const decide = (command: ReverseEvent, events = history()) => decideReversal(command, events, foldFundHistory(events));
const recorded = (event: ReturnType<typeof decide>[number], recordedOn: string): RecordedFundEvent =>
  ({ type: event.type, data: event.data, metadata: { actor: 'jp-mof', effectiveDate: event.effectiveDate, eventId: `r-${recordedOn}` } }) as RecordedFundEvent;

describe('correction decider', () => {
  it('refuses a replacement whose data does not parse, as a rejection (it was a 500)', () => {
    expectRejection(() => decide(reverse('e3', { type: 'CapitalCalled', data: { callNumber: 1, percentage: 'abc', dueDate: '2026-07-01', admittedUsd: '1000.00', totalUsd: '1000.00', lpCount: 1 } })), 'EVENT_NOT_REVERSIBLE');
  });

  it("replaces a valuation from the original's effective date, which the corrected history then shows", () => {
    const [reversal] = decide(reverse('e9', { type: 'ProjectValued', data: { projectId: 'grid', fairValue: '750.00' } }));
    expect(reversal).toEqual({
      type: 'EventReversed',
      effectiveDate: '2026-09-30',
      data: { eventId: 'e9', reversedType: 'ProjectValued', reason: 'booked in error', replacement: { type: 'ProjectValued', data: { projectId: 'grid', fairValue: '750.00' } } },
    });
    const corrected = foldFundHistory([...history(), recorded(reversal, '2027-01-10')]);
    expect(investmentsAtFairValue(corrected).toString()).toBe('750.00');
  });

  it('reverses a funding outright: cash and cost come back as if it never happened', () => {
    const [reversal] = decide(reverse('e8'));
    const corrected = foldFundHistory([...history(), recorded(reversal, '2027-01-10')]);
    expect(cashOn(corrected, '2026-12-31').toString()).toBe('1000.00');
    expect(corrected.projects.get('grid')!.cost.toString()).toBe('0.00');
  });

  const rows: [string, ReverseEvent, RejectionCode, RecordedFundEvent[]?][] = [
    ['an event the stream does not hold', reverse('e99'), 'UNKNOWN_EVENT'],
    ['the fund itself', reverse('e1'), 'EVENT_NOT_REVERSIBLE'],
    ['a replacement of another type', reverse('e9', { type: 'ProjectFunded', data: {} }), 'EVENT_NOT_REVERSIBLE'],
    ['a project later events depend on', reverse('e4'), 'UNKNOWN_PROJECT'],
    ['a call whose cash a later funding spent', reverse('e3'), 'INSUFFICIENT_CASH'],
    ['a close (the LPs it admitted were called and shared P&L from it on)', reverse('e2', closeHeldEvent(1, '500.00', 3, { pendingUsd: '1000.00', scaledBack: true })), 'EVENT_NOT_REVERSIBLE'],
    ['a replacement that breaks its own rule', reverse('e8', { type: 'ProjectFunded', data: { allocationId: 'a1', projectId: 'grid', amount: '700.00', cashBefore: '1000.00', allocationLeftAfter: '0.00' } }), 'FUNDING_EXCEEDS_ALLOCATION'],
  ];
  it.each(rows)('rejects reversing %s, with the code of the rule it would break', (_name, command, code) => {
    expectRejection(() => decide(command), code);
  });

  it('reverses an event once', () => {
    const [reversal] = decide(reverse('e9'));
    const events = [...history(), recorded(reversal, '2027-01-10')];
    expectRejection(() => decide(reverse('e9'), events), 'EVENT_ALREADY_REVERSED');
  });
});
