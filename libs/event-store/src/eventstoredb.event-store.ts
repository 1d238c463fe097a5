import { CommandStreams } from './verify';
import {
  BACKWARDS,
  END,
  EventStoreDBClient,
  FORWARDS,
  jsonEvent,
  NO_STREAM,
  START,
  WrongExpectedVersionError,
  type Position,
  type ReadPosition,
  type RecordedEvent,
} from '@eventstore/db-client';
import { createHash } from 'node:crypto';
import { merge, Observable, Subject } from 'rxjs';
import { checkExpectedRevision, commandFingerprint, isSameCommand, prepareAppend, type PreparedAppend } from './append-plan';
import { canonicalJson } from './canonical-json';
import { catchUpSubscription, pagedLog, type LogPage } from './catch-up';
import { IdempotencyConflictError, InvalidAppendError, StoreUnavailableError, StreamNotFoundError, WrongExpectedRevisionError } from './errors';
import { eventFilter } from './event-filter';
import type {
  AppendOptions,
  AppendResult,
  BatchOptions,
  BatchRequests,
  EventStore,
  NewEvent,
  ReadAllOptions,
  ReadStreamOptions,
  StoredEvent,
  SubscribeOptions,
  VerifyOptions,
  VerifyResult,
} from './event-store.port';
import {
  expectedLinkHash,
  fromEsdbEvent,
  isSupportedServerVersion,
  mapConnectionError,
  mapEsdbError,
  MINIMUM_SERVER_VERSION,
  positionOf,
  toEsdbEvent,
  toEsdbExpectedRevision,
} from './eventstoredb.mapping';
import { GENESIS_HASH } from './hash-chain';

/**
 * How far back an append looks for its own events when the command's marker is missing: the
 * events of a command are written before its marker, so a writer that stopped between the two
 * leaves only its events, found by this scan. Everywhere else the marker answers, at any distance.
 */
const IDEMPOTENCY_WINDOW = 1000;
const CONFLICT_RETRIES = 5;
/** Records of $all read per request by a page of readAll; the page goes on until it is full or the log ends. */
const RAW_PAGE = 4096;
/** Raw records one page may scan before it returns short (not at the end) to let its caller move on. */
const SCAN_LIMIT = 65_536;

/** Streams of the adapter's own bookkeeping: one per command id, written with no-stream. */
const MARKER_PREFIX = 'fundsim.command-';
const markerStream = (commandId: string): string => `${MARKER_PREFIX}${createHash('sha256').update(commandId).digest('hex').slice(0, 40)}`;

interface CommandMarker {
  commandId: string;
  stream: string;
  fingerprint: string;
  lastRevision: number;
  position: number;
}

/** System events, projections' links and the adapter's markers: never part of the port's log. */
const isInternal = (stream: string, type: string): boolean => stream.startsWith('$') || type.startsWith('$') || stream.startsWith(MARKER_PREFIX);

/** The client calls the adapter makes (a SimulatedEsdb stands in for them in tests). */
type EsdbClient = Pick<EventStoreDBClient, 'appendToStream' | 'readStream' | 'readAll' | 'subscribeToAll' | 'dispose'>;

/**
 * EventStoreDB through @eventstore/db-client. EventStoreDB assigns global positions only at
 * write time, so the hash chain runs within each stream (see docs/operations.md for how a
 * whole-log digest still detects alteration, deletion and reordering).
 */
export class EventStoreDbEventStore implements EventStore {
  readonly atomicBatches = false;
  // No cross-stream constraint in EventStoreDB: the application checks streamOfCommand before appending.
  readonly uniqueCommandIds = false;
  readonly description: string;
  private readonly client: EsdbClient;
  private readonly appended = new Subject<void>();
  private readonly now: () => string;
  /** The $all positions of recently seen events, by port position: a read of $all starts only at a record. */
  private readonly seen = new Map<number, Position>();
  private connecting?: Promise<void>;

  constructor(connectionString: string, options: { now?: () => string; client?: EventStoreDBClient } = {}) {
    this.description = connectionString.replace(/\/\/[^@/]*@/, '//***@');
    this.client = options.client ?? EventStoreDBClient.connectionString(connectionString);
    this.now = options.now ?? (() => new Date().toISOString());
  }

  /**
   * Once, before the first call: the server answers and is recent enough. A failure is one line
   * (unreachable, refused, too old) and the next call tries again.
   */
  private connected(): Promise<void> {
    this.connecting ??= (async () => {
      let version: string;
      try {
        version = (await (this.client as unknown as { capabilities: Promise<{ serverVersion: string }> }).capabilities).serverVersion;
      } catch (error) {
        throw mapConnectionError(error, this.description);
      }
      if (!isSupportedServerVersion(version)) {
        throw new StoreUnavailableError(
          `EventStoreDB at ${this.description} is version ${version || 'unknown'}; fundsim needs ${MINIMUM_SERVER_VERSION} or later (or KurrentDB)`,
        );
      }
    })().catch((error: unknown) => {
      this.connecting = undefined;
      throw error;
    });
    return this.connecting;
  }

  async append(stream: string, events: NewEvent[], options: AppendOptions = {}): Promise<AppendResult> {
    await this.connected();
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
  async appendBatch(requests: BatchRequests, options: BatchOptions = {}): Promise<AppendResult[]> {
    if (options.unchangedSince !== undefined) throw new InvalidAppendError('unchangedSince needs a store with atomic batches; EventStoreDB has none');
    if (typeof requests === 'function') throw new InvalidAppendError('requests made from the head need a store with atomic batches; EventStoreDB has none');
    const results: AppendResult[] = [];
    for (const r of requests) results.push(await this.append(r.stream, r.events, r));
    return results;
  }

  /**
   * One attempt: a command already recorded (its marker, at any distance; or its events in the
   * stream's last IDEMPOTENCY_WINDOW, when a writer stopped before the marker) answers with its
   * first result; otherwise the events are chained onto the stream's tail (pinned, so that no
   * concurrent writer interleaves), then the command's marker is written with no-stream.
   */
  private async writeOnce(plan: PreparedAppend): Promise<AppendResult> {
    if (plan.commandId !== undefined) {
      // A command id marks its first stream; on another stream (the application refuses that
      // with streamOfCommand) the window below is what recognises a retry.
      const marker = await this.markerOf(plan.commandId);
      if (marker?.stream === plan.stream) return this.alreadyRecorded(marker, plan);
    }
    const tail = await this.lastEvents(plan.stream, plan.commandId === undefined ? 1 : IDEMPOTENCY_WINDOW);
    if (plan.commandId !== undefined) {
      const earlier = tail.filter((e) => e.metadata.commandId === plan.commandId).reverse();
      if (earlier.length > 0) {
        if (
          !isSameCommand(
            earlier.map((e) => ({ ...e, dataJson: canonicalJson(e.data) })),
            plan,
          )
        )
          throw new IdempotencyConflictError(plan.stream, plan.commandId);
        const latest = earlier[earlier.length - 1];
        await this.writeMarker({
          commandId: plan.commandId,
          stream: plan.stream,
          fingerprint: commandFingerprint(plan.events),
          lastRevision: latest.revision,
          position: latest.position,
        });
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
    let result: AppendResult;
    try {
      const appended = await this.client.appendToStream(plan.stream, events, { expectedRevision: toEsdbExpectedRevision(pinned) });
      result = {
        nextExpectedRevision: Number(appended.nextExpectedRevision),
        position: appended.position ? Number(appended.position.prepare) : 0,
        written: true,
      };
    } catch (error) {
      throw mapEsdbError(error, plan.stream, this.description, plan.expectedRevision);
    }
    if (plan.commandId !== undefined) {
      const marker = {
        commandId: plan.commandId,
        stream: plan.stream,
        fingerprint: commandFingerprint(plan.events),
        lastRevision: result.nextExpectedRevision,
        position: result.position,
      };
      await this.writeMarker(marker);
    }
    return result;
  }

  private alreadyRecorded(marker: CommandMarker, plan: PreparedAppend): AppendResult {
    if (marker.fingerprint !== commandFingerprint(plan.events)) throw new IdempotencyConflictError(plan.stream, plan.commandId!);
    return { nextExpectedRevision: marker.lastRevision, position: marker.position, written: false };
  }

  private async markerOf(commandId: string): Promise<CommandMarker | undefined> {
    const stream = markerStream(commandId);
    try {
      for await (const resolved of this.client.readStream(stream, { fromRevision: START, maxCount: 1 })) {
        if (resolved.event) return resolved.event.data as unknown as CommandMarker;
      }
    } catch (error) {
      const mapped = mapEsdbError(error, stream, this.description);
      if (!(mapped instanceof StreamNotFoundError)) throw mapped;
    }
    return undefined;
  }

  /** Writes a command's marker, once (no-stream): the first stream written under a command id keeps it. */
  private async writeMarker(marker: CommandMarker): Promise<void> {
    try {
      await this.client.appendToStream(markerStream(marker.commandId), jsonEvent({ type: 'CommandRecorded', data: { ...marker } }), {
        expectedRevision: NO_STREAM,
      });
    } catch (error) {
      if (!(error instanceof WrongExpectedVersionError)) throw mapEsdbError(error, markerStream(marker.commandId), this.description);
    }
  }

  async streamOfCommand(commandId: string): Promise<string | undefined> {
    await this.connected();
    return (await this.markerOf(commandId))?.stream;
  }

  private async lastEvents(stream: string, count: number): Promise<StoredEvent[]> {
    const out: StoredEvent[] = [];
    try {
      for await (const resolved of this.client.readStream(stream, { direction: BACKWARDS, fromRevision: END, maxCount: count })) {
        if (resolved.event) out.push(fromEsdbEvent(resolved.event));
      }
    } catch (error) {
      const mapped = mapEsdbError(error, stream, this.description);
      if (mapped instanceof StreamNotFoundError) return [];
      throw mapped;
    }
    return out;
  }

  async *readStream(stream: string, options: ReadStreamOptions = {}): AsyncGenerator<StoredEvent> {
    await this.connected();
    const backwards = options.direction === 'backwards';
    try {
      const read = this.client.readStream(stream, {
        direction: backwards ? BACKWARDS : FORWARDS,
        fromRevision: options.fromRevision === undefined ? (backwards ? END : START) : BigInt(options.fromRevision),
        maxCount: options.maxCount ?? Number.MAX_SAFE_INTEGER,
      });
      for await (const resolved of read) if (resolved.event) yield this.remember(fromEsdbEvent(resolved.event), resolved.event.position);
    } catch (error) {
      throw mapEsdbError(error, stream, this.description);
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

  /**
   * One page of the port's log: the events at or after `from` that match, read from $all a
   * RAW_PAGE of records at a time (most of them, on a server with projections, system and link
   * events), until the page is full or the read reaches the end of $all. A page that has
   * scanned SCAN_LIMIT records returns short but not at the end, so a rare filter never holds its
   * caller for the whole log in one call.
   */
  private pageReader(options: { streamPrefix?: string; eventTypes?: readonly string[] }): (from: number, limit: number) => Promise<LogPage> {
    const matches = eventFilter(options);
    return async (from, limit) => {
      await this.connected();
      const events: StoredEvent[] = [];
      let scannedTo = from - 1;
      let cursor: ReadPosition = this.readPositionFor(from);
      // A position not seen here (a snapshot's, a client's) is tried as a record's start; if it is
      // not one, the read starts from the nearest record seen before it, or from the start.
      let fallback: ReadPosition | undefined = cursor === START || this.seen.has(from) || this.seen.has(from - 1) ? undefined : this.seenAtOrBefore(from);
      for (let scanned = 0; scanned < SCAN_LIMIT;) {
        let read = 0;
        let last: RecordedEvent | undefined;
        try {
          for await (const resolved of this.client.readAll({ fromPosition: cursor, maxCount: RAW_PAGE })) {
            read++;
            const recorded = resolved.event;
            if (!recorded) continue;
            last = recorded;
            const position = positionOf(recorded);
            if (position < from || position <= scannedTo) continue;
            scannedTo = position;
            if (isInternal(recorded.streamId, recorded.type)) continue;
            const event = this.remember(fromEsdbEvent(recorded), recorded.position);
            if (matches(event)) events.push(event);
            if (events.length === limit) return { events, scannedTo, end: false };
          }
        } catch (error) {
          const mapped = mapConnectionError(error, this.description);
          if (fallback !== undefined && read === 0 && mapped === error) {
            cursor = fallback;
            fallback = undefined;
            continue;
          }
          throw mapped;
        }
        fallback = undefined;
        // A read shorter than asked for reached the end of $all.
        if (read < RAW_PAGE || !last?.position) return { events, scannedTo, end: true };
        scanned += read;
        // The next read starts at the last record (inclusive): it is skipped as already scanned.
        cursor = { commit: last.position.commit, prepare: last.position.prepare };
      }
      return { events, scannedTo, end: false };
    };
  }

  private remember(event: StoredEvent, position: Position | undefined): StoredEvent {
    if (position) {
      // The most recent 100,000, oldest forgotten first (a Map iterates in insertion order).
      if (this.seen.size >= 100_000) for (const key of [...this.seen.keys()].slice(0, 10_000)) this.seen.delete(key);
      this.seen.set(event.position, position);
    }
    return event;
  }

  /** Where a read of $all for positions from `from` starts: a record seen at `from` or just before it, else `from` itself. */
  private readPositionFor(from: number): ReadPosition {
    if (from <= 1) return START;
    return this.seen.get(from) ?? this.seen.get(from - 1) ?? { commit: BigInt(from), prepare: BigInt(from) };
  }

  private seenAtOrBefore(from: number): ReadPosition {
    let best: number | undefined;
    for (const position of this.seen.keys()) if (position <= from && (best === undefined || position > best)) best = position;
    return best === undefined ? START : this.seen.get(best)!;
  }

  async streamRevision(stream: string): Promise<number | undefined> {
    await this.connected();
    const [last] = await this.lastEvents(stream, 1);
    return last?.revision;
  }

  /** The position of the log's last event: $all read backwards past system events, links and markers. */
  async headPosition(): Promise<number> {
    await this.connected();
    try {
      for await (const resolved of this.client.readAll({ direction: BACKWARDS, fromPosition: END, maxCount: Number.MAX_SAFE_INTEGER })) {
        const recorded = resolved.event;
        if (recorded && !isInternal(recorded.streamId, recorded.type)) return positionOf(recorded);
      }
    } catch (error) {
      throw mapConnectionError(error, this.description);
    }
    return 0;
  }

  /**
   * Checks every stream's chain while walking $all, and folds every link, in $all order, into
   * one digest: the head hash an operator publishes.
   */
  async verify(options: VerifyOptions = {}): Promise<VerifyResult> {
    await this.connected();
    const tails = new Map<string, { revision: number; hash: string }>();
    const digest = createHash('sha256').update(GENESIS_HASH);
    let count = 0;
    const commands = new CommandStreams();
    const all = async function* (client: EsdbClient, where: string) {
      try {
        yield* client.readAll({ fromPosition: START });
      } catch (error) {
        throw mapConnectionError(error, where);
      }
    };
    for await (const resolved of all(this.client, this.description)) {
      const recorded = resolved.event;
      if (!recorded || isInternal(recorded.streamId, recorded.type)) continue;
      if (options.streamPrefix !== undefined && !recorded.streamId.startsWith(options.streamPrefix)) continue;
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
        return {
          ok: false,
          count,
          position: event.position,
          stream: event.stream,
          revision: event.revision,
          expectedHash,
          storedHash: event.hash,
          reason: broken,
        };
      }
      tails.set(event.stream, { revision: event.revision, hash: event.hash });
      commands.see(event.metadata.commandId, event.stream);
      digest.update(event.hash);
      if (++count % 100_000 === 0) options.onProgress?.(count);
    }
    return commands.report({ ok: true, count, headHash: count === 0 ? GENESIS_HASH : digest.digest('hex') });
  }

  /** Test hook: writes an event around the adapter, as an importer bypassing it would. */
  get rawClient(): EsdbClient {
    return this.client;
  }

  async close(): Promise<void> {
    this.appended.complete();
    await this.client.dispose();
  }
}
