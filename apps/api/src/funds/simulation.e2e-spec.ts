import type { INestApplication } from '@nestjs/common';
import { FundQueryService, SimulationService } from '@fundsim/application';
import { SqliteEventStore } from '@fundsim/event-store';
import { mkdtempSync, rmSync } from 'node:fs';
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

beforeAll(async () => {
  // One worker, whatever the machine: the queue test below counts on it.
  process.env.FUNDSIM_SIMULATION_WORKERS = '1';
  let as: ReturnType<typeof asPrincipals>;
  ({ app, as } = await apiOverScenarios(path));
  lp = as.auth('retail-us-000001');
  auditor = as.auth('auditor');
});

afterAll(async () => {
  await app.close();
  delete process.env.FUNDSIM_STORE;
  delete process.env.FUNDSIM_SIMULATION_WORKERS;
  rmSync(dir, { recursive: true, force: true });
});

describe('simulating an LP commitment through the API, the CLI and the service', () => {
  it('gives the same numbers for the same input and seed, whichever way it is asked', async () => {
    const input = { amount: '1500000', currency: 'JPY' as const, date: '2026-12-31', scenario: 'bear', paths: 400, seed: 9 };
    const api = await request(app.getHttpServer()).post('/funds/usjp/simulations/lp-commitment').set(lp).send(input).expect(200);

    const out: string[] = [];
    const code = await runCli(['simulate', '--fund', 'usjp', '--amount', '1500000', '--currency', 'JPY', '--date', '2026-12-31', '--scenario', 'bear', '--paths', '400', '--seed', '9', '--json', '--store', `sqlite:${path}`], { out: (s) => out.push(s), err: () => undefined });
    expect(code).toBe(0);

    const store = new SqliteEventStore(path);
    const direct = await new SimulationService(store, new FundQueryService(store)).simulateCommitment('usjp', input);
    await store.close();

    const cli = JSON.parse(out.join('\n'));
    expect(cli).toEqual(api.body);
    expect(JSON.parse(JSON.stringify(direct))).toEqual(api.body);
    expect(api.body.admission.equalizationPaymentUsd).toBe('1020.96');
    expect(Object.keys(api.body.results)).toEqual(['USD', 'JPY']);
  });

  it('answers bad input with a clear error: 400 for the shape, 422 for the rules, 404 for no fund', async () => {
    const http = () => request(app.getHttpServer()).post('/funds/usjp/simulations/lp-commitment').set(lp);
    const ok = { amount: '10000.00', currency: 'USD', date: '2026-12-31', paths: 10 };
    expect((await http().send({ ...ok, amount: '-5.00' }).expect(422)).body.code).toBe('INVALID_AMOUNT');
    expect((await http().send({ ...ok, scenario: 'moon' }).expect(400)).body.errors[0].field).toBe('scenario');
    expect((await http().send({ ...ok, paths: 0 }).expect(400)).body.errors[0].field).toBe('paths');
    expect((await http().send({ ...ok, paths: 1_000_001 }).expect(400)).body.errors[0].field).toBe('paths');
    expect((await http().send({ ...ok, date: '2020-01-01' }).expect(422)).body.code).toBe('INVALID_DATE');
    expect((await http().send({ ...ok, parameters: { growth: 9 } }).expect(422)).body.code).toBe('INVALID_PARAMETER');
    expect((await request(app.getHttpServer()).post('/funds/nofund/simulations/lp-commitment').set(auditor).send(ok).expect(404)).body.code).toBe('FUND_NOT_ESTABLISHED');
  });

  it('runs off the event loop: /health answers within 100 ms during a million paths, and a full queue is a 503', async () => {
    await app.listen(0);
    const { port } = app.getHttpServer().address() as { port: number };
    const url = `http://127.0.0.1:${port}/funds/usjp/simulations/lp-commitment`;
    const controller = new AbortController();
    const post = (paths: number) =>
      fetch(url, { method: 'POST', signal: controller.signal, headers: { ...lp, 'content-type': 'application/json' }, body: JSON.stringify({ amount: '10000.00', currency: 'USD', date: '2026-12-31', paths }) }).catch(() => undefined);
    void post(1_000_000);
    await new Promise((r) => setTimeout(r, 300));
    for (let i = 0; i < 5; i++) {
      const started = performance.now();
      expect((await fetch(`http://127.0.0.1:${port}/health`)).status).toBe(200);
      expect(performance.now() - started).toBeLessThan(100);
    }
    // Workers busy, then a queue of 4: the next is refused at once.
    const answers = await Promise.race([Promise.all(Array.from({ length: 5 }, () => post(100))).then(() => 'all answered'), new Promise((r) => setTimeout(() => r('some wait'), 1000))]);
    expect(answers).toBe('some wait');
    const refused = await fetch(url, { method: 'POST', headers: { ...lp, 'content-type': 'application/json' }, body: JSON.stringify({ amount: '10000.00', currency: 'USD', date: '2026-12-31', paths: 100 }) });
    expect(refused.status).toBe(503);
    expect(((await refused.json()) as { code: string }).code).toBe('SIMULATIONS_BUSY');
    controller.abort();
  }, 30_000);
});
