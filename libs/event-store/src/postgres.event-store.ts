import { Client, Pool, types, type PoolClient } from 'pg';
import { merge, Observable, Subject } from 'rxjs';
import { catchUpSubscription, pagedLog, type LogPage } from './catch-up';
import { EventStoreError, InvalidAppendError, StreamNotFoundError } from './errors';
import {
  type AppendOptions,
  type AppendResult,
  type BatchOptions,
  type BatchRequests,
  type EventStore,
  type NewEvent,
  type ReadAllOptions,
  type ReadStreamOptions,
  type StoredEvent,
  type SubscribeOptions,
  type VerifyOptions,
  type VerifyResult,
} from './event-store.port';
import { GroupWrite, type CallOutcome, type QueuedCall } from './postgres.append';
import { mapPostgresError, parsePostgresUrl } from './postgres.mapping';
import { COLUMNS, eventOf, linkOf, type Row } from './event-rows';
import { checkVersion, migrate, tablesOf, type PostgresTables } from './postgres.schema';
import { verifyChain, type ChainLink } from './verify';

const PAGE = 1000;
/** Rows per page of readAllPages: folds over the whole log read in bigger bites. */
const BULK_PAGE = 4096;

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
  /**
   * A hot standby (a streaming replica) read from, never written: no migration (the primary's
   * schema arrives by replication; a version this fundsim does not know is still refused), no
   * LISTEN (a standby refuses it), a short connection timeout (a read falls back to the primary).
   */
  readOnly?: boolean;
}

/** Where a standby has replayed the primary's WAL to, and since when it has replayed nothing (s). */
export interface ReplayState {
  replayLsn: string | null;
  /** Seconds since the last transaction replayed committed on the primary (null: none replayed since the standby started). */
  replayAgeSeconds: number | null;
}

/** Calls written in one transaction at most (each waits for the one before). */
const MAX_GROUP = 256;

/**
 * PostgreSQL through `pg`: several API nodes on one log. Appends are written in transactions that
 * lock the log's head row first (postgres.append.ts): positions are taken in the order appends
 * commit, so a reader never sees position n + 1 before n (no gap to skip), and the hash chain runs
 * over the whole log as in SQLite. Subscribers are woken by LISTEN/NOTIFY (sent at commit).
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
  private queue: QueuedCall[] = [];
  private writing = false;
  /** The group being written, awaited by close(). */
  private drained?: Promise<void>;
  private readonly stats = { transactions: 0, calls: 0 };
  private listener?: Promise<Client | undefined>;
  private listenTimer?: NodeJS.Timeout;
  private closed = false;
  private readonly readOnly: boolean;

  constructor(url: string, options: PostgresEventStoreOptions = {}) {
    const location = parsePostgresUrl(url);
    this.connectionString = location.connectionString;
    const schema = options.schema ?? location.schema;
    this.tables = tablesOf(schema);
    this.description = schema === 'fundsim' ? location.description : `${location.description} (schema ${schema})`;
    this.now = options.now ?? (() => new Date().toISOString());
    this.pollMs = options.pollMs ?? 1000;
    this.readOnly = options.readOnly === true;
    this.pool = new Pool({
      connectionString: this.connectionString,
      max: options.maxConnections ?? 10,
      connectionTimeoutMillis: this.readOnly ? 2_000 : 10_000,
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
        if (this.readOnly) await checkVersion(client, this.tables, this.description);
        else await migrate(client, this.tables, this.description);
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

  /**
   * Group commit, as on SQLite: a call made while this store's previous transaction runs waits for
   * it and is written with the others that came meanwhile (up to MAX_GROUP), in one transaction
   * behind the head row's lock and one commit (one WAL flush), their lookups and rows sent
   * together. Each call is checked against its own expectations and answered with its own results
   * or error: a refused call does not fail the others (GroupWrite).
   */
  appendBatch(requests: BatchRequests, options: BatchOptions = {}): Promise<AppendResult[]> {
    if (this.readOnly) return Promise.reject(new InvalidAppendError(`${this.description} is a read replica: appends go to the primary`));
    return new Promise((resolve, reject) => {
      this.queue.push({ requests, unchangedSince: options.unchangedSince, omitEvents: options.omitEvents === true, resolve, reject });
      if (!this.writing) this.drained = this.drain();
    });
  }

  /** Appending calls answered and the transactions they took: calls / transactions is the group size. */
  get writeStats(): { transactions: number; calls: number } {
    return { ...this.stats };
  }

  private async drain(): Promise<void> {
    this.writing = true;
    try {
      while (this.queue.length > 0) await this.writeGroup(this.queue.splice(0, MAX_GROUP));
    } finally {
      this.writing = false;
    }
  }

  /** Writes a group in one transaction and settles each call; never throws. */
  private async writeGroup(group: QueuedCall[]): Promise<void> {
    let client: PoolClient;
    try {
      await this.connected();
      client = await this.pool.connect();
    } catch (error) {
      for (const call of group) call.reject(this.mapped(error));
      return;
    }
    const outcomes: CallOutcome[] = [];
    let broken: Error | undefined;
    try {
      const write = await GroupWrite.begin(client, this.tables, group.length > 1, this.now);
      await write.prefetch(group);
      for (const call of group) outcomes.push(await write.call(call));
      await write.commit();
    } catch (error) {
      // A call alone, refused (its own error); or the connection or the commit failed: nothing written.
      await client.query('ROLLBACK').catch((e: Error) => (broken = e));
      client.release(broken);
      for (const call of group) call.reject(this.mapped(error));
      return;
    }
    client.release();
    this.stats.transactions++;
    this.stats.calls += group.length;
    if (outcomes.some((o) => o.results?.some((r) => r.written))) this.appended.next();
    group.forEach((call, i) => {
      const outcome = outcomes[i];
      if (outcome.results) call.resolve(outcome.results);
      else call.reject(this.mapped(outcome.error));
    });
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

  /**
   * Pages of the log for folds, the next page asked for before this one is handed over: the server
   * finds and sends it (another process, another core) while the caller folds this one, so a
   * replay costs about the larger of reading and folding, not their sum.
   */
  async *readAllPages(options: ReadAllOptions = {}): AsyncGenerator<StoredEvent[]> {
    const readPage = this.pageReader(options);
    let left = options.maxCount ?? Infinity;
    let limit = Math.min(BULK_PAGE, left);
    let ahead: Promise<LogPage> | undefined = left > 0 ? readPage(options.fromPosition ?? 0, limit) : undefined;
    try {
      while (ahead) {
        const { events, scannedTo, end } = await ahead;
        ahead = undefined;
        left -= limit;
        if (!end && left > 0) {
          const next = Math.max(events[limit - 1].position, scannedTo) + 1;
          limit = Math.min(BULK_PAGE, left);
          ahead = readPage(next, limit);
        }
        if (events.length > 0) yield events;
      }
    } finally {
      // A caller that stopped early: the page read ahead is dropped (its failure, too).
      ahead?.catch(() => undefined);
    }
  }

  subscribe(options: SubscribeOptions = {}): Observable<StoredEvent> {
    // LISTEN only wakes the catch-up reader, which keeps no-gap, no-duplicate in one place.
    return catchUpSubscription(this.pageReader(options), this.wakeUps(), options.fromPosition ?? 0, this.pollMs);
  }

  /** Fires when this store appended or any node's append committed (NOTIFY); a read replica's subscriptions wake on its primary's. */
  wakeUps(): Observable<void> {
    if (!this.readOnly) void this.listen();
    return merge(this.appended, this.notified);
  }

  /**
   * One connection per store LISTENs for appends by any node. Lost (a server restart, a dropped
   * connection), it is opened again a second later, and the subscribers read once it is back for
   * what was appended meanwhile; the poll covers the while.
   */
  private listen(): Promise<Client | undefined> {
    this.listener ??= (async () => {
      await this.connected();
      const client = new Client({
        connectionString: this.connectionString,
        connectionTimeoutMillis: 10_000,
        keepAlive: true,
        application_name: 'fundsim-listen',
      });
      let gone = false;
      const lost = () => {
        if (gone) return;
        gone = true;
        this.listener = undefined;
        void client.end().catch(() => undefined);
        this.listenAgain();
      };
      client.on('notification', () => this.notified.next());
      client.on('error', lost);
      client.on('end', lost);
      await client.connect();
      await client.query(`LISTEN "${this.tables.channel}"`);
      if (this.closed) {
        gone = true;
        await client.end();
        return undefined;
      }
      this.notified.next();
      return client;
    })().catch(() => {
      this.listener = undefined;
      this.listenAgain();
      return undefined;
    });
    return this.listener;
  }

  private listenAgain(): void {
    if (this.closed || this.listenTimer) return;
    this.listenTimer = setTimeout(() => {
      this.listenTimer = undefined;
      if (!this.closed) void this.listen();
    }, 1000);
    this.listenTimer.unref();
  }

  /**
   * One page of matching events at or after a position. The head is read first: every position up
   * to it is committed and visible to the page's read, which is bounded by it, so `scannedTo`
   * never runs past an event a reader has not seen.
   */
  pageReader(options: { streamPrefix?: string; eventTypes?: readonly string[] }): (from: number, limit: number) => Promise<LogPage> {
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

  /** The stream's last revision and the log position of that event: what a read replica must have replayed to show it. */
  async streamHead(stream: string): Promise<{ revision: number; position: number } | undefined> {
    const rows = await this.query<[number, number]>(`SELECT revision, position FROM ${this.tables.events} WHERE stream = $1 ORDER BY revision DESC LIMIT 1`, [
      stream,
    ]);
    return rows.length === 0 ? undefined : { revision: rows[0][0], position: rows[0][1] };
  }

  /** The server's current WAL position (a primary's; an LSN such as `0/3000148`). */
  async walPosition(): Promise<string> {
    const [[lsn]] = await this.query<[string]>('SELECT pg_current_wal_lsn()::text');
    return lsn;
  }

  /** A standby's replay position and the age of the last transaction it replayed. */
  async replayState(): Promise<ReplayState> {
    const [[replayLsn, age]] = await this.query<[string | null, number | null]>(
      'SELECT pg_last_wal_replay_lsn()::text, EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp())::float8',
    );
    return { replayLsn, replayAgeSeconds: age };
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
    clearTimeout(this.listenTimer);
    await this.drained;
    this.appended.complete();
    this.notified.complete();
    const listener = await this.listener;
    await listener?.end().catch(() => undefined);
    await this.pool.end();
  }
}
