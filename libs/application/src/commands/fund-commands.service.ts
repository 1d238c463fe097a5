import { Injectable } from '@nestjs/common';
import type { Span } from '@opentelemetry/api';
import {
  COMMANDS,
  decideInPlace,
  decideWith,
  evolveFund,
  evolveInvestors,
  foldFundHistory,
  initialFundState,
  InvestorLedger,
  lpStandingOf,
  needsRefold,
  reversalsIn,
  reject,
  type AnyCommand,
  type Decided,
  type FundState,
  type RecordedFundEvent,
  type ReverseEvent,
} from '@fundsim/domain';
import {
  IdempotencyConflictError,
  StreamNotFoundError,
  WrongExpectedRevisionError,
  type AppendResult,
  type EventStore,
  type ExpectedRevision,
  type NewEvent,
  type StoredEvent,
} from '@fundsim/event-store';
import { InjectEventStore } from '../event-store.provider';
import { versioned } from '../log/event-codec';
import { asRecorded, fundLogAfter } from '../log/fund-log';
import { FundFollower } from '../follow/fund-follower';
import { inSpan } from '../tracing';
import { fundStream, lpStream, lpStreamPrefix } from '../streams';

export type { AnyCommand } from '@fundsim/domain';

export interface CommandResult {
  stream: string;
  /** Revision of the stream's last event after the command. */
  revision: number;
  /** Global position of the command's last event. */
  position: number;
  /** False when the same command (same idempotency key and content) was already recorded. */
  written: boolean;
  events: { type: string; data: unknown }[];
}

/** A concurrency conflict that survived every retry (the API answers 409). */
export class ConcurrencyConflictError extends Error {
  readonly code = 'CONCURRENCY_CONFLICT';
  constructor(stream: string, attempts: number) {
    super(`Stream ${stream} kept changing under this command; gave up after ${attempts} attempts. Try again.`);
  }
}

/**
 * Attempts against another process's writes: within this process, commands on one stream already
 * take turns, so a retry is needed only when another process (another API node) wrote the stream
 * in between. Each lost race means another command won, so the log moves on; with N nodes all
 * writing one stream, a command loses a round with a probability of about 1 - 1/N, and 32 rounds
 * lost in a row ((2/3)^32, about 2e-6 for three nodes) is the 409 that is left.
 */
export const COMMAND_ATTEMPTS = 32;

/**
 * The store refused the command's idempotency key because another process recorded it after this
 * one looked: the decision was made on a state that did not hold that recording, so it is made
 * again once caught up, as of that recording (a retry), not refused.
 */
class RecordedMeanwhile extends Error {
  constructor(readonly stream: string) {
    super(`Stream ${stream}: the command was recorded by another process meanwhile`);
  }
}

/** What the command side keeps of a fund between commands: its own stream, folded. */
interface FundView {
  /** Revision of the last event of the fund's own stream (-1: none yet). */
  revision: number;
  history: RecordedFundEvent[];
  state: FundState;
  /** Position of the first event of each command on the fund's stream, by idempotency key. */
  commands: Map<string, number>;
}

const emptyView = (): FundView => ({ revision: -1, history: [], state: initialFundState(), commands: new Map() });

/**
 * Command handling: catch up, decide, append with the expected revision; on a concurrent write,
 * catch up and decide again, a bounded number of times.
 *
 * Each fund's stream and its investor ledger are kept folded between commands and caught up from
 * the last position seen (by any process), so a close costs O(commitments pending), a call
 * O(distinct admitted amounts), a default or a reversal O(1) lookups, whatever the number of LPs.
 *
 * A retried command (same idempotency key) is decided again against the log as it was just
 * before its first recording, so it yields the same events and the store answers with the first
 * result instead of booking twice; a reused key with a different request yields different events
 * and the store refuses it.
 */
@Injectable()
export class FundCommandService {
  private readonly funds = new Map<string, FundView>();
  /**
   * Work waiting its turn, by key: commands on a stream (`stream:`) or under an idempotency key
   * (`command:`) decide and append one at a time; a fund's catch-ups (`catch-up:`) fold one at a
   * time. An entry goes when its last step ends, so unknown ids leave nothing behind.
   */
  private readonly turns = new Map<string, Promise<unknown>>();
  /** Per fund, the catch-up queued and not yet started, which callers arriving meanwhile share. */
  private readonly waitingCatchUps = new Map<string, Promise<FundView>>();

  /**
   * `follower`: the fund's one follower in this process, whose investor ledger (the same fold the
   * projections read) a command that needs every LP (a close, a call, a default, a reversal)
   * decides with; commitments and the fund's other commands read only the fund's stream and the
   * LP's own.
   */
  /** The store's kind for the append span's `db.system.name` (postgresql, sqlite, eventstoredb, memory). */
  private readonly storeSystem: string;

  constructor(
    @InjectEventStore() private readonly store: EventStore,
    private readonly follower: FundFollower = new FundFollower(store),
  ) {
    const kind = /^[a-z][a-z0-9+]*/i.exec(store.description)?.[0] ?? 'unknown';
    this.storeSystem = kind === 'postgres' || kind === 'postgresql' ? 'postgresql' : kind === 'esdb' || kind.startsWith('esdb+') ? 'eventstoredb' : kind;
  }

  /**
   * Commands on one stream take turns (decide, then append), and so do commands under one
   * idempotency key: a command never loses a revision race to another of this process, and a key
   * reused at once on two streams is refused, not booked twice. Races with other processes are
   * retried, deciding again against the new state each time.
   */
  async execute(fundId: string, command: AnyCommand): Promise<CommandResult> {
    const stream = streamOf(fundId, command);
    const commandId = command.metadata.commandId;
    const attributes = { 'fundsim.fund_id': fundId, 'fundsim.command.type': command.type, 'fundsim.stream': stream };
    // One span per command (its turn's wait included), the decisions and appends of its attempts inside.
    return inSpan(`command ${command.type}`, attributes, async (span) => {
      const run = () => this.inTurn(`stream:${stream}`, () => this.withRetries(fundId, command, span));
      // Always the key's turn first, then the stream's: no one holding a stream waits for a key.
      const result = await (commandId === undefined ? run() : this.inTurn(`command:${commandId}`, run));
      span.setAttributes({ 'fundsim.position': result.position, 'fundsim.written': result.written, 'fundsim.event_count': result.events.length });
      return result;
    });
  }

  private async withRetries(fundId: string, command: AnyCommand, span: Span): Promise<CommandResult> {
    for (let attempt = 1; ; attempt++) {
      span.setAttribute('fundsim.attempts', attempt);
      try {
        return await this.attempt(fundId, command, attempt);
      } catch (error) {
        if (!(error instanceof WrongExpectedRevisionError || error instanceof RecordedMeanwhile)) throw error;
        if (attempt === COMMAND_ATTEMPTS) throw new ConcurrencyConflictError(error.stream, COMMAND_ATTEMPTS);
        // Another process wrote the stream: catch up and decide again. A short jitter (0-2 ms) keeps
        // two losers from colliding again in step; a longer backoff would only hand the next round
        // to the node that won this one, which decides at once on its own fresh state.
        await new Promise((resolve) => setTimeout(resolve, Math.floor(Math.random() * 3)));
      }
    }
  }

  /** Runs `step` after every earlier step under `key`; the queue entry goes when the last one ends. */
  private inTurn<T>(key: string, step: () => Promise<T>): Promise<T> {
    const before = this.turns.get(key) ?? Promise.resolve();
    const run = before.catch(() => undefined).then(step);
    const settled = run.catch(() => undefined);
    this.turns.set(key, settled);
    void settled.then(() => {
      if (this.turns.get(key) === settled) this.turns.delete(key);
    });
    return run;
  }

  private async attempt(fundId: string, command: AnyCommand, attempt: number): Promise<CommandResult> {
    const stream = streamOf(fundId, command);
    const commandId = command.metadata.commandId;
    let view = await this.caughtUp(fundId);
    let lpEvents: StoredEvent[] | undefined;
    if (command.type === 'CommitCapital') {
      // A new LP has no stream yet: its first commitment reads nothing (one lookup) and appends
      // with 'no-stream'. A known LP's stream (its few commitments) tells its revision, its
      // currency and whether this command is a retry. The store is asked, not the ledger, which
      // may not have folded the LP's last commitment yet. After a conflict, read it anyway.
      const known = (await this.store.streamRevision(stream)) !== undefined;
      lpEvents = known || attempt > 1 ? await this.readStream(stream) : [];
    }
    const used = commandId !== undefined && this.store.streamOfCommand ? await this.store.streamOfCommand(commandId) : undefined;
    const context = COMMANDS[command.type].context;
    const needsLedger = context === 'investors' || context === 'history-and-investors';
    view = await this.caughtUp(fundId);
    // The follower's ledger, read after the view: it holds at least what the view does (a fund
    // event beyond the view moved the stream's revision, so the append is refused and decided
    // again). Nothing awaits from here to the decision (but a retry's own fold, and a refused
    // reversal's look at the LP streams), so no other reader moves the ledger under it.
    const ledger = needsLedger ? await this.ledger(fundId) : undefined;
    const revision = lpEvents ? (lpEvents.length > 0 ? lpEvents[lpEvents.length - 1].revision : -1) : view.revision;
    const expectedRevision: ExpectedRevision = revision < 0 ? 'no-stream' : revision;
    const first =
      commandId === undefined ? undefined : lpEvents ? lpEvents.find((e) => e.metadata.commandId === commandId)?.position : view.commands.get(commandId);
    // An idempotency key belongs to the command it was first used for: on another stream (another
    // LP, another fund) it is refused, as it is on the same stream for another request (the store
    // refuses it too, atomically, where it can). Already on this stream: a retry, answered below.
    if (used !== undefined && used !== stream && first === undefined) throw new IdempotencyConflictError(stream, commandId!);

    // A retried command is decided again as of just before its first recording.
    const { history, state, investors } = first === undefined ? { ...view, investors: ledger } : await this.viewBefore(fundId, view, first, needsLedger);
    const decided = await inSpan('decide', { 'fundsim.command.type': command.type, 'fundsim.retry': first !== undefined }, async (span) => {
      let decided: Decided[];
      if (command.type === 'CommitCapital') {
        const reversed = reversalsIn(history);
        // A retry is decided as of its first recording: the LP's commitments before it.
        const commitments = lpEvents!.filter((e) => e.type === 'CapitalCommitted' && (first === undefined || e.position < first)).map(asRecorded);
        const lp = lpStandingOf(commitments, state, (id) => reversed.has(id) && !reversed.get(id)!.replacement, command.data.lpId);
        decided = decideWith(command, { fund: state, lp });
      } else if (command.type === 'ReverseEvent') decided = await this.decideReversal(fundId, command, history, state, investors!);
      // A correction takes the date of what it corrects; the fund's other commands, dated before a
      // later fact already counted, are decided on the books as of their date, later events re-checked.
      else if (!COMMANDS[command.type].dated) decided = decideWith(command, { fund: state, history });
      else decided = decideInPlace(history, state, command.metadata, (asOf) => decideWith(command, { fund: asOf, history, investors }));
      span.setAttribute('fundsim.event_count', decided.length);
      return decided;
    });

    const events: NewEvent[] = decided.map((e) =>
      versioned({
        type: e.type,
        data: e.data as NewEvent['data'],
        metadata: {
          actor: command.metadata.actor,
          // A reversal belongs in the books at the date of the event it reverses.
          effectiveDate: e.effectiveDate ?? command.metadata.effectiveDate,
          commandId,
          correlationId: command.metadata.correlationId,
        },
      }),
    );
    let result: AppendResult;
    try {
      const attributes = {
        'db.system.name': this.storeSystem,
        'db.operation.name': 'append',
        'fundsim.stream': stream,
        'fundsim.event_count': events.length,
        'fundsim.expected_revision': String(expectedRevision),
      };
      result = await inSpan('store.append', attributes, async (span) => {
        const result = await this.store.append(stream, events, { expectedRevision });
        span.setAttributes({ 'fundsim.position': result.position, 'fundsim.written': result.written });
        return result;
      });
    } catch (error) {
      if (error instanceof IdempotencyConflictError && first === undefined) throw new RecordedMeanwhile(stream);
      throw error;
    }
    if (result.events) this.record(fundId, result.events);
    return {
      stream,
      revision: result.nextExpectedRevision,
      position: result.position,
      written: result.written,
      events: decided.map(({ type, data }) => ({ type, data })),
    };
  }

  /**
   * A reversal of an event of the fund's stream, or of a pending commitment: both are recorded
   * on the fund's stream, so a close and the reversal of a commitment it admits are ordered by
   * its revision and cannot both be recorded.
   */
  private async decideReversal(fundId: string, command: ReverseEvent, history: readonly RecordedFundEvent[], state: FundState, investors: InvestorLedger) {
    const eventId = command.data.eventId;
    if (
      !history.some((e) => e.metadata.eventId === eventId) &&
      !investors.pendingCommitment(eventId) &&
      !investors.isReversed(eventId) &&
      state.managers.has(command.metadata.actor)
    ) {
      // Not pending: an admitted commitment, or nothing. Only this refusal reads the LP streams.
      const admitted = await this.findLpEvent(fundId, eventId);
      if (admitted)
        reject(
          'EVENT_NOT_REVERSIBLE',
          `${admitted.type} ${eventId} of LP stream ${admitted.stream} was admitted at a close; only a pending commitment can be reversed`,
        );
    }
    return decideWith(command, { fund: state, history, investors });
  }

  private async findLpEvent(fundId: string, eventId: string): Promise<StoredEvent | undefined> {
    for await (const event of this.store.readAll({ streamPrefix: lpStreamPrefix(fundId) })) if (event.id === eventId) return event;
    return undefined;
  }

  /** The command side's investor ledger of a fund, caught up to the head of the log (for audits and tests). */
  investors(fundId: string): Promise<InvestorLedger> {
    return this.ledger(fundId);
  }

  /**
   * The fund's own stream brought up to date; catch-ups of one fund run one at a time, and callers
   * that arrive while one waits its turn share it: it has not looked at the store yet, so what it
   * finds includes every write acknowledged before they asked. Under concurrent commands a fund
   * thus costs one lookup per turn, not one per command in a row (which held a node to about one
   * command per two round trips to PostgreSQL).
   */
  private caughtUp(fundId: string): Promise<FundView> {
    const waiting = this.waitingCatchUps.get(fundId);
    if (waiting) return waiting;
    const next = this.serially(fundId, () => {
      if (this.waitingCatchUps.get(fundId) === next) this.waitingCatchUps.delete(fundId);
      return this.catchUp(fundId);
    });
    this.waitingCatchUps.set(fundId, next);
    // A catch-up that fails before its turn (it cannot: the queue swallows earlier errors) must not stay shared.
    void next.catch(() => (this.waitingCatchUps.get(fundId) === next ? this.waitingCatchUps.delete(fundId) : undefined));
    return next;
  }

  private serially<T>(fundId: string, step: () => Promise<T> | T): Promise<T> {
    return this.inTurn(`catch-up:${fundId}`, async () => step());
  }

  private async catchUp(fundId: string): Promise<FundView> {
    const view = this.funds.get(fundId) ?? emptyView();
    const own = fundStream(fundId);
    // Nothing new (the usual case once this service's own writes are recorded): one lookup.
    const revision = await this.store.streamRevision(own);
    if (revision === undefined || revision === view.revision) return view;
    const fresh: RecordedFundEvent[] = [];
    for await (const event of this.store.readStream(own, { fromRevision: view.revision + 1 })) this.applyOwn(view, event, fresh);
    this.settle(view, fresh);
    // Asking about funds that do not exist must not grow the cache.
    this.funds.set(fundId, view);
    return view;
  }

  /** The fund's investor ledger, from its follower, caught up to the head of the log. */
  private async ledger(fundId: string): Promise<InvestorLedger> {
    return (await this.follower.books(fundId)).investors;
  }

  /**
   * This service's own events, as the store wrote them, folded without reading them back when
   * they directly follow what the view has seen (otherwise the next catch-up reads them).
   */
  private record(fundId: string, written: readonly StoredEvent[]): void {
    void this.serially(fundId, () => {
      const view = this.funds.get(fundId);
      if (!view || written.length === 0) return;
      if (written[0].stream !== fundStream(fundId) || written[0].revision !== view.revision + 1) return;
      const fresh: RecordedFundEvent[] = [];
      for (const event of written) this.applyOwn(view, event, fresh);
      this.settle(view, fresh);
    });
  }

  /** An event of the fund's own stream into its history. */
  private applyOwn(view: FundView, event: StoredEvent, fresh: RecordedFundEvent[]): void {
    const recorded = asRecorded(event);
    view.revision = event.revision;
    view.history.push(recorded);
    fresh.push(recorded);
    if (event.metadata.commandId !== undefined && !view.commands.has(event.metadata.commandId)) view.commands.set(event.metadata.commandId, event.position);
  }

  /** The new events folded on: in turn, or from the start (in date order) after a correction or a fact recorded late. */
  private settle(view: FundView, fresh: RecordedFundEvent[]): void {
    if (fresh.length > 0) view.state = needsRefold(view.state, fresh) ? foldFundHistory(view.history) : fresh.reduce(evolveFund, view.state);
  }

  /** The fund as it stood just before log position `before` (a retried command's first recording). */
  private async viewBefore(
    fundId: string,
    view: FundView,
    before: number,
    withInvestors: boolean,
  ): Promise<{ history: RecordedFundEvent[]; state: FundState; investors?: InvestorLedger }> {
    const history = view.history.filter((e) => e.metadata.position! < before);
    if (!withInvestors) return { history, state: foldFundHistory(history) };
    // A close was decided on the ledger as its node had read it, which may have missed commitments
    // recorded (by any node) between that read and the close's append; the close names the last
    // commitment it saw (throughPosition), so the retry's ledger stops there on the LP streams.
    const recorded = view.history.find((e) => e.metadata.position === before);
    const lpThrough = recorded?.type === 'CloseHeld' ? recorded.data.throughPosition : Infinity;
    const own = fundStream(fundId);
    const investors = new InvestorLedger();
    for await (const event of fundLogAfter(this.store, fundId, 0)) {
      if (event.position >= before) break;
      if (event.stream !== own && event.position > lpThrough) continue;
      evolveInvestors(investors, event);
    }
    return { history, state: foldFundHistory(history), investors };
  }

  private async readStream(stream: string, fromRevision = 0): Promise<StoredEvent[]> {
    const events: StoredEvent[] = [];
    try {
      for await (const event of this.store.readStream(stream, { fromRevision })) events.push(event);
    } catch (error) {
      if (!(error instanceof StreamNotFoundError)) throw error;
    }
    return events;
  }
}

/** The stream a command is recorded on, as the catalog says: an LP's own (its commitments), or the fund's. */
const streamOf = (fundId: string, command: AnyCommand): string =>
  COMMANDS[command.type].stream === 'lp' ? lpStream(fundId, (command.data as { lpId: string }).lpId) : fundStream(fundId);
