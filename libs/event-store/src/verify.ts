import type { VerifyOptions, VerifyResult } from './event-store.port';
import { chainHash, GENESIS_HASH, type ChainedFields } from './hash-chain';

export interface ChainLink extends ChainedFields {
  position: number;
  hash: string;
}

const PROGRESS_EVERY = 100_000;

/**
 * Walks the log in order, recomputing every link from the genesis value. Altering an event
 * changes its own link; deleting or reordering one changes the next event's input.
 */
export async function verifyChain(links: Iterable<ChainLink> | AsyncIterable<ChainLink>, options: VerifyOptions = {}): Promise<VerifyResult> {
  let previous = GENESIS_HASH;
  let count = 0;
  let expectedPosition = 1;
  for await (const link of links) {
    const expectedHash = chainHash(previous, link);
    if (expectedHash !== link.hash || link.position !== expectedPosition) {
      return {
        ok: false,
        count,
        position: link.position,
        stream: link.stream,
        revision: link.revision,
        expectedHash,
        storedHash: link.hash,
        reason:
          link.position !== expectedPosition
            ? `position ${expectedPosition} is missing: the log jumps to ${link.position}`
            : 'the stored hash does not match the event and the hash before it',
      };
    }
    previous = link.hash;
    count++;
    expectedPosition++;
    if (count % PROGRESS_EVERY === 0) options.onProgress?.(count);
  }
  return { ok: true, count, headHash: previous };
}
