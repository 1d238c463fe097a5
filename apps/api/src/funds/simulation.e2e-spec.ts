import type { INestApplication } from '@nestjs/common';
import { FundQueryService, SimulationPool, SimulationService } from '@fundsim/application';
import { SqliteEventStore } from '@fundsim/event-store';
import { mkdtempSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { runCli } from '../../../cli/src/main';
import { apiOverScenarios, type asPrincipals } from '../testing/principals';

const dir = mkdtempSync(join(tmpdir(), 'fundsim-simulate-'));
const path = join(dir, 'fundsim.db');
let app: INestApplication;
/** A prospective investor's simulation: asked with an LP's key. */
let lp: Record<string, string>;
let auditor: Record<string, string>;
/** The API on a port, for clients that go away (fetch with an AbortSignal). */
let base: string;

beforeAll(async () => {
  // One worker, whatever the machine: the queue test below counts on it.
  process.env.FUNDSIM_SIMULATION_WORKERS = '1';
  let as: ReturnType<typeof asPrincipals>;
  ({ app, as } = await apiOverScenarios(path));
  await app.listen(0);
  base = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
  lp = as.auth('retail-us-000001');
  auditor = as.auth('auditor');
});

afterAll(async () => {
  await app.close();
  delete process.env.FUNDSIM_STORE;
  delete process.env.FUNDSIM_SIMULATION_WORKERS;
  rmSync(dir, { recursive: true, force: true });
}, 30_000);

describe('simulating an LP commitment through the API, the CLI and the service', () => {
  it('gives the same numbers for the same input and seed, whichever way it is asked', async () => {
    const input = { amount: '1500000', currency: 'JPY' as const, date: '2026-12-31', scenario: 'bear', paths: 400, seed: 9 };
    const api = await request(app.getHttpServer()).post('/funds/usjp/simulations/lp-commitment').set(lp).send(input).expect(200);

    const out: string[] = [];
    const code = await runCli(
      [
        'simulate',
        '--fund',
        'usjp',
        '--amount',
        '1500000',
        '--currency',
        'JPY',
        '--date',
        '2026-12-31',
        '--scenario',
        'bear',
        '--paths',
        '400',
        '--seed',
        '9',
        '--json',
        '--store',
        `sqlite:${path}`,
      ],
      { out: (s) => out.push(s), err: () => undefined },
    );
    expect(code).toBe(0);

    const store = new SqliteEventStore(path);
    const direct = await new SimulationService(new FundQueryService(store)).simulateCommitment('usjp', input);
    await store.close();

    const cli = JSON.parse(out.join('\n'));
    expect(cli).toEqual(api.body);
    expect(JSON.parse(JSON.stringify(direct))).toEqual(api.body);
    expect(api.body.admission.equalizationPaymentUsd).toBe('1020.96');
    // A yen commitment: in dollars, in yen unhedged and in yen hedged (issue 28, item 4).
    expect(Object.keys(api.body.results)).toEqual(['USD', 'JPY', 'JPYHedged']);

    // One engine: the fund simulation following the same commitment, over HTTP and on the CLI, gives the same outcome.
    const commitment = { amount: input.amount, currency: input.currency };
    const fund = { from: input.date, scenario: input.scenario, paths: input.paths, seed: input.seed, commitment };
    const viaFund = await request(app.getHttpServer()).post('/funds/usjp/simulations/fund').set(auditor).send(fund).expect(200);
    expect(viaFund.body.lp.admission).toEqual(api.body.admission);
    expect(viaFund.body.lp.results).toEqual(api.body.results);
    const fundOut: string[] = [];
    const args = ['--from', '2026-12-31', '--scenario', 'bear', '--paths', '400', '--seed', '9', '--commit', '1500000', '--currency', 'JPY'];
    expect(
      await runCli(['simulate-fund', '--fund', 'usjp', ...args, '--json', '--store', `sqlite:${path}`], { out: (s) => fundOut.push(s), err: () => undefined }),
    ).toBe(0);
    expect(JSON.parse(fundOut.join('\n')).lp.results).toEqual(api.body.results);
    await request(app.getHttpServer())
      .post('/funds/usjp/simulations/fund')
      .set(auditor)
      .send({ ...fund, commitment: { amount: '10', currency: 'EUR' } })
      .expect(400);
    await request(app.getHttpServer())
      .post('/funds/usjp/simulations/fund')
      .set(auditor)
      .send({ ...fund, lpId: 'retail-us-000001' })
      .expect(422);
  });

  it('answers bad input with a clear error: 400 for the shape, 422 for the rules, 404 for no fund', async () => {
    const http = () => request(app.getHttpServer()).post('/funds/usjp/simulations/lp-commitment').set(lp);
    const ok = { amount: '10000.00', currency: 'USD', date: '2026-12-31', paths: 10 };
    expect(
      (
        await http()
          .send({ ...ok, amount: '-5.00' })
          .expect(422)
      ).body.code,
    ).toBe('INVALID_AMOUNT');
    expect(
      (
        await http()
          .send({ ...ok, scenario: 'moon' })
          .expect(400)
      ).body.errors[0].field,
    ).toBe('scenario');
    expect(
      (
        await http()
          .send({ ...ok, paths: 0 })
          .expect(400)
      ).body.errors[0].field,
    ).toBe('paths');
    expect(
      (
        await http()
          .send({ ...ok, paths: 1_000_001 })
          .expect(400)
      ).body.errors[0].field,
    ).toBe('paths');
    expect(
      (
        await http()
          .send({ ...ok, date: '2020-01-01' })
          .expect(422)
      ).body.code,
    ).toBe('INVALID_DATE');
    expect(
      (
        await http()
          .send({ ...ok, parameters: { growth: 9 } })
          .expect(422)
      ).body.code,
    ).toBe('INVALID_PARAMETER');
    expect((await request(app.getHttpServer()).post('/funds/nofund/simulations/lp-commitment').set(auditor).send(ok).expect(404)).body.code).toBe(
      'FUND_NOT_ESTABLISHED',
    );
  });

  it('runs off the event loop: /health answers within 100 ms during a million paths, and a principal over its quota is a 429', async () => {
    const url = `${base}/funds/usjp/simulations/lp-commitment`;
    const requests: Abandonable[] = [];
    const post = (paths: number) =>
      requests[requests.push(postAbandonable(url, lp, { amount: '10000.00', currency: 'USD', date: '2026-12-31', paths })) - 1].status;
    void post(1_000_000);
    await new Promise((r) => setTimeout(r, 300));
    for (let i = 0; i < 5; i++) {
      const started = performance.now();
      expect((await fetch(`${base}/health`)).status).toBe(200);
      expect(performance.now() - started).toBeLessThan(100);
    }
    // One running and two waiting is the LP's quota: the next is refused at once, with when to come back.
    const answers = await Promise.race([
      Promise.all(Array.from({ length: 2 }, () => post(100))).then(() => 'all answered'),
      new Promise((r) => setTimeout(() => r('some wait'), 1000)),
    ]);
    expect(answers).toBe('some wait');
    const refused = await fetch(url, {
      method: 'POST',
      headers: { ...lp, 'content-type': 'application/json' },
      body: JSON.stringify({ amount: '10000.00', currency: 'USD', date: '2026-12-31', paths: 100 }),
    });
    expect(refused.status).toBe(429);
    expect(((await refused.json()) as { code: string }).code).toBe('SIMULATION_QUOTA_EXCEEDED');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    for (const request of requests) request.abandon();
    await poolIdle();
  }, 30_000);

  it("answers another principal's small simulation ahead of one principal's abandoned million-path runs, which are cancelled", async () => {
    const url = `${base}/funds/usjp/simulations/lp-commitment`;
    const pool = app.get(SimulationPool);
    const before = pool.stats();
    // The finding: six million-path simulations from one LP key, then abandoned.
    const big = Array.from({ length: 6 }, () => postAbandonable(url, lp, { amount: '10000.00', currency: 'USD', date: '2026-12-31', paths: 1_000_000 }));
    const refused: unknown[] = [];
    for (const b of big) void b.status.then((status) => refused.push(status));
    // Its quota: one running, two waiting; the other three refused at once.
    await until(() => pool.stats().running === 1 && pool.stats().waiting === 2 && refused.length === 3);
    expect(refused).toEqual([429, 429, 429]);

    // The auditor asks for its own, as JSON lines: it is next in line, not behind the LP's two waiting runs.
    const response = await fetch(url, {
      method: 'POST',
      headers: { ...auditor, 'content-type': 'application/json', accept: 'application/x-ndjson' },
      body: JSON.stringify({ amount: '10000.00', currency: 'USD', date: '2026-12-31', paths: 500 }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/x-ndjson/);
    const lines = readLines(response);
    expect(await lines.next()).toEqual({ done: false, value: { type: 'queued', position: 1 } });

    // The LP's client goes away: its running run is stopped and its waiting ones leave the line.
    for (const request of big) request.abandon();
    const rest: { type: string; result?: { paths: number } }[] = [];
    for await (const line of lines) rest.push(line as (typeof rest)[number]);
    expect(rest[0]).toEqual({ type: 'started' });
    expect(rest.at(-1)).toMatchObject({ type: 'result', result: { paths: 500 } });
    // Answered without any of the LP's million-path runs having finished: they were all cancelled.
    expect(pool.stats().completed - before.completed).toBe(1);
    await poolIdle();
    expect(pool.stats().cancelled - before.cancelled).toBe(3);
  }, 60_000);

  it('streams the fund simulation as JSON lines too, and keeps its JSON answer for other clients', async () => {
    const body = JSON.stringify({ from: '2026-12-31', paths: 50, parameters: { quarters: 8 } });
    const url = `${base}/funds/usjp/simulations/fund`;
    const streamed = await fetch(url, { method: 'POST', headers: { ...auditor, 'content-type': 'application/json', accept: 'application/x-ndjson' }, body });
    const lines: { type: string; result?: unknown }[] = [];
    for await (const line of readLines(streamed)) lines.push(line as (typeof lines)[number]);
    expect(lines.map((l) => l.type).filter((t) => t !== 'progress')).toEqual(['started', 'result']);
    const plain = await fetch(url, { method: 'POST', headers: { ...auditor, 'content-type': 'application/json' }, body });
    expect(plain.headers.get('content-type')).toMatch(/^application\/json/);
    expect(lines.at(-1)!.result).toEqual(await plain.json());
  }, 30_000);
});

interface Abandonable {
  /** The answer's status, or 'abandoned' when the client went away first. */
  status: Promise<number | 'abandoned'>;
  /** The client goes away: its connection is closed, as when a tab is closed or curl is killed. */
  abandon(): void;
}

/** A POST on a connection of its own, whose client can go away before the answer. */
function postAbandonable(url: string, headers: Record<string, string>, body: object): Abandonable {
  const req = httpRequest(url, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, agent: false });
  const status = new Promise<number | 'abandoned'>((resolve) => {
    req.on('response', (res) => (res.resume(), resolve(res.statusCode!)));
    req.on('error', () => resolve('abandoned'));
  });
  req.end(JSON.stringify(body));
  return { status, abandon: () => req.destroy() };
}

/** Waits for a condition of the server's state (polled; not a timing assertion). */
async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((r) => setTimeout(r, 20));
}

const poolIdle = () => until(() => app.get(SimulationPool).stats().running === 0 && app.get(SimulationPool).stats().waiting === 0);

/** The JSON lines of a streamed answer, as they come. */
async function* readLines(response: Response): AsyncGenerator<unknown> {
  const decoder = new TextDecoder();
  let buffered = '';
  const reader = response.body!.getReader();
  for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
    buffered += decoder.decode(chunk.value, { stream: true });
    let end: number;
    while ((end = buffered.indexOf('\n')) >= 0) {
      yield JSON.parse(buffered.slice(0, end));
      buffered = buffered.slice(end + 1);
    }
  }
}
