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

export function openEventStore(location: StoreLocation | string | undefined): EventStore {
  const where = typeof location === 'object' ? location : parseStoreLocation(location);
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
