/**
 * Projects and allocations. An allocation is proposed by a manager (which counts as that
 * manager's approval), approved by the others, and committed when every required manager has
 * approved; one rejection ends it. Events carry the figures their policy checks used.
 */
export type ProjectRegistered = {
  type: 'ProjectRegistered';
  data: { projectId: string; name: string; sector: string; partners: string[]; totalProjectSize: string };
};

export type AllocationProposed = {
  type: 'AllocationProposed';
  data: { allocationId: string; projectId: string; amount: string };
};

export type AllocationApproved = {
  type: 'AllocationApproved';
  data: { allocationId: string; approvals: string[] };
};

export type AllocationRejected = {
  type: 'AllocationRejected';
  data: { allocationId: string; reason: string };
};

export type AllocationCommitted = {
  type: 'AllocationCommitted';
  data: {
    allocationId: string;
    projectId: string;
    amount: string;
    approvedBy: string[];
    /** The project's committed allocations with this one, against the concentration limit. */
    projectCommittedAfter: string;
    concentrationLimitAmount: string;
  };
};

export type ProjectFunded = {
  type: 'ProjectFunded';
  data: { allocationId: string; projectId: string; amount: string; cashBefore: string; allocationLeftAfter: string };
};

export type ProjectValued = {
  type: 'ProjectValued';
  data: { projectId: string; fairValue: string };
};

/** Capital proceeds reduce fair value by their amount and relieve cost in proportion. */
export type ProceedsReceived = {
  type: 'ProceedsReceived';
  data: { projectId: string; kind: 'income' | 'capital'; amount: string; costRelieved: string; realizedGain: string };
};

export type ProjectEvent =
  ProjectRegistered | AllocationProposed | AllocationApproved | AllocationRejected | AllocationCommitted | ProjectFunded | ProjectValued | ProceedsReceived;
