import { foldFundHistory, type RecordedFundEvent } from '@fundsim/domain';

/**
 * One decision under dual control that is still open: an allocation proposed by one manager, or a
 * reversal of a jointly decided event, waiting for the other required managers. The books do not
 * change until the last of `awaiting` approves; one rejection ends it.
 */
export interface PendingApproval {
  kind: 'allocation' | 'reversal';
  /** The allocation's id, or the id of the event whose reversal is proposed. */
  id: string;
  /** Who proposed it (its first approval). */
  proposedBy: string;
  /** The proposal's effective date, log position and recorded-at time. */
  proposedOn: string;
  position: number;
  recordedAt: string;
  /** The managers who approved it so far, the proposer first. */
  approvedBy: string[];
  /** The required managers who have not approved it yet: any one of them may reject it. */
  awaiting: string[];
  /** An allocation's amount in USD; null for a reversal. */
  amount: string | null;
  /** An allocation's project; for a reversal of an allocation's event, the allocation's project; else null. */
  project: { projectId: string; name: string; sector: string } | null;
  /** A reversal's reason, its target's type and effective date, and the replacement's type (null when none). */
  reversal: { reason: string; reversedType: string; reversedEffectiveDate: string; replacementType: string | null; allocationId: string | null } | null;
}

export interface PendingApprovals {
  fundId: string;
  /** The managers whose approval every decision under dual control needs. */
  approvalsRequired: string[];
  /** Open decisions, oldest first. */
  pending: PendingApproval[];
}

/**
 * What awaits the managers' approval in a fund, from its log: the deciders' own fold says which
 * allocations are still proposed and which reversals are pending (corrections applied), and the
 * log says who proposed each and when.
 */
export function pendingApprovals(fundId: string, history: readonly RecordedFundEvent[]): PendingApprovals {
  const state = foldFundHistory(history);
  const required = [...(state.config?.approvalsRequired ?? [])];
  const awaiting = (approvals: readonly string[]) => required.filter((m) => !approvals.includes(m));
  const projectOf = (projectId: string | undefined) => {
    const p = projectId === undefined ? undefined : state.projects.get(projectId);
    return p ? { projectId: p.projectId, name: p.name, sector: p.sector } : null;
  };
  // The latest proposal of each allocation and of each reversal, and every event by id (a reversal names its target).
  const proposals = new Map<string, RecordedFundEvent>();
  const reversalProposals = new Map<string, RecordedFundEvent>();
  const byId = new Map<string, RecordedFundEvent>();
  for (const event of history) {
    if (event.metadata.eventId) byId.set(event.metadata.eventId, event);
    if (event.type === 'AllocationProposed') proposals.set(event.data.allocationId, event);
    else if (event.type === 'ReversalProposed') reversalProposals.set(event.data.eventId, event);
  }
  const pending: PendingApproval[] = [];
  for (const allocation of state.allocations.values()) {
    if (allocation.status !== 'proposed') continue;
    const proposal = proposals.get(allocation.allocationId);
    pending.push({
      kind: 'allocation',
      id: allocation.allocationId,
      proposedBy: proposal?.metadata.actor ?? allocation.approvals[0] ?? '',
      proposedOn: proposal?.metadata.effectiveDate ?? '',
      position: proposal?.metadata.position ?? 0,
      recordedAt: proposal?.metadata.recordedAt ?? '',
      approvedBy: [...allocation.approvals],
      awaiting: awaiting(allocation.approvals),
      amount: allocation.amount.toString(),
      project: projectOf(allocation.projectId),
      reversal: null,
    });
  }
  for (const [eventId, proposed] of state.pendingReversals) {
    const proposal = reversalProposals.get(eventId);
    const target = byId.get(eventId);
    const targetData = (target?.data ?? {}) as { allocationId?: string; projectId?: string };
    const allocationId = targetData.allocationId ?? null;
    const projectId = targetData.projectId ?? (allocationId === null ? undefined : state.allocations.get(allocationId)?.projectId);
    pending.push({
      kind: 'reversal',
      id: eventId,
      proposedBy: proposal?.metadata.actor ?? proposed.approvals[0] ?? '',
      proposedOn: proposal?.metadata.effectiveDate ?? target?.metadata.effectiveDate ?? '',
      position: proposal?.metadata.position ?? 0,
      recordedAt: proposal?.metadata.recordedAt ?? '',
      approvedBy: [...proposed.approvals],
      awaiting: awaiting(proposed.approvals),
      amount: null,
      project: projectOf(projectId),
      reversal: {
        reason: proposed.reason,
        reversedType: proposed.reversedType,
        reversedEffectiveDate: target?.metadata.effectiveDate ?? '',
        replacementType: proposed.replacement?.type ?? null,
        allocationId,
      },
    });
  }
  pending.sort((a, b) => a.position - b.position);
  return { fundId, approvalsRequired: required, pending };
}
