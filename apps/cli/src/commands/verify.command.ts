import type { Command } from '../command';

export const verifyCommand: Command = {
  name: 'verify',
  summary: 'Walk the hash chain of the whole log; exit 1 at the first event that does not match',
  usage: 'fundsim verify [--json]',
  options: { json: { type: 'boolean', description: 'print the result as JSON' } },
  async run(values, _positionals, { log, out, err }) {
    const result = await log.verify({ onProgress: (checked) => err(`verified ${checked.toLocaleString('en-US')} events...`) });
    if (values.json) out(JSON.stringify(result, null, 2));
    else if (result.ok) out(`OK: ${result.count} events, head hash ${result.headHash}`);
    else {
      out(`BROKEN at position ${result.position} (${result.stream} revision ${result.revision}): ${result.reason}`);
      out(`  stored hash   ${result.storedHash}`);
      out(`  expected hash ${result.expectedHash}`);
      out(`  ${result.count} events before it verified`);
    }
    return result.ok ? 0 : 1;
  },
};
