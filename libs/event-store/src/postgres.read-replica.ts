import type { Observable } from 'rxjs';
import { catchUpSubscription, pagedLog, type LogPage } from './catch-up';
import { StoreUnavailableError } from './errors';
import type {
  AppendOptions,
  AppendResult,
  BatchOptions,
  BatchRequests,
  EventStore,
  NewEvent,
  ReadAllOptions,
  ReadStreamOptions,
  ReplicaLag,
  StoredEvent,
  SubscribeOptions,
  VerifyOptions,
  VerifyResult,
} from './event-store.port';
import type { PostgresEventStore } from './postgres.event-store';

export interface ReadReplicaOptions {
  /** How long a read waits for the replica to replay what this node has seen on the primary before it reads the primary instead (ms, default 2000). */
  waitMs?: number;
  /** After the replica failed to answer or to catch up within `waitMs`, how long reads skip it (ms, default 1000). */
  retryMs?: number;
  pollMs?: number;
}

/** An LSN (`16/B374D848`) as a number of bytes. */
export const lsnBytes = (lsn: string): bigint => {
  const [high, low] = lsn.split('/');
  return (BigInt(`0x${high}`) << 32n) + BigInt(`0x${low}`);
};

/**
 * A PostgreSQL log written on its primary and read, where it can be, from a streaming replica
 * (FUNDSIM_STORE_READ). Appends and the cheap lookups that tell a node where the log stands (the
 * head, a stream's last revision, a command id's stream) go to the primary; the reads that carry
 * events (streams, pages of the log, subscriptions' pages, verify) go to the replica.
 *
 * Never staler than the primary's word: the node remembers the highest position the primary has
 * shown it (its head, a stream's last event, the node's own appends), and a read waits until the
 * replica has replayed to it (the replica's head row, replicated in the same transactions, says
 * how far). The follower reads the primary's head before each query and the command side a
 * stream's revision before reading the stream, so a decision or an answer on this node never
 * misses a write acknowledged (by any node) before it began; a replica that does not get there
 * within `waitMs` (or does not answer) is bypassed for that read, which goes to the primary and
 * is counted (`primaryReads`). A replica's reads are a prefix of the log (its head moves in the
 * appends' own transactions), so the gap-free order holds on it as on the primary.
 */
export class ReadReplicaEventStore implements EventStore {
  readonly atomicBatches = true;
  readonly uniqueCommandIds = true;
  readonly description: string;
  /** Reads that went to the primary because the replica was behind (past `waitMs`) or did not answer. */
  primaryReads = 0;
  /** Highest position the primary has shown this node. */
  private seen = 0;
  /** Highest position the replica has been seen to hold. */
  private replicaSeen = -1;
  private replicaDownUntil = 0;
  private primed?: Promise<number>;
  private readonly waitMs: number;
  private readonly retryMs: number;
  private readonly pollMs: number;

  constructor(
    readonly primary: PostgresEventStore,
    readonly replica: PostgresEventStore,
    options: ReadReplicaOptions = {},
  ) {
    this.description = `${primary.description}, read from ${replica.description}`;
    this.waitMs = options.waitMs ?? 2000;
    this.retryMs = options.retryMs ?? 1000;
    this.pollMs = options.pollMs ?? 1000;
  }

  private saw(position: number): void {
    if (position > this.seen) this.seen = position;
  }

  /** The replica once it holds every position the primary has shown this node; else the primary. */
  private async reader(): Promise<PostgresEventStore> {
    // Once: the primary answers and has migrated the schema (which then replicates).
    await (this.primed ??= this.headPosition().catch((error: unknown) => {
      this.primed = undefined;
      throw error;
    }));
    const floor = this.seen;
    if (floor <= this.replicaSeen) return this.replica;
    if (Date.now() >= this.replicaDownUntil) {
      const deadline = Date.now() + this.waitMs;
      for (let pause = 1; ; pause = Math.min(pause * 2, 20)) {
        try {
          this.replicaSeen = Math.max(this.replicaSeen, await this.replica.headPosition());
        } catch (error) {
          // Not there: the next reads skip it for a while. Otherwise (a schema the replica has
          // not replayed yet): wait for it as for an event.
          if (error instanceof StoreUnavailableError) {
            this.replicaDownUntil = Date.now() + this.retryMs;
            break;
          }
        }
        if (this.replicaSeen >= floor) return this.replica;
        if (Date.now() + pause > deadline) {
          // Behind for longer than a read should wait: the next reads go to the primary at once for a while.
          this.replicaDownUntil = Date.now() + this.retryMs;
          break;
        }
        await new Promise((resolve) => setTimeout(resolve, pause));
      }
    }
    this.primaryReads++;
    return this.primary;
  }

  async append(stream: string, events: NewEvent[], options: AppendOptions = {}): Promise<AppendResult> {
    const [result] = await this.appendBatch([{ stream, events, expectedRevision: options.expectedRevision }]);
    return result;
  }

  async appendBatch(requests: BatchRequests, options: BatchOptions = {}): Promise<AppendResult[]> {
    const results = await this.primary.appendBatch(requests, options);
    for (const result of results) this.saw(result.position);
    return results;
  }

  async *readStream(stream: string, options: ReadStreamOptions = {}): AsyncGenerator<StoredEvent> {
    yield* (await this.reader()).readStream(stream, options);
  }

  async *readAll(options: ReadAllOptions = {}): AsyncGenerator<StoredEvent> {
    // Pages through one reader's pages: the replica's, bounded by its head (at or past the floor).
    const reader = await this.reader();
    yield* pagedLog(reader.pageReader(options), options.fromPosition ?? 0, options.maxCount ?? Infinity);
  }

  async *readAllPages(options: ReadAllOptions = {}): AsyncGenerator<StoredEvent[]> {
    yield* (await this.reader()).readAllPages(options);
  }

  /** Woken by the primary's appends (a standby cannot LISTEN); each page read from the replica once it holds the primary's head. */
  subscribe(options: SubscribeOptions = {}): Observable<StoredEvent> {
    const pages = { primary: this.primary.pageReader(options), replica: this.replica.pageReader(options) };
    const readPage = async (from: number, limit: number): Promise<LogPage> => {
      await this.headPosition();
      return (await this.reader()) === this.replica ? pages.replica(from, limit) : pages.primary(from, limit);
    };
    return catchUpSubscription(readPage, this.primary.wakeUps(), options.fromPosition ?? 0, this.pollMs);
  }

  async streamOfCommand(commandId: string): Promise<string | undefined> {
    return this.primary.streamOfCommand(commandId);
  }

  async streamRevision(stream: string): Promise<number | undefined> {
    const head = await this.primary.streamHead(stream);
    if (head) this.saw(head.position);
    return head?.revision;
  }

  async headPosition(): Promise<number> {
    const head = await this.primary.headPosition();
    this.saw(head);
    return head;
  }

  async verify(options: VerifyOptions = {}): Promise<VerifyResult> {
    await this.headPosition();
    return (await this.reader()).verify(options);
  }

  /** How far the replica is behind the primary: in log positions, WAL bytes and seconds. */
  async replicaLag(): Promise<ReplicaLag> {
    const [head, wal] = await Promise.all([this.headPosition(), this.primary.walPosition()]);
    try {
      const [replicaHead, replay] = await Promise.all([this.replica.headPosition(), this.replica.replayState()]);
      this.replicaSeen = Math.max(this.replicaSeen, replicaHead);
      const bytes = replay.replayLsn === null ? 0 : Number(lsnBytes(wal) - lsnBytes(replay.replayLsn));
      // Nothing left to replay: no lag, however long ago the last commit was (an idle primary).
      const seconds = bytes <= 0 ? 0 : Math.max(0, replay.replayAgeSeconds ?? 0);
      return { reachable: true, events: Math.max(0, head - replicaHead), bytes: Math.max(0, bytes), seconds, primaryReads: this.primaryReads };
    } catch (error) {
      return { reachable: false, error: (error as Error).message.split('\n')[0], primaryReads: this.primaryReads };
    }
  }

  async close(): Promise<void> {
    await Promise.all([this.primary.close(), this.replica.close()]);
  }
}
