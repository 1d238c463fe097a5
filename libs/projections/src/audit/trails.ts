import { foldFundHistory, type RecordedFundEvent } from '@fundsim/domain';

/**
 * A correction that touched an event of a trail, and what it changed. Under dual control it is
 * first `proposed` (by one manager, books unchanged), then `reversed` once every required manager
 * approved, or `rejected`; a reversal outside dual control is `reversed` at once.
 */
export interface TrailCorrection {
  status: 'proposed' | 'reversed' | 'rejected';
  /** The managers who proposed and approved it so far. */
  approvedBy: string[];
  eventId: string;
  position: number;
  recordedAt: string;
  actor: string;
  reason: string;
  /** The replacement's type, or null when the event was reversed with nothing in its place. */
  replacedBy: string | null;
  changed: { field: string; from: unknown; to: unknown }[];
}

export interface TrailLine {
  eventId: string;
  position: number;
  type: string;
  effectiveDate: string;
  recordedAt: string;
  actor: string;
  /** Who imported the scenario file that recorded it, when it came from one. */
  importedBy?: string;
  data: Record<string, unknown>;
  corrections: TrailCorrection[];
}

export interface AllocationTrail {
  allocationId: string;
  projectId: string;
  projectName: string;
  sector: string;
  amount: string;
  /** As the books stand now (corrections applied). */
  status: 'proposed' | 'committed' | 'rejected';
  proposedBy: string;
  approvedBy: string[];
  funded: string;
  /** Proposed, each approval or rejection, committed, each funding, then the project's valuations and proceeds, in log order. */
  lines: TrailLine[];
}

type Data = Record<string, unknown>;

/**
 * Each allocation's story from the fund's log: who proposed it and when, every approval or
 * rejection, its commitment, every funding, and the valuations and proceeds of its project from
 * the proposal on; every line with its event id, position, dates and actor, and any correction
 * that reversed or replaced it.
 */
export function allocationTrails(history: readonly RecordedFundEvent[]): AllocationTrail[] {
  const state = foldFundHistory(history);
  const trails = new Map<string, AllocationTrail>();
  const linesById = new Map<string, TrailLine[]>();
  const add = (trail: AllocationTrail, event: RecordedFundEvent) => {
    const line: TrailLine = {
      eventId: event.metadata.eventId ?? '',
      position: event.metadata.position ?? 0,
      type: event.type,
      effectiveDate: event.metadata.effectiveDate,
      recordedAt: event.metadata.recordedAt ?? '',
      actor: event.metadata.actor,
      data: event.data as unknown as Data,
      corrections: [],
    };
    trail.lines.push(line);
    linesById.set(line.eventId, [...(linesById.get(line.eventId) ?? []), line]);
  };
  for (const event of history) {
    const d = event.data as unknown as Data;
    switch (event.type) {
      case 'AllocationProposed': {
        const project = state.projects.get(event.data.projectId);
        const current = state.allocations.get(event.data.allocationId);
        const trail: AllocationTrail = {
          allocationId: event.data.allocationId,
          projectId: event.data.projectId,
          projectName: project?.name ?? event.data.projectId,
          sector: project?.sector ?? 'unknown',
          amount: event.data.amount,
          status: current?.status ?? 'proposed',
          proposedBy: event.metadata.actor,
          approvedBy: [...(current?.approvals ?? [event.metadata.actor])],
          funded: current?.funded.toString() ?? '0.00',
          lines: [],
        };
        trails.set(trail.allocationId, trail);
        add(trail, event);
        break;
      }
      case 'AllocationApproved':
      case 'AllocationRejected':
      case 'AllocationCommitted':
      case 'ProjectFunded': {
        const trail = trails.get(d.allocationId as string);
        if (trail) add(trail, event);
        break;
      }
      case 'ProjectValued':
      case 'ProceedsReceived':
        for (const trail of trails.values()) if (trail.projectId === d.projectId) add(trail, event);
        break;
      case 'ReversalApproved':
      case 'ReversalRejected':
        for (const line of linesById.get(event.data.eventId) ?? []) {
          const open = line.corrections.find((c) => c.status === 'proposed');
          if (!open) continue;
          if (event.type === 'ReversalApproved') open.approvedBy = [...event.data.approvals];
          else open.status = 'rejected';
        }
        break;
      case 'ReversalProposed':
      case 'EventReversed': {
        const r = event.data;
        for (const line of linesById.get(r.eventId) ?? []) {
          const replacement = r.replacement?.data as Data | undefined;
          const open = line.corrections.find((c) => c.status === 'proposed');
          if (event.type === 'EventReversed' && open) {
            // The proposal, now approved by every required manager: one correction, recorded.
            open.status = 'reversed';
            open.approvedBy = [...((r as { approvedBy?: string[] }).approvedBy ?? open.approvedBy)];
            continue;
          }
          line.corrections.push({
            status: event.type === 'ReversalProposed' ? 'proposed' : 'reversed',
            approvedBy: event.type === 'ReversalProposed' ? [...event.data.approvals] : [event.metadata.actor],
            eventId: event.metadata.eventId ?? '',
            position: event.metadata.position ?? 0,
            recordedAt: event.metadata.recordedAt ?? '',
            actor: event.metadata.actor,
            reason: r.reason,
            replacedBy: r.replacement?.type ?? null,
            changed: changes(line.data, replacement),
          });
        }
        break;
      }
      default:
        // Not an allocation's event: no trail.
        break;
    }
  }
  return [...trails.values()];
}

/** Field by field, what a replacement changed (every field goes when there is none). */
function changes(before: Data, after: Data | undefined): TrailCorrection['changed'] {
  const fields = new Set([...Object.keys(before), ...Object.keys(after ?? {})]);
  const out: TrailCorrection['changed'] = [];
  for (const field of [...fields].sort()) {
    const from = before[field];
    const to = after?.[field] ?? null;
    if (JSON.stringify(from) !== JSON.stringify(to)) out.push({ field, from: from ?? null, to });
  }
  return out;
}
