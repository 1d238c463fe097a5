import { readPages, type EventStore, type StoredEvent } from '@fundsim/event-store';
import { isDeepStrictEqual } from 'node:util';
import { decodedEvent } from './event-codec';
import { movePositions, reappend, sameAppend } from './reappend';

/** The target of a copy already holds events: a copy goes only into an empty store. */
export class CopyTargetNotEmptyError extends Error {
  readonly code = 'COPY_TARGET_NOT_EMPTY';
  constructor(description: string) {
    super(
      `${description} already holds events: a log is copied only into an empty store (a new SQLite file, a new PostgreSQL schema or database, or a new EventStoreDB database)`,
    );
  }
}

/** The copy does not read back as the source: which event, and how. */
export class CopyMismatchError extends Error {
  readonly code = 'COPY_MISMATCH';
}

/** The copy stopped part way (the store failed, or the copy did not check out): the target holds part of it. */
export class CopyIncompleteError extends Error {
  readonly code = 'COPY_INCOMPLETE';
  constructor(
    target: string,
    copied: number,
    readonly failure: Error,
  ) {
    super(
      `The copy into ${target} stopped after ${copied} events: ${failure.message}. The target holds a partial copy: ` +
        'give the next copy an empty store (a new SQLite file, PostgreSQL schema or EventStoreDB database).',
    );
  }
}

export interface CopyResult {
  events: number;
  streams: number;
  /** The target's own verification of its chain after the copy. */
  headHash: string;
}

/** Events a request of the copy holds at most (an atomic target takes a batch of requests at once). */
const BATCH_EVENTS = 4096;

/**
 * Copies a whole log into an empty store of another kind (SQLite into PostgreSQL, for a fund
 * that outgrows one machine): every event with its id, stream, revision, type, data and metadata
 * (its recordedAt included), in log order, each stream at its revisions. Positions are the target's
 * own, so the data that names a position (a close's `throughPosition`, an import's range) is
 * mapped to where the event it names was written. Then the target verifies its chain and the two
 * logs are read side by side: the copy is done only when every event reads back as in the source.
 * Nothing is written unless every event of the source decodes (EventShapeError names the first
 * that does not).
 */
export async function copyLog(source: EventStore, target: EventStore, onProgress?: (copied: number) => void): Promise<CopyResult> {
  if ((await target.headPosition()) !== 0) throw new CopyTargetNotEmptyError(target.description);
  await checkEvents(source);
  const moves = new PositionMap();
  const moveTo = (position: number) => moves.at(position);
  const streams = new Set<string>();
  let copied = 0;
  let batch: StoredEvent[][] = [];
  let batchEvents = 0;

  const flush = async () => {
    if (batch.length === 0) return;
    if (target.atomicBatches) {
      // An atomic target numbers positions densely from its head: known before the write.
      const head = await target.headPosition();
      let next = head;
      for (const group of batch) for (const e of group) moves.add(e.position, ++next);
      const results = await target.appendBatch(
        batch.map((group) => reappend(group, moveTo)),
        { omitEvents: true },
      );
      if (results.at(-1)?.position !== next)
        throw new CopyMismatchError(`${target.description} wrote the copy at other positions than it numbers them (${results.at(-1)?.position} for ${next})`);
    } else {
      for (const group of batch) {
        const request = reappend(group, moveTo);
        const result = await target.append(request.stream, request.events, request);
        // An append hands back its last position; the copy's position references name an append's last event.
        group.forEach((e, i) => moves.add(e.position, result.events?.[i]?.position ?? (i === group.length - 1 ? result.position : Number.NaN)));
      }
    }
    copied += batchEvents;
    onProgress?.(copied);
    batch = [];
    batchEvents = 0;
  };

  let group: StoredEvent[] = [];
  const close = () => {
    if (group.length === 0) return;
    batch.push(group);
    batchEvents += group.length;
    group = [];
  };
  try {
    for await (const page of readPages(source)) {
      for (const event of page) {
        streams.add(event.stream);
        if (group.length > 0 && !sameAppend(group[0], event)) close();
        group.push(event);
        if (batchEvents + group.length >= BATCH_EVENTS) {
          close();
          await flush();
        }
      }
    }
    close();
    await flush();

    const verified = await target.verify();
    if (!verified.ok) throw new CopyMismatchError(`The copy in ${target.description} does not verify: ${verified.reason} at position ${verified.position}`);
    if (verified.count !== copied) throw new CopyMismatchError(`The copy in ${target.description} verifies ${verified.count} events, not the ${copied} copied`);
    await compare(source, target, moves);
    return { events: copied, streams: streams.size, headHash: verified.headHash };
  } catch (error) {
    throw new CopyIncompleteError(target.description, copied, error as Error);
  }
}

/**
 * Every event of the source decoded (its type known, its data in the shape of its version) before
 * anything is written: a malformed event stops the copy at the door, naming it, with the target
 * still empty. One more read of the source, a fraction of the copy's own cost.
 */
async function checkEvents(source: EventStore): Promise<void> {
  for await (const page of readPages(source)) for (const event of page) decodedEvent(event);
}

/** Source positions to target positions, in log order: a position names the last event at or before it. */
class PositionMap {
  private readonly from: number[] = [];
  private readonly to: number[] = [];
  add(source: number, target: number): void {
    this.from.push(source);
    this.to.push(target);
  }
  at(source: number): number {
    let lo = 0;
    let hi = this.from.length - 1;
    let found = 0;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.from[mid] <= source) ((found = this.to[mid]), (lo = mid + 1));
      else hi = mid - 1;
    }
    if (Number.isNaN(found))
      throw new CopyMismatchError(`Position ${source} names an event inside a multi-event append, whose position the target did not hand back`);
    return found;
  }
}

/** Reads both logs in order: every event as in the source, its position references moved. */
async function compare(source: EventStore, target: EventStore, moves: PositionMap): Promise<void> {
  const copies = readPages(target)[Symbol.asyncIterator]();
  let copy: StoredEvent[] = [];
  let i = 0;
  for await (const page of readPages(source)) {
    for (const original of page) {
      if (i === copy.length) {
        const next = await copies.next();
        copy = next.done ? [] : next.value;
        i = 0;
      }
      const e = copy[i++];
      const expected = { ...original, data: movePositions(original.type, original.data, (position) => moves.at(position)) };
      const same =
        e !== undefined &&
        e.id === expected.id &&
        e.stream === expected.stream &&
        e.revision === expected.revision &&
        e.type === expected.type &&
        isDeepStrictEqual(e.data, expected.data) &&
        isDeepStrictEqual(JSON.parse(JSON.stringify(e.metadata)), JSON.parse(JSON.stringify(expected.metadata)));
      if (!same)
        throw new CopyMismatchError(
          `Event ${original.id} (${original.stream} revision ${original.revision}) does not read back from ${target.description} as it is in ${source.description}`,
        );
    }
  }
}
