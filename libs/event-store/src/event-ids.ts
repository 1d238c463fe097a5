import { hash as digest, randomUUID } from 'node:crypto';

/** Namespace for name-based (RFC 4122 version 5) event ids. */
const HEX = '0123456789abcdef';
const NAMESPACE = '6f9f1a52-b3e9-4b3c-9d1e-2a7c5b8e4f10';

/**
 * The id of the index-th event a command writes to a stream. Deterministic, so a retried command
 * produces the same ids and EventStoreDB can deduplicate it too.
 */
export function deterministicEventId(commandId: string, stream: string, index: number): string {
  const h = digest('sha1', `${NAMESPACE}\u0000${stream}\u0000${commandId}\u0000${index}`, 'hex');
  // RFC 4122: version 5 in the 13th hex digit, variant 10xx in the 17th.
  const variant = HEX[(parseInt(h[16], 16) & 0x3) | 0x8];
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export function newEventId(commandId: string | undefined, stream: string, index: number): string {
  return commandId === undefined ? randomUUID() : deterministicEventId(commandId, stream, index);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (s: string): boolean => UUID.test(s);
