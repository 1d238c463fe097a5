/**
 * Child process for the tests of writers racing a scenario: commits capital for new LPs of
 * `fundId` (and of the funds after it, in turn), one command after another through the command
 * service, as the API does, until killed (as a manager, on the last day of 2026: a date every
 * fund of the tests accepts). Prints a line per commitment written.
 */
import { SqliteEventStore } from '@fundsim/event-store';
import { FundCommandService } from '../commands/fund-commands.service';

const [path, tag, ...fundIds] = process.argv.slice(2);

async function main(): Promise<void> {
  const service = new FundCommandService(new SqliteEventStore(path));
  for (let n = 0; ; n++) {
    const fundId = fundIds[n % fundIds.length];
    await service.execute(fundId, {
      type: 'CommitCapital',
      data: { lpId: `${tag}-${n}`, kind: 'retail', country: 'US', amount: '1000.00', currency: 'USD' },
      metadata: { actor: 'us-treasury', effectiveDate: '2026-12-31' },
    });
    process.stdout.write(`${n + 1}\n`);
  }
}

void main();
