import type { CommandOnSeveralStreams, VerifyOptions, VerifyResult } from './event-store.port';
import { chainHash, GENESIS_HASH, type ChainedFields } from './hash-chain';

export interface ChainLink extends ChainedFields {
  position: number;
  hash: string;
}

const PROGRESS_EVERY = 100_000;

/**
 * Walks the log in order, recomputing every link from the genesis value, and noting command ids
 * on several streams (`commands`: a map of every id; a store that can ask an index passes none). Altering an event
 * changes its own link; deleting or reordering one changes the next event's input.
 */
export async function verifyChain(
  links: Iterable<ChainLink> | AsyncIterable<ChainLink>,
  options: VerifyOptions = {},
  commands: CommandStreams | undefined = new CommandStreams(),
): Promise<VerifyResult> {
  let previous = GENESIS_HASH;
  let count = 0;
  let expectedPosition = 1;
  for await (const link of links) {
    commands?.see(link.metadata.commandId, link.stream);
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
  return commands ? commands.report({ ok: true, count, headHash: previous }) : { ok: true, count, headHash: previous };
}

/**
 * Command ids seen on more than one stream, as a verify walks the log: written before the store
 * held an id to one stream (or by a store that cannot). They stay, and verify names them.
 */
export class CommandStreams {
  private readonly first = new Map<string, string>();
  private readonly several = new Map<string, Set<string>>();

  see(commandId: string | undefined, stream: string): void {
    if (commandId === undefined) return;
    const first = this.first.get(commandId);
    if (first === undefined) this.first.set(commandId, stream);
    else if (first !== stream) this.several.set(commandId, (this.several.get(commandId) ?? new Set([first])).add(stream));
  }

  report<R extends VerifyResult & { ok: true }>(result: R): R {
    if (this.several.size === 0) return result;
    const commandsOnSeveralStreams: CommandOnSeveralStreams[] = [...this.several].map(([commandId, streams]) => ({ commandId, streams: [...streams] }));
    return { ...result, commandsOnSeveralStreams };
  }
}
