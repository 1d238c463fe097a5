import type { PoolClient } from 'pg';
import { EventStoreError } from './errors';
import { GENESIS_HASH } from './hash-chain';

/** The tables of one log, in its schema (names quoted: the schema is checked to be a plain identifier). */
export interface PostgresTables {
  schema: string;
  events: string;
  head: string;
  versions: string;
  /** LISTEN/NOTIFY channel that wakes this log's subscribers. */
  channel: string;
}

export const tablesOf = (schema: string): PostgresTables => ({
  schema,
  events: `"${schema}".events`,
  head: `"${schema}".head`,
  versions: `"${schema}".schema_version`,
  channel: `fundsim_${schema}`.slice(0, 63),
});

/**
 * The schema's history, oldest first: a store applies those its version table does not list, in
 * one transaction, and refuses a schema newer than it knows. Never edit a migration once released;
 * add the next one.
 */
const MIGRATIONS: readonly { version: number; sql: (t: PostgresTables) => string }[] = [
  {
    version: 1,
    sql: (t) => `
      CREATE TABLE ${t.events} (
        position       bigint  PRIMARY KEY,
        id             text    NOT NULL,
        stream         text    NOT NULL,
        revision       bigint  NOT NULL,
        type           text    NOT NULL,
        -- the canonical JSON the chain hashed, byte for byte (jsonb would reorder its keys)
        data           text    NOT NULL,
        actor          text    NOT NULL,
        effective_date text    NOT NULL,
        recorded_at    text    NOT NULL,
        correlation_id text,
        causation_id   text,
        command_id     text,
        -- the event's index within its command's append: (stream, command_id, 0) is unique
        command_index  integer,
        hash           text    NOT NULL,
        schema_version integer,
        UNIQUE (stream, revision)
      );
      CREATE UNIQUE INDEX ON ${t.events} (stream, command_id, command_index) WHERE command_id IS NOT NULL;
      CREATE INDEX ON ${t.events} (command_id) WHERE command_id IS NOT NULL;
      -- The log's last position and hash, one row: every append locks it (FOR UPDATE) for its
      -- transaction, so appends take positions in the order they commit and a reader never sees
      -- a position before the ones below it are visible.
      CREATE TABLE ${t.head} (
        single   boolean PRIMARY KEY DEFAULT true CHECK (single),
        position bigint  NOT NULL,
        hash     text    NOT NULL
      );
      INSERT INTO ${t.head} (position, hash) VALUES (0, '${GENESIS_HASH}');
    `,
  },
];

export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1].version;

export class PostgresSchemaVersionError extends EventStoreError {
  readonly code = 'SCHEMA_VERSION';
  constructor(where: string, found: number) {
    super(`${where} holds fundsim's schema at version ${found}; this fundsim knows versions up to ${SCHEMA_VERSION}: upgrade it`);
  }
}

/** Two-key advisory lock (fundsim's key, the schema's hash): one starting node migrates at a time. */
const MIGRATION_LOCK = 0x66756e64;

/** Creates or migrates the schema, under a lock so that nodes starting together do it once. */
export async function migrate(client: PoolClient, t: PostgresTables, where: string): Promise<void> {
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [MIGRATION_LOCK, t.schema]);
    // Created only where missing (... IF NOT EXISTS asks for the right to create even when it
    // exists): a user that may only read and write the tables runs a migrated schema.
    const exists = await client.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [t.schema]);
    if (exists.rowCount === 0) await client.query(`CREATE SCHEMA "${t.schema}"`);
    const versioned = await client.query('SELECT to_regclass($1) IS NOT NULL AS found', [t.versions]);
    if (!versioned.rows[0].found) {
      await client.query(`CREATE TABLE ${t.versions} (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`);
    }
    const found = Number((await client.query(`SELECT COALESCE(MAX(version), 0) AS v FROM ${t.versions}`)).rows[0].v);
    if (found > SCHEMA_VERSION) throw new PostgresSchemaVersionError(where, found);
    for (const m of MIGRATIONS) {
      if (m.version <= found) continue;
      await client.query(m.sql(t));
      await client.query(`INSERT INTO ${t.versions} (version) VALUES ($1)`, [m.version]);
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

/** A read replica's check: the schema's version, as replicated, is one this fundsim knows (a schema not replicated yet fails the read, which goes to the primary). */
export async function checkVersion(client: PoolClient, t: PostgresTables, where: string): Promise<void> {
  const found = Number((await client.query(`SELECT COALESCE(MAX(version), 0) AS v FROM ${t.versions}`)).rows[0].v);
  if (found > SCHEMA_VERSION) throw new PostgresSchemaVersionError(where, found);
}
