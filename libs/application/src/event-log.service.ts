import { Injectable } from '@nestjs/common';
import type { EventStore, StoredEvent, VerifyOptions, VerifyResult } from '@fundsim/event-store';
import { InjectEventStore } from './event-store.provider';

export interface EventLogQuery {
  fromPosition?: number;
  limit?: number;
  streamPrefix?: string;
  types?: string[];
}

export interface EventLogPage {
  events: StoredEvent[];
  /** Pass as fromPosition to read the next page; absent on the last page. */
  nextPosition?: number;
}

export const DEFAULT_PAGE_SIZE = 100;
export const MAX_PAGE_SIZE = 1000;

/** Reading and verifying the log: one service behind the API and the CLI. */
@Injectable()
export class EventLogService {
  constructor(@InjectEventStore() private readonly store: EventStore) {}

  get storeDescription(): string {
    return this.store.description;
  }

  async page(query: EventLogQuery = {}): Promise<EventLogPage> {
    const limit = Math.min(query.limit ?? DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
    const events: StoredEvent[] = [];
    // One more than asked tells whether a next page exists without a second query.
    for await (const event of this.store.readAll({
      fromPosition: query.fromPosition,
      maxCount: limit + 1,
      streamPrefix: query.streamPrefix,
      eventTypes: query.types,
    })) {
      events.push(event);
    }
    const more = events.length > limit;
    if (more) events.pop();
    return { events, nextPosition: more ? events[events.length - 1].position + 1 : undefined };
  }

  headPosition(): Promise<number> {
    return this.store.headPosition();
  }

  verify(options?: VerifyOptions): Promise<VerifyResult> {
    return this.store.verify(options);
  }
}
