import { HttpException, HttpStatus, Injectable, type MessageEvent } from '@nestjs/common';
import { KeyService, type Principal } from '@fundsim/application';
import { concatMap, filter, interval, map, take, type Observable } from 'rxjs';

/** Streams one key may hold open at once (FUNDSIM_SSE_PER_KEY): a dashboard or two, not hundreds of sockets. */
export const STREAMS_PER_KEY = 8;
/** How often an open stream asks whether its key still stands (FUNDSIM_SSE_KEY_CHECK_MS). */
export const KEY_CHECK_MS = 2_000;

const positive = (value: string | undefined, fallback: number) => (Number(value) > 0 ? Number(value) : fallback);

/**
 * The long-lived answers (server-sent events): how many each key holds, and the end of each one
 * whose key is revoked. The guard checks a key once, when a request arrives; a stream lives on
 * long after, so it asks again.
 */
@Injectable()
export class LiveStreams {
  private readonly open = new Map<string, number>();

  constructor(private readonly keys: KeyService) {}

  /**
   * Takes one of the key's slots until `signal` aborts (the stream ended, however: the client
   * left, it completed, it failed, or it never started); 429 TOO_MANY_STREAMS when all are taken.
   */
  admit(principal: Principal, signal: AbortSignal): void {
    const cap = positive(process.env.FUNDSIM_SSE_PER_KEY, STREAMS_PER_KEY);
    const held = this.open.get(principal.keyId) ?? 0;
    if (held >= cap) {
      throw new HttpException(
        {
          statusCode: 429,
          code: 'TOO_MANY_STREAMS',
          message: `Key ${principal.keyId} already holds ${held} open streams, the most one key may; close one first`,
        },
        HttpStatus.TOO_MANY_REQUESTS,
      );
    }
    this.open.set(principal.keyId, held + 1);
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      const left = (this.open.get(principal.keyId) ?? 1) - 1;
      if (left > 0) this.open.set(principal.keyId, left);
      else this.open.delete(principal.keyId);
    };
    if (signal.aborted) release();
    else signal.addEventListener('abort', release, { once: true });
  }

  /** One `revoked` message once the key is revoked (a stream ends after it), and nothing before. */
  revocationOf(principal: Principal): Observable<MessageEvent> {
    return interval(positive(process.env.FUNDSIM_SSE_KEY_CHECK_MS, KEY_CHECK_MS)).pipe(
      // One check at a time: a slow store does not pile them up.
      concatMap(() => this.keys.isLive(principal.keyId)),
      filter((live) => !live),
      take(1),
      map((): MessageEvent => ({ type: 'revoked', data: { code: 'KEY_REVOKED', message: `Key ${principal.keyId} has been revoked; the stream ends` } })),
    );
  }
}
