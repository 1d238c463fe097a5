import type { InvestorLedgerEvent, RecordedFundEvent } from '@fundsim/domain';
import type { EventStore, StoredEvent } from '@fundsim/event-store';
import { fundStream, isFundStream } from './streams';

/**
 * The events of a fund after `position`: its own stream and its LPs' streams, in log order (a
 * close must see the commitments before it). The one way both the command side and the read side
 * follow a fund.
 */
export async function* fundLogAfter(store: EventStore, fundId: string, position: number): AsyncGenerator<StoredEvent> {
  for await (const event of store.readAll({ fromPosition: position + 1, streamPrefix: fundStream(fundId) })) {
    if (isFundStream(fundId, event.stream)) yield event;
  }
}

/** A stored event as the domain's folds see it: its id and position travel in the metadata. */
export function asRecorded(e: StoredEvent): RecordedFundEvent {
  return { type: e.type, data: e.data, metadata: { ...e.metadata, eventId: e.id, position: e.position } } as unknown as RecordedFundEvent;
}

/** A stored event as the investor ledger folds it. */
export const asInvestorEvent = (e: StoredEvent): InvestorLedgerEvent => ({ id: e.id, type: e.type, data: e.data, position: e.position, effectiveDate: e.metadata.effectiveDate });
