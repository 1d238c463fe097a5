import { Rejection, type CommitCapital, type FundCommand } from '@fundsim/domain';
import { establishUsJapanFund } from '@fundsim/domain/testing/fund-fixtures';
import { IdempotencyConflictError, SqliteEventStore } from '@fundsim/event-store';
import { collect } from '@fundsim/event-store/testing/event-store.contract';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FundQueryService } from '../queries/fund-queries.service';
import { FundCommandService } from './fund-commands.service';

const dir = mkdtempSync(join(tmpdir(), 'fundsim-app-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

const meta = (actor: string, effectiveDate: string, commandId?: string) => ({ actor, effectiveDate, commandId });
const commit = (lpId: string, amount: string, currency: string, date: string, commandId?: string): CommitCapital => ({
  type: 'CommitCapital',
  data: { lpId, kind: lpId.endsWith('gov') ? 'sovereign' : 'retail', country: currency === 'JPY' ? 'JP' : 'US', amount, currency },
  metadata: meta('retail-platform', date, commandId),
});

async function setUp() {
  const store = new SqliteEventStore(join(dir, `app-${++n}.db`));
  const service = new FundCommandService(store);
  await service.execute('usjp', establishUsJapanFund());
  await service.execute('usjp', { type: 'RecordFxRate', data: { pair: 'USD/JPY', rate: '150.00' }, metadata: meta('market-data', '2026-03-31') });
  await service.execute('usjp', commit('us-gov', '110000000000.00', 'USD', '2026-04-01'));
  await service.execute('usjp', commit('jp-gov', '13500000000000', 'JPY', '2026-04-01'));
  await service.execute('usjp', commit('retail-1', '10000.00', 'USD', '2026-04-02'));
  return { store, service };
}

describe('FundCommandService over SQLite', () => {
  it('records commitments on LP streams and admits them at a close on the fund stream', async () => {
    const { store, service } = await setUp();
    const close = await service.execute('usjp', { type: 'HoldClose', data: {}, metadata: meta('jp-mof', '2026-06-30') });
    expect(close.stream).toBe('fund-usjp');
    expect(close.events[0].data).toMatchObject({ closeNumber: 1, pendingCount: 3, admittedUsd: '200000010000.00', scaledBack: false });
    const call = await service.execute('usjp', { type: 'CallCapital', data: { percentage: '0.10' }, metadata: meta('us-treasury', '2026-07-01') });
    expect(call.events[0].data).toMatchObject({ callNumber: 1, totalUsd: '20000001000.00', lpCount: 3 });
    const lpEvents = await collect(store.readStream('fund-usjp.lp-jp-gov'));
    expect(lpEvents[0].data).toMatchObject({ amount: '13500000000000', currency: 'JPY', fxRate: '150.00', amountUsd: '90000000000.00' });
    await store.close();
  });

  it('answers a retried command with its first result, even after the fund moved on', async () => {
    const { store, service } = await setUp();
    const call: FundCommand = { type: 'HoldClose', data: {}, metadata: meta('jp-mof', '2026-06-30', 'close-1') };
    const first = await service.execute('usjp', call);
    await service.execute('usjp', commit('retail-2', '5000.00', 'USD', '2026-07-01'));
    await service.execute('usjp', { type: 'RecordMilestone', data: { milestone: 'G7 summit' }, metadata: meta('us-treasury', '2026-07-02') });
    const again = await service.execute('usjp', call);
    expect(again).toEqual({ ...first, written: false });
    const closes = (await collect(store.readAll({ eventTypes: ['CloseHeld'] }))).length;
    expect(closes).toBe(1);
    await store.close();
  });

  it('refuses a reused idempotency key with a different request, writing nothing', async () => {
    const { store, service } = await setUp();
    await service.execute('usjp', commit('retail-9', '100.00', 'USD', '2026-04-03', 'sub-9'));
    const head = await store.headPosition();
    await expect(service.execute('usjp', commit('retail-9', '200.00', 'USD', '2026-04-03', 'sub-9'))).rejects.toBeInstanceOf(IdempotencyConflictError);
    expect(await store.headPosition()).toBe(head);
    await store.close();
  });

  it('writes nothing when a rule rejects the command', async () => {
    const { store, service } = await setUp();
    const files = () => [store.path, `${store.path}-wal`].map((f) => (existsSync(f) ? readFileSync(f) : Buffer.alloc(0)));
    const before = files();
    await expect(
      service.execute('usjp', { type: 'CallCapital', data: { percentage: '0.10' }, metadata: meta('us-treasury', '2026-07-01') }),
    ).rejects.toMatchObject({
      constructor: Rejection,
      code: 'CALL_WITHOUT_ADMITTED_LP',
    });
    expect(files().every((bytes, i) => bytes.equals(before[i]))).toBe(true);
    await store.close();
  });

  it('keeps two instances (two API processes) over one store consistent: each catches up before deciding', async () => {
    const { store, service: a } = await setUp();
    const b = new FundCommandService(new SqliteEventStore(store.path));
    await a.execute('usjp', { type: 'HoldClose', data: {}, metadata: meta('jp-mof', '2026-06-30') });
    // b has not seen the close yet: it must read it before deciding, or this call would be refused.
    const call = await b.execute('usjp', { type: 'CallCapital', data: { percentage: '0.60' }, metadata: meta('us-treasury', '2026-07-01') });
    expect(call.events[0].data).toMatchObject({ callNumber: 1 });
    await expect(a.execute('usjp', { type: 'CallCapital', data: { percentage: '0.50' }, metadata: meta('us-treasury', '2026-07-02') })).rejects.toMatchObject({
      code: 'CALL_EXCEEDS_COMMITMENTS',
    });
    await store.close();
  });

  it("reverses a pending commitment on the fund's stream, replaced with corrected terms that the next close admits", async () => {
    const { store, service } = await setUp();
    const committed = await service.execute('usjp', commit('retail-7', '1500000', 'JPY', '2026-04-05'));
    const [stored] = await collect(store.readStream('fund-usjp.lp-retail-7'));
    const reverse = (eventId: string, replacement?: { type: string; data: Record<string, unknown> }) =>
      service.execute('usjp', { type: 'ReverseEvent', data: { eventId, reason: 'typo: one zero too many', replacement }, metadata: meta('jp-mof', '') });
    const reversal = await reverse(stored.id, { type: 'CapitalCommitted', data: { kind: 'retail', country: 'JP', amount: '150000', currency: 'JPY' } });
    // On the fund's stream, guarded by its revision like a close.
    expect(committed.stream).toBe('fund-usjp.lp-retail-7');
    expect(reversal.stream).toBe('fund-usjp');
    expect(reversal.events[0].data).toMatchObject({
      eventId: stored.id,
      reversedType: 'CapitalCommitted',
      replacement: { data: { amount: '150000', fxRate: '150.00', amountUsd: '1000.00' } },
    });
    const fundEvents = await collect(store.readStream('fund-usjp'));
    expect(fundEvents[fundEvents.length - 1].metadata.effectiveDate).toBe('2026-04-05');
    await expect(reverse(stored.id)).rejects.toMatchObject({ code: 'EVENT_ALREADY_REVERSED' });

    const close = await service.execute('usjp', { type: 'HoldClose', data: {}, metadata: meta('jp-mof', '2026-06-30') });
    // 110B + 90B + 10,000 + the corrected 1,000 (not 10,000).
    expect(close.events[0].data).toMatchObject({ pendingCount: 4, admittedUsd: '200000011000.00' });
    const [usGov] = await collect(store.readStream('fund-usjp.lp-us-gov'));
    await expect(reverse(usGov.id)).rejects.toMatchObject({ code: 'EVENT_NOT_REVERSIBLE' });
    await expect(reverse('00000000-0000-4000-8000-000000000000')).rejects.toMatchObject({ code: 'UNKNOWN_EVENT' });
    await store.close();
  });

  it('answers a retried commitment with its first result though another stream was written between (ledger loaded)', async () => {
    const { store, service } = await setUp();
    await service.execute('usjp', { type: 'HoldClose', data: {}, metadata: meta('jp-mof', '2026-06-30') });
    // Another fund's event between: the command side's ledger cannot fold the next commitment in place.
    await service.execute('other', establishUsJapanFund({ fundId: 'other' }));
    const first = await service.execute('usjp', commit('retail-b', '500.00', 'USD', '2026-07-03', 'key-b'));
    await service.execute('usjp', { type: 'RecordMilestone', data: { milestone: 'later' }, metadata: meta('us-treasury', '2026-08-01') });
    const again = await service.execute('usjp', commit('retail-b', '500.00', 'USD', '2026-07-03', 'key-b'));
    expect(again).toEqual({ ...first, written: false });
    expect((await collect(store.readStream('fund-usjp.lp-retail-b'))).length).toBe(1);
    await store.close();
  });

  it('writes only what reads back: an event the codec would refuse is refused before it is written, and what the rules allow reads back', async () => {
    const { store, service } = await setUp();
    const queries = new FundQueryService(store);
    // A project with no name, as the request's grammar and the rules allow: written, and every reader still reads the fund.
    await service.execute('usjp', {
      type: 'RegisterProject',
      data: { projectId: 'p1', name: '', sector: 'energy', partners: [], totalProjectSize: '1000.00' },
      metadata: meta('us-treasury', '2026-04-03'),
    });
    await service.execute('usjp', { type: 'ValueProject', data: { projectId: 'p1', fairValue: '10.00' }, metadata: meta('market-data', '2026-04-04') });
    expect((await queries.balanceSheet('usjp', { asOf: '2026-04-30' })).investments).toEqual([
      expect.objectContaining({ projectId: 'p1', fairValue: '10.00' }),
    ]);
    // A replacement carrying a field its type does not have: its rules pass (they read their own fields), its shape does not.
    const valued = (await collect(store.readStream('fund-usjp'))).find((e) => e.type === 'ProjectValued')!;
    const head = await store.headPosition();
    const reversal = service.execute('usjp', {
      type: 'ReverseEvent',
      data: { eventId: valued.id, reason: 'restated', replacement: { type: 'ProjectValued', data: { projectId: 'p1', fairValue: '12.00', note: 'x' } } },
      metadata: meta('us-treasury', ''),
    });
    await expect(reversal).rejects.toMatchObject({ code: 'INVALID_FORMAT', message: expect.stringMatching(/note.*nothing was written/) });
    expect(await store.headPosition()).toBe(head);
    expect((await queries.balanceSheet('usjp', { asOf: '2026-04-30' })).investments[0].fairValue).toBe('10.00');
  });
});
