import { establishUsJapanFund } from '@fundsim/domain/testing/fund-fixtures';
import { MemoryEventStore } from '@fundsim/event-store';
import { FundCommandService, type AnyCommand } from '../commands/fund-commands.service';
import { FundQueryService } from '../queries/fund-queries.service';

/*
 * A fund small enough to work out by hand (docs/accounting.md walks through the same figures):
 * A and B commit 1,000 and 3,000 and are admitted at the first close; half is called and invested
 * in one project, which gains 400; C commits 1,000 at a second close 100 days after the call, so
 * it pays a 500 catch-up and 1000 x 50% x 3.65% x 100/365 = 5.00 of equalization interest (which
 * goes to A and B); the project then gains 500 more and a 50 fee is charged, shared 1:3:1.
 */
export const m = (actor: string, effectiveDate: string) => ({ actor, effectiveDate });
export const commit = (lpId: string, amount: string, date: string, currency: 'USD' | 'JPY' = 'USD'): AnyCommand => ({
  type: 'CommitCapital',
  data: { lpId, kind: 'retail', country: currency === 'JPY' ? 'JP' : 'US', amount, currency },
  metadata: m('platform', date),
});

export async function handWorkedFund() {
  const store = new MemoryEventStore();
  const commands = new FundCommandService(store);
  const queries = new FundQueryService(store);
  const run = (command: AnyCommand) => commands.execute('usjp', command);
  await run(establishUsJapanFund({ equalizationRate: '0.0365' }));
  await run(commit('lp-a', '1000.00', '2026-02-01'));
  await run(commit('lp-b', '3000.00', '2026-02-01'));
  await run({ type: 'HoldClose', data: {}, metadata: m('jp-mof', '2026-02-10') });
  await run({ type: 'CallCapital', data: { percentage: '0.50', dueDate: '2026-03-01' }, metadata: m('us-treasury', '2026-03-01') });
  await run({
    type: 'RegisterProject',
    data: { projectId: 'grid', name: 'Grid', sector: 'energy', partners: [], totalProjectSize: '10000.00' },
    metadata: m('us-treasury', '2026-03-02'),
  });
  await run({ type: 'ProposeAllocation', data: { allocationId: 'al-1', projectId: 'grid', amount: '2000.00' }, metadata: m('us-treasury', '2026-03-02') });
  await run({ type: 'ApproveAllocation', data: { allocationId: 'al-1' }, metadata: m('jp-mof', '2026-03-02') });
  await run({ type: 'FundProject', data: { allocationId: 'al-1', amount: '2000.00' }, metadata: m('us-treasury', '2026-03-02') });
  await run({ type: 'ValueProject', data: { projectId: 'grid', fairValue: '2400.00' }, metadata: m('us-treasury', '2026-03-31') });
  await run(commit('lp-c', '1000.00', '2026-06-01'));
  await run({ type: 'HoldClose', data: {}, metadata: m('us-treasury', '2026-06-09') });
  await run({ type: 'ValueProject', data: { projectId: 'grid', fairValue: '2900.00' }, metadata: m('us-treasury', '2026-09-30') });
  await run({ type: 'ChargeManagementFee', data: { amount: '50.00', period: '2026-Q3' }, metadata: m('us-treasury', '2026-09-30') });
  return { store, commands, queries, run };
}
