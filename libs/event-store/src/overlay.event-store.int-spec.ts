import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IdempotencyConflictError, StreamChangedError, StreamNotFoundError, WrongExpectedRevisionError } from './errors';
import { OverlayEventStore } from './overlay.event-store';
import { SqliteEventStore } from './sqlite.event-store';
import { collect, commitment } from './testing/event-store.contract';

const dir = mkdtempSync(join(tmpdir(), 'fundsim-overlay-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('OverlayEventStore over SQLite', () => {
  it('reads the base as it stood, buffers appends chained on from it, and writes nothing to the base', async () => {
    const base = new SqliteEventStore(join(dir, 'a.db'));
    await base.append('lp-1', [commitment('lp-1', '1.00', { commandId: 'c1' })]);
    await base.append('lp-2', [commitment('lp-2', '2.00')]);
    const overlay = await OverlayEventStore.over(base);
    // Written to the base after the overlay opened: the overlay never sees it.
    await base.append('lp-1', [commitment('lp-1', '3.00')]);
    await base.append('lp-3', [commitment('lp-3', '4.00')]);

    expect(await overlay.headPosition()).toBe(2);
    expect(await overlay.streamRevision('lp-1')).toBe(0);
    expect(await overlay.streamRevision('lp-3')).toBeUndefined();
    const added = await overlay.append('lp-1', [commitment('lp-1', '5.00')], { expectedRevision: 0 });
    expect(added).toMatchObject({ nextExpectedRevision: 1, position: 3, written: true });
    await expect(overlay.append('lp-2', [commitment('lp-2', '6.00')], { expectedRevision: 'no-stream' })).rejects.toBeInstanceOf(WrongExpectedRevisionError);
    // The same command as one in the base: its first result; the same id for other content: refused.
    expect(await overlay.append('lp-1', [commitment('lp-1', '1.00', { commandId: 'c1' })])).toMatchObject({ position: 1, written: false });
    await expect(overlay.append('lp-1', [commitment('lp-1', '9.00', { commandId: 'c1' })])).rejects.toBeInstanceOf(IdempotencyConflictError);

    expect((await collect(overlay.readStream('lp-1'))).map((e) => [e.position, e.data.amount])).toEqual([
      [1, '1.00'],
      [3, '5.00'],
    ]);
    await expect(collect(overlay.readStream('lp-3'))).rejects.toBeInstanceOf(StreamNotFoundError);
    expect((await collect(overlay.readAll())).map((e) => e.position)).toEqual([1, 2, 3]);
    expect((await collect(overlay.readAll({ fromPosition: 2, streamPrefix: 'lp-1' }))).map((e) => e.position)).toEqual([3]);
    expect(await overlay.verify()).toMatchObject({ ok: true, count: 1 });
    expect(await base.headPosition()).toBe(4);
    await base.close();
  });

  it('takes a batch made from its head, refused when a watched stream of the base or of its own changed since', async () => {
    const base = new SqliteEventStore(join(dir, 'watched.db'));
    await base.append('fund', [commitment('f', '1.00')]);
    await base.append('fund.lp-1', [commitment('lp-1', '1.00')]);
    const overlay = await OverlayEventStore.over(base);
    await overlay.append('other', [commitment('o', '1.00')]);
    const watched = { position: 1, streams: new Set(['fund']), prefixes: ['fund.'] };
    await expect(overlay.appendBatch(() => [], { unchangedSince: watched })).rejects.toMatchObject({ stream: 'fund.lp-1', position: 2 });
    const [result] = await overlay.appendBatch((head) => [{ stream: 'fund', events: [commitment('f', `${head}.00`)], expectedRevision: 0 }], {
      unchangedSince: { ...watched, position: 2 },
    });
    expect(result.events![0]).toMatchObject({ position: 4, data: { amount: '3.00' } });
    await expect(overlay.appendBatch([], { unchangedSince: { ...watched, position: 3 } })).rejects.toBeInstanceOf(StreamChangedError);
    await base.close();
  });

  it('rolls back a whole batch when one of its appends is refused', async () => {
    const base = new SqliteEventStore(join(dir, 'b.db'));
    await base.append('lp-1', [commitment('lp-1', '1.00')]);
    const overlay = await OverlayEventStore.over(base);
    await expect(
      overlay.appendBatch([
        { stream: 'lp-2', events: [commitment('lp-2', '2.00')], expectedRevision: 'no-stream' },
        { stream: 'lp-1', events: [commitment('lp-1', '3.00')], expectedRevision: 'no-stream' },
      ]),
    ).rejects.toBeInstanceOf(WrongExpectedRevisionError);
    expect(overlay.added()).toEqual([]);
    expect(await overlay.streamRevision('lp-2')).toBeUndefined();
    await base.close();
  });
});
