import { asCorrected, CORRECTION_EVENTS, isCommitmentReversal, type EventReversed, type RecordedFundEvent } from '@fundsim/domain';
import { emptyLedger, evolveLedger, ledgerAsOf, type Ledger, type LedgerQuery, type LedgerSnapshot } from './fund-ledger';

/**
 * A fund's history as known now, folded incrementally as events arrive, with a snapshot of the
 * ledger every `every` events so that an as-of query replays only from the nearest one. A
 * correction drops the snapshots taken after the event it reverses, and the fold resumes from
 * the last one left. The history is kept in the order the books count it, by effective date: a
 * fact recorded after later-dated events (a valuation learnt late) goes in at its date, and the
 * snapshots after it are dropped the same way.
 */
export class LedgerTimeline {
  readonly history: RecordedFundEvent[] = [];
  private snapshotList: LedgerSnapshot[] = [];
  private readonly reversals = new Map<string, EventReversed['data']>();
  private readonly indexOf = new Map<string, number>();
  private current: Ledger = emptyLedger();
  private maxEffectiveDate = '';
  private maxRecordedAt = '';

  constructor(private readonly every = 500) {}

  /** The latest effective date of the fund's events ('' before any). */
  get latestEffectiveDate(): string {
    return this.maxEffectiveDate;
  }

  get snapshots(): readonly LedgerSnapshot[] {
    return this.snapshotList;
  }

  /** The whole history, as known now, up to its last event. */
  get ledger(): Ledger {
    return this.current;
  }

  append(events: readonly RecordedFundEvent[]): void {
    for (const event of events) {
      if (!CORRECTION_EVENTS.has(event.type) && event.metadata.effectiveDate < this.maxEffectiveDate) {
        this.insertAtItsDate(event);
        continue;
      }
      const index = this.history.length;
      this.history.push(event);
      if (event.metadata.eventId !== undefined) this.indexOf.set(event.metadata.eventId, index);
      // A commitment's reversal changes the investor ledger, not the fund's figures.
      if (event.type === 'EventReversed' && !isCommitmentReversal(event)) {
        this.reversals.set(event.data.eventId, event.data);
        const target = this.indexOf.get(event.data.eventId) ?? 0;
        this.snapshotList = this.snapshotList.filter((s) => s.index <= target);
        this.refold();
      } else {
        this.fold(index);
      }
    }
  }

  asOf(query: LedgerQuery): Ledger {
    return ledgerAsOf(this.history, query, this.snapshotList);
  }

  /** A fact recorded late: after the last event counted on or before its date (corrections, which keep old dates, are passed over). */
  private insertAtItsDate(event: RecordedFundEvent): void {
    const date = event.metadata.effectiveDate;
    let at = this.history.length;
    while (at > 0 && (CORRECTION_EVENTS.has(this.history[at - 1].type) || this.history[at - 1].metadata.effectiveDate > date)) at--;
    this.history.splice(at, 0, event);
    for (let i = at; i < this.history.length; i++) {
      const id = this.history[i].metadata.eventId;
      if (id !== undefined) this.indexOf.set(id, i);
    }
    this.snapshotList = this.snapshotList.filter((s) => s.index <= at);
    this.refold();
  }

  /** Fold again from the last snapshot left (after a correction reached back before the others). */
  private refold(): void {
    const from = this.snapshotList[this.snapshotList.length - 1];
    this.current = from?.ledger ?? emptyLedger();
    this.maxEffectiveDate = from?.maxEffectiveDate ?? '';
    this.maxRecordedAt = from?.maxRecordedAt ?? '';
    for (let i = from?.index ?? 0; i < this.history.length; i++) this.fold(i);
  }

  private fold(index: number): void {
    const event = this.history[index];
    if (event.metadata.effectiveDate > this.maxEffectiveDate) this.maxEffectiveDate = event.metadata.effectiveDate;
    if ((event.metadata.recordedAt ?? '') > this.maxRecordedAt) this.maxRecordedAt = event.metadata.recordedAt ?? '';
    if (event.type !== 'EventReversed') {
      const counted = asCorrected(event, this.reversals);
      if (counted) this.current = evolveLedger(this.current, counted);
    }
    const folded = index + 1;
    if (folded % this.every === 0 && !this.snapshotList.some((s) => s.index === folded)) {
      this.snapshotList.push({ index: folded, maxEffectiveDate: this.maxEffectiveDate, maxRecordedAt: this.maxRecordedAt, ledger: this.current });
    }
  }
}
