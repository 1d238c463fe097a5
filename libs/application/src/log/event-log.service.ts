import { Injectable } from '@nestjs/common';
import { reject } from '@fundsim/domain';
import type { EventStore, ReplicaLag, StoredEvent, VerifyOptions, VerifyResult } from '@fundsim/event-store';
import { InjectEventStore } from '../event-store.provider';
import { fundStream, isFundStream } from '../streams';

export interface EventLogQuery {
  fromPosition?: number;
  limit?: number;
  streamPrefix?: string;
  types?: string[];
  /** Only the events of this fund: its own stream and its LPs' streams. */
  fundId?: string;
  actor?: string;
  /** Effective-date range, both ends inclusive. */
  effectiveFrom?: string;
  effectiveTo?: string;
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

  /** The kind of store (`sqlite`, `memory`, `esdb`...): what may be shown to anyone, unlike its path or address. */
  get storeKind(): string {
    return /^[a-z][a-z0-9+]*/i.exec(this.store.description)?.[0] ?? 'unknown';
  }

  async page(query: EventLogQuery = {}): Promise<EventLogPage> {
    // An unknown fund is a 404 as on every other route of a fund, not an empty page that reads as "no events yet".
    if (query.fundId !== undefined && (await this.store.streamRevision(fundStream(query.fundId))) === undefined) {
      reject('FUND_NOT_ESTABLISHED', `There is no fund ${JSON.stringify(query.fundId)}`);
    }
    const limit = Math.min(query.limit ?? DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
    const matches = (e: StoredEvent): boolean =>
      (query.fundId === undefined || isFundStream(query.fundId, e.stream)) &&
      (query.actor === undefined || e.metadata.actor === query.actor) &&
      (query.effectiveFrom === undefined || e.metadata.effectiveDate >= query.effectiveFrom) &&
      (query.effectiveTo === undefined || e.metadata.effectiveDate <= query.effectiveTo);
    const streamPrefix = query.streamPrefix ?? (query.fundId === undefined ? undefined : fundStream(query.fundId));
    const events: StoredEvent[] = [];
    // One more than asked tells whether a next page exists without a second query.
    for await (const event of this.store.readAll({ fromPosition: query.fromPosition, streamPrefix, eventTypes: query.types })) {
      if (!matches(event)) continue;
      events.push(event);
      if (events.length > limit) break;
    }
    const more = events.length > limit;
    if (more) events.pop();
    return { events, nextPosition: more ? events[events.length - 1].position + 1 : undefined };
  }

  headPosition(): Promise<number> {
    return this.store.headPosition();
  }

  /** Whether reads come from a read replica (FUNDSIM_STORE_READ). */
  get readsFromReplica(): boolean {
    return this.store.replicaLag !== undefined;
  }

  /** How far the read replica is behind (FUNDSIM_STORE_READ); undefined without one. */
  replicaLag(): Promise<ReplicaLag> | undefined {
    return this.store.replicaLag?.();
  }

  verify(options?: VerifyOptions): Promise<VerifyResult> {
    return this.store.verify(options);
  }
}
