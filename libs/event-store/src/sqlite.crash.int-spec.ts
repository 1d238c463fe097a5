import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from './sqlite.event-store';
import { collect } from './testing/event-store.contract';

const dir = mkdtempSync(join(tmpdir(), 'fundsim-crash-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Starts the ingesting child and kills it with SIGKILL once it has committed `batches` batches. */
function ingestThenKill(path: string, tag: string, batches: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--require', 'tsx/cjs', join(__dirname, 'testing', 'ingest-child.ts'), path, tag], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let committed = 0;
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.stdout.on('data', (chunk: Buffer) => {
      const lines = chunk.toString().trim().split('\n');
      committed = Number(lines[lines.length - 1]);
      if (committed >= batches) child.kill('SIGKILL');
    });
    child.on('exit', (_code, signal) => (signal === 'SIGKILL' ? resolve(committed) : reject(new Error(`child exited without being killed: ${stderr}`))));
  });
}

describe('SQLite store killed with SIGKILL mid-ingest', () => {
  it('opens, verifies, and holds only whole appends, three crashes in a row', async () => {
    const path = join(dir, 'crash.db');
    let reported = 0;
    for (const tag of ['a', 'b', 'c']) reported += await ingestThenKill(path, tag, 15 + Math.floor(Math.random() * 10));

    const store = new SqliteEventStore(path);
    const verified = await store.verify();
    expect(verified.ok).toBe(true);

    const perStream = new Map<string, number>();
    for (const event of await collect(store.readAll())) perStream.set(event.stream, (perStream.get(event.stream) ?? 0) + 1);
    // Each batch wrote 50 streams of 4 events in one transaction: a torn write would show as a
    // stream with fewer than 4 events or a batch with fewer than 50 streams.
    expect([...perStream.values()].every((count) => count === 4)).toBe(true);
    expect(perStream.size % 50).toBe(0);
    // Every batch the child reported is there; at most one more per crash committed unreported.
    expect(perStream.size / 50).toBeGreaterThanOrEqual(reported);
    expect(perStream.size / 50).toBeLessThanOrEqual(reported + 3);
    if (verified.ok) expect(verified.count).toBe(perStream.size * 4);

    // And the store goes on accepting writes after the crashes.
    await store.append('lp-after', [{ type: 'CapitalCommitted', data: { amount: '1.00' }, metadata: { actor: 'a', effectiveDate: '2026-01-01' } }]);
    expect((await store.verify()).ok).toBe(true);
    await store.close();
  }, 60_000);
});
