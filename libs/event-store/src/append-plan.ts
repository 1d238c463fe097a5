import { createHash } from 'node:crypto';
import { serializeData } from './canonical-json';
import { InvalidAppendError, WrongExpectedRevisionError } from './errors';
import type { ExpectedRevision, JsonObject, NewEvent } from './event-store.port';
import { isUuid, newEventId } from './event-ids';
import { storedMetadata, type StoredMetadata } from './hash-chain';

/** An event checked and serialised, waiting only for its revision, position and hash. */
export interface PreparedEvent {
  id: string;
  type: string;
  /** The caller's data, as given; `dataJson` is what is stored. */
  data: JsonObject;
  dataJson: string;
  metadata: StoredMetadata;
}

export interface PreparedAppend {
  stream: string;
  expectedRevision: ExpectedRevision;
  commandId?: string;
  events: PreparedEvent[];
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function isIsoDate(value: unknown): boolean {
  const match = typeof value === 'string' ? ISO_DATE.exec(value) : null;
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return month >= 1 && month <= 12 && day >= 1 && day <= (month === 2 && !leap ? 28 : DAYS_IN_MONTH[month - 1]);
}

function assertExpectedRevision(expected: ExpectedRevision): void {
  if (expected === 'any' || expected === 'no-stream' || expected === 'stream-exists') return;
  if (typeof expected !== 'number' || !Number.isSafeInteger(expected) || expected < 0) {
    throw new InvalidAppendError(`expectedRevision must be any, no-stream, stream-exists or a revision >= 0, got ${String(expected)}`);
  }
}

/**
 * Validates and serialises one append; shared by every adapter so they reject the same things.
 * `recordedAt` is the store's clock reading for the whole call.
 */
export function prepareAppend(stream: string, events: NewEvent[], expectedRevision: ExpectedRevision, recordedAt: string): PreparedAppend {
  if (typeof stream !== 'string' || stream.length === 0 || stream.startsWith('$')) {
    throw new InvalidAppendError(`Stream name must be a non-empty string not starting with $, got ${JSON.stringify(stream)}`);
  }
  if (!Array.isArray(events) || events.length === 0) throw new InvalidAppendError(`Append to ${stream} holds no events`);
  assertExpectedRevision(expectedRevision);

  const commandId = events[0].metadata?.commandId;
  const prepared = events.map((event, index): PreparedEvent => {
    if (typeof event.type !== 'string' || event.type.length === 0) throw new InvalidAppendError(`Event ${index} has no type`);
    if (event.data === null || typeof event.data !== 'object' || Array.isArray(event.data)) {
      throw new InvalidAppendError(`Event ${index} (${event.type}): data must be a JSON object`);
    }
    const m = event.metadata;
    if (!m || typeof m.actor !== 'string' || m.actor.length === 0) throw new InvalidAppendError(`Event ${index} (${event.type}): metadata.actor is required`);
    if (!isIsoDate(m.effectiveDate)) {
      throw new InvalidAppendError(
        `Event ${index} (${event.type}): metadata.effectiveDate must be an ISO date YYYY-MM-DD, got ${JSON.stringify(m.effectiveDate)}`,
      );
    }
    if (m.recordedAt !== undefined && Number.isNaN(Date.parse(m.recordedAt))) {
      throw new InvalidAppendError(`Event ${index} (${event.type}): metadata.recordedAt must be an ISO timestamp`);
    }
    if (m.schemaVersion !== undefined && (!Number.isSafeInteger(m.schemaVersion) || m.schemaVersion < 1)) {
      throw new InvalidAppendError(`Event ${index} (${event.type}): metadata.schemaVersion must be an integer >= 1, got ${JSON.stringify(m.schemaVersion)}`);
    }
    if (m.commandId !== commandId) throw new InvalidAppendError(`All events of one append must carry the same commandId`);
    if (event.id !== undefined && !isUuid(event.id)) throw new InvalidAppendError(`Event ${index} (${event.type}): id must be a UUID`);
    return {
      id: event.id ?? newEventId(commandId, stream, index),
      type: event.type,
      data: event.data,
      dataJson: serializeData(event.data),
      metadata: storedMetadata(m, m.recordedAt ?? recordedAt),
    };
  });
  return { stream, expectedRevision, commandId, events: prepared };
}

/**
 * A retried command finds its first event already stored (event ids derive from the command id).
 * It is the same command only if every event matches in everything the caller chose; the store's
 * clock (recordedAt) is not the caller's choice, and the schema version is left out too: a command
 * first stored before versions, retried after, is the same command if its data is the same.
 */
export function isSameCommand(stored: { type: string; dataJson: string; metadata: StoredMetadata }[], plan: PreparedAppend): boolean {
  return commandFingerprint(stored) === commandFingerprint(plan.events);
}

/** What makes two appends the same command, as one SHA-256: for a store that keeps only that (EventStoreDB's command markers). */
export function commandFingerprint(events: readonly { type: string; dataJson: string; metadata: StoredMetadata }[]): string {
  const hash = createHash('sha256');
  for (const { type, dataJson, metadata: m } of events) {
    hash.update(JSON.stringify([type, dataJson, m.actor, m.effectiveDate, m.correlationId ?? null, m.causationId ?? null, m.commandId ?? null]));
  }
  return hash.digest('hex');
}

/** The optimistic-concurrency check, with EventStoreDB's meaning of each expected state. */
export function checkExpectedRevision(stream: string, expected: ExpectedRevision, actual: number | undefined): void {
  const ok =
    expected === 'any' || (expected === 'no-stream' && actual === undefined) || (expected === 'stream-exists' && actual !== undefined) || expected === actual;
  if (!ok) throw new WrongExpectedRevisionError(stream, expected, actual ?? 'no-stream');
}
