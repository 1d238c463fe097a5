import { createHash, randomUUID } from 'node:crypto';

/** Namespace for name-based (RFC 4122 version 5) event ids. */
const NAMESPACE = Buffer.from('6f9f1a52b3e94b3c9d1e2a7c5b8e4f10', 'hex');

/**
 * The id of the index-th event a command writes to a stream. Deterministic, so a retried command
 * produces the same ids and EventStoreDB can deduplicate it too.
 */
export function deterministicEventId(commandId: string, stream: string, index: number): string {
  const hash = createHash('sha1').update(NAMESPACE).update(`${stream}\u0000${commandId}\u0000${index}`).digest();
  hash[6] = (hash[6] & 0x0f) | 0x50;
  hash[8] = (hash[8] & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export function newEventId(commandId: string | undefined, stream: string, index: number): string {
  return commandId === undefined ? randomUUID() : deterministicEventId(commandId, stream, index);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (s: string): boolean => UUID.test(s);
