import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json';
import { InvalidAppendError, WrongExpectedRevisionError } from './errors';
import type { ExpectedRevision, NewEvent } from './event-store.port';
import { isUuid, newEventId } from './event-ids';
import { storedMetadata, type StoredMetadata } from './hash-chain';

/** An event checked and serialised, waiting only for its revision, position and hash. */
export interface PreparedEvent {
  id: string;
  type: string;
  dataJson: string;
  metadata: StoredMetadata;
}

export interface PreparedAppend {
  stream: string;
  expectedRevision: ExpectedRevision;
  commandId?: string;
  /** SHA-256 of what the command wrote, to tell a true retry from a reused key. */
  fingerprint?: string;
  events: PreparedEvent[];
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

function assertValidDate(value: string, field: string): void {
  if (!ISO_DATE.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`)) || new Date(`${value}T00:00:00Z`).toISOString().slice(0, 10) !== value) {
    throw new InvalidAppendError(`metadata.${field} must be an ISO date YYYY-MM-DD, got ${JSON.stringify(value)}`);
  }
}

function assertExpectedRevision(expected: ExpectedRevision): void {
  if (expected === 'any' || expected === 'no-stream' || expected === 'stream-exists') return;
  if (typeof expected !== 'number' || !Number.isSafeInteger(expected) || expected < 0) {
    throw new InvalidAppendError(`expectedRevision must be any, no-stream, stream-exists or a revision >= 0, got ${String(expected)}`);
  }
}

/** Validates and serialises one append; shared by every adapter so they reject the same things. */
export function prepareAppend(
  stream: string,
  events: NewEvent[],
  expectedRevision: ExpectedRevision,
  now: () => string,
): PreparedAppend {
  if (typeof stream !== 'string' || stream.length === 0 || stream.startsWith('$')) {
    throw new InvalidAppendError(`Stream name must be a non-empty string not starting with $, got ${JSON.stringify(stream)}`);
  }
  if (!Array.isArray(events) || events.length === 0) throw new InvalidAppendError(`Append to ${stream} holds no events`);
  assertExpectedRevision(expectedRevision);

  const commandId = events[0].metadata?.commandId;
  const recordedAt = now();
  const prepared = events.map((event, index): PreparedEvent => {
    if (typeof event.type !== 'string' || event.type.length === 0) throw new InvalidAppendError(`Event ${index} has no type`);
    if (event.data === null || typeof event.data !== 'object' || Array.isArray(event.data)) {
      throw new InvalidAppendError(`Event ${index} (${event.type}): data must be a JSON object`);
    }
    const m = event.metadata;
    if (!m || typeof m.actor !== 'string' || m.actor.length === 0) throw new InvalidAppendError(`Event ${index} (${event.type}): metadata.actor is required`);
    assertValidDate(m.effectiveDate, 'effectiveDate');
    if (m.recordedAt !== undefined && Number.isNaN(Date.parse(m.recordedAt))) {
      throw new InvalidAppendError(`Event ${index} (${event.type}): metadata.recordedAt must be an ISO timestamp`);
    }
    if (m.commandId !== commandId) throw new InvalidAppendError(`All events of one append must carry the same commandId`);
    if (event.id !== undefined && !isUuid(event.id)) throw new InvalidAppendError(`Event ${index} (${event.type}): id must be a UUID`);
    const dataJson = canonicalJson(event.data);
    return {
      id: event.id ?? newEventId(commandId, stream, index),
      type: event.type,
      dataJson,
      metadata: storedMetadata({ ...m, recordedAt: m.recordedAt ?? recordedAt }),
    };
  });

  return { stream, expectedRevision, commandId, fingerprint: commandId === undefined ? undefined : fingerprintOf(events, prepared), events: prepared };
}

/** Everything the caller chose (not the store's clock): equal for a true retry, different for a reused key. */
function fingerprintOf(events: NewEvent[], prepared: PreparedEvent[]): string {
  const hash = createHash('sha256');
  prepared.forEach((e, i) => {
    const { recordedAt: _ignored, ...chosen } = e.metadata;
    hash.update(`${events[i].id ?? ''}\u0000${e.type}\u0000${e.dataJson}\u0000${canonicalJson(chosen)}\u0001`);
  });
  return hash.digest('hex');
}

/** The optimistic-concurrency check, with EventStoreDB's meaning of each expected state. */
export function checkExpectedRevision(stream: string, expected: ExpectedRevision, actual: number | undefined): void {
  const ok =
    expected === 'any' ||
    (expected === 'no-stream' && actual === undefined) ||
    (expected === 'stream-exists' && actual !== undefined) ||
    expected === actual;
  if (!ok) throw new WrongExpectedRevisionError(stream, expected, actual ?? 'no-stream');
}
