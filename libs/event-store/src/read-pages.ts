import type { EventStore, ReadAllOptions, StoredEvent } from './event-store.port';
import { GENESIS_HASH } from './hash-chain';

/** The hash of the event at a position of the log (the genesis value at 0). */
export async function hashAt(store: EventStore, position: number): Promise<string> {
  if (position === 0) return GENESIS_HASH;
  for await (const event of store.readAll({ fromPosition: position, maxCount: 1 })) if (event.position === position) return event.hash;
  throw new Error(`The log has no event at position ${position}`);
}

const PAGE = 1000;

/** The store's readAll a page at a time: natively where the adapter can, else batched here. */
export async function* readPages(store: EventStore, options: ReadAllOptions = {}): AsyncGenerator<StoredEvent[]> {
  if (store.readAllPages) {
    yield* store.readAllPages(options);
    return;
  }
  let page: StoredEvent[] = [];
  for await (const event of store.readAll(options)) {
    page.push(event);
    if (page.length === PAGE) {
      yield page;
      page = [];
    }
  }
  if (page.length > 0) yield page;
}
