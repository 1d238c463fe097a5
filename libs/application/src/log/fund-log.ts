import { readPages, StreamNotFoundError, type EventStore, type StoredEvent } from '@fundsim/event-store';
import { fundStream, isFundStream } from '../streams';
import { decodedEvent } from './event-codec';

export { asRecorded } from './event-codec';

/**
 * The events of a fund after `position`: its own stream and its LPs' streams, in log order (a
 * close must see the commitments before it), a page at a time. The one way both the command
 * side and the read side follow a fund. Each event is decoded (checked, upcast to its type's
 * current shape): a malformed one stops the read with EventShapeError, naming it.
 */
export async function* fundLogPagesAfter(store: EventStore, fundId: string, position: number): AsyncGenerator<StoredEvent[]> {
  const prefix = fundStream(fundId);
  for await (const page of readPages(store, { fromPosition: position + 1, streamPrefix: prefix })) {
    // The prefix also matches fund-usjp2's streams: keep this fund's.
    const own = page.every((e) => isFundStream(fundId, e.stream)) ? page : page.filter((e) => isFundStream(fundId, e.stream));
    if (own.length > 0) yield own.map(decodedEvent);
  }
}

/** The same, an event at a time. */
export async function* fundLogAfter(store: EventStore, fundId: string, position: number): AsyncGenerator<StoredEvent> {
  for await (const page of fundLogPagesAfter(store, fundId, position)) yield* page;
}

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
