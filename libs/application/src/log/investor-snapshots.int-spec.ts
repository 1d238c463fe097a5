import { InvestorLedger, type CommitCapital } from '@fundsim/domain';
import { establishUsJapanFund } from '@fundsim/domain/testing/fund-fixtures';
import { hashAt, SqliteEventStore } from '@fundsim/event-store';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FundCommandService } from '../commands/fund-commands.service';
import { FundQueryService } from '../queries/fund-queries.service';
import { InvestorSnapshots } from './investor-snapshots';

const dir = mkdtempSync(join(tmpdir(), 'fundsim-snapshots-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

const meta = (actor: string, effectiveDate: string) => ({ actor, effectiveDate });
const commit = (lpId: string, amount: string, date: string): CommitCapital => ({
  type: 'CommitCapital',
  data: { lpId, kind: 'retail', country: lpId.endsWith('7') ? 'JP' : 'US', amount, currency: 'USD' },
  metadata: meta('retail-platform', date),
});

/** A fund with 60 admitted LPs (one close scaled back), 5 more pending. */
async function fundStore(): Promise<{ store: SqliteEventStore; path: string }> {
  const path = join(dir, `fund-${++n}.db`);
  const store = new SqliteEventStore(path);
  const service = new FundCommandService(store);
  await service.execute('usjp', establishUsJapanFund({ hardCap: '500000.00', targetSize: '500000.00' }));
  for (let i = 0; i < 60; i++) await service.execute('usjp', commit(`r${i}`, `${1000 + i * 97}.${String(i % 100).padStart(2, '0')}`, '2026-03-01'));
  await service.execute('usjp', { type: 'HoldClose', data: {}, metadata: meta('jp-mof', '2026-06-30') });
  await service.execute('usjp', { type: 'CallCapital', data: { percentage: '0.10' }, metadata: meta('us-treasury', '2026-07-01') });
  for (let i = 60; i < 65; i++) await service.execute('usjp', commit(`r${i}`, '2000.00', '2026-08-01'));
  return { store, path };
}

const figures = async (store: SqliteEventStore) => {
  const queries = new FundQueryService(store);
  const query = { asOf: '2026-12-31' };
  return {
    sheet: await queries.balanceSheet('usjp', query),
    register: await queries.register('usjp', query, 0, 100),
    account: await queries.capitalAccount('usjp', 'r7', query),
    ledger: (await queries.books('usjp')).investors.toSnapshot(),
  };
};

/** The reader writes its snapshot just after the answer that caught up: wait for it. */
async function written(store: SqliteEventStore): Promise<Awaited<ReturnType<InvestorSnapshots['load']>>> {
  for (let i = 0; i < 100; i++) {
    const found = await new InvestorSnapshots(store).load('usjp');
    if (found.status === 'loaded') return found;
    await new Promise((r) => setTimeout(r, 20));
  }
  return new InvestorSnapshots(store).load('usjp');
}

const snapshotFile = (path: string) => join(`${path}.snapshots`, 'usjp.investors.json');

describe('persisted snapshots of the investor ledger', () => {
  it('are used when they check out: the figures come from the snapshot, then from the log appended after it', async () => {
    const { store } = await fundStore();
    const cold = await figures(store);
    // A snapshot that checks out but says something else of LP r7: a restarted reader believes it.
    const ledger = (await new FundCommandService(store).investors('usjp')) as InvestorLedger;
    const head = await store.headPosition();
    const altered = InvestorLedger.fromSnapshot(ledger.toSnapshot());
    altered.lp('r7')!.country = 'US';
    await new InvestorSnapshots(store).save('usjp', altered, head, await hashAt(store, head));
    expect(await new InvestorSnapshots(store).load('usjp')).toMatchObject({ status: 'loaded', position: head });
    const warm = await figures(store);
    expect(cold.register.rows.find((r) => r.lpId === 'r7')!.country).toBe('JP');
    expect(warm.register.rows.find((r) => r.lpId === 'r7')!.country).toBe('US');
    expect({ ...warm.sheet }).toEqual({ ...cold.sheet });

    // The command side restores the same ledger and decides on it as it would on a cold fold.
    const restoredService = new FundCommandService(store);
    expect((await restoredService.investors('usjp')).lp('r7')!.country).toBe('US');
    const close = await restoredService.execute('usjp', { type: 'HoldClose', data: {}, metadata: meta('jp-mof', '2026-09-30') });
    expect(close.events[0].data).toMatchObject({ closeNumber: 2, pendingCount: 5, admittedUsd: '10000.00' });
    await store.close();
  });

  it.each([
    ['truncated', (file: string) => truncateSync(file, statSync(file).size - 10), /truncated/],
    [
      'with one byte changed',
      (file: string) => {
        const bytes = readFileSync(file);
        bytes[bytes.length - 20] ^= 1;
        writeFileSync(file, bytes);
      },
      /checksum/,
    ],
    ['with its header garbled', (file: string) => writeFileSync(file, Buffer.concat([Buffer.from('{"format":'), readFileSync(file)])), /header/],
  ])('are detected %s, never trusted, and rebuilt from the log', async (_what, damage, reason) => {
    const { store, path } = await fundStore();
    const cold = await figures(store);
    const head = await store.headPosition();
    await new InvestorSnapshots(store).save('usjp', (await new FundCommandService(store).investors('usjp')) as InvestorLedger, head, await hashAt(store, head));
    damage(snapshotFile(path));
    expect(await new InvestorSnapshots(store).load('usjp')).toMatchObject({ status: 'corrupt', reason: expect.stringMatching(reason) });
    // Both sides fold the log instead, with the same figures; the reader writes a sound snapshot.
    expect(await figures(store)).toEqual(cold);
    expect((await new FundCommandService(store).investors('usjp')).toSnapshot()).toEqual(cold.ledger);
    expect(await written(store)).toMatchObject({ status: 'loaded', position: head });
    await store.close();
  });

  it("are stale, not corrupt, when another build's version wrote them: folded again from the log and rewritten", async () => {
    const { store, path } = await fundStore();
    const cold = await figures(store);
    const head = await store.headPosition();
    await new InvestorSnapshots(store).save('usjp', (await new FundCommandService(store).investors('usjp')) as InvestorLedger, head, await hashAt(store, head));
    const bytes = readFileSync(snapshotFile(path), 'utf8');
    writeFileSync(snapshotFile(path), bytes.replace('"version":1,', '"version":0,'));
    expect(await new InvestorSnapshots(store).load('usjp')).toMatchObject({
      status: 'stale',
      reason: expect.stringMatching(/version 0, this build reads version 1/),
    });
    expect(await figures(store)).toEqual(cold);
    expect(await written(store)).toMatchObject({ status: 'loaded', position: head });
    await store.close();
  });

  it('are stale when the log at their position is not the one they were folded from', async () => {
    const a = await fundStore();
    const b = await fundStore();
    const head = await a.store.headPosition();
    await new InvestorSnapshots(a.store).save(
      'usjp',
      (await new FundCommandService(a.store).investors('usjp')) as InvestorLedger,
      head,
      await hashAt(a.store, head),
    );
    // Another log of the same shape: same positions, other event ids and times, so other hashes.
    mkdirSync(`${b.path}.snapshots`);
    copyFileSync(snapshotFile(a.path), snapshotFile(b.path));
    expect(await new InvestorSnapshots(b.store).load('usjp')).toMatchObject({ status: 'stale' });
    const rebuilt = await figures(b.store);
    expect(await written(b.store)).toMatchObject({ status: 'loaded' });
    expect(await figures(b.store)).toEqual(rebuilt);
    await a.store.close();
    await b.store.close();
  });
});
