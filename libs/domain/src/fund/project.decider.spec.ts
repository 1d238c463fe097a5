import type { RejectionCode } from '../rejections';
import { at, by, closeHeld, usJapanFundEstablished } from '../testing/fund-fixtures';
import { given } from '../testing/given-when-then';
import type { FundCommand } from './fund.commands';
import { cashOn } from './fund.queries';
import { evolveFund, initialFundState, type RecordedFundEvent } from './fund.state';

const cmd = (type: string, data: object, actor = 'us-treasury', date = '2026-09-01') => ({ type, data, metadata: by(actor, date) }) as FundCommand;

/** $200B admitted, 10% called and due: $20B cash; concentration limit 60% = $120B per project. */
const givenFundWithStargate = (): RecordedFundEvent[] => [
  usJapanFundEstablished(),
  closeHeld(1, '2026-06-30', '200000000000.00'),
  at('2026-07-01', {
    type: 'CapitalCalled',
    data: { callNumber: 1, percentage: '0.10', dueDate: '2026-07-31', admittedUsd: '200000000000.00', totalUsd: '20000000000.00', lpCount: 2 },
  }),
  at('2026-08-01', {
    type: 'ProjectRegistered',
    data: {
      projectId: 'stargate',
      name: 'Stargate',
      sector: 'AI infrastructure',
      partners: ['OpenAI', 'Oracle', 'SoftBank', 'MGX'],
      totalProjectSize: '500000000000.00',
    },
  }),
];
const proposed = (amount = '100000000000.00', allocationId = 'alloc-stargate-1'): RecordedFundEvent =>
  at('2026-08-15', { type: 'AllocationProposed', data: { allocationId, projectId: 'stargate', amount } }, 'us-treasury');
const committed = (amount = '100000000000.00', allocationId = 'alloc-stargate-1'): RecordedFundEvent[] => [
  proposed(amount, allocationId),
  at('2026-08-20', { type: 'AllocationApproved', data: { allocationId, approvals: ['us-treasury', 'jp-mof'] } }, 'jp-mof'),
  at(
    '2026-08-20',
    {
      type: 'AllocationCommitted',
      data: {
        allocationId,
        projectId: 'stargate',
        amount,
        approvedBy: ['us-treasury', 'jp-mof'],
        projectCommittedAfter: amount,
        concentrationLimitAmount: '120000000000.00',
      },
    },
    'jp-mof',
  ),
];

describe('project decider', () => {
  it('registers a project', () => {
    given([usJapanFundEstablished()])
      .when(
        cmd(
          'RegisterProject',
          { projectId: 'stargate', name: 'Stargate', sector: 'AI infrastructure', partners: ['OpenAI'], totalProjectSize: '500000000000.00' },
          'us-treasury',
          '2026-02-01',
        ),
      )
      .then([
        {
          type: 'ProjectRegistered',
          data: { projectId: 'stargate', name: 'Stargate', sector: 'AI infrastructure', partners: ['OpenAI'], totalProjectSize: '500000000000.00' },
        },
      ]);
  });

  it("proposes an allocation, which counts as the proposer's approval", () => {
    given(givenFundWithStargate())
      .when(cmd('ProposeAllocation', { allocationId: 'alloc-stargate-1', projectId: 'stargate', amount: '100000000000.00' }))
      .then([{ type: 'AllocationProposed', data: { allocationId: 'alloc-stargate-1', projectId: 'stargate', amount: '100000000000.00' } }]);
  });

  it('commits it when the other required manager approves, recording the concentration figures', () => {
    given([...givenFundWithStargate(), proposed()])
      .when(cmd('ApproveAllocation', { allocationId: 'alloc-stargate-1' }, 'jp-mof'))
      .then([
        { type: 'AllocationApproved', data: { allocationId: 'alloc-stargate-1', approvals: ['us-treasury', 'jp-mof'] } },
        {
          type: 'AllocationCommitted',
          data: {
            allocationId: 'alloc-stargate-1',
            projectId: 'stargate',
            amount: '100000000000.00',
            approvedBy: ['us-treasury', 'jp-mof'],
            projectCommittedAfter: '100000000000.00',
            concentrationLimitAmount: '120000000000.00',
          },
        },
      ]);
  });

  it('refuses a fair value above the largest amount fundsim books, and takes zero (written off)', () => {
    given(givenFundWithStargate())
      .when(cmd('ValueProject', { projectId: 'stargate', fairValue: `1${'0'.repeat(59)}.00` }))
      .thenRejects('INVALID_AMOUNT');
    given(givenFundWithStargate())
      .when(cmd('ValueProject', { projectId: 'stargate', fairValue: '1000000000000000.01' }))
      .thenRejects('INVALID_AMOUNT');
    given(givenFundWithStargate())
      .when(cmd('ValueProject', { projectId: 'stargate', fairValue: '0.00' }))
      .then([{ type: 'ProjectValued', data: { projectId: 'stargate', fairValue: '0.00' } }]);
  });

  it('funds a committed allocation out of cash, adding to cost and fair value', () => {
    const history = [...givenFundWithStargate(), ...committed()];
    given(history)
      .when(cmd('FundProject', { allocationId: 'alloc-stargate-1', amount: '15000000000.00' }))
      .then([
        {
          type: 'ProjectFunded',
          data: {
            allocationId: 'alloc-stargate-1',
            projectId: 'stargate',
            amount: '15000000000.00',
            cashBefore: '20000000000.00',
            allocationLeftAfter: '85000000000.00',
          },
        },
      ]);
  });

  it('relieves cost in proportion to capital proceeds and realises the difference', () => {
    const funded = at('2026-09-01', {
      type: 'ProjectFunded',
      data: {
        allocationId: 'alloc-stargate-1',
        projectId: 'stargate',
        amount: '10000000000.00',
        cashBefore: '20000000000.00',
        allocationLeftAfter: '90000000000.00',
      },
    });
    const valued = at('2026-12-31', { type: 'ProjectValued', data: { projectId: 'stargate', fairValue: '12500000000.00' } });
    // Selling 20% of a $12.5B position carried at $10B cost: $2.5B received, $2B cost relieved.
    const history = [...givenFundWithStargate(), ...committed(), funded, valued];
    given(history)
      .when(cmd('ReceiveProceeds', { projectId: 'stargate', kind: 'capital', amount: '2500000000.00' }, 'us-treasury', '2026-12-31'))
      .then([
        {
          type: 'ProceedsReceived',
          data: { projectId: 'stargate', kind: 'capital', amount: '2500000000.00', costRelieved: '2000000000.00', realizedGain: '500000000.00' },
        },
      ]);
    const state = history.reduce(evolveFund, initialFundState());
    expect(cashOn(state, '2026-12-31').toString()).toBe('10000000000.00');
  });

  const rows: [string, RecordedFundEvent[], FundCommand, RejectionCode][] = [
    [
      'a project registered twice',
      givenFundWithStargate(),
      cmd('RegisterProject', { projectId: 'stargate', name: 'S', sector: 'x', partners: [], totalProjectSize: '1.00' }),
      'PROJECT_EXISTS',
    ],
    [
      'an allocation to an unknown project',
      givenFundWithStargate(),
      cmd('ProposeAllocation', { allocationId: 'a', projectId: 'nope', amount: '1.00' }),
      'UNKNOWN_PROJECT',
    ],
    [
      'an allocation proposed twice',
      [...givenFundWithStargate(), proposed()],
      cmd('ProposeAllocation', { allocationId: 'alloc-stargate-1', projectId: 'stargate', amount: '1.00' }),
      'ALLOCATION_EXISTS',
    ],
    ['an approval of an unknown allocation', givenFundWithStargate(), cmd('ApproveAllocation', { allocationId: 'nope' }, 'jp-mof'), 'UNKNOWN_ALLOCATION'],
    [
      'an approval by a non-manager',
      [...givenFundWithStargate(), proposed()],
      cmd('ApproveAllocation', { allocationId: 'alloc-stargate-1' }, 'softbank'),
      'ACTOR_NOT_MANAGER',
    ],
    [
      'a second approval by the same manager',
      [...givenFundWithStargate(), proposed()],
      cmd('ApproveAllocation', { allocationId: 'alloc-stargate-1' }, 'us-treasury'),
      'MANAGER_ALREADY_APPROVED',
    ],
    [
      'an approval after a rejection',
      [
        ...givenFundWithStargate(),
        proposed(),
        at('2026-08-16', { type: 'AllocationRejected', data: { allocationId: 'alloc-stargate-1', reason: 'too big' } }, 'jp-mof'),
      ],
      cmd('ApproveAllocation', { allocationId: 'alloc-stargate-1' }, 'jp-mof'),
      'ALLOCATION_ALREADY_REJECTED',
    ],
    [
      'a rejection of a committed allocation',
      [...givenFundWithStargate(), ...committed()],
      cmd('RejectAllocation', { allocationId: 'alloc-stargate-1', reason: 'late' }, 'jp-mof'),
      'ALLOCATION_ALREADY_COMMITTED',
    ],
    [
      'funding before every manager approved',
      [...givenFundWithStargate(), proposed()],
      cmd('FundProject', { allocationId: 'alloc-stargate-1', amount: '1.00' }),
      'ALLOCATION_NOT_COMMITTED',
    ],
    [
      'funding beyond the allocation left',
      [...givenFundWithStargate(), ...committed('10.00')],
      cmd('FundProject', { allocationId: 'alloc-stargate-1', amount: '10.01' }),
      'FUNDING_EXCEEDS_ALLOCATION',
    ],
    [
      'funding beyond the cash on hand',
      [...givenFundWithStargate(), ...committed()],
      cmd('FundProject', { allocationId: 'alloc-stargate-1', amount: '20000000000.01' }),
      'INSUFFICIENT_CASH',
    ],
    [
      'a commitment over the concentration limit',
      [...givenFundWithStargate(), ...committed('100000000000.00'), proposed('20000000000.01', 'alloc-stargate-2')],
      cmd('ApproveAllocation', { allocationId: 'alloc-stargate-2' }, 'jp-mof'),
      'CONCENTRATION_LIMIT_EXCEEDED',
    ],
    [
      'capital proceeds over the fair value',
      givenFundWithStargate(),
      cmd('ReceiveProceeds', { projectId: 'stargate', kind: 'capital', amount: '1.00' }),
      'PROCEEDS_EXCEED_VALUE',
    ],
  ];
  it.each(rows)('rejects %s', (_name, history, command, code) => {
    given(history).when(command).thenRejects(code);
  });
});
