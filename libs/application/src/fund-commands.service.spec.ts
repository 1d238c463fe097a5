import { establishUsJapanFund } from '@fundsim/domain/testing/fund-fixtures';
import { MemoryEventStore, WrongExpectedRevisionError, type AppendOptions, type AppendResult, type NewEvent } from '@fundsim/event-store';
import { ConcurrencyConflictError, FundCommandService } from './fund-commands.service';

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

  it('gives up with a conflict after five attempts, having written nothing', async () => {
    const store = new ContendedStore(Infinity);
    await expect(new FundCommandService(store).execute('usjp', establishUsJapanFund())).rejects.toBeInstanceOf(ConcurrencyConflictError);
    expect(store.attempts).toBe(5);
    expect(await store.headPosition()).toBe(0);
  });
});
