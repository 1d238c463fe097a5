import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IdempotencyConflictError } from './errors';
import { SqliteEventStore } from './sqlite.event-store';
import { commitmentEvent } from './testing/fixtures';

const dir = mkdtempSync(join(tmpdir(), 'fundsim-command-ids-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a command id belongs to one stream (issue 24: a key reused at once on two LPs was booked twice)', () => {
  it('two processes racing one key onto two streams store it once', async () => {
    const path = join(dir, 'race.db');
    const [a, b] = [new SqliteEventStore(path), new SqliteEventStore(path)];
    for (let i = 0; i < 30; i++) {
      const outcomes = await Promise.allSettled([
        a.append(`lp-a${i}`, [commitmentEvent(`a${i}`, '1.00', { commandId: `k${i}` })]),
        b.append(`lp-b${i}`, [commitmentEvent(`b${i}`, '1.00', { commandId: `k${i}` })]),
      ]);
      expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
      expect((outcomes.find((o) => o.status === 'rejected') as PromiseRejectedResult).reason).toBeInstanceOf(IdempotencyConflictError);
    }
    expect(await a.verify()).toMatchObject({ ok: true, count: 30 });
    await Promise.all([a.close(), b.close()]);
  });

  it('a store written before keeps working with the duplicates it holds, and verify names them', async () => {
    // What an older version let through: the same id on another stream, written by a store that did not check.
    const legacy = new SqliteEventStore(join(dir, 'older.db'));
    await legacy.append('lp-1', [commitmentEvent('1', '1.00', { commandId: 'dup' })]);
    (legacy as unknown as { statements: { streamOfCommand: { get: () => undefined } } }).statements.streamOfCommand = { get: () => undefined };
    await legacy.append('lp-2', [commitmentEvent('2', '1.00', { commandId: 'dup' })]);
    await legacy.close();
    const reopened = new SqliteEventStore(join(dir, 'older.db'));
    expect(await reopened.verify()).toEqual({
      ok: true,
      count: 2,
      headHash: expect.any(String),
      commandsOnSeveralStreams: [{ commandId: 'dup', streams: ['lp-1', 'lp-2'] }],
    });
    // Still readable, still appendable; the id stays with its first stream, a retry there is the first result.
    expect((await reopened.append('lp-1', [commitmentEvent('1', '1.00', { commandId: 'dup' })])).written).toBe(false);
    await expect(reopened.append('lp-3', [commitmentEvent('3', '1.00', { commandId: 'dup' })])).rejects.toBeInstanceOf(IdempotencyConflictError);
    await reopened.append('lp-3', [commitmentEvent('3', '1.00', { commandId: 'fresh' })]);
    expect(await reopened.verify()).toMatchObject({ ok: true, count: 3 });
    await reopened.close();
  });
});
