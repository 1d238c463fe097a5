import { Injectable } from '@nestjs/common';
import {
  buildInvestorView,
  decideCommitment,
  decideFund,
  decideCommitmentReversal,
  decideReversal,
  evolveFund,
  foldFundHistory,
  initialFundState,
  NEEDS_INVESTORS,
  type CloseHeld,
  type CommitCapital,
  type FundCommand,
  type FundState,
  type RecordedFundEvent,
  type ReverseEvent,
} from '@fundsim/domain';
import { StreamNotFoundError, WrongExpectedRevisionError, type EventStore, type ExpectedRevision, type NewEvent, type StoredEvent } from '@fundsim/event-store';
import { readCommitments } from './commitments';
import { InjectEventStore } from './event-store.provider';
import { fundStream, lpStream, lpStreamPrefix } from './streams';

export type AnyCommand = FundCommand | CommitCapital | ReverseEvent;

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

const ATTEMPTS = 5;

interface FundView {
  events: StoredEvent[];
  history: RecordedFundEvent[];
  state: FundState;
  /** Position of the first event of each command, by idempotency key. */
  commands: Map<string, number>;
}

/**
 * Command handling: read the streams, fold, decide, append with the expected revision; on a
 * concurrent write, read again and decide again, a bounded number of times.
 *
 * A retried command (same idempotency key) is decided again against the state as it was just
 * before its first recording, so it yields the same events and the store answers with the first
 * result instead of booking twice; a reused key with a different request yields different events
 * and the store refuses it.
 */
@Injectable()
export class FundCommandService {
  private readonly funds = new Map<string, FundView>();

  constructor(@InjectEventStore() private readonly store: EventStore) {}

  async execute(fundId: string, command: AnyCommand): Promise<CommandResult> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.attempt(fundId, command);
      } catch (error) {
        if (!(error instanceof WrongExpectedRevisionError)) throw error;
        if (attempt === ATTEMPTS) throw new ConcurrencyConflictError(error.stream, ATTEMPTS);
      }
    }
  }

  private async attempt(fundId: string, command: AnyCommand): Promise<CommandResult> {
    const fund = await this.fundView(fundId);
    const fundCount = fund.events.length; // a snapshot: later commands may extend the cached arrays
    const stream = await this.targetStream(fundId, command, fund.history);
    const onFundStream = stream === fundStream(fundId);
    const lpEvents = onFundStream ? [] : await this.readStream(stream);
    const commandId = command.metadata.commandId;
    const before =
      (commandId === undefined ? undefined : onFundStream ? fund.commands.get(commandId) : lpEvents.find((e) => e.metadata.commandId === commandId)?.position) ?? Infinity;

    // A retried command is decided again as of just before its first recording.
    const retried = before !== Infinity;
    const history = retried || command.type === 'ReverseEvent' ? fund.history.slice(0, fundCount).filter((e) => e.metadata.position! < before) : fund.history;
    const state = retried ? foldFundHistory(history) : fund.state;

    let decided: { type: string; data: unknown; effectiveDate?: string }[];
    if (command.type === 'CommitCapital') decided = decideCommitment(command, state);
    else if (command.type === 'ReverseEvent' && !onFundStream) {
      const seen = lpEvents.filter((e) => e.position < before).map((e) => ({ id: e.id, type: e.type, data: e.data, position: e.position, effectiveDate: e.metadata.effectiveDate }));
      decided = decideCommitmentReversal(command, seen, state);
    } else if (command.type === 'ReverseEvent') decided = decideReversal(command, history, state);
    else {
      const investors = NEEDS_INVESTORS.has(command.type) ? await this.investorView(fundId, state, before) : undefined;
      decided = decideFund(command, state, investors);
    }

    const last = onFundStream ? fund.events[fundCount - 1] : lpEvents[lpEvents.length - 1];
    const expectedRevision: ExpectedRevision = last === undefined ? 'no-stream' : last.revision;
    const events: NewEvent[] = decided.map((e) => ({
      type: e.type,
      data: e.data as NewEvent['data'],
      metadata: {
        actor: command.metadata.actor,
        // A reversal belongs in the books at the date of the event it reverses.
        effectiveDate: e.effectiveDate ?? command.metadata.effectiveDate,
        commandId: command.metadata.commandId,
        correlationId: command.metadata.correlationId,
      },
    }));
    const result = await this.store.append(stream, events, { expectedRevision });
    return { stream, revision: result.nextExpectedRevision, position: result.position, written: result.written, events: decided.map(({ type, data }) => ({ type, data })) };
  }

  /** Where a command's events go: an LP's stream for its commitments and their reversals. */
  private async targetStream(fundId: string, command: AnyCommand, history: readonly RecordedFundEvent[]): Promise<string> {
    if (command.type === 'CommitCapital') return lpStream(fundId, command.data.lpId);
    if (command.type === 'ReverseEvent' && !history.some((e) => e.metadata.eventId === command.data.eventId)) {
      for await (const event of this.store.readAll({ streamPrefix: lpStreamPrefix(fundId) })) {
        if (event.id === command.data.eventId) return event.stream;
      }
    }
    return fundStream(fundId);
  }

  /**
   * The fund's stream, folded, kept between commands: each command reads only the events
   * appended since (by anyone), so deciding costs O(new events), not O(history).
   */
  private async fundView(fundId: string): Promise<FundView> {
    const cached: FundView = this.funds.get(fundId) ?? { events: [], history: [], state: initialFundState(), commands: new Map() };
    const fresh = await this.readStream(fundStream(fundId), cached.events.length);
    const current = this.funds.get(fundId);
    if (current !== undefined && current.events.length !== cached.events.length) return this.fundView(fundId);
    if (fresh.length === 0) return cached;
    const recorded = fresh.map(asRecorded);
    cached.events.push(...fresh);
    cached.history.push(...recorded);
    for (const e of fresh) if (e.metadata.commandId !== undefined && !cached.commands.has(e.metadata.commandId)) cached.commands.set(e.metadata.commandId, e.position);
    // A new reversal changes the figures from the reversed event on: fold again from the start.
    const state = recorded.some((e) => e.type === 'EventReversed') ? foldFundHistory(cached.history) : recorded.reduce(evolveFund, cached.state);
    const view = { ...cached, state };
    this.funds.set(fundId, view);
    return view;
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

  /** The fund's commitments (as recorded before `before`) with its closes replayed over them: the LPs a close admits or a call is split over. */
  private async investorView(fundId: string, fund: FundState, before: number) {
    const closes: Pick<CloseHeld['data'], 'closeNumber' | 'throughPosition' | 'admittedUsd'>[] = fund.closes.map((c) => ({
      closeNumber: c.closeNumber,
      throughPosition: c.throughPosition,
      admittedUsd: c.admittedUsd.toString(),
    }));
    return buildInvestorView(await readCommitments(this.store, fundId, { before }), closes);
  }
}

/** A stored event as the domain's folds see it: its id and position travel in the metadata. */
export function asRecorded(e: StoredEvent): RecordedFundEvent {
  return { type: e.type, data: e.data, metadata: { ...e.metadata, eventId: e.id, position: e.position } } as unknown as RecordedFundEvent;
}
