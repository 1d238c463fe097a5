import { Rejection, type CommitCapital } from '@fundsim/domain';
import { establishUsJapanFund } from '@fundsim/domain/testing/fund-fixtures';
import { SqliteEventStore, type AppendRequest } from '@fundsim/event-store';
import { collect } from '@fundsim/event-store/testing/event-store.contract';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FundCommandService } from '../commands/fund-commands.service';
import { FundQueryService } from './fund-queries.service';

const dir = mkdtempSync(join(tmpdir(), 'fundsim-ledger-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const meta = (actor: string, effectiveDate: string) => ({ actor, effectiveDate });
const commit = (lpId: string, amount: string, date: string): CommitCapital => ({
  type: 'CommitCapital',
  data: { lpId, kind: 'retail', country: 'US', amount, currency: 'USD' },
  metadata: meta('retail-platform', date),
});

describe('the investor ledger on the write path', () => {
  it('closes 200,000 pending commitments (a Math.max spread over them overflowed the stack at ~150,000)', async () => {
    const store = new SqliteEventStore(join(dir, 'many.db'));
    const service = new FundCommandService(store);
    await service.execute('usjp', establishUsJapanFund());
    const count = 200_000;
    let expected = 0n;
    for (let from = 0; from < count; from += 10_000) {
      const requests: AppendRequest[] = [];
      for (let i = from; i < from + 10_000; i++) {
        const amount = `${(i % 9_000) + 1_000}.${String(i % 100).padStart(2, '0')}`;
        expected += BigInt(amount.replace('.', ''));
        requests.push({
          stream: `fund-usjp.lp-r${i}`,
          events: [
            {
              type: 'CapitalCommitted',
              data: { fundId: 'usjp', lpId: `r${i}`, kind: 'retail', country: 'US', amount, currency: 'USD', amountUsd: amount },
              metadata: meta('retail-platform', '2026-03-01'),
            },
          ],
          expectedRevision: 'no-stream',
        });
      }
      await store.appendBatch(requests);
    }
    const close = await service.execute('usjp', { type: 'HoldClose', data: {}, metadata: meta('jp-mof', '2026-06-30') });
    const admitted = `${expected / 100n}.${String(expected % 100n).padStart(2, '0')}`;
    expect(close.events[0].data).toMatchObject({ closeNumber: 1, pendingCount: count, admittedUsd: admitted, scaledBack: false });
    const call = await service.execute('usjp', { type: 'CallCapital', data: { percentage: '0.10' }, metadata: meta('us-treasury', '2026-07-01') });
    expect(call.events[0].data).toMatchObject({ lpCount: count });

    // The read side folds the same ledger: every LP admitted, the register summing to net assets.
    const queries = new FundQueryService(store);
    const page = await queries.register('usjp', { asOf: '2026-07-31' }, 0, 1);
    expect(page.total).toBe(count);
    let sum = 0n;
    for (const row of await queries.registerRows('usjp', { asOf: '2026-07-31' })) sum += BigInt(row.netAssets.replace('.', ''));
    expect(`${sum / 100n}.${String(sum % 100n).padStart(2, '0')}`).toBe(page.netAssets);
    await store.close();
  }, 120_000);

  it('never records both a close and the reversal of a commitment it admits, whichever of two processes wins (raced 40 times)', async () => {
    const path = join(dir, 'race.db');
    const setup = new SqliteEventStore(path);
    const seed = new FundCommandService(setup);
    const outcomes = { closeFirst: 0, reversalFirst: 0 };
    for (let round = 0; round < 40; round++) {
      const fundId = `race-${round}`;
      await seed.execute(fundId, establishUsJapanFund());
      await seed.execute(fundId, commit('lp-a', '1000.00', '2026-02-01'));
      await seed.execute(fundId, commit('lp-x', '3000.00', '2026-02-01'));
      const [committed] = await collect(setup.readStream(`fund-${fundId}.lp-lp-x`));
      // Two API processes: their own connections and their own warm ledgers.
      const storeA = new SqliteEventStore(path);
      const storeB = new SqliteEventStore(path);
      const a = new FundCommandService(storeA);
      const b = new FundCommandService(storeB);
      await Promise.all([
        a.execute(fundId, { type: 'RecordFxRate', data: { pair: 'USD/JPY', rate: '150' }, metadata: meta('market-data', '2026-02-02') }),
        b.execute(fundId, commit('lp-b', '10.00', '2026-02-02')),
      ]);
      // Both start from the same revision; the close starts 0-3 event-loop turns later, so the
      // rounds sample different interleavings of reads, decisions and appends.
      const turns = async (n: number) => {
        for (let i = 0; i < n; i++) await new Promise((resolve) => setImmediate(resolve));
      };
      const results = await Promise.allSettled([
        (async () => (await turns(round % 4), a.execute(fundId, { type: 'HoldClose', data: {}, metadata: meta('jp-mof', '2026-03-01') })))(),
        b.execute(fundId, { type: 'ReverseEvent', data: { eventId: committed.id, reason: 'race' }, metadata: meta('us-treasury', '') }),
      ]);
      const [close, reversal] = results;
      expect(close.status).toBe('fulfilled');
      const fund = await collect(setup.readStream(`fund-${fundId}`));
      const closeAt = fund.findIndex((e) => e.type === 'CloseHeld');
      const reversalAt = fund.findIndex((e) => e.type === 'EventReversed');
      const held = fund[closeAt].data as { admittedUsd: string; pendingCount: number };
      const register = await new FundQueryService(setup).register(fundId, { asOf: '2026-03-31' });
      const admittedIds = register.rows.map((r) => r.lpId);
      if (reversal.status === 'fulfilled') {
        // The reversal came first: the close admitted the others only.
        outcomes.reversalFirst++;
        expect(reversalAt).toBeLessThan(closeAt);
        expect(held).toMatchObject({ admittedUsd: '1010.00', pendingCount: 2 });
        expect(admittedIds).toEqual(['lp-a', 'lp-b']);
      } else {
        // The close came first: the reversal was refused and nothing was written for it.
        outcomes.closeFirst++;
        expect(reversal.reason).toBeInstanceOf(Rejection);
        expect((reversal.reason as Rejection).code).toBe('EVENT_NOT_REVERSIBLE');
        expect(reversalAt).toBe(-1);
        expect(held).toMatchObject({ admittedUsd: '4010.00', pendingCount: 3 });
        expect(admittedIds).toEqual(['lp-a', 'lp-b', 'lp-x']);
        // The command side agrees: lp-x is admitted and can default on a call.
        await a.execute(fundId, { type: 'CallCapital', data: { percentage: '0.5' }, metadata: meta('us-treasury', '2026-03-02') });
        const defaulted = await b.execute(fundId, {
          type: 'RecordContributionDefault',
          data: { callNumber: 1, lpId: 'lp-x' },
          metadata: meta('jp-mof', '2026-03-03'),
        });
        expect(defaulted.events[0].data).toMatchObject({ amountUsd: '1500.00' });
      }
      await storeA.close();
      await storeB.close();
    }
    // Both orders happened: the test raced, it did not run one order forty times.
    expect(outcomes.closeFirst).toBeGreaterThan(0);
    expect(outcomes.reversalFirst).toBeGreaterThan(0);
    await setup.close();
  }, 120_000);
});
