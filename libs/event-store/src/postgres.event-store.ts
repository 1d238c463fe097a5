import { Client, Pool, types, type PoolClient } from 'pg';
import { merge, Observable, Subject } from 'rxjs';
import { checkExpectedRevision, isSameCommand, prepareAppend, type PreparedAppend } from './append-plan';
import { catchUpSubscription, pagedLog, type LogPage } from './catch-up';
import { EventStoreError, IdempotencyConflictError, StreamChangedError, StreamNotFoundError } from './errors';
import {
  isWatched,
  type AppendOptions,
  type AppendRequest,
  type AppendResult,
  type BatchOptions,
  type BatchRequests,
  type EventStore,
  type JsonObject,
  type NewEvent,
  type ReadAllOptions,
  type ReadStreamOptions,
  type StoredEvent,
  type SubscribeOptions,
  type UnchangedStreams,
  type VerifyOptions,
  type VerifyResult,
} from './event-store.port';
import { chainHash, storedMetadata } from './hash-chain';
import { mapPostgresError, parsePostgresUrl } from './postgres.mapping';
import { migrate, tablesOf, type PostgresTables } from './postgres.schema';
import { verifyChain, type ChainLink } from './verify';

const COLUMNS =
  'position, id, stream, revision, type, data, actor, effective_date, recorded_at, correlation_id, causation_id, command_id, hash, schema_version';

/** A row in COLUMNS order (rowMode 'array'; bigints read as numbers). */
type Row = [number, string, string, number, string, string, string, string, string, string | null, string | null, string | null, string, number | null];

const PAGE = 1000;
/** Rows per page of readAllPages: folds over the whole log read in bigger bites. */
const BULK_PAGE = 4096;
/** Requests whose streams' revisions and command ids are looked up in one query each. */
const CHUNK = 1000;
/** Rows sent in one INSERT (as arrays, unnested by the server). */
const INSERT_ROWS = 4096;

/** bigint (int8) columns as numbers: positions and revisions stay far below 2^53. */
const INT8_OID = 20;
const TYPES = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID ? (value: string) => Number(value) : types.getTypeParser(oid, format)) as typeof types.getTypeParser,
};

export interface PostgresEventStoreOptions {
  /** The schema of this log (default: the URL's `schema`, else `fundsim`). */
  schema?: string;
  now?: () => string;
  /** How often a subscription reads again if no notification came (ms): a safety net for a lost LISTEN connection. */
  pollMs?: number;
  /** Connections of the pool (default 10). */
  maxConnections?: number;
}

function eventOf(row: Row): StoredEvent {
  const metadata: StoredEvent['metadata'] = { actor: row[6], effectiveDate: row[7], recordedAt: row[8] };
  if (row[9] !== null) metadata.correlationId = row[9];
  if (row[10] !== null) metadata.causationId = row[10];
  if (row[11] !== null) metadata.commandId = row[11];
  if (row[13] !== null) metadata.schemaVersion = row[13];
  return { id: row[1], stream: row[2], revision: row[3], position: row[0], type: row[4], data: JSON.parse(row[5]) as JsonObject, metadata, hash: row[12] };
}

function linkOf(row: Row): ChainLink {
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

/** Where the hash chain stands while a call is written. */
interface Cursor {
  position: number;
  hash: string;
}

/** Rows waiting to be inserted, column by column (sent as arrays and unnested by the server). */
class PendingRows {
  columns: unknown[][] = Array.from({ length: 15 }, () => []);
  get size(): number {
    return this.columns[0].length;
  }
  push(...values: unknown[]): void {
    values.forEach((v, i) => this.columns[i].push(v));
  }
  take(): unknown[][] {
    const out = this.columns;
    this.columns = Array.from({ length: 15 }, () => []);
    return out;
  }
}

/**
 * PostgreSQL through `pg`: several API nodes on one log. One transaction per call, which locks the
 * log's head row first: positions are taken in the order appends commit, so a reader never sees
 * position n + 1 before n (no gap to skip), and the hash chain runs over the whole log as in
 * SQLite. Subscribers are woken by LISTEN/NOTIFY (the notification is sent at commit).
 */
export class PostgresEventStore implements EventStore {
  readonly atomicBatches = true;
  readonly uniqueCommandIds = true;
  readonly description: string;
  private readonly pool: Pool;
  private readonly tables: PostgresTables;
  private readonly connectionString: string;
  private readonly now: () => string;
  private readonly pollMs: number;
  private readonly appended = new Subject<void>();
  private readonly notified = new Subject<void>();
  private connecting?: Promise<void>;
  private listener?: Promise<Client | undefined>;
  private closed = false;

  constructor(url: string, options: PostgresEventStoreOptions = {}) {
    const location = parsePostgresUrl(url);
    this.connectionString = location.connectionString;
    const schema = options.schema ?? location.schema;
    this.tables = tablesOf(schema);
    this.description = schema === 'fundsim' ? location.description : `${location.description} (schema ${schema})`;
    this.now = options.now ?? (() => new Date().toISOString());
    this.pollMs = options.pollMs ?? 1000;
    this.pool = new Pool({
      connectionString: this.connectionString,
      max: options.maxConnections ?? 10,
      connectionTimeoutMillis: 10_000,
      types: TYPES,
      keepAlive: true,
      // A node that stops mid-append (paused, cut off) holds the head row: the server ends its
      // session after this long idle inside the transaction, and every other node writes again.
      idle_in_transaction_session_timeout: 30_000,
      application_name: 'fundsim',
    });
    // An idle connection the server dropped: the next query says so (mapped to one line), not the process.
    this.pool.on('error', () => undefined);
  }

  /** Once, before the first call: the server answers and the schema is at this version. A failure is one line; the next call tries again. */
  private connected(): Promise<void> {
    this.connecting ??= (async () => {
      const client = await this.pool.connect();
      try {
        await migrate(client, this.tables, this.description);
      } finally {
        client.release();
      }
    })().catch((error: unknown) => {
      this.connecting = undefined;
      throw this.mapped(error);
    });
    return this.connecting;
  }

  private mapped(error: unknown): unknown {
    return error instanceof EventStoreError ? error : mapPostgresError(error, this.description);
  }

  /** A query outside an append, its rows as arrays. */
  private async query<R extends unknown[] = Row>(sql: string, params: unknown[] = []): Promise<R[]> {
    await this.connected();
    try {
      return (await this.pool.query<R>({ text: sql, values: params, rowMode: 'array' })).rows;
    } catch (error) {
      throw this.mapped(error);
    }
  }

  async append(stream: string, events: NewEvent[], options: AppendOptions = {}): Promise<AppendResult> {
    const [result] = await this.appendBatch([{ stream, events, expectedRevision: options.expectedRevision }]);
    return result;
  }

  /** One transaction per call, all or nothing, behind the head row's lock. */
  async appendBatch(requests: BatchRequests, options: BatchOptions = {}): Promise<AppendResult[]> {
    await this.connected();
    let client: PoolClient;
    try {
      client = await this.pool.connect();
    } catch (error) {
      throw this.mapped(error);
    }
    let results: AppendResult[];
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      const t = this.tables;
      const [head] = (await client.query<[number, string]>({ text: `SELECT position, hash FROM ${t.head} FOR UPDATE`, rowMode: 'array' })).rows;
      const cursor: Cursor = { position: head[0], hash: head[1] };
      // The clock is read once the head is ours, after the append before this one committed: so
      // recordedAt grows with the position across nodes (up to the skew of their clocks).
      const recordedAt = this.now();
      if (options.unchangedSince) await this.checkUnchanged(client, options.unchangedSince);
      const made = typeof requests === 'function' ? requests(cursor.position) : requests;
      results = await this.writeRequests(client, made, cursor, recordedAt, options.omitEvents === true);
      if (cursor.position !== head[0]) {
        await client.query(`UPDATE ${t.head} SET position = $1, hash = $2`, [cursor.position, cursor.hash]);
        await client.query('SELECT pg_notify($1, $2)', [t.channel, String(cursor.position)]);
      }
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch((e: Error) => (broken = e));
      throw this.mapped(error);
    } finally {
      client.release(broken);
    }
    if (results.some((r) => r.written)) this.appended.next();
    return results;
  }

  /** Inside the write: no event of the watched streams since the batch was decided. */
  private async checkUnchanged(client: PoolClient, watched: UnchangedStreams): Promise<void> {
    const t = this.tables;
    const { rows } = await client.query<[number, string]>({
      text: `SELECT position, stream FROM ${t.events} WHERE position > $1 ORDER BY position`,
      values: [watched.position],
      rowMode: 'array',
    });
    for (const [position, stream] of rows) if (isWatched(watched, stream)) throw new StreamChangedError(stream, position, watched.position);
  }

  /**
   * Validates and writes the requests in turn, CHUNK at a time: one query for the revisions of a
   * chunk's streams, one for the owners of its command ids, then its rows in INSERTs of arrays.
   */
  private async writeRequests(client: PoolClient, requests: Iterable<AppendRequest>, cursor: Cursor, recordedAt: string, omitEvents: boolean) {
    const results: AppendResult[] = [];
    const rows = new PendingRows();
    const flush = async () => {
      if (rows.size > 0) await this.insert(client, rows.take());
    };
    let chunk: PreparedAppend[] = [];
    const writeChunk = async () => {
      // Earlier chunks' rows are inserted, so the lookups (in this transaction) see them.
      await flush();
      const revisions = await this.lookUpRevisions(client, chunk);
      const owners = await this.lookUpOwners(client, chunk);
      for (const plan of chunk) {
        const earlier = plan.commandId === undefined ? undefined : owners.get(plan.commandId);
        if (earlier !== undefined) {
          await flush();
          results.push(await this.retried(client, plan, earlier));
          continue;
        }
        const current = revisions.get(plan.stream);
        checkExpectedRevision(plan.stream, plan.expectedRevision, current);
        const written: StoredEvent[] | undefined = omitEvents ? undefined : [];
        let revision = current ?? -1;
        plan.events.forEach((e, index) => {
          revision++;
          const position = cursor.position + 1;
          const m = e.metadata;
          const hash = chainHash(cursor.hash, { id: e.id, stream: plan.stream, revision, position, type: e.type, dataJson: e.dataJson, metadata: m });
          rows.push(
            position,
            e.id,
            plan.stream,
            revision,
            e.type,
            e.dataJson,
            m.actor,
            m.effectiveDate,
            m.recordedAt,
            m.correlationId ?? null,
            m.causationId ?? null,
            plan.commandId ?? null,
            plan.commandId === undefined ? null : index,
            hash,
            m.schemaVersion ?? null,
          );
          cursor.position = position;
          cursor.hash = hash;
          written?.push({ id: e.id, stream: plan.stream, revision, position, type: e.type, data: e.data, metadata: m, hash });
        });
        revisions.set(plan.stream, revision);
        if (plan.commandId !== undefined) owners.set(plan.commandId, plan.stream);
        const result: AppendResult = { nextExpectedRevision: revision, position: cursor.position, written: true };
        if (written) result.events = written;
        results.push(result);
        if (rows.size >= INSERT_ROWS) await flush();
      }
      chunk = [];
    };
    for (const r of requests) {
      chunk.push(prepareAppend(r.stream, r.events, r.expectedRevision ?? 'any', recordedAt));
      if (chunk.length === CHUNK) await writeChunk();
    }
    if (chunk.length > 0) await writeChunk();
    await flush();
    return results;
  }

  private async insert(client: PoolClient, columns: unknown[][]): Promise<void> {
    const t = this.tables;
    const arrays = ['bigint', 'text', 'text', 'bigint', 'text', 'text', 'text', 'text', 'text', 'text', 'text', 'text', 'integer', 'text', 'integer'];
    await client.query(
      `INSERT INTO ${t.events} (${COLUMNS.replace('hash, schema_version', 'command_index, hash, schema_version')})
       SELECT * FROM unnest(${arrays.map((type, i) => `$${i + 1}::${type}[]`).join(', ')})`,
      columns,
    );
  }

  /** The revision of each stream of the chunk (absent: no stream yet). */
  private async lookUpRevisions(client: PoolClient, chunk: PreparedAppend[]): Promise<Map<string, number>> {
    const streams = [...new Set(chunk.map((p) => p.stream))];
    const { rows } = await client.query<[string, number]>({
      text: `SELECT stream, MAX(revision) FROM ${this.tables.events} WHERE stream = ANY($1::text[]) GROUP BY stream`,
      values: [streams],
      rowMode: 'array',
    });
    return new Map(rows);
  }

  /** The first stream each command id of the chunk went to, where one was stored. */
  private async lookUpOwners(client: PoolClient, chunk: PreparedAppend[]): Promise<Map<string, string>> {
    const ids = [...new Set(chunk.flatMap((p) => (p.commandId === undefined ? [] : [p.commandId])))];
    if (ids.length === 0) return new Map();
    const { rows } = await client.query<[string, string]>({
      text: `SELECT DISTINCT ON (command_id) command_id, stream FROM ${this.tables.events} WHERE command_id = ANY($1::text[]) ORDER BY command_id, position`,
      values: [ids],
      rowMode: 'array',
    });
    return new Map(rows);
  }

  /**
   * A command already stored: on this stream it is the same command again (its first result) or a
   * reused key (a conflict); a key first used on another stream is a conflict, unless a store
   * written before the rule holds it here too.
   */
  private async retried(client: PoolClient, plan: PreparedAppend, owner: string): Promise<AppendResult> {
    const { rows } = await client.query<Row>({
      text: `SELECT ${COLUMNS} FROM ${this.tables.events} WHERE stream = $1 AND command_id = $2 ORDER BY command_index`,
      values: [plan.stream, plan.commandId],
      rowMode: 'array',
    });
    if (rows.length === 0 && owner !== plan.stream) throw new IdempotencyConflictError(plan.stream, plan.commandId!);
    if (!isSameCommand(rows.map(linkOf), plan)) throw new IdempotencyConflictError(plan.stream, plan.commandId!);
    const last = rows[rows.length - 1];
    return { nextExpectedRevision: last[3], position: last[0], written: false };
  }

  async *readStream(stream: string, options: ReadStreamOptions = {}): AsyncGenerator<StoredEvent> {
    const backwards = options.direction === 'backwards';
    const order = backwards ? 'revision <= $2 ORDER BY revision DESC' : 'revision >= $2 ORDER BY revision';
    const sql = `SELECT ${COLUMNS} FROM ${this.tables.events} WHERE stream = $1 AND ${order} LIMIT $3`;
    let next = options.fromRevision ?? (backwards ? Number.MAX_SAFE_INTEGER : 0);
    let left = options.maxCount ?? Infinity;
    let first = true;
    while (left > 0) {
      const limit = Math.min(PAGE, left);
      const rows = await this.query(sql, [stream, next, limit]);
      if (first && rows.length === 0 && (await this.streamRevision(stream)) === undefined) throw new StreamNotFoundError(stream);
      first = false;
      for (const row of rows) yield eventOf(row);
      if (rows.length < limit) return;
      left -= limit;
      next = rows[limit - 1][3] + (backwards ? -1 : 1);
    }
  }

  readAll(options: ReadAllOptions = {}): AsyncIterable<StoredEvent> {
    return pagedLog(this.pageReader(options), options.fromPosition ?? 0, options.maxCount ?? Infinity);
  }

  async *readAllPages(options: ReadAllOptions = {}): AsyncGenerator<StoredEvent[]> {
    const readPage = this.pageReader(options);
    let next = options.fromPosition ?? 0;
    let left = options.maxCount ?? Infinity;
    while (left > 0) {
      const limit = Math.min(BULK_PAGE, left);
      const { events, scannedTo, end } = await readPage(next, limit);
      if (events.length > 0) yield events;
      if (end) return;
      left -= limit;
      next = Math.max(events[limit - 1].position, scannedTo) + 1;
    }
  }

  subscribe(options: SubscribeOptions = {}): Observable<StoredEvent> {
    // LISTEN only wakes the catch-up reader, which keeps no-gap, no-duplicate in one place.
    void this.listen();
    return catchUpSubscription(this.pageReader(options), merge(this.appended, this.notified), options.fromPosition ?? 0, this.pollMs);
  }

  /** One connection per store LISTENs for appends by any node; lost, it is opened again by the next subscriber (the poll covers the while). */
  private listen(): Promise<Client | undefined> {
    this.listener ??= (async () => {
      await this.connected();
      const client = new Client({ connectionString: this.connectionString, connectionTimeoutMillis: 10_000 });
      client.on('notification', () => this.notified.next());
      client.on('error', () => {
        this.listener = undefined;
        void client.end().catch(() => undefined);
      });
      await client.connect();
      await client.query(`LISTEN "${this.tables.channel}"`);
      if (this.closed) {
        await client.end();
        return undefined;
      }
      return client;
    })().catch(() => {
      this.listener = undefined;
      return undefined;
    });
    return this.listener;
  }

  /**
   * One page of matching events at or after a position. The head is read first: every position up
   * to it is committed and visible to the page's read, which is bounded by it, so `scannedTo`
   * never runs past an event a reader has not seen.
   */
  private pageReader(options: { streamPrefix?: string; eventTypes?: readonly string[] }): (from: number, limit: number) => Promise<LogPage> {
    const types = options.eventTypes ?? [];
    const where = ['position >= $1', 'position <= $2'];
    const params: unknown[] = [];
    if (options.streamPrefix !== undefined) {
      params.push(options.streamPrefix);
      where.push(`starts_with(stream, $${params.length + 3})`);
    }
    if (types.length > 0) {
      params.push(types);
      where.push(`type = ANY($${params.length + 3}::text[])`);
    }
    const sql = `SELECT ${COLUMNS} FROM ${this.tables.events} WHERE ${where.join(' AND ')} ORDER BY position LIMIT $3`;
    return async (from, limit) => {
      const head = await this.headPosition();
      const rows = await this.query(sql, [from, head, limit, ...params]);
      return { events: rows.map(eventOf), scannedTo: rows.length === limit ? rows[limit - 1][0] : head, end: rows.length < limit };
    };
  }

  async streamRevision(stream: string): Promise<number | undefined> {
    const [[revision]] = await this.query<[number | null]>(`SELECT MAX(revision) FROM ${this.tables.events} WHERE stream = $1`, [stream]);
    return revision ?? undefined;
  }

  async headPosition(): Promise<number> {
    const [[position]] = await this.query<[number]>(`SELECT position FROM ${this.tables.head}`);
    return position;
  }

  async streamOfCommand(commandId: string): Promise<string | undefined> {
    const rows = await this.query<[string]>(`SELECT stream FROM ${this.tables.events} WHERE command_id = $1 ORDER BY position LIMIT 1`, [commandId]);
    return rows[0]?.[0];
  }

  async verify(options: VerifyOptions = {}): Promise<VerifyResult> {
    const result = await verifyChain(this.chainLinks(), options, undefined);
    if (!result.ok) return result;
    const several = await this.query<[string, string[]]>(
      `SELECT command_id, array_agg(stream ORDER BY stream) FROM (SELECT DISTINCT command_id, stream FROM ${this.tables.events} WHERE command_id IS NOT NULL) d
       GROUP BY command_id HAVING count(*) > 1`,
    );
    return several.length === 0 ? result : { ...result, commandsOnSeveralStreams: several.map(([commandId, streams]) => ({ commandId, streams })) };
  }

  private async *chainLinks(): AsyncGenerator<ChainLink> {
    const sql = `SELECT ${COLUMNS} FROM ${this.tables.events} WHERE position >= $1 ORDER BY position LIMIT $2`;
    let next = 0;
    for (;;) {
      const rows = await this.query(sql, [next, BULK_PAGE]);
      for (const row of rows) yield linkOf(row);
      if (rows.length < BULK_PAGE) return;
      next = rows[BULK_PAGE - 1][0] + 1;
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.appended.complete();
    this.notified.complete();
    const listener = await this.listener;
    await listener?.end().catch(() => undefined);
    await this.pool.end();
  }
}
