import type { InvestorLedgerEvent, RecordedFundEvent } from '@fundsim/domain';
import { StreamNotFoundError, type EventStore, type StoredEvent } from '@fundsim/event-store';
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

/** The fund's own events up to a position (a restored investor ledger's): its stream is small. */
export async function fundEventsThrough(store: EventStore, fundId: string, position: number): Promise<StoredEvent[]> {
  const events: StoredEvent[] = [];
  try {
    for await (const event of store.readStream(fundStream(fundId))) {
      if (event.position > position) break;
      events.push(event);
    }
  } catch (error) {
    if (!(error instanceof StreamNotFoundError)) throw error;
  }
  return events;
}

/** The hash of the event at a position of the log. */
export async function hashAt(store: EventStore, position: number): Promise<string> {
  for await (const event of store.readAll({ fromPosition: position, maxCount: 1 })) if (event.position === position) return event.hash;
  throw new Error(`The log has no event at position ${position}`);
}
