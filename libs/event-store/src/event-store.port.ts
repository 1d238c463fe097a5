import type { Observable } from 'rxjs';

/** A JSON value as stored: money travels as decimal strings, never as numbers. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/** Who did it, when it happened in the books, and how it relates to other events. */
export interface EventMetadata {
  actor: string;
  /** ISO date (YYYY-MM-DD) on which the fact belongs in the fund's books. */
  effectiveDate: string;
  /** ISO timestamp of the write. Set by the store's clock unless an importer supplies it. */
  recordedAt?: string;
  correlationId?: string;
  causationId?: string;
  /** Idempotency key of the command that produced the event. */
  commandId?: string;
  /** Version of the shape of `data` for its type (the application's event codec); absent in events written before versions: 1. */
  schemaVersion?: number;
}

export interface NewEvent<T extends string = string, D extends JsonObject = JsonObject> {
  type: T;
  data: D;
  metadata: EventMetadata;
  /** Optional explicit id; derived from commandId (or random) when absent. */
  id?: string;
}

/** An event's metadata as stored: who, when in the books, when written, and how it relates to others. */
export interface StoredEventMetadata {
  actor: string;
  /** ISO date (YYYY-MM-DD) on which the fact belongs in the fund's books. */
  effectiveDate: string;
  /** ISO timestamp of the write. */
  recordedAt: string;
  correlationId?: string;
  causationId?: string;
  /** Idempotency key of the command that produced the event. */
  commandId?: string;
  /** Version of the shape of `data` for its type; absent (version 1) in events written before versions. */
  schemaVersion?: number;
}

export interface StoredEvent<T extends string = string, D extends JsonObject = JsonObject> {
  id: string;
  stream: string;
  /** 0-based position of the event within its stream. */
  revision: number;
  /** Position in the whole log; increases with every append. */
  position: number;
  type: T;
  data: D;
  metadata: StoredEventMetadata;
  /** SHA-256 link of the tamper-evident chain (hex). */
  hash: string;
}

/** As in EventStoreDB: a stream state, or the revision of the stream's last event. */
export type ExpectedRevision = 'any' | 'no-stream' | 'stream-exists' | number;

export interface AppendOptions {
  expectedRevision?: ExpectedRevision;
}

export interface AppendRequest extends AppendOptions {
  stream: string;
  events: NewEvent[];
}

export interface BatchOptions {
  /**
   * Write only if none of these streams gained an event after `position` (atomic stores only),
   * wherever the head is then: for a batch decided in a sandbox on the log up to `position`, stale
   * only when what it read changed, not when other streams moved the head. Refused with
   * StreamChangedError naming the first such event. Checked inside the write, so no writer can
   * slip in between; pair it with requests given as a function of the head they follow.
   */
  unchangedSince?: UnchangedStreams;
  /** Leave `events` out of the results: a bulk import that will not fold what it wrote. */
  omitEvents?: boolean;
}

/** Streams named exactly, and every stream whose name starts with one of the prefixes. */
export interface UnchangedStreams {
  position: number;
  streams: ReadonlySet<string>;
  prefixes?: readonly string[];
}

/** Whether `stream` is one of `watched`. */
export const isWatched = (watched: UnchangedStreams, stream: string): boolean =>
  watched.streams.has(stream) || (watched.prefixes ?? []).some((p) => stream.startsWith(p));

/**
 * A batch's requests; or a function that makes them once the store knows the head they will
 * follow (atomic stores only), called inside the write: for events that name the positions
 * they get, decided before that head was known.
 */
export type BatchRequests = Iterable<AppendRequest> | ((head: number) => Iterable<AppendRequest>);

export interface AppendResult {
  /** Revision of the last event now in the stream: pass it as expectedRevision next time. */
  nextExpectedRevision: number;
  /** Global position of the last event written. */
  position: number;
  /** False when an identical command was already stored and nothing was written. */
  written: boolean;
  /**
   * The events as written, where the adapter hands them back (SQLite, memory), so a writer can
   * fold what it wrote without reading it again. Absent when nothing was written.
   */
  events?: StoredEvent[];
}

export type Direction = 'forwards' | 'backwards';

export interface ReadStreamOptions {
  fromRevision?: number;
  maxCount?: number;
  direction?: Direction;
}

export interface ReadAllOptions {
  /** Inclusive lower bound on the global position (0 = the start of the log). */
  fromPosition?: number;
  maxCount?: number;
  /** Only streams whose name starts with this prefix. */
  streamPrefix?: string;
  /** Only these event types. */
  eventTypes?: readonly string[];
}

export interface SubscribeOptions {
  /** Inclusive lower bound on the global position; replayed first, then live. */
  fromPosition?: number;
  streamPrefix?: string;
  eventTypes?: readonly string[];
}

/** Command ids found on more than one stream: written before a store refused it (or by one that cannot), kept, and reported. */
export interface CommandOnSeveralStreams {
  commandId: string;
  streams: string[];
}

export type VerifyResult =
  | { ok: true; count: number; headHash: string; commandsOnSeveralStreams?: CommandOnSeveralStreams[] }
  | {
      ok: false;
      count: number;
      /** Global position of the first event whose stored hash does not match. */
      position: number;
      stream: string;
      revision: number;
      expectedHash: string;
      storedHash: string;
      reason: string;
    };

export interface VerifyOptions {
  onProgress?: (checked: number) => void;
  /**
   * Only the chains of these streams, where each stream has its own chain (EventStoreDB): a
   * contract run on a shared server checks its own streams. A store with one chain over the whole
   * log (SQLite, memory) verifies all of it.
   */
  streamPrefix?: string;
}

/**
 * The one port every adapter implements. Contract: `libs/event-store/src/testing/event-store.contract.ts`.
 */
export interface EventStore {
  /** Human-readable description of where events live (no secrets). */
  readonly description: string;
  /** True when appendBatch is all-or-nothing across streams. */
  readonly atomicBatches: boolean;
  /**
   * True when a command id belongs to the first stream it was appended to, checked in the append's
   * own transaction: the same id on another stream is refused (IdempotencyConflictError) however
   * many writers race. Where false (EventStoreDB has no cross-stream constraint), the application's
   * check before the append (`streamOfCommand`) is all there is.
   */
  readonly uniqueCommandIds: boolean;
  /**
   * A directory beside the log where the application may keep snapshots of what it folds from
   * it (always checked against the log before use). Absent: nothing is persisted.
   */
  readonly snapshotDirectory?: string;

  append(stream: string, events: NewEvent[], options?: AppendOptions): Promise<AppendResult>;
  /**
   * Several streams in one call; atomic where `atomicBatches` is true. Any iterable: a bulk
   * import can generate its requests as they are written instead of holding them all.
   */
  appendBatch(requests: BatchRequests, options?: BatchOptions): Promise<AppendResult[]>;
  readStream(stream: string, options?: ReadStreamOptions): AsyncIterable<StoredEvent>;
  readAll(options?: ReadAllOptions): AsyncIterable<StoredEvent>;
  /**
   * readAll a page at a time, for folds over millions of events (one await per page, not per
   * event). Optional: `readPages()` batches readAll where an adapter has none.
   */
  readAllPages?(options?: ReadAllOptions): AsyncIterable<StoredEvent[]>;
  subscribe(options?: SubscribeOptions): Observable<StoredEvent>;
  /**
   * The stream a command id was first written to, if any: an idempotency key is scoped to the
   * command it was first used for. Optional (SQLite and memory have it).
   */
  streamOfCommand?(commandId: string): Promise<string | undefined>;
  /** Revision of the stream's last event, or undefined when it does not exist. */
  streamRevision(stream: string): Promise<number | undefined>;
  /** Position of the last event in the log (0 when empty). */
  headPosition(): Promise<number>;
  verify(options?: VerifyOptions): Promise<VerifyResult>;
  /** Where reads come from a replica (PostgreSQL with FUNDSIM_STORE_READ): how far behind it is. Absent otherwise. */
  replicaLag?(): Promise<ReplicaLag>;
  close(): Promise<void>;
}

/** How far a read replica is behind its primary, and how many reads went to the primary instead. */
export type ReplicaLag =
  | {
      reachable: true;
      /** Log positions the primary holds and the replica does not yet. */
      events: number;
      /** WAL bytes the replica has still to replay. */
      bytes: number;
      /** Age of the last transaction the replica replayed, while it has WAL left to replay (0 when caught up). */
      seconds: number;
      primaryReads: number;
    }
  | { reachable: false; error: string; primaryReads: number };
