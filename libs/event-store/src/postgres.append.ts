import type { PoolClient, QueryArrayConfig, QueryArrayResult } from 'pg';
import { checkExpectedRevision, isSameCommand, prepareAppend, type PreparedAppend } from './append-plan';
import { IdempotencyConflictError, InvalidAppendError, StreamChangedError } from './errors';
import { isWatched, type AppendRequest, type AppendResult, type BatchRequests, type StoredEvent, type UnchangedStreams } from './event-store.port';
import { chainHash } from './hash-chain';
import type { PostgresTables } from './postgres.schema';
import { COLUMNS, linkOf, type Row } from './event-rows';

/** An appendBatch call waiting for its group's transaction. */
export interface QueuedCall {
  requests: BatchRequests;
  unchangedSince?: UnchangedStreams;
  omitEvents: boolean;
  resolve: (results: AppendResult[]) => void;
  reject: (error: unknown) => void;
}

export type CallOutcome = { results: AppendResult[]; error?: undefined } | { results?: undefined; error: unknown };

/** Requests whose streams' revisions and command ids are looked up in one query each. */
const CHUNK = 1000;
/** Rows sent in one INSERT (as arrays, unnested by the server). */
const INSERT_ROWS = 4096;
const INSERT_TYPES = ['bigint', 'text', 'text', 'bigint', 'text', 'text', 'text', 'text', 'text', 'text', 'text', 'text', 'integer', 'text', 'integer'];

/**
 * PostgreSQL's text holds no NUL character (the data's JSON escapes it; names and metadata cannot):
 * refused with the call, before anything is sent, rather than failing the group's insert.
 */
function refuseNul(plan: PreparedAppend): void {
  const texts = [plan.stream, plan.commandId, ...plan.events.flatMap((e) => [e.id, e.type, ...Object.values(e.metadata)])];
  const bad = texts.find((t) => typeof t === 'string' && t.includes('\u0000'));
  if (bad !== undefined)
    throw new InvalidAppendError(`PostgreSQL cannot store a NUL character, found in ${JSON.stringify(bad)} (stream ${JSON.stringify(plan.stream)})`);
}

/** Where the hash chain stands while a group is written. */
interface Cursor {
  position: number;
  hash: string;
}

/**
 * One group's transaction: the head row locked, then every call decided in memory against what
 * the server held when the group began (looked up once for all its calls' streams and command
 * ids) and what the calls before it wrote; their rows are sent together at the end. A call is
 * undone by forgetting what it staged; only a call that had to send rows early (a bulk call, or
 * a lookup that must see them) in a group of several takes a savepoint to roll back to.
 */
export class GroupWrite {
  private readonly revisions = new Map<string, number | null>();
  private readonly owners = new Map<string, string | null>();
  private columns: unknown[][] = INSERT_TYPES.map(() => []);
  /** Staged rows of the calls before the current one (they come first). */
  private settledRows = 0;
  private undo: (() => void)[] = [];
  private savepoint = false;
  /** A statement of the current call failed: the transaction is aborted but for a savepoint. */
  private aborted = false;
  private readonly startedAt: number;

  constructor(
    private readonly client: PoolClient,
    private readonly t: PostgresTables,
    private readonly cursor: Cursor,
    private readonly recordedAt: string,
    private readonly several: boolean,
  ) {
    this.startedAt = cursor.position;
  }

  /** Locks the head row (waiting for the append before to commit) and starts the group from it. */
  static async begin(client: PoolClient, t: PostgresTables, several: boolean, now: () => string): Promise<GroupWrite> {
    await client.query('BEGIN');
    const [[position, hash]] = (await client.query<[number, string]>({ text: `SELECT position, hash FROM ${t.head} FOR UPDATE`, rowMode: 'array' })).rows;
    // The clock is read once the head is ours, after the append before this one committed: so
    // recordedAt grows with the position across nodes (up to the skew of their clocks).
    return new GroupWrite(client, t, { position, hash }, now(), several);
  }

  /** The streams and command ids of every call given as a list, looked up in one query each. */
  async prefetch(calls: readonly QueuedCall[]): Promise<void> {
    // Not validated yet: whatever is malformed is left to its call to refuse.
    const requests = calls.flatMap((c) => (Array.isArray(c.requests) ? (c.requests as unknown[]) : [])) as (Partial<AppendRequest> | null)[];
    const usable = (value: unknown): value is string => typeof value === 'string' && !value.includes('\u0000');
    const streams = requests.map((r) => r?.stream).filter(usable);
    const commandIds = requests.map((r) => (Array.isArray(r?.events) ? r.events[0]?.metadata?.commandId : undefined)).filter(usable);
    await this.lookUp(streams, commandIds);
  }

  /**
   * Writes one call, or leaves nothing of it and answers with its error. Throws what the group
   * cannot go on after: any error of a call alone (its transaction is rolled back instead), the
   * connection failing, a statement refused outside a savepoint (the transaction is aborted).
   */
  async call(call: QueuedCall): Promise<CallOutcome> {
    const before = { ...this.cursor };
    try {
      if (call.unchangedSince) await this.checkUnchanged(call.unchangedSince);
      const requests = typeof call.requests === 'function' ? call.requests(this.cursor.position) : call.requests;
      const results = await this.writeRequests(requests, call.omitEvents);
      this.settledRows = this.size;
      this.undo = [];
      this.savepoint = false;
      return { results };
    } catch (error) {
      // A statement refused outside a savepoint has aborted the transaction: the group fails. So
      // does the connection failing (the rollback to the savepoint fails too).
      if (!this.several || (this.aborted && !this.savepoint)) throw error;
      if (this.savepoint) await this.client.query('ROLLBACK TO SAVEPOINT call');
      this.savepoint = false;
      this.aborted = false;
      this.columns = this.columns.map((c) => c.slice(0, this.settledRows));
      for (const step of this.undo.reverse()) step();
      this.undo = [];
      Object.assign(this.cursor, before);
      return { error };
    }
  }

  /** Sends what is staged, moves the head and wakes the subscribers (at commit), and commits. */
  async commit(): Promise<void> {
    await this.send();
    if (this.cursor.position !== this.startedAt) {
      await this.client.query(`WITH moved AS (UPDATE ${this.t.head} SET position = $1, hash = $2) SELECT pg_notify($3, $4)`, [
        this.cursor.position,
        this.cursor.hash,
        this.t.channel,
        String(this.cursor.position),
      ]);
    }
    await this.client.query('COMMIT');
  }

  /** A statement of a call: if the server refuses it, the transaction is aborted (up to the call's savepoint, if it took one). */
  private async sql<R extends unknown[] = unknown[]>(query: string | QueryArrayConfig, values?: unknown[]): Promise<QueryArrayResult<R>> {
    try {
      return typeof query === 'string' ? await this.client.query<R>({ text: query, values, rowMode: 'array' }) : await this.client.query<R>(query);
    } catch (error) {
      this.aborted = true;
      throw error;
    }
  }

  private get size(): number {
    return this.columns[0].length;
  }

  /** Sends the staged rows: those of earlier calls as they are, the current call's behind a savepoint when the group has several. */
  private async send(): Promise<void> {
    if (this.settledRows > 0) {
      await this.insert(this.columns.map((c) => c.slice(0, this.settledRows)));
      this.columns = this.columns.map((c) => c.slice(this.settledRows));
      this.settledRows = 0;
    }
    if (this.size === 0) return;
    if (this.several && !this.savepoint) {
      await this.sql('SAVEPOINT call');
      this.savepoint = true;
    }
    await this.insert(this.columns);
    this.columns = INSERT_TYPES.map(() => []);
  }

  private async insert(columns: unknown[][]): Promise<void> {
    const names = COLUMNS.replace('hash, schema_version', 'command_index, hash, schema_version');
    const arrays = INSERT_TYPES.map((type, i) => `$${i + 1}::${type}[]`).join(', ');
    await this.sql(`INSERT INTO ${this.t.events} (${names}) SELECT * FROM unnest(${arrays})`, columns);
  }

  /** Inside the write: no event of the watched streams since the batch was decided. */
  private async checkUnchanged(watched: UnchangedStreams): Promise<void> {
    await this.send();
    const { rows } = await this.sql<[number, string]>({
      text: `SELECT position, stream FROM ${this.t.events} WHERE position > $1 ORDER BY position`,
      values: [watched.position],
      rowMode: 'array',
    });
    for (const [position, stream] of rows) if (isWatched(watched, stream)) throw new StreamChangedError(stream, position, watched.position);
  }

  /** Revisions and first streams of what the group has not met yet. Null: no such stream, no such command. */
  private async lookUp(streams: readonly string[], commandIds: readonly (string | undefined)[]): Promise<void> {
    const newStreams = [...new Set(streams)].filter((s) => !this.revisions.has(s));
    const newIds = [...new Set(commandIds)].filter((c): c is string => c !== undefined && !this.owners.has(c));
    if (newStreams.length > 0) {
      const { rows } = await this.sql<[string, number]>({
        text: `SELECT stream, MAX(revision) FROM ${this.t.events} WHERE stream = ANY($1::text[]) GROUP BY stream`,
        values: [newStreams],
        rowMode: 'array',
      });
      for (const s of newStreams) this.revisions.set(s, null);
      for (const [stream, revision] of rows) this.revisions.set(stream, revision);
    }
    if (newIds.length > 0) {
      const { rows } = await this.sql<[string, string]>({
        text: `SELECT DISTINCT ON (command_id) command_id, stream FROM ${this.t.events} WHERE command_id = ANY($1::text[]) ORDER BY command_id, position`,
        values: [newIds],
        rowMode: 'array',
      });
      for (const c of newIds) this.owners.set(c, null);
      for (const [commandId, stream] of rows) this.owners.set(commandId, stream);
    }
  }

  /** Sets a looked-up value, remembering how to undo it if the call fails. */
  private remember<V>(map: Map<string, V>, key: string, value: V): void {
    const had = map.has(key);
    const previous = map.get(key) as V;
    this.undo.push(() => (had ? map.set(key, previous) : map.delete(key)));
    map.set(key, value);
  }

  /** Validates and stages the requests in turn, looking up CHUNK of them at a time. */
  private async writeRequests(requests: Iterable<AppendRequest>, omitEvents: boolean): Promise<AppendResult[]> {
    const results: AppendResult[] = [];
    let chunk: PreparedAppend[] = [];
    const writeChunk = async () => {
      await this.lookUp(
        chunk.map((p) => p.stream),
        chunk.map((p) => p.commandId),
      );
      for (const plan of chunk) {
        results.push(await this.writeOne(plan, omitEvents));
        if (this.size >= INSERT_ROWS) await this.send();
      }
      chunk = [];
    };
    for (const r of requests) {
      const plan = prepareAppend(r.stream, r.events, r.expectedRevision ?? 'any', this.recordedAt);
      refuseNul(plan);
      chunk.push(plan);
      if (chunk.length === CHUNK) await writeChunk();
    }
    if (chunk.length > 0) await writeChunk();
    return results;
  }

  private async writeOne(plan: PreparedAppend, omitEvents: boolean): Promise<AppendResult> {
    const owner = plan.commandId === undefined ? null : (this.owners.get(plan.commandId) ?? null);
    if (owner !== null) return this.retried(plan, owner);
    const current = this.revisions.get(plan.stream) ?? undefined;
    checkExpectedRevision(plan.stream, plan.expectedRevision, current);
    const written: StoredEvent[] | undefined = omitEvents ? undefined : [];
    let revision = current ?? -1;
    const c = this.columns;
    plan.events.forEach((e, index) => {
      revision++;
      const position = this.cursor.position + 1;
      const m = e.metadata;
      const hash = chainHash(this.cursor.hash, { id: e.id, stream: plan.stream, revision, position, type: e.type, dataJson: e.dataJson, metadata: m });
      const row = [
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
      ];
      row.forEach((value, i) => c[i].push(value));
      this.cursor.position = position;
      this.cursor.hash = hash;
      written?.push({ id: e.id, stream: plan.stream, revision, position, type: e.type, data: e.data, metadata: m, hash });
    });
    this.remember(this.revisions, plan.stream, revision);
    if (plan.commandId !== undefined) this.remember(this.owners, plan.commandId, plan.stream);
    const result: AppendResult = { nextExpectedRevision: revision, position: this.cursor.position, written: true };
    if (written) result.events = written;
    return result;
  }

  /**
   * A command already stored: on this stream it is the same command again (its first result) or a
   * reused key (a conflict); a key first used on another stream is a conflict, unless a store
   * written before the rule holds it here too.
   */
  private async retried(plan: PreparedAppend, owner: string): Promise<AppendResult> {
    await this.send();
    const { rows } = await this.sql<Row>({
      text: `SELECT ${COLUMNS} FROM ${this.t.events} WHERE stream = $1 AND command_id = $2 ORDER BY command_index`,
      values: [plan.stream, plan.commandId],
      rowMode: 'array',
    });
    if (rows.length === 0 && owner !== plan.stream) throw new IdempotencyConflictError(plan.stream, plan.commandId!);
    if (!isSameCommand(rows.map(linkOf), plan)) throw new IdempotencyConflictError(plan.stream, plan.commandId!);
    const last = rows[rows.length - 1];
    return { nextExpectedRevision: last[3], position: last[0], written: false };
  }
}
