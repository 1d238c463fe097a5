import { Observable, Subject } from 'rxjs';
import { checkExpectedRevision, isSameCommand, prepareAppend, type PreparedAppend } from './append-plan';
import { canonicalJson } from './canonical-json';
import { catchUpSubscription, pagedLog, type LogPage } from './catch-up';
import { IdempotencyConflictError, InvalidAppendError, StreamChangedError, StreamNotFoundError } from './errors';
import {
  isWatched,
  type AppendOptions,
  type AppendResult,
  type BatchOptions,
  type BatchRequests,
  type EventStore,
  type JsonObject,
  type NewEvent,
  type ReadAllOptions,
  type ReadStreamOptions,
  type StoredEvent,
  type SubscribeOptions,
  type VerifyOptions,
  type VerifyResult,
} from './event-store.port';
import { chainHash, GENESIS_HASH } from './hash-chain';
import { eventFilter } from './event-filter';
import { verifyChain } from './verify';

interface Recorded {
  event: StoredEvent;
  dataJson: string;
}

export interface MemoryEventStoreOptions {
  now?: () => string;
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/** The whole log in process memory: for tests and for simulation sandboxes. */
export class MemoryEventStore implements EventStore {
  readonly description = 'memory';
  readonly atomicBatches = true;
  readonly uniqueCommandIds = true;
  /** The stream each command id was first appended to (a command id belongs to one stream). */
  private readonly commandStreams = new Map<string, string>();
  private readonly log: Recorded[] = [];
  private readonly streams = new Map<string, number[]>();
  /** Positions written by each (stream, command id): how a retried command finds what it wrote. */
  private readonly commands = new Map<string, number[]>();
  private readonly appended = new Subject<void>();
  private readonly now: () => string;

  constructor(options: MemoryEventStoreOptions = {}) {
    this.now = options.now ?? (() => new Date().toISOString());
  }

  async append(stream: string, events: NewEvent[], options: AppendOptions = {}): Promise<AppendResult> {
    const [result] = await this.appendBatch([{ stream, events, expectedRevision: options.expectedRevision }]);
    return result;
  }

  async appendBatch(requests: BatchRequests, options: BatchOptions = {}): Promise<AppendResult[]> {
    const watched = options.unchangedSince;
    const changed = watched && this.log.slice(watched.position).find((r) => isWatched(watched, r.event.stream));
    if (changed) throw new StreamChangedError(changed.event.stream, changed.event.position, watched.position);
    const recordedAt = this.now();
    const plans = Array.from(typeof requests === 'function' ? requests(this.log.length) : requests, (r) =>
      prepareAppend(r.stream, r.events, r.expectedRevision ?? 'any', recordedAt),
    );
    const logLength = this.log.length;
    try {
      const results = plans.map((plan) => this.write(plan));
      if (this.log.length > logLength) this.appended.next();
      return results;
    } catch (error) {
      this.rollback(logLength);
      throw error;
    }
  }

  private write(plan: PreparedAppend): AppendResult {
    const commandKey = plan.commandId === undefined ? undefined : `${plan.stream}\u0000${plan.commandId}`;
    const earlier = commandKey === undefined ? undefined : this.commands.get(commandKey);
    if (earlier) return this.retried(plan, earlier);
    const owner = plan.commandId === undefined ? undefined : this.commandStreams.get(plan.commandId);
    if (owner !== undefined && owner !== plan.stream) throw new IdempotencyConflictError(plan.stream, plan.commandId!);
    const positions = this.streams.get(plan.stream);
    checkExpectedRevision(plan.stream, plan.expectedRevision, positions ? positions.length - 1 : undefined);
    const streamPositions = positions ?? [];
    if (!positions) this.streams.set(plan.stream, streamPositions);
    let previousHash = this.log.length === 0 ? GENESIS_HASH : this.log[this.log.length - 1].event.hash;
    const written: StoredEvent[] = [];
    for (const e of plan.events) {
      const position = this.log.length + 1;
      const revision = streamPositions.length;
      previousHash = chainHash(previousHash, { id: e.id, stream: plan.stream, revision, position, type: e.type, dataJson: e.dataJson, metadata: e.metadata });
      const event: StoredEvent = deepFreeze({
        id: e.id,
        stream: plan.stream,
        revision,
        position,
        type: e.type,
        data: JSON.parse(e.dataJson) as JsonObject,
        metadata: e.metadata,
        hash: previousHash,
      });
      this.log.push({ event, dataJson: e.dataJson });
      streamPositions.push(position);
      written.push(event);
    }
    if (commandKey !== undefined) {
      this.commands.set(commandKey, streamPositions.slice(-plan.events.length));
      if (!this.commandStreams.has(plan.commandId!)) this.commandStreams.set(plan.commandId!, plan.stream);
    }
    return { nextExpectedRevision: streamPositions.length - 1, position: this.log.length, written: true, events: written };
  }

  /** The command was stored on this stream before: the same command again, or a reused key. */
  private retried(plan: PreparedAppend, positions: number[]): AppendResult {
    const stored = positions.map((p) => this.log[p - 1]);
    if (
      !isSameCommand(
        stored.map((r) => ({ ...r.event, dataJson: r.dataJson })),
        plan,
      )
    ) {
      throw new IdempotencyConflictError(plan.stream, plan.commandId!);
    }
    const last = stored[stored.length - 1].event;
    return { nextExpectedRevision: last.revision, position: last.position, written: false };
  }

  private rollback(logLength: number): void {
    for (const { event } of this.log.splice(logLength)) {
      const positions = this.streams.get(event.stream)!;
      positions.pop();
      if (positions.length === 0) this.streams.delete(event.stream);
      const commandId = event.metadata.commandId;
      if (commandId !== undefined) {
        this.commands.delete(`${event.stream}\u0000${commandId}`);
        if (this.commandStreams.get(commandId) === event.stream) this.commandStreams.delete(commandId);
      }
    }
  }

  async *readStream(stream: string, options: ReadStreamOptions = {}): AsyncGenerator<StoredEvent> {
    const positions = this.streams.get(stream);
    if (!positions) throw new StreamNotFoundError(stream);
    const backwards = options.direction === 'backwards';
    let left = options.maxCount ?? Infinity;
    let revision = options.fromRevision ?? (backwards ? positions.length - 1 : 0);
    while (left-- > 0 && revision >= 0 && revision < positions.length) {
      yield this.log[positions[revision] - 1].event;
      revision += backwards ? -1 : 1;
    }
  }

  readAll(options: ReadAllOptions = {}): AsyncIterable<StoredEvent> {
    const matches = eventFilter(options);
    return pagedLog((from, limit) => this.page(from, limit, matches), options.fromPosition ?? 0, options.maxCount ?? Infinity);
  }

  subscribe(options: SubscribeOptions = {}): Observable<StoredEvent> {
    const matches = eventFilter(options);
    return catchUpSubscription((from, limit) => this.page(from, limit, matches), this.appended, options.fromPosition ?? 0, 0);
  }

  private page(fromPosition: number, limit: number, matches: (e: StoredEvent) => boolean): LogPage {
    const events: StoredEvent[] = [];
    let index = Math.max(fromPosition, 1) - 1;
    for (; index < this.log.length && events.length < limit; index++) {
      const event = this.log[index].event;
      if (matches(event)) events.push(event);
    }
    return { events, scannedTo: index, end: index >= this.log.length };
  }

  async streamRevision(stream: string): Promise<number | undefined> {
    const positions = this.streams.get(stream);
    return positions ? positions.length - 1 : undefined;
  }

  async streamOfCommand(commandId: string): Promise<string | undefined> {
    return this.commandStreams.get(commandId);
  }

  async headPosition(): Promise<number> {
    return this.log.length;
  }

  async verify(options: VerifyOptions = {}): Promise<VerifyResult> {
    return verifyChain(
      this.log.map(({ event, dataJson }) => ({ ...event, dataJson })),
      options,
    );
  }

  /**
   * Copies an event stored elsewhere, as it is (id, position, hash): for a sandbox that decides
   * over a copy of the real log. Events must come in log order, from position 1.
   */
  restore(event: StoredEvent, dataJson: string = canonicalJson(event.data)): void {
    if (event.position !== this.log.length + 1) throw new InvalidAppendError(`Restoring position ${event.position} after ${this.log.length}`);
    this.log.push({ event: deepFreeze(structuredClone(event)), dataJson });
    const positions = this.streams.get(event.stream) ?? [];
    positions.push(event.position);
    this.streams.set(event.stream, positions);
    const commandId = event.metadata.commandId;
    if (commandId !== undefined) {
      const key = `${event.stream}\u0000${commandId}`;
      this.commands.set(key, [...(this.commands.get(key) ?? []), event.position]);
      // A copied log may hold an id on two streams (written before stores refused it): the first stays its owner.
      if (!this.commandStreams.has(commandId)) this.commandStreams.set(commandId, event.stream);
    }
  }

  /**
   * Test hook standing in for someone editing the stored bytes: replaces one event's data
   * without touching its hash.
   */
  tamperForTesting(position: number, data: JsonObject): void {
    const record = this.log[position - 1];
    record.dataJson = JSON.stringify(data);
  }

  async close(): Promise<void> {
    this.appended.complete();
  }
}
