import { FundCommandService, ScenarioService } from '@fundsim/application';
import { establishUsJapanFund } from '@fundsim/domain/testing/fund-fixtures';
import { SqliteEventStore } from '@fundsim/event-store';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { issueKeys } from '../../api/src/testing/principals';
import { startApi } from '../../api/src/testing/server';

/**
 * Issue 24, item 5: `fundsim apply` (a process of its own) on a store the API (another) is
 * writing to without pause, commitments of LPs the scenarios do not name, in the scenarios' fund
 * and in another. Every apply succeeds and every commitment the API answered is in the log.
 */
const ROOT = join(__dirname, '..', '..', '..');
/** Per file: enough that deciding it takes a while, during which the API writes. */
const COMMITMENTS = 200;
const dir = mkdtempSync(join(tmpdir(), 'fundsim-apply-live-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** `fundsim apply` as a child process, without blocking the load this process drives. */
function fundsimApply(file: string, store: string): Promise<{ code: number | null; out: string; err: string }> {
  const child = spawn(process.execPath, [join(ROOT, 'bin', 'fundsim.js'), 'apply', file, '--store', store]);
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, out, err })));
}

it('applies six scenario files while the API takes commitments to unrelated LPs of the same fund and of another', async () => {
  const path = join(dir, 'fundsim.db');
  const seed = new SqliteEventStore(path);
  await new ScenarioService(seed).apply(readFileSync(join(ROOT, 'scenarios', 'first-close.json'), 'utf8'));
  await new FundCommandService(seed).execute('other', establishUsJapanFund({ fundId: 'other' }));
  await seed.close();
  const keys = await issueKeys(path);
  const api = await startApi({ FUNDSIM_STORE: `sqlite:${path}`, FUNDSIM_DEMO: 'off', FUNDSIM_REQUEST_LOG: 'off', FUNDSIM_RATE_LIMIT: '1000000' });
  const statuses = new Map<number, number>();
  let loading = true;
  // Dates each fund's open period takes from an operator.
  const dates: Record<string, string> = { usjp: '2026-09-30', other: '2026-03-01' };
  const load = async (lane: number) => {
    for (let n = 0; loading; n++) {
      const fundId = n % 2 === 0 ? 'usjp' : 'other';
      const response = await fetch(`${api.url}/funds/${fundId}/commitments`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${keys['retail-platform']}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ effectiveDate: dates[fundId], lpId: `http-${lane}-${n}`, kind: 'retail', country: 'US', amount: '1000.00', currency: 'USD' }),
      });
      await response.arrayBuffer();
      statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
    }
  };
  const lanes = Array.from({ length: 32 }, (_, lane) => load(lane));
  const applied = [];
  try {
    for (let k = 0; k < 6; k++) {
      const file = join(dir, `scenario-${k}.json`);
      const day = 10 + 2 * k;
      writeFileSync(
        file,
        JSON.stringify({
          fundId: 'usjp',
          commands: [
            { type: 'RecordFxRate', effectiveDate: `2026-09-${day}`, actor: 'market-data', pair: 'USD/JPY', rate: `${148 + k}.50` },
            ...Array.from({ length: COMMITMENTS }, (_, i) => ({
              type: 'CommitCapital',
              effectiveDate: `2026-09-${day}`,
              actor: 'retail-platform',
              lpId: `applied-${k}-${i}`,
              kind: 'retail',
              country: 'JP',
              amount: '1500000',
              currency: 'JPY',
            })),
            { type: 'RecordMilestone', effectiveDate: `2026-09-${day + 1}`, actor: 'jp-mof', milestone: `milestone ${k}` },
          ],
        }),
      );
      applied.push(await fundsimApply(file, `sqlite:${path}`));
    }
  } finally {
    loading = false;
    await Promise.all(lanes);
    await api.stop();
  }
  // Each decided once: the API's writes never sent a file back to be decided again.
  expect(
    applied.map((a) => [
      a.code,
      a.out.trim().replace(/\(positions .*\)/, '(positions ...)'),
      a.err.split('\n').filter((l) => l.startsWith(`decided ${COMMITMENTS + 2}/`)).length,
    ]),
  ).toEqual(
    Array.from({ length: 6 }, (_, k) => [
      0,
      `Applied ${COMMITMENTS + 2} commands of ${join(dir, `scenario-${k}.json`)} to fund usjp: ${COMMITMENTS + 2} events written (positions ...).`,
      1,
    ]),
  );
  // The API kept writing throughout, and every commitment it answered 201 is in the log once.
  expect([...statuses.keys()]).toEqual([201]);
  const store = new SqliteEventStore(path);
  let http = 0;
  for await (const event of store.readAll({ eventTypes: ['CapitalCommitted'] })) if (event.stream.includes('.lp-http-')) http++;
  expect(http).toBe(statuses.get(201));
  expect(http).toBeGreaterThan(50);
  expect((await store.verify()).ok).toBe(true);
  await store.close();
}, 120_000);
