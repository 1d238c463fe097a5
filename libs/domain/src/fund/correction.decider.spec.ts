import type { RejectionCode } from '../rejections';
import { at, by, closeHeldEvent, givenCommittedAllocation, numbered } from '../testing/fund-fixtures';
import { expectRejection } from '../testing/given-when-then';
import type { ApproveReversal, RejectReversal, ReverseEvent } from './correction.commands';
import { decideInPlace } from './correction.decider';
import { decideWith, type Decided } from '../decide';
import { InvestorLedger } from '../investors/investor-ledger';
import type { FundCommand } from './fund.commands';
import { foldFundHistory } from './fund.history';
import { cashOn, investmentsAtFairValue } from './fund.queries';
import type { RecordedFundEvent } from './fund.state';

/** Before the funding: e1-e7. */
const beforeFunding = () => history().slice(0, 7);

/** e1 fund, e2 close ($1,000), e3 call (100%), e4 project, e5 proposed, e6-7 approved+committed, e8 funded $600, e9 valued $900. */
const history = (): RecordedFundEvent[] =>
  numbered([
    ...givenCommittedAllocation(),
    at('2026-07-05', {
      type: 'ProjectFunded',
      data: { allocationId: 'a1', projectId: 'grid', amount: '600.00', cashBefore: '1000.00', allocationLeftAfter: '0.00' },
    }),
    at('2026-09-30', { type: 'ProjectValued', data: { projectId: 'grid', fairValue: '900.00' } }),
  ]);

const reverse = (eventId: string, replacement?: ReverseEvent['data']['replacement'], actor = 'jp-mof'): ReverseEvent => ({
  type: 'ReverseEvent',
  data: { eventId, reason: 'booked in error', replacement },
  metadata: by(actor, '2027-01-10'),
});
/** Through the one entry every decider has: a reversal's context is the fund's history and its investor ledger. */
const decide = (command: ReverseEvent | ApproveReversal | RejectReversal, events = history()) =>
  decideWith(command, { fund: foldFundHistory(events), history: events, investors: new InvestorLedger() });
const recorded = (event: Decided, recordedOn: string, actor = 'jp-mof'): RecordedFundEvent =>
  ({
    type: event.type,
    data: event.data,
    metadata: { actor, effectiveDate: event.effectiveDate, eventId: `r-${recordedOn}-${event.type}` },
  }) as RecordedFundEvent;
const approveReversal = (eventId: string, actor: string): ApproveReversal => ({ type: 'ApproveReversal', data: { eventId }, metadata: by(actor, '') });
const rejectReversal = (eventId: string, actor: string): RejectReversal => ({
  type: 'RejectReversal',
  data: { eventId, reason: 'the original stands' },
  metadata: by(actor, ''),
});
const approve = (command: ApproveReversal, events: RecordedFundEvent[]) => decide(command, events);
/** A reversal under dual control: proposed by one manager, approved by the other, both recorded. */
const jointlyReversed = (eventId: string, replacement?: ReverseEvent['data']['replacement'], base = history()): RecordedFundEvent[] => {
  const proposed = [...base, ...decide(reverse(eventId, replacement, 'us-treasury'), base).map((e) => recorded(e, '2027-01-10', 'us-treasury'))];
  return [...proposed, ...approve(approveReversal(eventId, 'jp-mof'), proposed).map((e) => recorded(e, '2027-01-11'))];
};

describe('correction decider', () => {
  it('refuses a replacement whose data does not parse, as a rejection (it was a 500)', () => {
    expectRejection(
      () =>
        decide(
          reverse('e3', {
            type: 'CapitalCalled',
            data: { callNumber: 1, percentage: 'abc', dueDate: '2026-07-01', admittedUsd: '1000.00', totalUsd: '1000.00', lpCount: 1 },
          }),
        ),
      'EVENT_NOT_REVERSIBLE',
    );
  });

  it("refuses to replace a capital call with figures the caller gives: its total and split are the deciders' (reverse it and call anew)", () => {
    expectRejection(
      () =>
        decide(
          reverse('e3', {
            type: 'CapitalCalled',
            data: { callNumber: 1, percentage: '0.1', dueDate: '2026-07-01', admittedUsd: '1000.00', totalUsd: '999.00', lpCount: 1 },
          }),
        ),
      'EVENT_NOT_REVERSIBLE',
    );
  });

  it("refuses replacements that would carry the caller's figures: a default's amount, another distribution number", () => {
    const more = numbered([
      ...givenCommittedAllocation(),
      at('2026-07-05', { type: 'DistributionDeclared', data: { distributionNumber: 1, amount: '10.00', paymentDate: '2026-07-05', cashAvailable: '1000.00' } }),
      at('2026-07-06', { type: 'ContributionDefaulted', data: { callNumber: 1, lpId: 'lp-1', amountUsd: '1000.00' } }),
    ]);
    // e8 the distribution, e9 the default.
    expectRejection(
      () => decide(reverse('e9', { type: 'ContributionDefaulted', data: { callNumber: 1, lpId: 'lp-1', amountUsd: '1500.00' } }), more),
      'EVENT_NOT_REVERSIBLE',
    );
    expectRejection(
      () =>
        decide(
          reverse('e8', { type: 'DistributionDeclared', data: { distributionNumber: 2, amount: '9.00', paymentDate: '2026-07-05', cashAvailable: '1000.00' } }),
          more,
        ),
      'EVENT_NOT_REVERSIBLE',
    );
    expect(
      decide(
        reverse('e8', { type: 'DistributionDeclared', data: { distributionNumber: 1, amount: '9.00', paymentDate: '2026-07-05', cashAvailable: '1000.00' } }),
        more,
      ).map((e) => e.type),
    ).toEqual(['EventReversed']);
  });

  it("replaces a valuation from the original's effective date, which the corrected history then shows", () => {
    const [reversal] = decide(reverse('e9', { type: 'ProjectValued', data: { projectId: 'grid', fairValue: '750.00' } }));
    expect(reversal).toEqual({
      type: 'EventReversed',
      effectiveDate: '2026-09-30',
      data: {
        eventId: 'e9',
        reversedType: 'ProjectValued',
        reason: 'booked in error',
        replacement: { type: 'ProjectValued', data: { projectId: 'grid', fairValue: '750.00' } },
      },
    });
    const corrected = foldFundHistory([...history(), recorded(reversal, '2027-01-10')]);
    expect(investmentsAtFairValue(corrected).toString()).toBe('750.00');
  });

  it('reverses a funding outright, once both managers agree: cash and cost come back as if it never happened', () => {
    const corrected = foldFundHistory(jointlyReversed('e8'));
    expect(cashOn(corrected, '2026-12-31').toString()).toBe('1000.00');
    expect(corrected.projects.get('grid')!.cost.toString()).toBe('0.00');
  });

  describe('dual control (issue 24: one manager undid a joint decision alone)', () => {
    it("one manager's replacement of a jointly approved allocation is only a proposal: the books are unchanged", () => {
      const decided = decide(
        reverse('e5', { type: 'AllocationProposed', data: { allocationId: 'a1', projectId: 'grid', amount: '500.00' } }, 'us-treasury'),
        beforeFunding(),
      );
      expect(decided).toEqual([
        {
          type: 'ReversalProposed',
          effectiveDate: '2026-07-03',
          data: {
            eventId: 'e5',
            reversedType: 'AllocationProposed',
            reason: 'booked in error',
            replacement: { type: 'AllocationProposed', data: { allocationId: 'a1', projectId: 'grid', amount: '500.00' } },
            approvals: ['us-treasury'],
          },
        },
      ]);
      const state = foldFundHistory([...beforeFunding(), ...decided.map((e) => recorded(e, '2027-01-10', 'us-treasury'))]);
      expect(state.allocations.get('a1')!.amount.toString()).toBe('600.00');
      expect(state.pendingReversals.get('e5')!.approvals).toEqual(['us-treasury']);
    });

    it("refuses withdrawing the other manager's approval while the commitment it made stands (undo the commitment first)", () => {
      expectRejection(() => decide(reverse('e6', undefined, 'us-treasury'), beforeFunding()), 'EVENT_NOT_REVERSIBLE');
    });

    it.each([
      ['the commitment', 'e7'],
      ['a funding', 'e8'],
    ])('reversing %s alone is a proposal, not a reversal', (_name, eventId) => {
      const events = eventId === 'e8' ? history() : beforeFunding();
      expect(decide(reverse(eventId, undefined, 'us-treasury'), events).map((e) => e.type)).toEqual(['ReversalProposed']);
    });

    it('takes effect when the other required manager approves, with both named on the reversal', () => {
      const events = jointlyReversed('e5', { type: 'AllocationProposed', data: { allocationId: 'a1', projectId: 'grid', amount: '500.00' } }, beforeFunding());
      const [approved, reversed] = events.slice(-2);
      expect(approved).toMatchObject({ type: 'ReversalApproved', data: { eventId: 'e5', approvals: ['us-treasury', 'jp-mof'] } });
      expect(reversed).toMatchObject({
        type: 'EventReversed',
        data: { eventId: 'e5', approvedBy: ['us-treasury', 'jp-mof'] },
        metadata: { effectiveDate: '2026-07-03' },
      });
      const state = foldFundHistory(events);
      expect(state.allocations.get('a1')!.amount.toString()).toBe('500.00');
      expect(state.pendingReversals.size).toBe(0);
    });

    it('a valuation (a fact, not a joint decision) is reversed at once by one manager', () => {
      expect(decide(reverse('e9', undefined, 'us-treasury')).map((e) => e.type)).toEqual(['EventReversed']);
    });

    it('refuses a second proposal, a proposer approving its own, an approval of nothing, and an approval after a rejection', () => {
      const proposed = [...history(), ...decide(reverse('e8', undefined, 'us-treasury')).map((e) => recorded(e, '2027-01-10', 'us-treasury'))];
      expectRejection(() => decide(reverse('e8'), proposed), 'REVERSAL_ALREADY_PROPOSED');
      expectRejection(() => approve(approveReversal('e8', 'us-treasury'), proposed), 'MANAGER_ALREADY_APPROVED');
      expectRejection(() => approve(approveReversal('e9', 'jp-mof'), proposed), 'NO_REVERSAL_PROPOSED');
      expectRejection(() => approve(approveReversal('e8', 'someone-else'), proposed), 'ACTOR_NOT_MANAGER');
      const rejected = [...proposed, ...decide(rejectReversal('e8', 'jp-mof'), proposed).map((e) => recorded(e, '2027-01-12'))];
      expect(foldFundHistory(rejected).pendingReversals.size).toBe(0);
      expect(cashOn(foldFundHistory(rejected), '2026-12-31').toString()).toBe('400.00');
      expectRejection(() => approve(approveReversal('e8', 'jp-mof'), rejected), 'NO_REVERSAL_PROPOSED');
    });

    it('checks the proposal again at approval: a funding recorded since that it would break refuses it', () => {
      const base = beforeFunding();
      const proposed = [...base, ...decide(reverse('e7', undefined, 'us-treasury'), base).map((e) => recorded(e, '2027-01-10', 'us-treasury'))];
      const funded = [...proposed, { ...history()[7], metadata: { ...history()[7].metadata, eventId: 'f1', position: 100 } } as RecordedFundEvent];
      expectRejection(() => approve(approveReversal('e7', 'jp-mof'), funded), 'ALLOCATION_NOT_COMMITTED');
    });
  });

  const rows: [string, ReverseEvent, RejectionCode, RecordedFundEvent[]?][] = [
    ['an event the stream does not hold', reverse('e99'), 'UNKNOWN_EVENT'],
    ['the fund itself', reverse('e1'), 'EVENT_NOT_REVERSIBLE'],
    ['a replacement of another type', reverse('e9', { type: 'ProjectFunded', data: {} }), 'EVENT_NOT_REVERSIBLE'],
    ['a project later events depend on', reverse('e4'), 'UNKNOWN_PROJECT'],
    ['a call whose cash a later funding spent', reverse('e3'), 'INSUFFICIENT_CASH'],
    ['a proposal to reverse the call (checked when proposed too)', reverse('e3', undefined, 'us-treasury'), 'INSUFFICIENT_CASH'],
    [
      'a close (the LPs it admitted were called and shared P&L from it on)',
      reverse('e2', closeHeldEvent(1, '500.00', 3, { pendingUsd: '1000.00', scaledBack: true })),
      'EVENT_NOT_REVERSIBLE',
    ],
    [
      'a replacement that breaks its own rule',
      reverse('e8', {
        type: 'ProjectFunded',
        data: { allocationId: 'a1', projectId: 'grid', amount: '700.00', cashBefore: '1000.00', allocationLeftAfter: '0.00' },
      }),
      'FUNDING_EXCEEDS_ALLOCATION',
    ],
  ];
  it.each(rows)('rejects reversing %s, with the code of the rule it would break', (_name, command, code) => {
    expectRejection(() => decide(command), code);
  });

  it('reverses an event once', () => {
    const [reversal] = decide(reverse('e9'));
    const events = [...history(), recorded(reversal, '2027-01-10')];
    expectRejection(() => decide(reverse('e9'), events), 'EVENT_ALREADY_REVERSED');
  });

  describe('a fact recorded after later-dated events (issue 24: nobody is refused because another principal dated something later)', () => {
    const inPlace = (command: FundCommand, events = history()) =>
      decideInPlace(events, foldFundHistory(events), command.metadata, (state) => decideWith(command, { fund: state }));
    const proceeds = (amount: string, date: string, kind = 'capital'): FundCommand => ({
      type: 'ReceiveProceeds',
      data: { projectId: 'grid', kind: kind as 'capital', amount },
      metadata: by('market-data', date, { role: 'operator' }),
    });

    it('is decided on the books as of its date: capital proceeds above the value then are refused though the value now is higher', () => {
      // On 2026-07-06 the project is worth its cost, 600.00; by 2026-09-30 it is valued 900.00.
      expect(() => decideWith(proceeds('700.00', '2026-07-06'), { fund: foldFundHistory(history()) })).not.toThrow();
      expectRejection(() => inPlace(proceeds('700.00', '2026-07-06')), 'PROCEEDS_EXCEED_VALUE');
      const [event] = inPlace(proceeds('300.00', '2026-07-06'));
      expect(event.data).toMatchObject({ amount: '300.00', costRelieved: '300.00', realizedGain: '0.00' });
    });

    it('is refused with the code of a later event it would break', () => {
      const later = [
        ...history(),
        {
          ...at(
            '2026-10-05',
            { type: 'ProceedsReceived', data: { projectId: 'grid', kind: 'capital', amount: '800.00', costRelieved: '533.33', realizedGain: '266.67' } },
            'market-data',
          ),
          metadata: { actor: 'market-data', effectiveDate: '2026-10-05', eventId: 'e10', position: 10 },
        } as RecordedFundEvent,
      ];
      expectRejection(() => inPlace(proceeds('500.00', '2026-10-01'), later), 'PROCEEDS_EXCEED_VALUE');
      expect(inPlace(proceeds('50.00', '2026-10-01'), later)).toHaveLength(1);
    });

    it('dated before the fund existed, is refused for that, not for a fund it cannot find', () => {
      expectRejection(() => inPlace(proceeds('1.00', '2025-12-31')), 'EFFECTIVE_DATE_BEFORE_INCEPTION');
      expectRejection(
        () => inPlace({ type: 'RecordMilestone', data: { milestone: 'm' }, metadata: by('us-treasury', '2000-01-01') }),
        'EFFECTIVE_DATE_BEFORE_INCEPTION',
      );
    });

    it('counts in the books at its date, whatever the log order', () => {
      const late = {
        ...at('2026-07-04', { type: 'ProjectValued', data: { projectId: 'grid', fairValue: '100.00' } }, 'market-data'),
        metadata: { actor: 'market-data', effectiveDate: '2026-07-04', eventId: 'e10', position: 10 },
      } as RecordedFundEvent;
      // Valued 100 on 07-04, funded 600 on 07-05, valued 900 on 09-30: 900 now, 700 in between.
      expect(investmentsAtFairValue(foldFundHistory([...history(), late])).toString()).toBe('900.00');
      expect(investmentsAtFairValue(foldFundHistory([...history().slice(0, 8), late])).toString()).toBe('700.00');
    });
  });
});
