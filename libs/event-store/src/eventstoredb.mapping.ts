import {
  ANY,
  AccessDeniedError,
  DeadlineExceededError,
  NO_STREAM,
  NotLeaderError,
  STREAM_EXISTS,
  StreamDeletedError as EsdbStreamDeletedError,
  StreamNotFoundError as EsdbStreamNotFoundError,
  UnavailableError,
  WrongExpectedVersionError,
  type AppendExpectedRevision,
  type JSONEventData,
  type RecordedEvent,
} from '@eventstore/db-client';
import type { PreparedEvent } from './append-plan';
import { canonicalJson } from './canonical-json';
import { StoreUnavailableError, StreamDeletedError, StreamNotFoundError, WrongExpectedRevisionError } from './errors';
import type { ExpectedRevision, JsonObject, StoredEvent } from './event-store.port';
import { chainHash, storedMetadata } from './hash-chain';

/**
 * Pure translations between the port and @eventstore/db-client, kept apart from the adapter so
 * they are unit-tested on a machine without EventStoreDB.
 */

/** Metadata as written to EventStoreDB: the port's fields, `$correlationId`/`$causationId`, and the chain. */
export interface EsdbMetadata {
  actor: string;
  effectiveDate: string;
  recordedAt: string;
  commandId?: string;
  schemaVersion?: number;
  $correlationId?: string;
  $causationId?: string;
  /** Hash of the previous event of the same stream (the genesis value for revision 0). */
  previousHash: string;
  hash: string;
  [key: string]: unknown;
}

export function toEsdbExpectedRevision(expected: ExpectedRevision): AppendExpectedRevision {
  switch (expected) {
    case 'any':
      return ANY;
    case 'no-stream':
      return NO_STREAM;
    case 'stream-exists':
      return STREAM_EXISTS;
    default:
      return BigInt(expected);
  }
}

/** The per-stream chain link of an event about to be written at `revision`. */
export function toEsdbEvent(stream: string, revision: number, previousHash: string, e: PreparedEvent): JSONEventData {
  const m = e.metadata;
  const hash = chainHash(previousHash, { id: e.id, stream, revision, type: e.type, dataJson: e.dataJson, metadata: m });
  const metadata: EsdbMetadata = { actor: m.actor, effectiveDate: m.effectiveDate, recordedAt: m.recordedAt, previousHash, hash };
  if (m.commandId !== undefined) metadata.commandId = m.commandId;
  if (m.schemaVersion !== undefined) metadata.schemaVersion = m.schemaVersion;
  if (m.correlationId !== undefined) metadata.$correlationId = m.correlationId;
  if (m.causationId !== undefined) metadata.$causationId = m.causationId;
  return { id: e.id, type: e.type, contentType: 'application/json', data: JSON.parse(e.dataJson) as JsonObject, metadata };
}

/**
 * The port's global position for an EventStoreDB event: its prepare position, which is unique
 * per event and grows in log order (events of one append share a commit position).
 */
export function positionOf(recorded: RecordedEvent): number {
  return recorded.position === undefined ? 0 : Number(recorded.position.prepare);
}

export function fromEsdbEvent(recorded: RecordedEvent): StoredEvent & { previousHash: string } {
  const m = (recorded.metadata ?? {}) as Partial<EsdbMetadata>;
  return {
    id: recorded.id,
    stream: recorded.streamId,
    revision: Number(recorded.revision),
    position: positionOf(recorded),
    type: recorded.type,
    data: (recorded.isJson ? recorded.data : {}) as JsonObject,
    metadata: storedMetadata(
      {
        actor: m.actor ?? '',
        effectiveDate: m.effectiveDate ?? '',
        correlationId: m.$correlationId,
        causationId: m.$causationId,
        commandId: m.commandId,
        schemaVersion: m.schemaVersion,
      },
      m.recordedAt ?? recorded.created.toISOString(),
    ),
    hash: m.hash ?? '',
    previousHash: m.previousHash ?? '',
  };
}

/** Recomputes an event's per-stream link from what EventStoreDB returned. */
export function expectedLinkHash(previousHash: string, event: StoredEvent): string {
  return chainHash(previousHash, {
    id: event.id,
    stream: event.stream,
    revision: event.revision,
    type: event.type,
    dataJson: canonicalJson(event.data),
    metadata: event.metadata,
  });
}

export function mapEsdbError(error: unknown, stream: string, where: string, expected?: ExpectedRevision): unknown {
  if (error instanceof WrongExpectedVersionError) {
    const actual = error.actualVersion;
    return new WrongExpectedRevisionError(stream, expected ?? 'any', typeof actual === 'bigint' ? Number(actual) : 'no-stream');
  }
  if (error instanceof EsdbStreamNotFoundError) return new StreamNotFoundError(stream);
  if (error instanceof EsdbStreamDeletedError) return new StreamDeletedError(stream);
  return mapConnectionError(error, where);
}

/** gRPC status codes (grpc/status.h) of a connection that does not serve us. */
const GRPC_DEADLINE_EXCEEDED = 4;
const GRPC_PERMISSION_DENIED = 7;
const GRPC_UNAVAILABLE = 14;
const GRPC_UNAUTHENTICATED = 16;

/** Errors of the connection itself, whatever the call: one line saying what to change. */
export function mapConnectionError(error: unknown, where: string): unknown {
  const reason = (error as Error)?.message?.split('\n')[0] ?? String(error);
  // The client's own classes, or a bare gRPC status (the connection check at first use gives one).
  const status = (error as { code?: unknown })?.code;
  if (error instanceof UnavailableError || error instanceof DeadlineExceededError || status === GRPC_UNAVAILABLE || status === GRPC_DEADLINE_EXCEEDED) {
    return new StoreUnavailableError(`EventStoreDB at ${where} does not answer (${reason}); check that it runs and that FUNDSIM_STORE names it`);
  }
  if (error instanceof AccessDeniedError || status === GRPC_PERMISSION_DENIED || status === GRPC_UNAUTHENTICATED)
    return new StoreUnavailableError(
      `EventStoreDB at ${where} refused access (${reason}); put a user in FUNDSIM_STORE who may write streams and read $all (by default $admins or $ops)`,
    );
  if (error instanceof NotLeaderError)
    return new StoreUnavailableError(
      `EventStoreDB at ${where} is not the cluster's leader and no leader was found (${reason}); connect with esdb+discover:// to the cluster's nodes`,
    );
  return error;
}

/** The oldest server fundsim supports: positions and server features as 22.10 and later report them. */
export const MINIMUM_SERVER_VERSION = '22.10';

/** Whether a server's version (`23.10.1`, `24.10.0-rc1`, `25.0.0` for KurrentDB) is supported; an unknown one is not. */
export function isSupportedServerVersion(version: string): boolean {
  const match = /^(\d+)\.(\d+)/.exec(version);
  if (!match) return false;
  const [major, minor] = MINIMUM_SERVER_VERSION.split('.').map(Number);
  return Number(match[1]) > major || (Number(match[1]) === major && Number(match[2]) >= minor);
}
