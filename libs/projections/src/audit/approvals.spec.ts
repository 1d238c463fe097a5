import { at, givenCommittedAllocation, numbered } from '@fundsim/domain/testing/fund-fixtures';
import { pendingApprovals } from './approvals';

/** e1-e7 the committed allocation a1; e8 a2 proposed by us-treasury; e9-e10 a3 proposed by jp-mof, rejected; e11 jp-mof proposes reversing a1's commitment (e7). */
const history = () =>
  numbered([
    ...givenCommittedAllocation(),
    at('2026-07-05', { type: 'AllocationProposed', data: { allocationId: 'a2', projectId: 'grid', amount: '100.00' } }),
    at('2026-07-06', { type: 'AllocationProposed', data: { allocationId: 'a3', projectId: 'grid', amount: '50.00' } }, 'jp-mof'),
    at('2026-07-07', { type: 'AllocationRejected', data: { allocationId: 'a3', reason: 'over budget' } }),
    at(
      '2026-07-04',
      { type: 'ReversalProposed', data: { eventId: 'e7', reversedType: 'AllocationCommitted', reason: 'wrong project', approvals: ['jp-mof'] } },
      'jp-mof',
    ),
  ]);

describe('what awaits the managers under dual control', () => {
  it('lists each allocation still proposed and each reversal pending, with who proposed it and who must still approve', () => {
    const { approvalsRequired, pending } = pendingApprovals('usjp', history());
    expect(approvalsRequired).toEqual(['us-treasury', 'jp-mof']);
    expect(pending).toEqual([
      {
        kind: 'allocation',
        id: 'a2',
        proposedBy: 'us-treasury',
        proposedOn: '2026-07-05',
        position: 8,
        recordedAt: expect.any(String),
        approvedBy: ['us-treasury'],
        awaiting: ['jp-mof'],
        amount: '100.00',
        project: { projectId: 'grid', name: 'Energy grid', sector: 'energy' },
        reversal: null,
      },
      {
        kind: 'reversal',
        id: 'e7',
        proposedBy: 'jp-mof',
        proposedOn: '2026-07-04',
        position: 11,
        recordedAt: expect.any(String),
        approvedBy: ['jp-mof'],
        awaiting: ['us-treasury'],
        amount: null,
        project: { projectId: 'grid', name: 'Energy grid', sector: 'energy' },
        reversal: {
          reason: 'wrong project',
          reversedType: 'AllocationCommitted',
          reversedEffectiveDate: '2026-07-04',
          replacementType: null,
          allocationId: 'a1',
        },
      },
    ]);
  });

  it('drops a decision once the other manager approves (the allocation committed) or rejects it', () => {
    const approved = numbered([
      ...history(),
      at('2026-07-08', { type: 'AllocationApproved', data: { allocationId: 'a2', approvals: ['us-treasury', 'jp-mof'] } }, 'jp-mof'),
      at(
        '2026-07-08',
        {
          type: 'AllocationCommitted',
          data: {
            allocationId: 'a2',
            projectId: 'grid',
            amount: '100.00',
            approvedBy: ['us-treasury', 'jp-mof'],
            projectCommittedAfter: '700.00',
            concentrationLimitAmount: '600.00',
          },
        },
        'jp-mof',
      ),
      at('2026-07-08', { type: 'ReversalRejected', data: { eventId: 'e7', reason: 'a1 stands' } }),
    ]);
    expect(pendingApprovals('usjp', approved).pending.map((p) => p.id)).toEqual([]);
  });
});
