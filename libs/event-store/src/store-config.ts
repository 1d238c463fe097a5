import { InvalidStoreUrlError } from './errors';
import type { EventStore } from './event-store.port';
import { MemoryEventStore } from './memory.event-store';
import { parsePostgresUrl } from './postgres.mapping';
import { SqliteEventStore } from './sqlite.event-store';

export const DEFAULT_STORE = 'sqlite:./data/fundsim.db';

export type StoreLocation =
  { kind: 'sqlite'; path: string } | { kind: 'memory' } | { kind: 'eventstoredb'; connectionString: string } | { kind: 'postgres'; connectionString: string };

export const ACCEPTED_STORE_FORMS = [
  'sqlite:<path>            embedded SQLite file, created on demand (default sqlite:./data/fundsim.db)',
  'memory:                  in-process, lost on exit (tests, sandboxes)',
  'esdb://host:2113?tls=false             EventStoreDB single node',
  'esdb+discover://host:2113?tls=false    EventStoreDB cluster (gossip discovery)',
  'postgres://user:password@host:5432/db  PostgreSQL (also postgresql://; ?schema=name, default fundsim)',
];

/** Parses FUNDSIM_STORE. A bad value is refused with the list of accepted forms. */
export function parseStoreLocation(value: string | undefined): StoreLocation {
  const raw = (value ?? '').trim() || DEFAULT_STORE;
  if (raw === 'memory:' || raw === 'memory') return { kind: 'memory' };
  if (raw.startsWith('sqlite:')) {
    const path = raw.slice('sqlite:'.length);
    if (path.length > 0) return { kind: 'sqlite', path };
  }
  if (/^esdb(\+discover)?:\/\/[^/?#\s]+/.test(raw)) return { kind: 'eventstoredb', connectionString: raw };
  if (/^postgres(ql)?:\/\//.test(raw)) {
    // Checked now (a bad URL is refused before any connection is tried), opened when asked for.
    parsePostgresUrl(raw);
    return { kind: 'postgres', connectionString: raw };
  }
  throw new InvalidStoreUrlError(
    `FUNDSIM_STORE=${JSON.stringify(value)} is not a store fundsim knows. Accepted forms:\n  ${ACCEPTED_STORE_FORMS.join('\n  ')}`,
  );
}

/**
 * FUNDSIM_STORE_READ: a streaming replica of the PostgreSQL primary in FUNDSIM_STORE that serves
 * the reads (postgres.read-replica.ts). Checked like FUNDSIM_STORE; refused beside any other store.
 */
export function parseReadReplica(value: string | undefined, primary: StoreLocation): string | undefined {
  const raw = (value ?? '').trim();
  if (raw === '') return undefined;
  if (primary.kind !== 'postgres')
    throw new InvalidStoreUrlError(`FUNDSIM_STORE_READ is a PostgreSQL read replica: it needs FUNDSIM_STORE=postgres://... (the primary), not ${primary.kind}`);
  if (!/^postgres(ql)?:\/\//.test(raw))
    throw new InvalidStoreUrlError(`FUNDSIM_STORE_READ=${JSON.stringify(value)} is not a PostgreSQL URL (postgres://user@host:5432/db)`);
  parsePostgresUrl(raw);
  return raw;
}

/** Settings of a read replica (FUNDSIM_REPLICA_WAIT_MS: how long a read waits for it before reading the primary). */
export interface OpenOptions {
  /** FUNDSIM_STORE_READ's URL. */
  read?: string;
  replicaWaitMs?: number;
}

export function openEventStore(location: StoreLocation | string | undefined, options: OpenOptions = {}): EventStore {
  const where = typeof location === 'object' ? location : parseStoreLocation(location);
  const read = parseReadReplica(options.read, where);
  if (read !== undefined && where.kind === 'postgres') {
    const { PostgresEventStore } = require('./postgres.event-store') as typeof import('./postgres.event-store');
    const { ReadReplicaEventStore } = require('./postgres.read-replica') as typeof import('./postgres.read-replica');
    const primary = new PostgresEventStore(where.connectionString);
    // The primary's schema, unless the replica's URL names one (the same log, replicated).
    const schema = new URL(read).searchParams.has('schema') ? undefined : parsePostgresUrl(where.connectionString).schema;
    return new ReadReplicaEventStore(primary, new PostgresEventStore(read, { readOnly: true, schema }), { waitMs: options.replicaWaitMs });
  }
  switch (where.kind) {
    case 'memory':
      return new MemoryEventStore();
    case 'sqlite':
      return new SqliteEventStore(where.path);
    case 'eventstoredb': {
      // Loaded only when asked for: the gRPC client costs every SQLite start ~0.1 s.
      const { EventStoreDbEventStore } = require('./eventstoredb.event-store') as typeof import('./eventstoredb.event-store');
      return new EventStoreDbEventStore(where.connectionString);
    }
    case 'postgres': {
      // Loaded only when asked for, like the gRPC client: SQLite's start does not pay for pg.
      const { PostgresEventStore } = require('./postgres.event-store') as typeof import('./postgres.event-store');
      return new PostgresEventStore(where.connectionString);
    }
  }
}
