import { useEffect, useRef, useState } from 'preact/hooks';
import { followEvents } from './api';

/**
 * Follows the fund's log over the balance sheet's server-sent events (each message's id is the
 * log position it reflects) and calls `onChange` after each append it did not start from. Returns
 * the position seen and whether the stream is connected, for the page to say so.
 */
export function useFundLive(fundId: string, onChange: () => void, onError: (e: unknown) => void): { position?: string; connected: boolean } {
  const [position, setPosition] = useState<string>();
  const [connected, setConnected] = useState(false);
  const latest = useRef(onChange);
  latest.current = onChange;
  useEffect(() => {
    const stop = new AbortController();
    let seen: string | undefined;
    followEvents(
      `/funds/${encodeURIComponent(fundId)}/balance-sheet/stream`,
      stop.signal,
      (message) => {
        if (message.event !== 'balance-sheet') return;
        if (seen !== undefined && seen !== message.id) latest.current();
        seen = message.id;
        setPosition(message.id);
      },
      setConnected,
    ).catch((e: unknown) => {
      if (!stop.signal.aborted) onError(e);
    });
    return () => stop.abort();
  }, [fundId]);
  return { position, connected };
}
