import { InvalidStoreUrlError, StoreUnavailableError } from './errors';

/** The schema fundsim's tables live in unless the URL says `?schema=`. */
export const DEFAULT_SCHEMA = 'fundsim';

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

export interface PostgresLocation {
  /** What the driver is given: the URL without fundsim's own parameters. */
  connectionString: string;
  schema: string;
  /** The URL without its password, for messages. */
  description: string;
}

/**
 * A `postgres://` or `postgresql://` URL as libpq reads it, plus fundsim's own `schema` parameter
 * (lower-case letters, digits and _: several logs can share one database). A bad one is
 * InvalidStoreUrlError, before any connection is tried.
 */
export function parsePostgresUrl(value: string): PostgresLocation {
  // A URL that does not parse is named without what looks like its password.
  const shown = JSON.stringify(value.replace(/\/\/([^:/@]*):[^@/]*@/, '//$1:***@'));
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InvalidStoreUrlError(`${shown} is not a PostgreSQL URL (postgres://user:password@host:5432/database)`);
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new InvalidStoreUrlError(`${shown} is not a PostgreSQL URL: it must start with postgres:// or postgresql://`);
  }
  const schema = url.searchParams.get('schema') ?? DEFAULT_SCHEMA;
  if (!IDENTIFIER.test(schema)) {
    throw new InvalidStoreUrlError(
      `schema=${JSON.stringify(schema)} in ${describe(url)} must be lower-case letters, digits and _, starting with a letter or _`,
    );
  }
  url.searchParams.delete('schema');
  return { connectionString: url.toString(), schema, description: describe(url) };
}

function describe(url: URL): string {
  const copy = new URL(url.toString());
  if (copy.password) copy.password = '***';
  return copy.toString();
}

/** Errors of the network: the server is not there, or went away. */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE', 'ENOENT']);

/**
 * Errors of the connection itself, whatever the call: one line saying what to change. Anything
 * else (a bug, a constraint) is returned as it is.
 */
export function mapPostgresError(error: unknown, where: string): unknown {
  const e = error as { code?: unknown; message?: string; errors?: { message?: string }[] };
  const code = typeof e?.code === 'string' ? e.code : '';
  // Node's AggregateError (every address of `localhost` refused) has an empty message of its own.
  const reason = (e?.message || e?.errors?.[0]?.message || code || String(error)).split('\n')[0];
  const message = e?.message ?? '';
  if (
    NETWORK_CODES.has(code) ||
    /timeout expired|Connection terminated|connection timeout/i.test(message) ||
    code.startsWith('08') ||
    /^57P0[1-3]$/.test(code)
  ) {
    return new StoreUnavailableError(`PostgreSQL at ${where} does not answer (${reason}); check that it runs and that FUNDSIM_STORE names it`);
  }
  if (code.startsWith('28')) {
    return new StoreUnavailableError(`PostgreSQL at ${where} refused the connection (${reason}); put a user (and password) it accepts in FUNDSIM_STORE`);
  }
  if (code === '3D000')
    return new StoreUnavailableError(`PostgreSQL at ${where} has no such database (${reason}); create it, or name another in FUNDSIM_STORE`);
  if (code === '53300') return new StoreUnavailableError(`PostgreSQL at ${where} has no connection left (${reason}); raise max_connections or run fewer nodes`);
  if (code === '42501') {
    return new StoreUnavailableError(
      `PostgreSQL at ${where} does not let this user create fundsim's tables (${reason}); grant it CREATE on the database, or create the schema for it`,
    );
  }
  return error;
}
