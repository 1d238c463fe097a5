import {
  ANY,
  END,
  NO_STREAM,
  START,
  STREAM_EXISTS,
  StreamDeletedError,
  StreamNotFoundError,
  UnavailableError,
  WrongExpectedVersionError,
  InvalidArgumentError,
  type AppendExpectedRevision,
  type EventStoreDBClient,
  type JSONEventData,
  type ReadPosition,
  type RecordedEvent,
} from '@eventstore/db-client';
import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';

type Recorded = RecordedEvent & { position: { commit: bigint; prepare: bigint } };

/**
 * An in-process stand-in for an EventStoreDB server behind @eventstore/db-client 6, for the parts
 * the adapter uses, as the server documents them:
 * - `$all` holds every record: the application's events and, interleaved, system events and the
 *   link events (`$>`) the standard projections write for each event (`$ce-<category>`,
 *   `$et-<type>`) and each new stream (`$streams`, `$category-<category>`);
 * - positions are byte offsets (sparse, growing), each record's commit position its prepare
 *   position; reading `$all` forwards from a position includes the record at it, refuses a
 *   position that is not a record's start, and returns at most `maxCount` records of any kind;
 * - expected revisions are checked as the server does; reading a stream that does not exist
 *   fails with StreamNotFoundError, appending to a deleted one with StreamDeletedError;
 * - no deduplication of a retried append by event id (the server does it only against a recent
 *   one and an expected revision behind the stream's; the adapter always appends at the tail).
 * It is not a server: the contract suite against a real one is what proves the adapter there.
 */
export class SimulatedEsdb {
  private readonly all: Recorded[] = [];
  private readonly streams = new Map<string, Recorded[]>();
  private readonly deleted = new Set<string>();
  private readonly appended = new EventEmitter();
  private offset = 1_000n;
  private unavailable = false;
  /** Fails the next append whose stream starts with this, after nothing is written (a crash between two appends). */
  failNextAppendTo?: string;

  constructor(private readonly options: { projections?: boolean; serverVersion?: string } = {}) {}

  /** The client the adapter takes (`new EventStoreDbEventStore(url, { client })`). */
  get client(): EventStoreDBClient {
    return this as unknown as EventStoreDBClient;
  }

  /** What the adapter reads at connect (the client's protected `capabilities`). */
  get capabilities(): Promise<{ serverVersion: string }> {
    if (this.unavailable) return Promise.reject(new UnavailableError(undefined, 'failed to connect'));
    return Promise.resolve({ serverVersion: this.options.serverVersion ?? '24.10.0' });
  }

  goDown(): void {
    this.unavailable = true;
  }

  /** Records in $all of any kind (system and link events included). */
  get recordCount(): number {
    return this.all.length;
  }

  deleteStream(stream: string): void {
    this.deleted.add(stream);
    this.streams.delete(stream);
  }

  async appendToStream(stream: string, events: JSONEventData | JSONEventData[], options: { expectedRevision?: AppendExpectedRevision } = {}) {
    if (this.unavailable) throw new UnavailableError(undefined, 'failed to connect');
    if (this.failNextAppendTo !== undefined && stream.startsWith(this.failNextAppendTo)) {
      this.failNextAppendTo = undefined;
      throw new UnavailableError(undefined, 'connection lost');
    }
    if (this.deleted.has(stream)) throw StreamDeletedError.fromStreamName(stream);
    const existing = this.streams.get(stream);
    const current = existing === undefined ? undefined : BigInt(existing.length - 1);
    const expected = options.expectedRevision ?? ANY;
    const ok =
      expected === ANY ||
      (expected === NO_STREAM && current === undefined) ||
      (expected === STREAM_EXISTS && current !== undefined) ||
      (typeof expected === 'bigint' && expected === current);
    if (!ok) throw new WrongExpectedVersionError(undefined, { streamName: stream, expected, current: current ?? NO_STREAM });
    const list = existing ?? [];
    this.streams.set(stream, list);
    const written: Recorded[] = [];
    for (const e of [events].flat()) {
      written.push(this.record(stream, list, e.type, e.data as object, (e.metadata ?? {}) as object, e.id));
    }
    if (this.options.projections) {
      for (const r of written) {
        const category = stream.split('-')[0];
        const links = [`$ce-${category}`, `$et-${r.type}`, ...(r.revision === 0n ? ['$streams', `$category-${category}`] : [])];
        for (const link of links) this.system(link, '$>', { link: `${r.revision}@${stream}` });
      }
    }
    this.appended.emit('append');
    const last = written[written.length - 1];
    return { success: true as const, nextExpectedRevision: last.revision, position: { ...last.position } };
  }

  /** A system event, as the server's own statistics and projections write them. */
  system(stream: string, type: string, data: object = {}): void {
    const list = this.streams.get(stream) ?? [];
    this.streams.set(stream, list);
    this.record(stream, list, type, data, {});
  }

  private record(stream: string, list: Recorded[], type: string, data: object, metadata: object, id?: string): Recorded {
    const prepare = this.offset;
    this.offset += 100n + BigInt(JSON.stringify(data).length);
    const recorded = {
      streamId: stream,
      id: id ?? randomUUID(),
      revision: BigInt(list.length),
      type,
      data: JSON.parse(JSON.stringify(data)),
      metadata: JSON.parse(JSON.stringify(metadata)),
      isJson: true,
      created: new Date(),
      position: { commit: prepare, prepare },
    } as unknown as Recorded;
    list.push(recorded);
    this.all.push(recorded);
    return recorded;
  }

  readStream(stream: string, options: { direction?: string; fromRevision?: bigint | typeof START | typeof END; maxCount?: number | bigint } = {}) {
    const self = this;
    return (async function* () {
      if (self.unavailable) throw new UnavailableError(undefined, 'failed to connect');
      const list = self.streams.get(stream);
      if (!list) throw new StreamNotFoundError(undefined, stream);
      const max = Number(options.maxCount ?? Number.MAX_SAFE_INTEGER);
      const backwards = options.direction === 'backwards';
      const from =
        options.fromRevision === undefined || options.fromRevision === START || options.fromRevision === END ? undefined : Number(options.fromRevision);
      const ordered = backwards
        ? [...list].reverse().filter((e) => from === undefined || Number(e.revision) <= from)
        : list.filter((e) => from === undefined || Number(e.revision) >= from);
      for (const event of ordered.slice(0, max)) yield { event };
    })();
  }

  readAll(options: { fromPosition?: ReadPosition; direction?: string; maxCount?: number | bigint } = {}) {
    const self = this;
    return (async function* () {
      if (self.unavailable) throw new UnavailableError(undefined, 'failed to connect');
      const max = Number(options.maxCount ?? Number.MAX_SAFE_INTEGER);
      const from = options.fromPosition;
      let records: Recorded[];
      if (options.direction === 'backwards') {
        records = [...self.all].reverse().filter((r) => from === undefined || from === END || (from !== START && r.position.prepare < from.prepare));
      } else {
        // A read of $all starts at a record, or the server refuses it.
        if (from !== undefined && from !== START && from !== END && !self.all.some((r) => r.position.prepare === from.prepare)) {
          throw new InvalidArgumentError(`invalid position ${from.prepare}` as never);
        }
        records = self.all.filter((r) => from === undefined || from === START || (from !== END && r.position.prepare >= from.prepare));
      }
      for (const event of records.slice(0, max)) yield { event, commitPosition: event.position.commit };
    })();
  }

  subscribeToAll() {
    const emitter = new EventEmitter();
    const forward = () => emitter.emit('data', {});
    this.appended.on('append', forward);
    return Object.assign(emitter, { unsubscribe: async () => void this.appended.off('append', forward) });
  }

  async dispose(): Promise<void> {
    this.appended.removeAllListeners();
  }
}
