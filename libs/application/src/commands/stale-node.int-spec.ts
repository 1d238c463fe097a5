import { Rejection, type AnyCommand, type CommitCapital } from '@fundsim/domain';
import { establishUsJapanFund } from '@fundsim/domain/testing/fund-fixtures';
import { SqliteEventStore, type EventStore } from '@fundsim/event-store';
import { collect } from '@fundsim/event-store/testing/event-store.contract';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FundCommandService } from './fund-commands.service';

/**
 * Two services over one SQLite file, as two API nodes over one log: node B decides, then is held
 * at its append while node A writes. B's decision is stale; it must catch up and decide again
 * (multi-node.e2e-spec.ts races three real processes on PostgreSQL; here the interleaving is forced).
 */
const dir = mkdtempSync(join(tmpdir(), 'fundsim-stale-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

const meta = (actor: string, effectiveDate: string, commandId?: string) => ({ actor, effectiveDate, commandId });
const commit = (lpId: string, amount: string, date: string): CommitCapital => ({
  type: 'CommitCapital',
  data: { lpId, kind: lpId.endsWith('gov') ? 'sovereign' : 'retail', country: 'US', amount, currency: 'USD' },
  metadata: meta(lpId.endsWith('gov') ? 'us-treasury' : 'retail-platform', date),
});

/** The store, its first append held until `release()`; `held` resolves once it is. */
function holdFirstAppend(store: EventStore): { store: EventStore; held: Promise<void>; release: () => void } {
  let release!: () => void;
  let reached!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const held = new Promise<void>((resolve) => (reached = resolve));
  let armed = true;
  const proxy = new Proxy(store, {
    get(target, property) {
      const value = Reflect.get(target, property, target) as unknown;
      if (property === 'append')
        return async (...args: Parameters<EventStore['append']>) => {
          if (armed) {
            armed = false;
            reached();
            await gate;
          }
          return target.append(...args);
        };
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
  return { store: proxy, held, release };
}

async function twoNodes() {
  const path = join(dir, `nodes-${++n}.db`);
  const [storeA, storeB] = [new SqliteEventStore(path), new SqliteEventStore(path)];
  const a = new FundCommandService(storeA);
  await a.execute('usjp', establishUsJapanFund());
  await a.execute('usjp', commit('us-gov', '1000000.00', '2026-04-01'));
  const gated = holdFirstAppend(storeB);
  const b = new FundCommandService(gated.store);
  /** B decides `command` and is held at its append while `meanwhile` runs on A; then B goes on. */
  const race = async (command: AnyCommand, meanwhile: () => Promise<unknown>) => {
    const decided = b.execute('usjp', command);
    await gated.held;
    await meanwhile();
    gated.release();
    return decided;
  };
  const close = async () => Promise.all([storeA.close(), storeB.close()]);
  return { a, storeA, race, close };
}

describe('a stale node (its decision made before another node wrote)', () => {
  it('decides again on the fresh state after losing the race on the revision: a rule refuses it with its code, not a 409', async () => {
    const { a, race, close } = await twoNodes();
    await a.execute('usjp', { type: 'HoldClose', data: {}, metadata: meta('jp-mof', '2026-06-30') });
    await a.execute('usjp', { type: 'CallCapital', data: { percentage: '0.10' }, metadata: meta('us-treasury', '2026-07-01') });
    // 100,000.00 of cash; B decides an expense of 60,000.00 on it, A spends 50,000.00 first.
    const expense = (amount: string): AnyCommand => ({
      type: 'RecordExpense',
      data: { amount, description: 'audit' },
      metadata: meta('us-treasury', '2026-08-01'),
    });
    const stale = race(expense('60000.00'), () => a.execute('usjp', expense('50000.00')));
    await expect(stale).rejects.toBeInstanceOf(Rejection);
    await expect(stale).rejects.toMatchObject({ code: 'INSUFFICIENT_CASH' });
    await close();
  });

  it('answers a close under a key another node recorded meanwhile with that close (200), though commitments came between', async () => {
    const { a, storeA, race, close } = await twoNodes();
    const holdClose: AnyCommand = { type: 'HoldClose', data: {}, metadata: meta('jp-mof', '2026-06-30', 'close-1') };
    // B decides the close on us-gov alone; A records a commitment, then the same close, which admits both.
    const stale = race(holdClose, async () => {
      await a.execute('usjp', commit('retail-1', '1000.00', '2026-04-02'));
      const first = await a.execute('usjp', holdClose);
      expect(first.events[0].data).toMatchObject({ pendingCount: 2, admittedUsd: '1001000.00' });
      // And one more commitment after it, which a retry decided as of the close must not count.
      await a.execute('usjp', commit('retail-2', '1000.00', '2026-04-02'));
    });
    const answer = await stale;
    expect(answer).toMatchObject({ written: false, events: [{ type: 'CloseHeld', data: { pendingCount: 2, admittedUsd: '1001000.00' } }] });
    expect(await collect(storeA.readAll({ eventTypes: ['CloseHeld'] }))).toHaveLength(1);
    await close();
  });

  it('decides a retried close as of the commitments it saw, not those recorded between its read and its append', async () => {
    const { a, race, close } = await twoNodes();
    const holdClose: AnyCommand = { type: 'HoldClose', data: {}, metadata: meta('jp-mof', '2026-06-30', 'close-1') };
    // B's close is held at its append while A commits: it is written naming us-gov alone.
    const first = await race(holdClose, () => a.execute('usjp', commit('retail-1', '1000.00', '2026-04-02')));
    expect(first).toMatchObject({ written: true, events: [{ data: { pendingCount: 1, admittedUsd: '1000000.00' } }] });
    // The client retries on A, which has seen retail-1's commitment before the close: the same close.
    expect(await a.execute('usjp', holdClose)).toEqual({ ...first, written: false });
    await close();
  });
});
