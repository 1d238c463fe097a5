import { isCommitmentReversal } from '../investors/investor-ledger';
import type { EventReversed } from './correction.events';
import type { FundEvent } from './fund.events';
import { CORRECTION_EVENTS, evolveFund, initialFundState, type FundState, type RecordedFundEvent } from './fund.state';

/**
 * The fund's events in the order the books count them: by effective date, in log order within a
 * date. The log is in that order but for facts recorded after later-dated events, and corrections,
 * which keep the date of what they correct.
 */
export function inDateOrder(history: readonly RecordedFundEvent[]): RecordedFundEvent[] {
  let sorted = true;
  for (let i = 1; i < history.length && sorted; i++) sorted = history[i - 1].metadata.effectiveDate <= history[i].metadata.effectiveDate;
  if (sorted) return [...history];
  // Array.prototype.sort is stable: within a date, log order stays.
  return [...history].sort((a, b) => (a.metadata.effectiveDate < b.metadata.effectiveDate ? -1 : a.metadata.effectiveDate > b.metadata.effectiveDate ? 1 : 0));
}

/**
 * Whether folding `events` onto `state` (the fold of the events before them in the log) needs a
 * fold from the start instead: a correction of the fund's figures, or an event dated before one
 * already counted (a fact recorded late), which belongs at its own date.
 */
export function needsRefold(state: FundState, events: readonly RecordedFundEvent[]): boolean {
  let latest = state.latestEffectiveDate;
  for (const event of events) {
    if (event.type === 'EventReversed') {
      if (!isCommitmentReversal(event)) return true;
      continue;
    }
    if (CORRECTION_EVENTS.has(event.type)) continue;
    const date = event.metadata.effectiveDate;
    if (latest !== undefined && date < latest) return true;
    if (latest === undefined || date > latest) latest = date;
  }
  return false;
}

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
  return reversal.replacement
    ? ({ type: reversal.replacement.type, data: reversal.replacement.data, metadata: event.metadata } as unknown as FundEvent & RecordedFundEvent)
    : undefined;
}

/**
 * The fund's state as known now: every correction applied at the place of the event it reverses,
 * so figures after it are computed as if the replacement had always been there.
 */
export function foldFundHistory(history: readonly RecordedFundEvent[]): FundState {
  const reversals = reversalsIn(history);
  let state = initialFundState();
  for (const event of inDateOrder(history)) {
    const counted = asCorrected(event, reversals);
    if (counted) state = evolveFund(state, counted);
  }
  return state;
}
