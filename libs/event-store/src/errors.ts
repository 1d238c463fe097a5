import type { ExpectedRevision } from './event-store.port';

/** Base class so callers can tell store errors from bugs. `code` is stable; messages are for humans. */
export abstract class EventStoreError extends Error {
  abstract readonly code: string;
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

export type ActualRevision = number | 'no-stream';

export class WrongExpectedRevisionError extends EventStoreError {
  readonly code = 'WRONG_EXPECTED_REVISION';
  constructor(
    readonly stream: string,
    readonly expected: ExpectedRevision,
    readonly actual: ActualRevision,
  ) {
    super(`Stream ${stream}: expected revision ${String(expected)}, actual ${String(actual)}`);
  }
}

export class StreamNotFoundError extends EventStoreError {
  readonly code = 'STREAM_NOT_FOUND';
  constructor(readonly stream: string) {
    super(`Stream ${stream} does not exist`);
  }
}

export class IdempotencyConflictError extends EventStoreError {
  readonly code = 'IDEMPOTENCY_CONFLICT';
  constructor(
    readonly stream: string,
    /** The command id, or the event id when the caller chose ids without a command id. */
    readonly commandId: string,
  ) {
    super(`Command ${commandId} was already stored on ${stream} with different events`);
  }
}

export class InvalidAppendError extends EventStoreError {
  readonly code = 'INVALID_APPEND';
}

export class InvalidStoreUrlError extends EventStoreError {
  readonly code = 'INVALID_STORE_URL';
}

/** A stream a batch was decided on gained an event since (see BatchOptions.unchangedSince). */
export class StreamChangedError extends EventStoreError {
  readonly code = 'STREAM_CHANGED';
  constructor(
    readonly stream: string,
    /** Position of the first event of a watched stream after `since`. */
    readonly position: number,
    readonly since: number,
  ) {
    super(`Stream ${stream} gained an event at position ${position}, after position ${since} where the batch was decided`);
  }
}

/** The stream was deleted (EventStoreDB): it cannot be written again. */
export class StreamDeletedError extends EventStoreError {
  readonly code = 'STREAM_DELETED';
  constructor(readonly stream: string) {
    super(`Stream ${stream} was deleted`);
  }
}

/** The store cannot be reached, refused the credentials, or is older than fundsim supports: one line saying what to change. */
export class StoreUnavailableError extends EventStoreError {
  readonly code = 'STORE_UNAVAILABLE';
}
