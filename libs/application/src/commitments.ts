import { Money, type CapitalCommitted, type CommitmentEntry, type EventReversed } from '@fundsim/domain';
import type { EventStore } from '@fundsim/event-store';
import { lpStreamPrefix } from './streams';

export interface CommitmentRange {
  /** First log position read (default: the start of the log). */
  fromPosition?: number;
  /** Only events at positions before this one. */
  before?: number;
  /** Only events with an effective date on or before this one. */
  asOf?: string;
}

/**
 * A fund's commitments from its LP streams, in log order, each reversal applied: a reversed
 * commitment drops out, or counts with its replacement's amount at its own place.
 */
export async function readCommitments(store: EventStore, fundId: string, range: CommitmentRange = {}): Promise<CommitmentEntry[]> {
  const { fromPosition = 0, before = Infinity, asOf } = range;
  const commitments: (CommitmentEntry & { id: string })[] = [];
  const reversals = new Map<string, EventReversed['data']>();
  for await (const event of store.readAll({ fromPosition, streamPrefix: lpStreamPrefix(fundId), eventTypes: ['CapitalCommitted', 'EventReversed'] })) {
    if (event.position >= before) break;
    if (asOf !== undefined && event.metadata.effectiveDate > asOf) continue;
    if (event.type === 'EventReversed') {
      const reversal = event.data as unknown as EventReversed['data'];
      reversals.set(reversal.eventId, reversal);
    } else {
      const data = event.data as unknown as CapitalCommitted['data'];
      commitments.push({ id: event.id, lpId: data.lpId, amountUsd: Money.parse(data.amountUsd, 'USD'), position: event.position });
    }
  }
  return commitments.flatMap(({ id, ...c }) => {
    const reversal = reversals.get(id);
    if (!reversal) return [c];
    const replacement = reversal.replacement?.data as { amountUsd: string } | undefined;
    return replacement ? [{ ...c, amountUsd: Money.parse(replacement.amountUsd, 'USD') }] : [];
  });
}
