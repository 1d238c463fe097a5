import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Observable, Subject } from 'rxjs';
import { checkExpectedRevision, isSameCommand, prepareAppend, type PreparedAppend } from './append-plan';
import { catchUpSubscription, pagedLog, type LogPage } from './catch-up';
import { EventStoreError, IdempotencyConflictError, StreamChangedError, StreamNotFoundError, WrongExpectedRevisionError } from './errors';
import {
  isWatched,
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
  type UnchangedStreams,
  type VerifyOptions,
  type VerifyResult,
} from './event-store.port';
import { COLUMNS, eventOf, linkOf, type Row } from './event-rows';
import { chainHash, GENESIS_HASH } from './hash-chain';
import { verifyChain, type ChainLink } from './verify';

const SCHEMA_VERSION = '1';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS events (
  position       INTEGER PRIMARY KEY,
  id             TEXT    NOT NULL,
  stream         TEXT    NOT NULL,
  revision       INTEGER NOT NULL,
  type           TEXT    NOT NULL,
  data           TEXT    NOT NULL,
  actor          TEXT    NOT NULL,
  effective_date TEXT    NOT NULL,
  recorded_at    TEXT    NOT NULL,
  correlation_id TEXT,
  causation_id   TEXT,
  command_id     TEXT,
  -- the event's index within its command's append: (stream, command_id, 0) is unique
  command_index  INTEGER,
  hash           TEXT    NOT NULL,
  -- the version of the data's shape for its type (NULL in events written before versions: 1)
  schema_version INTEGER
);
CREATE UNIQUE INDEX IF NOT EXISTS events_stream_revision ON events (stream, revision);
-- Idempotency: a command's first event on a stream can be stored once, so a retry fails this index
-- instead of paying a lookup on every append. Deliberately no index on the random event ids:
-- maintaining one halved the append rate of 10,000-event commits (every commit rewrote pages all
-- over that index).
CREATE UNIQUE INDEX IF NOT EXISTS events_stream_command ON events (stream, command_id, command_index) WHERE command_id IS NOT NULL;
-- Which stream a command id went to (an idempotency key reused for another command is refused).
CREATE INDEX IF NOT EXISTS events_command ON events (command_id) WHERE command_id IS NOT NULL;
CREATE TABLE IF NOT EXISTS store_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
`;

const INSERT_COLUMNS = `${COLUMNS}, command_index`;

/** Where the hash chain stands while a group is written. */
interface Cursor {
  position: number;
  hash: string;
}

interface QueuedCall {
  requests: BatchRequests;
  unchangedSince?: UnchangedStreams;
  omitEvents: boolean;
  /** The store's clock when the call was made. */
  recordedAt: string;
  resolve: (results: AppendResult[]) => void;
  reject: (error: unknown) => void;
}

type CallOutcome = { results: AppendResult[]; error?: undefined } | { results?: undefined; error: unknown };

const PAGE = 1000;
/** Rows per page of readAllPages: folds over the whole log read in bigger bites. */
const BULK_PAGE = 4096;

export interface SqliteEventStoreOptions {
  now?: () => string;
  /** How often a subscription looks for appends made by other processes (ms). */
  pollMs?: number;
  /** FULL (default) survives power loss; NORMAL survives a process crash and writes faster. */
  synchronous?: 'FULL' | 'NORMAL';
}

/**
 * The embedded default store. One SQLite transaction per append (or batch), so a crash leaves
 * only whole appends; WAL lets readers work while one writer appends.
 */
export class SqliteEventStore implements EventStore {
  readonly atomicBatches = true;
  readonly uniqueCommandIds = true;
  readonly description: string;
  readonly snapshotDirectory?: string;
  private readonly db: Database.Database;
  private readonly now: () => string;
  private readonly pollMs: number;
  private readonly appended = new Subject<void>();
  private readonly statements;
  private readonly pageStatements = new Map<string, Database.Statement>();
  /** Every call queued since the last flush, written in one transaction with one fsync. */
  private readonly writeGroup: Database.Transaction<(group: QueuedCall[]) => CallOutcome[]>;
  private queue: QueuedCall[] = [];
  private flushScheduled = false;
  private readonly stats = { transactions: 0, calls: 0 };

  constructor(
    readonly path: string,
    options: SqliteEventStoreOptions = {},
  ) {
    this.description = `sqlite:${path}`;
    if (path !== ':memory:') this.snapshotDirectory = `${path}.snapshots`;
    this.now = options.now ?? (() => new Date().toISOString());
    this.pollMs = options.pollMs ?? 250;
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    // Set explicitly: better-sqlite3 still reports FULL after switching to WAL until told.
    this.db.pragma(`synchronous = ${options.synchronous ?? 'FULL'}`);
    this.db.pragma('busy_timeout = 10000');
    this.db.pragma('cache_size = -131072');
    this.db.exec(SCHEMA);
    this.checkSchemaVersion();
    this.addSchemaVersionColumn();

    const db = this.db;
    this.statements = {
      head: db.prepare('SELECT position, hash FROM events ORDER BY position DESC LIMIT 1').raw(),
      maxPosition: db.prepare('SELECT COALESCE(MAX(position), 0) FROM events').pluck(),
      streamRevision: db.prepare('SELECT MAX(revision) FROM events WHERE stream = ?').pluck(),
      // By position (the primary key) on purpose: the few events since a batch was decided, not
      // every event of the streams watched (a fund's million LP streams share one prefix).
      since: db.prepare('SELECT position, stream FROM events WHERE position > ? ORDER BY position').raw(),
      streamOfCommand: db.prepare('SELECT stream FROM events WHERE command_id = ? ORDER BY position LIMIT 1').pluck(),
      byCommand: db.prepare(`SELECT ${COLUMNS} FROM events WHERE stream = ? AND command_id = ? ORDER BY command_index`).raw(),
      insert: db.prepare(`INSERT INTO events (${INSERT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
      streamForwards: db.prepare(`SELECT ${COLUMNS} FROM events WHERE stream = ? AND revision >= ? ORDER BY revision LIMIT ?`).raw(),
      streamBackwards: db.prepare(`SELECT ${COLUMNS} FROM events WHERE stream = ? AND revision <= ? ORDER BY revision DESC LIMIT ?`).raw(),
      chain: db.prepare(`SELECT ${COLUMNS} FROM events WHERE position >= ? ORDER BY position LIMIT ?`).raw(),
    };
    // Each request is validated and written in turn inside the transaction, so its serialised
    // form dies young: preparing a whole batch first kept 10,000 of them alive through every
    // minor GC and cost more than the validation itself.
    const writeCall = (call: QueuedCall, cursor: Cursor): AppendResult[] => {
      if (call.unchangedSince) this.checkUnchanged(call.unchangedSince);
      const results: AppendResult[] = [];
      const requests = typeof call.requests === 'function' ? call.requests(cursor.position) : call.requests;
      for (const r of requests)
        results.push(this.writeOne(prepareAppend(r.stream, r.events, r.expectedRevision ?? 'any', call.recordedAt), cursor, call.omitEvents));
      return results;
    };
    const inSavepoint = db.transaction(writeCall);
    this.writeGroup = db.transaction((group: QueuedCall[]) => {
      const head = this.statements.head.get() as [number, string] | undefined;
      const cursor: Cursor = { position: head ? head[0] : 0, hash: head ? head[1] : GENESIS_HASH };
      // A call alone needs no savepoint: if it fails, the whole transaction is rolled back.
      if (group.length === 1) return [{ results: writeCall(group[0], cursor) }];
      return group.map((call): CallOutcome => {
        const before = { ...cursor };
        try {
          return { results: inSavepoint(call, cursor) };
        } catch (error) {
          // Disk full, I/O error: SQLite may have rolled the whole transaction back, not just
          // the savepoint. Then nothing of the group stands: fail it all (no call may commit
          // on a chain that counts rolled-back events).
          if (!this.db.inTransaction) throw error;
          // The savepoint undid this call's rows; the chain goes on from where it stood.
          Object.assign(cursor, before);
          return { error };
        }
      });
    });
  }

  /** Files written before event versions lack the column: added in place (NULL in every old row, no rewrite). */
  private addSchemaVersionColumn(): void {
    const columns = this.db.prepare('PRAGMA table_info(events)').all() as { name: string }[];
    if (!columns.some((c) => c.name === 'schema_version')) this.db.exec('ALTER TABLE events ADD COLUMN schema_version INTEGER');
  }

  private checkSchemaVersion(): void {
    const found = this.db.prepare("SELECT value FROM store_meta WHERE key = 'schema_version'").pluck().get() as string | undefined;
    if (found === undefined) {
      this.db.prepare("INSERT INTO store_meta (key, value) VALUES ('schema_version', ?)").run(SCHEMA_VERSION);
    } else if (found !== SCHEMA_VERSION) {
      this.db.close();
      throw new SchemaVersionError(this.path, found);
    }
  }

  async append(stream: string, events: NewEvent[], options: AppendOptions = {}): Promise<AppendResult> {
    const [result] = await this.appendBatch([{ stream, events, expectedRevision: options.expectedRevision }]);
    return result;
  }

  /**
   * Group commit: calls made while this turn of the event loop runs (concurrent HTTP requests, a
   * burst of commands) are queued and written together at the next turn, in one transaction and
   * one fsync. Each call is its own savepoint in it, checked against its own expected revisions
   * and answered with its own results or error: a refused call does not fail the others.
   */
  appendBatch(requests: BatchRequests, options: BatchOptions = {}): Promise<AppendResult[]> {
    return new Promise((resolve, reject) => {
      this.queue.push({ requests, unchangedSince: options.unchangedSince, omitEvents: options.omitEvents === true, recordedAt: this.now(), resolve, reject });
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  /** Appending calls answered and the transactions (fsyncs) they took: calls / transactions is the group size. */
  get writeStats(): { transactions: number; calls: number } {
    return { ...this.stats };
  }

  private flush(): void {
    this.flushScheduled = false;
    const group = this.queue;
    this.queue = [];
    if (group.length === 0) return;
    let outcomes: CallOutcome[];
    try {
      outcomes = this.writeGroup.immediate(group);
    } catch (error) {
      // A call alone, refused (its own error), or the commit itself failed (disk full, I/O
      // error, busy past the timeout): either way nothing was written.
      for (const call of group) call.reject(error);
      return;
    }
    this.stats.transactions++;
    this.stats.calls += group.length;
    if (outcomes.some((o) => o.results?.some((r) => r.written))) this.appended.next();
    group.forEach((call, i) => {
      const outcome = outcomes[i];
      if (outcome.results) call.resolve(outcome.results);
      else call.reject(outcome.error);
    });
  }

  /** Inside the write: no event of the watched streams since the batch was decided. */
  private checkUnchanged(watched: UnchangedStreams): void {
    for (const [position, stream] of this.statements.since.iterate(watched.position) as Iterable<[number, string]>) {
      if (isWatched(watched, stream)) throw new StreamChangedError(stream, position, watched.position);
    }
  }

  private writeOne(plan: PreparedAppend, cursor: Cursor, omitEvents: boolean): AppendResult {
    const s = this.statements;
    // No lookups on the common path: a new stream ('no-stream') is checked by the unique
    // (stream, revision) index, a retried command by the unique (stream, command_id, 0) index.
    const current = plan.expectedRevision === 'no-stream' ? undefined : ((s.streamRevision.get(plan.stream) as number | null) ?? undefined);
    try {
      checkExpectedRevision(plan.stream, plan.expectedRevision, current);
    } catch (error) {
      return this.retriedOr(plan, error);
    }
    let revision = current ?? -1;
    const commandId = plan.commandId ?? null;
    // A command id belongs to the first stream it went to, checked in this transaction: two
    // writers racing with one key on two streams cannot both be stored (one index probe).
    if (commandId !== null) {
      const owner = s.streamOfCommand.get(commandId) as string | undefined;
      // A store written before this rule may hold the id on this stream too: then it is a retry here.
      if (owner !== undefined && owner !== plan.stream) return this.retriedOr(plan, new IdempotencyConflictError(plan.stream, commandId));
    }
    const written: StoredEvent[] | undefined = omitEvents ? undefined : [];
    for (let index = 0; index < plan.events.length; index++) {
      const e = plan.events[index];
      revision++;
      const position = cursor.position + 1;
      const m = e.metadata;
      const hash = chainHash(cursor.hash, { id: e.id, stream: plan.stream, revision, position, type: e.type, dataJson: e.dataJson, metadata: m });
      try {
        s.insert.run(
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
          commandId,
          hash,
          m.schemaVersion ?? null,
          commandId === null ? null : index,
        );
      } catch (error) {
        // SQLite undid just this statement. Only a first event can collide: its stream exists
        // (a 'no-stream' append) or its command is stored.
        if ((error as { code?: string }).code !== 'SQLITE_CONSTRAINT_UNIQUE' || index > 0) throw error;
        const actual = s.streamRevision.get(plan.stream) as number;
        return this.retriedOr(plan, new WrongExpectedRevisionError(plan.stream, plan.expectedRevision, actual));
      }
      cursor.position = position;
      cursor.hash = hash;
      written?.push({ id: e.id, stream: plan.stream, revision, position, type: e.type, data: e.data, metadata: m, hash });
    }
    const result: AppendResult = { nextExpectedRevision: revision, position: cursor.position, written: true };
    if (written) result.events = written;
    return result;
  }

  /**
   * An append that cannot go ahead: if its command was stored on this stream before, it is the
   * same command again (the first result) or a reused key (a conflict); otherwise `error`.
   */
  private retriedOr(plan: PreparedAppend, error: unknown): AppendResult {
    const earlier = plan.commandId === undefined ? [] : (this.statements.byCommand.all(plan.stream, plan.commandId) as Row[]);
    if (earlier.length === 0) throw error;
    if (!isSameCommand(earlier.map(linkOf), plan)) throw new IdempotencyConflictError(plan.stream, plan.commandId!);
    const last = earlier[earlier.length - 1];
    return { nextExpectedRevision: last[3], position: last[0], written: false };
  }

  async *readStream(stream: string, options: ReadStreamOptions = {}): AsyncGenerator<StoredEvent> {
    const backwards = options.direction === 'backwards';
    let next = options.fromRevision ?? (backwards ? Number.MAX_SAFE_INTEGER : 0);
    let left = options.maxCount ?? Infinity;
    let first = true;
    while (left > 0) {
      const limit = Math.min(PAGE, left);
      const rows = (backwards ? this.statements.streamBackwards : this.statements.streamForwards).all(stream, next, limit) as Row[];
      if (first && rows.length === 0 && (await this.streamRevision(stream)) === undefined) throw new StreamNotFoundError(stream);
      first = false;
      for (const row of rows) yield eventOf(row);
      if (rows.length < limit) return;
      left -= limit;
      next = rows[limit - 1][3] + (backwards ? -1 : 1);
    }
  }

  readAll(options: ReadAllOptions = {}): AsyncIterable<StoredEvent> {
    const readPage = this.pageReader(options);
    return pagedLog(readPage, options.fromPosition ?? 0, options.maxCount ?? Infinity);
  }

  async *readAllPages(options: ReadAllOptions = {}): AsyncGenerator<StoredEvent[]> {
    const readPage = this.pageReader(options);
    let next = options.fromPosition ?? 0;
    let left = options.maxCount ?? Infinity;
    while (left > 0) {
      const limit = Math.min(BULK_PAGE, left);
      const { events, scannedTo, end } = readPage(next, limit);
      if (events.length > 0) yield events;
      if (end) return;
      left -= limit;
      next = Math.max(events[limit - 1].position, scannedTo) + 1;
    }
  }

  subscribe(options: SubscribeOptions = {}): Observable<StoredEvent> {
    return catchUpSubscription(this.pageReader(options), this.appended, options.fromPosition ?? 0, this.pollMs);
  }

  /** Reads one page of matching events at or after a position, filtering in SQL. */
  private pageReader(options: { streamPrefix?: string; eventTypes?: readonly string[] }): (from: number, limit: number) => LogPage {
    const types = options.eventTypes ?? [];
    const prefix = options.streamPrefix;
    const where = ['position >= ?', 'position <= ?'];
    if (prefix !== undefined) where.push('substr(stream, 1, ?) = ?');
    if (types.length > 0) where.push(`type IN (${types.map(() => '?').join(', ')})`);
    const sql = `SELECT ${COLUMNS} FROM events WHERE ${where.join(' AND ')} ORDER BY position LIMIT ?`;
    let statement = this.pageStatements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql).raw();
      this.pageStatements.set(sql, statement);
    }
    const query = statement;
    const filterParams = [...(prefix === undefined ? [] : [prefix.length, prefix]), ...types];
    return (from, limit) => {
      const head = this.statements.maxPosition.get() as number;
      const rows = query.all(from, head, ...filterParams, limit) as Row[];
      const events = rows.map(eventOf);
      return { events, scannedTo: rows.length === limit ? rows[limit - 1][0] : head, end: rows.length < limit };
    };
  }

  async streamRevision(stream: string): Promise<number | undefined> {
    return (this.statements.streamRevision.get(stream) as number | null) ?? undefined;
  }

  async headPosition(): Promise<number> {
    return this.statements.maxPosition.get() as number;
  }

  async streamOfCommand(commandId: string): Promise<string | undefined> {
    return (this.statements.streamOfCommand.get(commandId) as string | undefined) ?? undefined;
  }

  async verify(options: VerifyOptions = {}): Promise<VerifyResult> {
    const result = await verifyChain(this.chainLinks(), options, undefined);
    if (!result.ok) return result;
    // Command ids on several streams, from the command-id index: no map of a million ids.
    const rows = this.db
      .prepare(
        'SELECT command_id, group_concat(stream, char(10)) FROM (SELECT DISTINCT command_id, stream FROM events WHERE command_id IS NOT NULL) GROUP BY command_id HAVING count(*) > 1',
      )
      .raw()
      .all() as [string, string][];
    return rows.length === 0
      ? result
      : { ...result, commandsOnSeveralStreams: rows.map(([commandId, streams]) => ({ commandId, streams: streams.split('\n') })) };
  }

  private *chainLinks(): Generator<ChainLink> {
    let next = 0;
    for (;;) {
      const rows = this.statements.chain.all(next, PAGE) as Row[];
      for (const row of rows) yield linkOf(row);
      if (rows.length < PAGE) return;
      next = rows[PAGE - 1][0] + 1;
    }
  }

  async close(): Promise<void> {
    this.flush();
    this.appended.complete();
    if (this.db.open) this.db.close();
  }
}

export class SchemaVersionError extends EventStoreError {
  readonly code = 'SCHEMA_VERSION';
  constructor(path: string, found: string) {
    super(`${path} holds schema version ${found}; this fundsim reads version ${SCHEMA_VERSION}`);
  }
}
