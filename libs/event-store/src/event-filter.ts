import type { StoredEvent } from './event-store.port';

/** The stream-prefix and event-type filter of readAll and subscribe, as a predicate. */
export function eventFilter(options: { streamPrefix?: string; eventTypes?: readonly string[] }): (e: StoredEvent) => boolean {
  const { streamPrefix } = options;
  const types = options.eventTypes && options.eventTypes.length > 0 ? new Set(options.eventTypes) : undefined;
  if (streamPrefix === undefined && types === undefined) return () => true;
  return (e) => (streamPrefix === undefined || e.stream.startsWith(streamPrefix)) && (types === undefined || types.has(e.type));
}
