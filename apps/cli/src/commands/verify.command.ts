import type { VerifyResult } from '@fundsim/event-store';
import type { Command } from '../command';

/** OK with the count and head hash, or where the chain breaks and what does not match. */
export function renderVerify(result: VerifyResult): string[] {
  if (result.ok) {
    const several = result.commandsOnSeveralStreams ?? [];
    return [
      `OK: ${result.count} events, head hash ${result.headHash}`,
      // Not a break of the chain: an idempotency key reused on another stream before stores refused it.
      ...(several.length === 0
        ? []
        : [
            `NOTE: ${several.length} command id${several.length === 1 ? '' : 's'} on more than one stream (written before the store held a command id to one stream; kept as written):`,
            ...several.slice(0, 10).map((c) => `  ${c.commandId}: ${c.streams.join(', ')}`),
            ...(several.length > 10 ? [`  ... and ${several.length - 10} more (--json lists them all)`] : []),
          ]),
    ];
  }
  return [
    `BROKEN at position ${result.position} (${result.stream} revision ${result.revision}): ${result.reason}`,
    `  stored hash   ${result.storedHash}`,
    `  expected hash ${result.expectedHash}`,
    `  ${result.count} events before it verified`,
  ];
}

export const verifyCommand: Command = {
  name: 'verify',
  summary: 'Walk the hash chain of the whole log; exit 1 at the first event that does not match',
  usage: 'fundsim verify [--json]',
  options: { json: { type: 'boolean', description: 'print the result as JSON' } },
  async run(values, _positionals, { log, out, err }) {
    const result = await log.verify({ onProgress: (checked) => err(`verified ${checked.toLocaleString('en-US')} events...`) });
    if (values.json) out(JSON.stringify(result, null, 2));
    else renderVerify(result).forEach(out);
    return result.ok ? 0 : 1;
  },
};
