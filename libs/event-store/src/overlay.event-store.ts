import type { Observable } from 'rxjs';
import { checkExpectedRevision, isSameCommand, prepareAppend, type PreparedAppend } from './append-plan';
import { IdempotencyConflictError, InvalidAppendError, StreamChangedError, StreamNotFoundError } from './errors';
import { eventFilter } from './event-filter';
import {
  isWatched,
  type AppendOptions,
  type AppendResult,
  type BatchOptions,
  type BatchRequests,
  type EventStore,
  type NewEvent,
  type ReadAllOptions,
  type ReadStreamOptions,
  type StoredEvent,
  type VerifyResult,
} from './event-store.port';
import { chainHash } from './hash-chain';
import { hashAt } from './read-pages';
import { serializeData } from './canonical-json';

/** What the overlay knows of a stream of the base, as of its position: read once, when first written. */
interface BaseStream {
  revision: number | undefined;
  /** The base's events of the stream by command id (only streams written with command ids are read). */
  commands?: Map<string, StoredEvent[]>;
}

/**
 * A store layered over another as it stood at one position: reads go through to the base (never
 * past that position), appends are decided and chained in memory, and `added()` hands them over
 * to be written to the base in one batch. Nothing of the base is copied: a scenario decided over
 * a million-LP store reads only the streams its commands touch.
 */
export class OverlayEventStore implements EventStore {
  readonly atomicBatches = true;
  // A sandbox: what it decides is written to the real store, which holds command ids to one stream where it can.
  readonly uniqueCommandIds = false;
  readonly description: string;
  readonly snapshotDirectory?: string;
  private readonly log: StoredEvent[] = [];
  /**
   * Indexes into `log` of each stream's added events: a number while there is one (a demo adds
   * a million one-event streams), an array once there are more.
   */
  private readonly streams = new Map<string, number | number[]>();
  /** Index into `log` of each command's first event, by command id (and by stream + id for an id reused on another stream). */
  private readonly commands = new Map<string, number>();
  private readonly reused = new Map<string, number>();
  private readonly baseStreams = new Map<string, BaseStream>();

  private constructor(
    private readonly base: EventStore,
    /** The base's head when the overlay was opened: reads never see past it. */
    readonly basePosition: number,
    private readonly baseHash: string,
    private readonly now: () => string,
  ) {
    this.description = `${base.description} (overlay at position ${basePosition})`;
    this.snapshotDirectory = base.snapshotDirectory;
  }

  /** An overlay over the base as it stands now. */
  static async over(base: EventStore, options: { now?: () => string } = {}): Promise<OverlayEventStore> {
    const head = await base.headPosition();
    return new OverlayEventStore(base, head, await hashAt(base, head), options.now ?? (() => new Date().toISOString()));
  }

  /** The events appended to the overlay, in order (positions from basePosition + 1). */
  added(): readonly StoredEvent[] {
    return this.log;
  }

  async append(stream: string, events: NewEvent[], options: AppendOptions = {}): Promise<AppendResult> {
    const [result] = await this.appendBatch([{ stream, events, expectedRevision: options.expectedRevision }]);
    return result;
  }

  async appendBatch(requests: BatchRequests, options: BatchOptions = {}): Promise<AppendResult[]> {
    const watched = options.unchangedSince;
    if (watched) {
      for await (const e of this.readAll({ fromPosition: watched.position + 1 }))
        if (isWatched(watched, e.stream)) throw new StreamChangedError(e.stream, e.position, watched.position);
    }
    const head = this.basePosition + this.log.length;
    const recordedAt = this.now();
    const plans = Array.from(typeof requests === 'function' ? requests(head) : requests, (r) =>
      prepareAppend(r.stream, r.events, r.expectedRevision ?? 'any', recordedAt),
    );
    for (const plan of plans) await this.baseStream(plan.stream, plan.commandId !== undefined);
    const length = this.log.length;
    try {
      return plans.map((plan) => this.write(plan));
    } catch (error) {
      this.rollback(length);
      throw error;
    }
  }

  private write(plan: PreparedAppend): AppendResult {
    const earlier = plan.commandId === undefined ? undefined : this.earlier(plan.stream, plan.commandId);
    if (earlier) {
      if (
        !isSameCommand(
          earlier.map((e) => ({ ...e, dataJson: serializeData(e.data) })),
          plan,
        )
      )
        throw new IdempotencyConflictError(plan.stream, plan.commandId!);
      const last = earlier[earlier.length - 1];
      return { nextExpectedRevision: last.revision, position: last.position, written: false };
    }
    let revision = this.revisionOf(plan.stream);
    checkExpectedRevision(plan.stream, plan.expectedRevision, revision);
    const first = this.log.length;
    const written: StoredEvent[] = [];
    let hash = this.log.length === 0 ? this.baseHash : this.log[this.log.length - 1].hash;
    for (const e of plan.events) {
      revision = (revision ?? -1) + 1;
      const position = this.basePosition + this.log.length + 1;
      hash = chainHash(hash, { id: e.id, stream: plan.stream, revision, position, type: e.type, dataJson: e.dataJson, metadata: e.metadata });
      const event: StoredEvent = { id: e.id, stream: plan.stream, revision, position, type: e.type, data: e.data, metadata: e.metadata, hash };
      const indexes = this.streams.get(plan.stream);
      if (indexes === undefined) this.streams.set(plan.stream, this.log.length);
      else if (typeof indexes === 'number') this.streams.set(plan.stream, [indexes, this.log.length]);
      else indexes.push(this.log.length);
      this.log.push(event);
      written.push(event);
    }
    if (plan.commandId !== undefined) {
      const taken = this.commands.get(plan.commandId);
      if (taken === undefined) this.commands.set(plan.commandId, first);
      else if (this.log[taken].stream !== plan.stream) this.reused.set(`${plan.stream}\u0000${plan.commandId}`, first);
    }
    return { nextExpectedRevision: revision!, position: this.basePosition + this.log.length, written: true, events: written };
  }

  /** The events a command id wrote to a stream before: in the base, or added here. */
  private earlier(stream: string, commandId: string): StoredEvent[] | undefined {
    let start = this.commands.get(commandId);
    if (start !== undefined && this.log[start].stream !== stream) start = this.reused.get(`${stream}\u0000${commandId}`);
    if (start === undefined) return this.baseStreams.get(stream)?.commands?.get(commandId);
    // One append's events are consecutive in the log.
    const events: StoredEvent[] = [];
    for (let i = start; i < this.log.length && this.log[i].stream === stream && this.log[i].metadata.commandId === commandId; i++) events.push(this.log[i]);
    return events;
  }

  private indexesOf(stream: string): number[] {
    const indexes = this.streams.get(stream);
    return indexes === undefined ? [] : typeof indexes === 'number' ? [indexes] : indexes;
  }

  private revisionOf(stream: string): number | undefined {
    const indexes = this.streams.get(stream);
    if (indexes !== undefined) return this.log[typeof indexes === 'number' ? indexes : indexes[indexes.length - 1]].revision;
    return this.baseStreams.get(stream)?.revision;
  }

  /** Learns (once) the stream's revision in the base as of the overlay's position, and its command ids when asked. */
  private async baseStream(stream: string, withCommands: boolean): Promise<void> {
    let known = this.baseStreams.get(stream);
    if (known && (known.commands || !withCommands)) return;
    if (!known) {
      // The usual case, a stream new to the base (a new LP), costs one lookup, no exception and
      // nothing remembered: a demo creates a million of them.
      if ((await this.base.streamRevision(stream)) === undefined) return;
      for await (const e of this.base.readStream(stream, { direction: 'backwards' })) {
        if (e.position > this.basePosition) continue;
        known = { revision: e.revision };
        break;
      }
      // Only written after the overlay's position: as good as new.
      if (!known) return;
      this.baseStreams.set(stream, known);
    }
    if (withCommands) {
      known.commands = new Map();
      for await (const e of this.base.readStream(stream)) {
        if (e.position > this.basePosition) break;
        const id = e.metadata.commandId;
        if (id !== undefined) known.commands.set(id, [...(known.commands.get(id) ?? []), e]);
      }
    }
  }

  private rollback(length: number): void {
    const removed = this.log.splice(length);
    for (let k = removed.length - 1; k >= 0; k--) {
      const event = removed[k];
      const at = length + k;
      const indexes = this.streams.get(event.stream);
      if (typeof indexes === 'number') this.streams.delete(event.stream);
      else if (indexes) (indexes.pop(), indexes.length === 1 && this.streams.set(event.stream, indexes[0]));
      const commandId = event.metadata.commandId;
      if (commandId === undefined) continue;
      if (this.commands.get(commandId) === at) this.commands.delete(commandId);
      const key = `${event.stream}\u0000${commandId}`;
      if (this.reused.get(key) === at) this.reused.delete(key);
    }
  }

  async *readStream(stream: string, options: ReadStreamOptions = {}): AsyncGenerator<StoredEvent> {
    const events: StoredEvent[] = [];
    if ((await this.base.streamRevision(stream)) !== undefined) {
      for await (const e of this.base.readStream(stream)) {
        if (e.position > this.basePosition) break;
        events.push(e);
      }
    }
    for (const i of this.indexesOf(stream)) events.push(this.log[i]);
    if (events.length === 0) throw new StreamNotFoundError(stream);
    const backwards = options.direction === 'backwards';
    const from = options.fromRevision ?? (backwards ? Number.MAX_SAFE_INTEGER : 0);
    const selected = backwards ? events.filter((e) => e.revision <= from).reverse() : events.filter((e) => e.revision >= from);
    yield* selected.slice(0, options.maxCount ?? Infinity);
  }

  async *readAll(options: ReadAllOptions = {}): AsyncGenerator<StoredEvent> {
    let left = options.maxCount ?? Infinity;
    const from = options.fromPosition ?? 0;
    if (left <= 0) return;
    if (from <= this.basePosition) {
      for await (const e of this.base.readAll(options)) {
        if (e.position > this.basePosition) break;
        yield e;
        if (--left === 0) return;
      }
    }
    const matches = eventFilter(options);
    for (let i = Math.max(0, from - this.basePosition - 1); i < this.log.length; i++) {
      const e = this.log[i];
      if (!matches(e)) continue;
      yield e;
      if (--left === 0) return;
    }
  }

  subscribe(): Observable<StoredEvent> {
    throw new InvalidAppendError('An overlay is a sandbox: it cannot be followed live');
  }

  async streamRevision(stream: string): Promise<number | undefined> {
    await this.baseStream(stream, false);
    return this.revisionOf(stream);
  }

  async streamOfCommand(commandId: string): Promise<string | undefined> {
    const start = this.commands.get(commandId);
    if (start !== undefined) return this.log[start].stream;
    return this.base.streamOfCommand?.(commandId);
  }

  async headPosition(): Promise<number> {
    return this.basePosition + this.log.length;
  }

  /** Checks the chain of the added events, from the base's event they follow. */
  async verify(): Promise<VerifyResult> {
    let hash = this.baseHash;
    for (const e of this.log) {
      const expected = chainHash(hash, { ...e, dataJson: serializeData(e.data) });
      if (expected !== e.hash) {
        return {
          ok: false,
          count: this.log.indexOf(e),
          position: e.position,
          stream: e.stream,
          revision: e.revision,
          expectedHash: expected,
          storedHash: e.hash,
          reason: 'hash mismatch',
        };
      }
      hash = e.hash;
    }
    return { ok: true, count: this.log.length, headHash: hash };
  }

  async close(): Promise<void> {
    // The base belongs to the caller.
  }
}
