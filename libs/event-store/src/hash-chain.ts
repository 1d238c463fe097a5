import { hash } from 'node:crypto';
import type { StoredEvent } from './event-store.port';

/** The chain starts from this fixed value: SHA-256 of the string "fundsim genesis". */
export const GENESIS_HASH = hash('sha256', 'fundsim genesis', 'hex');

export type StoredMetadata = StoredEvent['metadata'];

/** The fields of an event that the chain covers, with `data` already in canonical JSON. */
export interface ChainedFields {
  id: string;
  stream: string;
  revision: number;
  /** Omitted by stores that only know the global order after the write (EventStoreDB). */
  position?: number;
  type: string;
  dataJson: string;
  metadata: StoredMetadata;
}

/**
 * Canonical JSON of the whole event. Keys are written in sorted order by hand so the (already
 * canonical) data text is reused instead of re-serialised: this runs once per event on append
 * and on verify.
 */
export function canonicalEventJson(e: ChainedFields): string {
  const position = e.position === undefined ? '' : `"position":${e.position},`;
  return (
    `{"data":${e.dataJson},"id":${JSON.stringify(e.id)},"metadata":${canonicalMetadata(e.metadata)},` +
    `${position}"revision":${e.revision},"stream":${JSON.stringify(e.stream)},"type":${JSON.stringify(e.type)}}`
  );
}

/** canonicalJson(metadata), written out for the fixed key set (sorted), since it runs per event. */
function canonicalMetadata(m: StoredMetadata): string {
  let out = `{"actor":${JSON.stringify(m.actor)}`;
  if (m.causationId !== undefined) out += `,"causationId":${JSON.stringify(m.causationId)}`;
  if (m.commandId !== undefined) out += `,"commandId":${JSON.stringify(m.commandId)}`;
  if (m.correlationId !== undefined) out += `,"correlationId":${JSON.stringify(m.correlationId)}`;
  out += `,"effectiveDate":${JSON.stringify(m.effectiveDate)},"recordedAt":${JSON.stringify(m.recordedAt)}`;
  // Absent in events written before versions, so their links are what they were.
  return m.schemaVersion === undefined ? `${out}}` : `${out},"schemaVersion":${m.schemaVersion}}`;
}

export function chainHash(previousHash: string, e: ChainedFields): string {
  // One-shot hash: a third of createHash().update().digest()'s cost, once per event.
  return hash('sha256', previousHash + canonicalEventJson(e), 'hex');
}

/** Metadata as stored: optional fields that are absent are left out, never stored as null. */
export function storedMetadata(
  m: {
    actor: string;
    effectiveDate: string;
    correlationId?: string | null;
    causationId?: string | null;
    commandId?: string | null;
    schemaVersion?: number | null;
  },
  recordedAt: string,
): StoredMetadata {
  const out: StoredMetadata = { actor: m.actor, effectiveDate: m.effectiveDate, recordedAt };
  if (m.correlationId != null) out.correlationId = m.correlationId;
  if (m.causationId != null) out.causationId = m.causationId;
  if (m.commandId != null) out.commandId = m.commandId;
  if (m.schemaVersion != null) out.schemaVersion = m.schemaVersion;
  return out;
}
