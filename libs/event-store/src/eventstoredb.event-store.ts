import { BACKWARDS, END, EventStoreDBClient, FORWARDS, START, type Position, type ReadPosition } from '@eventstore/db-client';
import { createHash } from 'node:crypto';
import { merge, Observable, Subject } from 'rxjs';
import { checkExpectedRevision, isSameCommand, prepareAppend, type PreparedAppend } from './append-plan';
import { canonicalJson } from './canonical-json';
import { catchUpSubscription, pagedLog, type LogPage } from './catch-up';
import { IdempotencyConflictError, InvalidAppendError, StreamNotFoundError, WrongExpectedRevisionError } from './errors';
import { eventFilter } from './event-filter';
import type {
  AppendOptions,
  AppendRequest,
  AppendResult,
  BatchOptions,
  EventStore,
  NewEvent,
  ReadAllOptions,
  ReadStreamOptions,
  StoredEvent,
  SubscribeOptions,
  VerifyOptions,
  VerifyResult,
} from './event-store.port';
import { expectedLinkHash, fromEsdbEvent, mapEsdbError, positionOf, toEsdbEvent, toEsdbExpectedRevision } from './eventstoredb.mapping';
import { GENESIS_HASH } from './hash-chain';

/** How far back an append looks for an earlier write of the same command. */
const IDEMPOTENCY_WINDOW = 1000;
const CONFLICT_RETRIES = 5;

const isSystem = (stream: string, type: string): boolean => stream.startsWith('$') || type.startsWith('$');

/**
 * EventStoreDB through @eventstore/db-client. EventStoreDB assigns global positions only at
 * write time, so the hash chain runs within each stream (see docs/operations.md for how a
 * whole-log digest still detects alteration, deletion and reordering).
 */
export class EventStoreDbEventStore implements EventStore {
  readonly atomicBatches = false;
  readonly description: string;
  private readonly client: EventStoreDBClient;
  private readonly appended = new Subject<void>();
  private readonly now: () => string;
  /** Commit positions of recently seen events, by prepare position, to resume reads exactly. */
  private readonly commitOf = new Map<number, bigint>();

  constructor(connectionString: string, options: { now?: () => string; pollMs?: number } = {}) {
    this.description = connectionString.replace(/\/\/[^@/]*@/, '//***@');
    this.client = EventStoreDBClient.connectionString(connectionString);
    this.now = options.now ?? (() => new Date().toISOString());
  }

  async append(stream: string, events: NewEvent[], options: AppendOptions = {}): Promise<AppendResult> {
    const plan = prepareAppend(stream, events, options.expectedRevision ?? 'any', this.now());
    for (let attempt = 0; ; attempt++) {
      try {
        const result = await this.writeOnce(plan);
        if (result.written) this.appended.next();
        return result;
      } catch (error) {
        // Our own race on the chain's tail, not the caller's expectation: read again and retry.
        const retriable = error instanceof WrongExpectedRevisionError && plan.expectedRevision === 'any' && attempt < CONFLICT_RETRIES;
        if (!retriable) throw error;
      }
    }
  }

  /** Not atomic across streams: EventStoreDB 23/24 has no multi-stream transaction. */
  async appendBatch(requests: Iterable<AppendRequest>, options: BatchOptions = {}): Promise<AppendResult[]> {
    if (options.expectedHeadPosition !== undefined) throw new InvalidAppendError('expectedHeadPosition needs a store with atomic batches; EventStoreDB has none');
    const results: AppendResult[] = [];
    for (const r of requests) results.push(await this.append(r.stream, r.events, r));
    return results;
  }

  private async writeOnce(plan: PreparedAppend): Promise<AppendResult> {
    const tail = await this.lastEvents(plan.stream, plan.commandId === undefined ? 1 : IDEMPOTENCY_WINDOW);
    if (plan.commandId !== undefined) {
      const earlier = tail.filter((e) => e.metadata.commandId === plan.commandId).reverse();
      if (earlier.length > 0) {
        const same = isSameCommand(earlier.map((e) => ({ ...e, dataJson: canonicalJson(e.data) })), plan);
        if (!same) throw new IdempotencyConflictError(plan.stream, plan.commandId);
        const latest = earlier[earlier.length - 1];
        return { nextExpectedRevision: latest.revision, position: latest.position, written: false };
      }
    }
    const last = tail[0];
    checkExpectedRevision(plan.stream, plan.expectedRevision, last?.revision);
    let previousHash = last?.hash ?? GENESIS_HASH;
    let revision = last?.revision ?? -1;
    const events = plan.events.map((e) => {
      revision++;
      const data = toEsdbEvent(plan.stream, revision, previousHash, e);
      previousHash = (data.metadata as { hash: string }).hash;
      return data;
    });
    // Pin the revision we chained from, whatever the caller expected, so a concurrent writer
    // cannot interleave and break the stream's chain.
    const pinned = last === undefined ? 'no-stream' : last.revision;
    try {
      const result = await this.client.appendToStream(plan.stream, events, { expectedRevision: toEsdbExpectedRevision(pinned) });
      return {
        nextExpectedRevision: Number(result.nextExpectedRevision),
        position: result.position ? Number(result.position.prepare) : 0,
        written: true,
      };
    } catch (error) {
      throw mapEsdbError(error, plan.stream, plan.expectedRevision);
    }
  }

  private async lastEvents(stream: string, count: number): Promise<StoredEvent[]> {
    const out: StoredEvent[] = [];
    try {
      for await (const resolved of this.client.readStream(stream, { direction: BACKWARDS, fromRevision: END, maxCount: count })) {
        if (resolved.event) out.push(fromEsdbEvent(resolved.event));
      }
    } catch (error) {
      const mapped = mapEsdbError(error, stream);
      if (mapped instanceof StreamNotFoundError) return [];
      throw mapped;
    }
    return out;
  }

  async *readStream(stream: string, options: ReadStreamOptions = {}): AsyncGenerator<StoredEvent> {
    const backwards = options.direction === 'backwards';
    try {
      const read = this.client.readStream(stream, {
        direction: backwards ? BACKWARDS : FORWARDS,
        fromRevision: options.fromRevision === undefined ? (backwards ? END : START) : BigInt(options.fromRevision),
        maxCount: options.maxCount ?? Number.MAX_SAFE_INTEGER,
      });
      for await (const resolved of read) if (resolved.event) yield this.remember(fromEsdbEvent(resolved.event), resolved.event.position);
    } catch (error) {
      throw mapEsdbError(error, stream);
    }
  }

  readAll(options: ReadAllOptions = {}): AsyncIterable<StoredEvent> {
    return pagedLog(this.pageReader(options), options.fromPosition ?? 0, options.maxCount ?? Infinity);
  }

  subscribe(options: SubscribeOptions = {}): Observable<StoredEvent> {
    // A live subscription only wakes the catch-up reader, which keeps the no-gap, no-duplicate
    // guarantee in one place for every adapter.
    const live = new Observable<void>((subscriber) => {
      const subscription = this.client.subscribeToAll({ fromPosition: END });
      subscription.on('data', () => subscriber.next());
      subscription.on('error', (error) => subscriber.error(error));
      return () => void subscription.unsubscribe();
    });
    return catchUpSubscription(this.pageReader(options), merge(this.appended, live), options.fromPosition ?? 0, 1000);
  }

  private pageReader(options: { streamPrefix?: string; eventTypes?: readonly string[] }): (from: number, limit: number) => Promise<LogPage> {
    const matches = eventFilter(options);
    return async (from, limit) => {
      const events: StoredEvent[] = [];
      let scannedTo = from - 1;
      for await (const resolved of this.client.readAll({ fromPosition: this.readPositionFor(from), maxCount: limit * 4 })) {
        const recorded = resolved.event;
        if (!recorded) continue;
        const position = positionOf(recorded);
        if (position < from) continue;
        scannedTo = position;
        if (isSystem(recorded.streamId, recorded.type)) continue;
        const event = this.remember(fromEsdbEvent(recorded), recorded.position);
        if (matches(event)) events.push(event);
        if (events.length === limit) break;
      }
      return { events, scannedTo };
    };
  }

  private remember(event: StoredEvent, position: Position | undefined): StoredEvent {
    if (position) {
      if (this.commitOf.size > 100_000) this.commitOf.clear();
      this.commitOf.set(event.position, position.commit);
    }
    return event;
  }

  /** Resume exactly after a position this adapter handed out; otherwise start at the raw offset. */
  private readPositionFor(from: number): ReadPosition {
    if (from <= 1) return START;
    const previous = from - 1;
    const commit = this.commitOf.get(previous);
    return { commit: commit ?? BigInt(previous), prepare: BigInt(previous) };
  }

  async streamRevision(stream: string): Promise<number | undefined> {
    const [last] = await this.lastEvents(stream, 1);
    return last?.revision;
  }

  async headPosition(): Promise<number> {
    for await (const resolved of this.client.readAll({ direction: BACKWARDS, fromPosition: END, maxCount: 100 })) {
      const recorded = resolved.event;
      if (recorded && !isSystem(recorded.streamId, recorded.type)) return positionOf(recorded);
    }
    return 0;
  }

  /**
   * Checks every stream's chain while walking $all, and folds every link, in $all order, into
   * one digest: the head hash an operator publishes.
   */
  async verify(options: VerifyOptions = {}): Promise<VerifyResult> {
    const tails = new Map<string, { revision: number; hash: string }>();
    const digest = createHash('sha256').update(GENESIS_HASH);
    let count = 0;
    for await (const resolved of this.client.readAll({ fromPosition: START })) {
      const recorded = resolved.event;
      if (!recorded || isSystem(recorded.streamId, recorded.type)) continue;
      const event = fromEsdbEvent(recorded);
      const tail = tails.get(event.stream) ?? { revision: -1, hash: GENESIS_HASH };
      const expectedHash = expectedLinkHash(tail.hash, event);
      const broken =
        event.revision !== tail.revision + 1
          ? `revision ${tail.revision + 1} of ${event.stream} is missing`
          : event.previousHash !== tail.hash || expectedHash !== event.hash
            ? 'the stored hash does not match the event and the hash before it'
            : undefined;
      if (broken) {
        return { ok: false, count, position: event.position, stream: event.stream, revision: event.revision, expectedHash, storedHash: event.hash, reason: broken };
      }
      tails.set(event.stream, { revision: event.revision, hash: event.hash });
      digest.update(event.hash);
      if (++count % 100_000 === 0) options.onProgress?.(count);
    }
    return { ok: true, count, headHash: digest.digest('hex') };
  }

  /** Test hook: writes an event around the adapter, as an importer bypassing it would. */
  get rawClient(): EventStoreDBClient {
    return this.client;
  }

  async close(): Promise<void> {
    this.appended.complete();
    await this.client.dispose();
  }
}
