import { InvalidStoreUrlError, StoreUnavailableError } from './errors';
import { mapPostgresError, parsePostgresUrl } from './postgres.mapping';
import { lsnBytes } from './postgres.read-replica';
import { parseReadReplica, parseStoreLocation } from './store-config';

describe('PostgreSQL URLs in FUNDSIM_STORE', () => {
  it('takes postgres:// and postgresql://, with fundsim as the default schema and ?schema= for another', () => {
    expect(parseStoreLocation('postgres://app:pw@db:5432/funds')).toEqual({ kind: 'postgres', connectionString: 'postgres://app:pw@db:5432/funds' });
    expect(parseStoreLocation(' postgresql://db/funds ')).toMatchObject({ kind: 'postgres' });
    expect(parsePostgresUrl('postgres://app:pw@db:5432/funds')).toEqual({
      connectionString: 'postgres://app:pw@db:5432/funds',
      schema: 'fundsim',
      description: 'postgres://app:***@db:5432/funds',
    });
    expect(parsePostgresUrl('postgresql://db/funds?sslmode=require&schema=fund_b')).toEqual({
      connectionString: 'postgresql://db/funds?sslmode=require',
      schema: 'fund_b',
      description: 'postgresql://db/funds?sslmode=require',
    });
  });

  it.each([
    ['postgres://app:s3cret@db:port/funds', /^"postgres:\/\/app:\*\*\*@db:port\/funds" is not a PostgreSQL URL/],
    ['postgres://db/funds?schema=Fund-B', /^schema="Fund-B" in postgres:\/\/db\/funds\?schema=Fund-B must be lower-case letters/],
  ])('refuses %s before connecting, in one line, the password masked', (url, message) => {
    const refuse = () => parseStoreLocation(url);
    expect(refuse).toThrow(InvalidStoreUrlError);
    expect(refuse).toThrow(message);
    expect(refuse).not.toThrow(/s3cret|\n/);
  });
});

describe('PostgreSQL errors of the connection', () => {
  const where = 'postgres://app:***@db/funds';
  it.each([
    [
      'every address refused (an AggregateError with no message of its own)',
      Object.assign(new AggregateError([new Error('connect ECONNREFUSED ::1:5432')], ''), { code: 'ECONNREFUSED' }),
      /does not answer \(connect ECONNREFUSED ::1:5432\)/,
    ],
    ['a connection timeout', new Error('timeout expired'), /does not answer \(timeout expired\)/],
    ['the server shutting down (57P01)', Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }), /does not answer/],
    [
      'a refused login (28P01)',
      Object.assign(new Error('password authentication failed for user "app"'), { code: '28P01' }),
      /refused the connection .*; put a user/,
    ],
    ['a missing database (3D000)', Object.assign(new Error('database "funds" does not exist'), { code: '3D000' }), /has no such database/],
    [
      'no right to create the schema (42501)',
      Object.assign(new Error('permission denied for database funds'), { code: '42501' }),
      /does not let this user create fundsim's tables/,
    ],
  ])('%s is STORE_UNAVAILABLE, naming the server', (_what, error, message) => {
    const mapped = mapPostgresError(error, where) as StoreUnavailableError;
    expect(mapped).toBeInstanceOf(StoreUnavailableError);
    expect(mapped.message).toMatch(new RegExp(`^PostgreSQL at ${where.replace(/[*/.]/g, '\\$&')} `));
    expect(mapped.message).toMatch(message);
  });

  it('leaves any other error as it is', () => {
    const unique = Object.assign(new Error('duplicate key value violates unique constraint'), { code: '23505' });
    expect(mapPostgresError(unique, where)).toBe(unique);
  });
});

describe('FUNDSIM_STORE_READ, a read replica', () => {
  const primary = parseStoreLocation('postgres://app@primary/funds');
  it('takes a PostgreSQL URL beside a PostgreSQL primary, and nothing when unset', () => {
    expect(parseReadReplica('postgres://app@replica/funds', primary)).toBe('postgres://app@replica/funds');
    expect(parseReadReplica(' ', primary)).toBeUndefined();
    expect(parseReadReplica(undefined, primary)).toBeUndefined();
  });
  it('refuses it beside another store, or when it is not a PostgreSQL URL', () => {
    expect(() => parseReadReplica('postgres://app@replica/funds', parseStoreLocation('sqlite:./x.db'))).toThrow(InvalidStoreUrlError);
    expect(() => parseReadReplica('postgres://app@replica/funds', parseStoreLocation('sqlite:./x.db'))).toThrow(/needs FUNDSIM_STORE=postgres/);
    expect(() => parseReadReplica('mysql://replica/funds', primary)).toThrow(/is not a PostgreSQL URL/);
    expect(() => parseReadReplica('postgres://app@replica:port/funds', primary)).toThrow(InvalidStoreUrlError);
  });
  it('reads a WAL position (LSN) as bytes, across the 4 GiB boundary', () => {
    expect(lsnBytes('0/3000148')).toBe(0x3000148n);
    expect(lsnBytes('16/B374D848') - lsnBytes('15/FFFFFFFF')).toBe(0xb374d849n);
  });
});
