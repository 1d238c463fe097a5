import type { JsonObject, StoredEvent } from './event-store.port';
import { storedMetadata } from './hash-chain';
import type { ChainLink } from './verify';

/** The events table's columns as both SQL adapters (SQLite, PostgreSQL) read them. */
export const COLUMNS =
  'position, id, stream, revision, type, data, actor, effective_date, recorded_at, correlation_id, causation_id, command_id, hash, schema_version';

/** A row in COLUMNS order (better-sqlite3's raw mode; pg's rowMode 'array', bigints read as numbers). */
export type Row = [number, string, string, number, string, string, string, string, string, string | null, string | null, string | null, string, number | null];

export function eventOf(row: Row): StoredEvent {
  const metadata: StoredEvent['metadata'] = { actor: row[6], effectiveDate: row[7], recordedAt: row[8] };
  if (row[9] !== null) metadata.correlationId = row[9];
  if (row[10] !== null) metadata.causationId = row[10];
  if (row[11] !== null) metadata.commandId = row[11];
  if (row[13] !== null) metadata.schemaVersion = row[13];
  return { id: row[1], stream: row[2], revision: row[3], position: row[0], type: row[4], data: JSON.parse(row[5]) as JsonObject, metadata, hash: row[12] };
}

export function linkOf(row: Row): ChainLink {
  return {
    position: row[0],
    id: row[1],
    stream: row[2],
    revision: row[3],
    type: row[4],
    dataJson: row[5],
    metadata: storedMetadata(
      { actor: row[6], effectiveDate: row[7], correlationId: row[9], causationId: row[10], commandId: row[11], schemaVersion: row[13] },
      row[8],
    ),
    hash: row[12],
  };
}
