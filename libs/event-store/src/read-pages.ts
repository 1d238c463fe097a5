import type { EventStore, ReadAllOptions, StoredEvent } from './event-store.port';

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
