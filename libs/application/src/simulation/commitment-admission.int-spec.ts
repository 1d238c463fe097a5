import { MemoryEventStore } from '@fundsim/event-store';
import { FundQueryService } from '../queries/fund-queries.service';
import { DemoService } from '../scenarios/demo/demo.service';
import { ScenarioService } from '../scenarios/scenario';
import { lpStream } from '../streams';
import { PendingCommitments } from './commitment-admission';

describe('the commitments pending on a date, kept for the next simulation on it', () => {
  it('restores the same ledger for the same log, date and close; each caller its own; a log that grew is read anew', async () => {
    const store = new MemoryEventStore();
    await new DemoService(store, new ScenarioService(store)).load({ retailLps: 200, until: '2026-12-31' });
    const books = await new FundQueryService(store).books('usjp');
    const date = '2026-12-01';
    const state = books.timeline.asOf({ asOf: date }).state;
    const pending = new PendingCommitments();
    const read = await pending.on(store, 'usjp', state, date);
    const summary = read.pendingSummary(date);
    // Between the first close (2026-07-01) and the second (2027-01-15): the second wave is pending.
    expect(summary.count).toBeGreaterThan(0);
    // A caller adds its commitment to its own ledger: the one kept does not see it.
    read.addCommitment('mine', { lpId: 'simulated-lp', kind: 'retail', country: 'US', amount: '1000.00', currency: 'USD', amountUsd: '1000.00' }, 1e9, date);
    const restored = await pending.on(store, 'usjp', state, date);
    expect(restored.pendingSummary(date)).toEqual(summary);
    restored.addCommitment(
      'mine',
      { lpId: 'simulated-lp', kind: 'retail', country: 'US', amount: '1000.00', currency: 'USD', amountUsd: '1000.00' },
      1e9,
      date,
    );
    expect(restored.pendingSummary(date).count).toBe(summary.count + 1);
    // One more commitment in the log, dated on the date: read anew, it is pending too.
    await store.append(lpStream('usjp', 'retail-us-late'), [
      {
        type: 'CapitalCommitted',
        data: { fundId: 'usjp', lpId: 'retail-us-late', kind: 'retail', country: 'US', amount: '5000.00', currency: 'USD', amountUsd: '5000.00' },
        metadata: { actor: 'retail-platform', effectiveDate: date },
      },
    ]);
    const grown = await pending.on(store, 'usjp', state, date);
    expect(grown.pendingSummary(date).count).toBe(summary.count + 1);
    expect(grown.pendingSummary(date).cents).toBe(summary.cents + 500_000n);
  }, 60_000);
});
