import { establishUsJapanFund } from '@fundsim/domain/testing/fund-fixtures';
import { replicatedPostgresForTests, type ReplicatedPostgres } from '@fundsim/event-store/testing/postgres-replica';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually, keysIn, Node, type Answer } from './testing/nodes';
import { startApi } from './testing/server';

/**
 * Two API processes on one PostgreSQL log: W reads and writes the primary; R writes the primary
 * and reads a streaming replica of it (FUNDSIM_STORE_READ; a second cluster, made with
 * pg_basebackup -R). R's answers converge with W's; with the replica's replay paused, what R
 * decides and answers still holds every acknowledged write (its reads wait for the replica, then
 * read the primary), while /metrics and /health/ready say how far behind the replica is.
 */
const FUND = '/funds/usjp';
const dir = mkdtempSync(join(tmpdir(), 'fundsim-replica-'));
let pg: ReplicatedPostgres;
let W: Node;
let R: Node;

const withSchema = (url: string): string => {
  const u = new URL(url);
  u.searchParams.set('schema', `replica_${process.pid}`);
  return u.toString();
};
const commitment = (lpId: string, effectiveDate: string) => ({ effectiveDate, lpId, kind: 'retail', country: 'US', amount: '1000.00', currency: 'USD' });

async function metricsOf(node: Node): Promise<Record<string, number>> {
  const response = await fetch(`${node.api.url}/metrics`, { headers: node.auth('auditor') });
  const text = await response.text();
  // Each with its help and type, as prom-client writes them.
  for (const name of text.match(/^fundsim_replica_\w+(?= )/gm) ?? []) expect(text).toMatch(new RegExp(`^# HELP ${name} `, 'm'));
  return Object.fromEntries([...text.matchAll(/^(fundsim_replica_\w+) (\S+)$/gm)].map((m) => [m[1], Number(m[2])]));
}

async function readiness(
  node: Node,
): Promise<{ status: number; body: { status: string; replica?: { reachable: boolean; lagSeconds?: number; lagEvents?: number } } }> {
  const response = await fetch(`${node.api.url}/health/ready`);
  return { status: response.status, body: (await response.json()) as never };
}

const created = (a: Answer) => expect(a).toMatchObject({ status: 201 });

beforeAll(async () => {
  pg = await replicatedPostgresForTests();
  const primary = withSchema(pg.primary.url);
  const keysFile = join(dir, 'keys.json');
  const common = { FUNDSIM_STORE: primary, FUNDSIM_DEMO: 'off', FUNDSIM_DEMO_KEYS: keysFile, FUNDSIM_REQUEST_LOG: 'off' };
  const w = await startApi(common);
  const r = await startApi({ ...common, FUNDSIM_STORE_READ: withSchema(pg.replica.url), FUNDSIM_REPLICA_MAX_LAG: '1', FUNDSIM_REPLICA_WAIT_MS: '300' });
  const keys = keysIn(keysFile);
  [W, R] = [new Node('W', w, keys), new Node('R', r, keys)];
}, 120_000);

afterAll(async () => {
  await Promise.all([W, R].map((n) => n?.api.stop()));
  await pg?.stop();
  rmSync(dir, { recursive: true, force: true });
}, 60_000);

describe('an API node reading from a PostgreSQL streaming replica', () => {
  it('converges with the node on the primary, and reports the replica in /metrics and readiness', async () => {
    const { fundId: _fundId, ...terms } = establishUsJapanFund({ name: 'Replica', targetSize: '100000000.00', hardCap: '100000000.00' }).data;
    created(await W.post(`${FUND}/establish`, 'us-treasury', { effectiveDate: '2026-01-15', ...terms }, 'setup-1'));
    created(await W.post(`${FUND}/acceptances`, 'jp-mof', { effectiveDate: '2026-01-15' }, 'setup-2'));
    created(await W.post(`${FUND}/commitments`, 'retail-platform', commitment('lp-a', '2026-03-01'), 'setup-3'));
    // R decides on the fund W wrote, reading it from the replica.
    created(await R.post(`${FUND}/commitments`, 'retail-platform', commitment('lp-b', '2026-03-02'), 'setup-4'));
    created(await R.post(`${FUND}/closes`, 'jp-mof', { effectiveDate: '2026-03-31' }, 'setup-5'));
    const sheet = await W.get(`${FUND}/balance-sheet?asOf=2026-03-31`);
    expect(await R.get(`${FUND}/balance-sheet?asOf=2026-03-31`)).toEqual(sheet);
    expect(await R.get(`${FUND}/lps?asOf=2026-03-31`)).toEqual(await W.get(`${FUND}/lps?asOf=2026-03-31`));

    await eventually(
      async () => {
        const m = await metricsOf(R);
        return m.fundsim_replica_lag_events === 0 && m.fundsim_replica_lag_bytes === 0;
      },
      10_000,
      () => 'the replica did not catch up',
    );
    const metrics = await metricsOf(R);
    expect(metrics).toMatchObject({ fundsim_replica_up: 1, fundsim_replica_lag_events: 0, fundsim_replica_lag_bytes: 0, fundsim_replica_lag_seconds: 0 });
    expect(await metricsOf(W)).toEqual({});
    expect(await readiness(R)).toMatchObject({ status: 200, body: { status: 'ready', replica: { reachable: true, lagEvents: 0, lagSeconds: 0 } } });
  }, 60_000);

  it('decides and answers on every acknowledged write while the replica lags, says it is not ready, and is ready again once it catches up', async () => {
    const readsBefore = (await metricsOf(R)).fundsim_replica_primary_reads_total;
    await pg.pauseReplay();
    try {
      // One commitment through each node, then a close through R: it must admit both (read-your-writes, and W's acknowledged write).
      const viaW = await W.post(`${FUND}/commitments`, 'retail-platform', commitment('lp-c', '2026-04-01'), 'lag-1');
      const viaR = await R.post(`${FUND}/commitments`, 'retail-platform', commitment('lp-d', '2026-04-01'), 'lag-2');
      created(viaW);
      created(viaR);
      const close = await R.post(`${FUND}/closes`, 'us-treasury', { effectiveDate: '2026-04-30' }, 'lag-3');
      created(close);
      const held = (close.body.events as { type: string; data: { pendingCount: number; throughPosition: number } }[])[0];
      expect(held).toMatchObject({ type: 'CloseHeld', data: { pendingCount: 2 } });
      expect(held.data.throughPosition).toBeGreaterThanOrEqual(Math.max(viaW.body.position!, viaR.body.position!));
      // R's answers hold what W wrote a moment ago.
      created(await W.post(`${FUND}/fx-rates`, 'market-data', { effectiveDate: '2026-04-30', pair: 'USD/JPY', rate: '150.00' }, 'lag-4'));
      expect(await R.get(`${FUND}/balance-sheet?asOf=2026-04-30`)).toEqual(await W.get(`${FUND}/balance-sheet?asOf=2026-04-30`));
      const register = await R.get<{ rows: { lpId: string }[] }>(`${FUND}/lps?asOf=2026-04-30`);
      expect(register.rows.map((r) => r.lpId)).toEqual(expect.arrayContaining(['lp-a', 'lp-b', 'lp-c', 'lp-d']));

      await new Promise((resolve) => setTimeout(resolve, 1200));
      const metrics = await metricsOf(R);
      expect(metrics.fundsim_replica_up).toBe(1);
      expect(metrics.fundsim_replica_lag_events).toBeGreaterThanOrEqual(4);
      expect(metrics.fundsim_replica_lag_bytes).toBeGreaterThan(0);
      expect(metrics.fundsim_replica_lag_seconds).toBeGreaterThan(1);
      expect(metrics.fundsim_replica_primary_reads_total).toBeGreaterThan(readsBefore);
      expect(await readiness(R)).toMatchObject({ status: 503, body: { status: 'replica-lagging', replica: { reachable: true } } });
      // W has no replica: its readiness does not depend on one.
      expect((await readiness(W)).status).toBe(200);
    } finally {
      await pg.resumeReplay();
    }
    await eventually(
      async () => (await readiness(R)).status === 200,
      10_000,
      () => 'R did not become ready again',
    );
    // Ready once within FUNDSIM_REPLICA_MAX_LAG; caught up a moment later.
    await eventually(
      async () => {
        const m = await metricsOf(R);
        return m.fundsim_replica_lag_events === 0 && m.fundsim_replica_lag_bytes === 0;
      },
      10_000,
      () => 'the replica did not catch up',
    );
    expect(await metricsOf(R)).toMatchObject({ fundsim_replica_lag_events: 0, fundsim_replica_lag_bytes: 0, fundsim_replica_lag_seconds: 0 });
    expect(await R.get(`${FUND}/balance-sheet?asOf=2026-04-30`)).toEqual(await W.get(`${FUND}/balance-sheet?asOf=2026-04-30`));
  }, 60_000);
});
