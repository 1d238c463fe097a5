import type { EventReversed } from './correction.events';
import type { FundEvent } from './fund.events';
import { evolveFund, initialFundState, type FundState, type RecordedFundEvent } from './fund.state';

/** Reversals in a history, by the id of the event each one reverses. */
export function reversalsIn(history: readonly RecordedFundEvent[]): Map<string, EventReversed['data']> {
  const reversals = new Map<string, EventReversed['data']>();
  for (const e of history) if (e.type === 'EventReversed') reversals.set(e.data.eventId, e.data);
  return reversals;
}

/**
 * The event that counts in the books at a reversed event's place: its replacement, or nothing
 * (only its id, type and date stay known). Unreversed events count as they are.
 */
export function asCorrected(event: RecordedFundEvent, reversals: ReadonlyMap<string, EventReversed['data']>): RecordedFundEvent | undefined {
  const reversal = event.metadata.eventId === undefined ? undefined : reversals.get(event.metadata.eventId);
  if (!reversal) return event;
  return reversal.replacement ? ({ type: reversal.replacement.type, data: reversal.replacement.data, metadata: event.metadata } as unknown as FundEvent & RecordedFundEvent) : undefined;
}

/**
 * The fund's state as known now: every correction applied at the place of the event it reverses,
 * so figures after it are computed as if the replacement had always been there.
 */
export function foldFundHistory(history: readonly RecordedFundEvent[]): FundState {
  const reversals = reversalsIn(history);
  let state = initialFundState();
  for (const event of history) {
    const counted = asCorrected(event, reversals);
    if (counted) state = evolveFund(state, counted);
  }
  return state;
}
