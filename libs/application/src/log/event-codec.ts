import {
  count,
  DOMAIN_EVENT_SCHEMAS,
  EventCodec,
  EventShapeError,
  hex,
  id,
  oneOf,
  optional,
  Rejection,
  shape,
  text,
  type EventSchemas,
  type RecordedFundEvent,
} from '@fundsim/domain';
import type { NewEvent, StoredEvent } from '@fundsim/event-store';
import { ROLES, type Role } from '../access/roles';

/*
 * The one codec of the store's events: the domain's, and those the application records itself
 * (API keys, scenario imports). Every event read into a fold is decoded here; every event written
 * is stamped with its type's current version.
 */

export type ApiKeyIssued = { type: 'ApiKeyIssued'; data: { keyId: string; role: Role; subject: string; fundId?: string; secretSha256: string } };
export type ApiKeyRevoked = { type: 'ApiKeyRevoked'; data: { keyId: string; reason: string } };
/** A scenario file imported into a fund: by whom, the file's SHA-256, and the positions its events took. */
export type ScenarioImported = {
  type: 'ScenarioImported';
  data: { fundId: string; importedBy: string; sha256: string; eventCount: number; fromPosition: number; toPosition: number };
};
export type ApplicationEvent = ApiKeyIssued | ApiKeyRevoked | ScenarioImported;

const applicationEvents: EventSchemas<ApplicationEvent> = {
  ApiKeyIssued: { version: 1, data: shape({ keyId: id, role: oneOf(...ROLES), subject: id, fundId: optional(id), secretSha256: hex }) },
  ApiKeyRevoked: { version: 1, data: shape({ keyId: id, reason: text }) },
  ScenarioImported: {
    // Version 2 names the count of events `eventCount`: `events` read as if it held them.
    version: 2,
    data: shape({ fundId: id, importedBy: id, sha256: hex, eventCount: count, fromPosition: count, toPosition: count }),
    older: {
      1: {
        data: shape<{ fundId: string; importedBy: string; sha256: string; events: number; fromPosition: number; toPosition: number }>({
          fundId: id,
          importedBy: id,
          sha256: hex,
          events: count,
          fromPosition: count,
          toPosition: count,
        }),
        upcast: ({ events, ...rest }) => ({ ...rest, eventCount: events }),
      },
    },
  },
};

export const STORE_CODEC = new EventCodec({ ...DOMAIN_EVENT_SCHEMAS, ...applicationEvents });

/** Where a stored event is, as an error names it. */
const where = (e: StoredEvent) => () => `event ${e.position}`;

/** A stored event's data in its type's current shape, checked: EventShapeError (naming the position, type and field) otherwise. */
export function decodeStored<E extends { type: string; data: unknown }>(event: StoredEvent): E['data'] {
  return STORE_CODEC.decode<never>(event, where(event)) as E['data'];
}

/** The stored event with its data decoded (the same object when its data needed no upcast). */
export function decodedEvent(event: StoredEvent): StoredEvent {
  const data = STORE_CODEC.decode(event, where(event)) as StoredEvent['data'];
  return data === event.data ? event : { ...event, data };
}

/** A stored event as the domain's folds see it, decoded: its id and position travel in the metadata. */
export function asRecorded(e: StoredEvent): RecordedFundEvent {
  const data = STORE_CODEC.decode(e, where(e));
  return { type: e.type, data, metadata: { ...e.metadata, eventId: e.id, position: e.position } } as RecordedFundEvent;
}

/**
 * A new event stamped with the version its type is written at now, and checked against that
 * version's shape: what is written must read back, so an event the codec would refuse (a
 * reversal's replacement without a field its type needs, say) is refused before it is written,
 * not found later by every reader of the fund.
 */
export function versioned<E extends NewEvent>(event: E): E {
  const schemaVersion = STORE_CODEC.versionOf(event.type);
  if (schemaVersion === undefined) throw new Error(`No schema for ${event.type}: describe it in the event codec before writing it`);
  const stamped = { ...event, metadata: { ...event.metadata, schemaVersion } };
  try {
    STORE_CODEC.decode(stamped, () => 'the event to write');
  } catch (error) {
    if (error instanceof EventShapeError) throw new Rejection('INVALID_FORMAT', `${error.message}; nothing was written`);
    throw error;
  }
  return stamped;
}
