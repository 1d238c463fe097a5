import { Observable } from 'rxjs';
import type { StoredEvent } from './event-store.port';

/** One page of the log at or after a position, and the highest position the read could see. */
export interface LogPage {
  events: StoredEvent[];
  /** Every event up to this position has been examined (matching or not). */
  scannedTo: number;
  /**
   * The read reached the end of the log. A page can be short without being the end (EventStoreDB
   * scans a bounded number of records of $all, most of them system and link events), and full
   * at the end: only this says when to stop.
   */
  end: boolean;
}

export type ReadLogPage = (fromPosition: number, limit: number) => Promise<LogPage> | LogPage;

const PAGE = 1000;

/**
 * Replays the log from a position, then follows it. It only ever reads "positions after the last
 * one delivered", so the seam between catch-up and live has no gap and no duplicate: a wake-up
 * (an append in this process, or the poll timer for appends by other processes) just reads again.
 */
export function catchUpSubscription(readPage: ReadLogPage, wakeUps: Observable<unknown>, fromPosition: number, pollMs: number): Observable<StoredEvent> {
  return new Observable<StoredEvent>((subscriber) => {
    let next = Math.max(fromPosition, 0);
    let closed = false;
    let running = false;
    let again = false;

    const pump = async (): Promise<void> => {
      if (running) {
        again = true;
        return;
      }
      running = true;
      try {
        do {
          again = false;
          for (;;) {
            const page = await readPage(next, PAGE);
            for (const event of page.events) {
              if (closed) return;
              subscriber.next(event);
              next = event.position + 1;
            }
            next = Math.max(next, page.scannedTo + 1);
            if (closed || page.end) break;
          }
        } while (again && !closed);
      } catch (error) {
        if (!closed) subscriber.error(error);
        closed = true;
      } finally {
        running = false;
      }
    };

    const wake = wakeUps.subscribe(() => void pump());
    const timer = pollMs > 0 ? setInterval(() => void pump(), pollMs) : undefined;
    timer?.unref();
    void pump();
    return () => {
      closed = true;
      wake.unsubscribe();
      if (timer) clearInterval(timer);
    };
  });
}

/** Pages through the log as an async iterable, so a million events never sit in memory at once. */
export async function* pagedLog(readPage: ReadLogPage, fromPosition: number, maxCount: number): AsyncGenerator<StoredEvent> {
  let next = Math.max(fromPosition, 0);
  let left = maxCount;
  while (left > 0) {
    const page = await readPage(next, Math.min(PAGE, left));
    for (const event of page.events) yield event;
    if (page.end) return;
    left -= page.events.length;
    next = Math.max(page.events.at(-1)?.position ?? 0, page.scannedTo) + 1;
  }
}
