import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json';
import type { StoredEvent } from './event-store.port';

/** The chain starts from this fixed value: SHA-256 of the string "fundsim genesis". */
export const GENESIS_HASH = createHash('sha256').update('fundsim genesis').digest('hex');

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
    `{"data":${e.dataJson},"id":${JSON.stringify(e.id)},"metadata":${canonicalJson(e.metadata)},` +
    `${position}"revision":${e.revision},"stream":${JSON.stringify(e.stream)},"type":${JSON.stringify(e.type)}}`
  );
}

export function chainHash(previousHash: string, e: ChainedFields): string {
  return createHash('sha256').update(previousHash).update(canonicalEventJson(e)).digest('hex');
}

/** Metadata as stored: optional fields that are absent are left out, never stored as null. */
export function storedMetadata(m: {
  actor: string;
  effectiveDate: string;
  recordedAt: string;
  correlationId?: string | null;
  causationId?: string | null;
  commandId?: string | null;
}): StoredMetadata {
  const out: StoredMetadata = { actor: m.actor, effectiveDate: m.effectiveDate, recordedAt: m.recordedAt };
  if (m.correlationId != null) out.correlationId = m.correlationId;
  if (m.causationId != null) out.causationId = m.causationId;
  if (m.commandId != null) out.commandId = m.commandId;
  return out;
}
