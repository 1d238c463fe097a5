import { establishUsJapanFund } from '@fundsim/domain/testing/fund-fixtures';
import { MemoryEventStore, WrongExpectedRevisionError, type AppendOptions, type AppendResult, type NewEvent } from '@fundsim/event-store';
import { IdempotencyConflictError } from '@fundsim/event-store';
import { COMMAND_ATTEMPTS, ConcurrencyConflictError, FundCommandService } from './fund-commands.service';

/** A stream another writer always gets to first. */
class ContendedStore extends MemoryEventStore {
  attempts = 0;
  override async append(stream: string, events: NewEvent[], options?: AppendOptions): Promise<AppendResult> {
    this.attempts++;
    if (this.attempts < this.failures) throw new WrongExpectedRevisionError(stream, options?.expectedRevision ?? 'any', 7);
    return super.append(stream, events, options);
  }
  constructor(private readonly failures: number) {
    super();
  }
}

describe('FundCommandService retries', () => {
  it('decides again after a concurrent write and succeeds within the bound', async () => {
    const store = new ContendedStore(3);
    const result = await new FundCommandService(store).execute('usjp', establishUsJapanFund());
    expect(result.written).toBe(true);
    expect(store.attempts).toBe(3);
  });

  it('gives up with a conflict after a bounded number of attempts, having written nothing', async () => {
    const store = new ContendedStore(Infinity);
    await expect(new FundCommandService(store).execute('usjp', establishUsJapanFund())).rejects.toBeInstanceOf(ConcurrencyConflictError);
    expect(store.attempts).toBe(COMMAND_ATTEMPTS);
    expect(await store.headPosition()).toBe(0);
  });
});

describe('FundCommandService under concurrency (issue 24)', () => {
  const milestone = (n: number) => ({
    type: 'RecordMilestone' as const,
    data: { milestone: `m${n}` },
    metadata: { actor: 'us-treasury', effectiveDate: '2026-02-01' },
  });

  it('writes 200 concurrent commands on one fund stream, none lost to the revision race (21 of 50 were 409s at 10 writers)', async () => {
    const store = new MemoryEventStore();
    const service = new FundCommandService(store);
    await service.execute('usjp', establishUsJapanFund());
    const results = await Promise.allSettled(Array.from({ length: 200 }, (_, i) => service.execute('usjp', milestone(i))));
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    expect(await store.streamRevision('fund-usjp')).toBe(200);
  });

  it('books an idempotency key reused at once on two LPs only once (6 of 30 pairs were booked twice)', async () => {
    const store = new MemoryEventStore();
    const service = new FundCommandService(store);
    await service.execute('usjp', establishUsJapanFund());
    const commit = (lpId: string) => ({
      type: 'CommitCapital' as const,
      data: { lpId, kind: 'retail' as const, country: 'US', amount: '1000.00', currency: 'USD' },
      metadata: { actor: 'retail-platform', effectiveDate: '2026-02-01', commandId: 'retail-platform:k1' },
    });
    for (let pair = 0; pair < 30; pair++) {
      const key = `retail-platform:k${pair}`;
      const [a, b] = await Promise.allSettled(
        [`a${pair}`, `b${pair}`].map((lp) => service.execute('usjp', { ...commit(lp), metadata: { ...commit(lp).metadata, commandId: key } })),
      );
      expect([a.status, b.status].sort()).toEqual(['fulfilled', 'rejected']);
      expect(((a.status === 'rejected' ? a : b) as PromiseRejectedResult).reason).toBeInstanceOf(IdempotencyConflictError);
    }
  });
});
