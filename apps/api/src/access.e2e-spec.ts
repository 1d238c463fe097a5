import type { INestApplication } from '@nestjs/common';
import { KeyService } from '@fundsim/application';
import { SqliteEventStore } from '@fundsim/event-store';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { ACCESS } from './access';
import { createApp, routesOf } from './bootstrap';
import { apiOverScenarios, type asPrincipals } from './testing/principals';

const dir = mkdtempSync(join(tmpdir(), 'fundsim-access-'));
const path = join(dir, 'fundsim.db');
let app: INestApplication;
let as: ReturnType<typeof asPrincipals>;

beforeAll(async () => {
  ({ app, as } = await apiOverScenarios(path));
});

afterAll(async () => {
  await app.close();
  delete process.env.FUNDSIM_STORE;
  rmSync(dir, { recursive: true, force: true });
});

/** Who asks, in the matrix: nobody, then one key per role (the LP asks about its own account). */
const CALLERS = [
  ['nobody', undefined],
  ['manager', 'us-treasury'],
  ['operator', 'retail-platform'],
  ['lp', 'retail-us-000001'],
  ['auditor', 'auditor'],
  ['admin', 'admin'],
] as const;

/** A concrete URL for a route: parameters filled in, and a query no handler accepts (so nothing streams or writes). */
const urlOf = (route: string) =>
  route
    .replace(':fundId', 'usjp')
    .replace(':lpId', 'retail-us-000001')
    .replace(':callNumber', '1')
    .replace(/:(\w+)/g, 'x') + (route.startsWith('GET') && !route.endsWith('/health') ? '?asOf=not-a-date' : '');

describe('the access table', () => {
  it('covers every route the API serves, and nothing else', () => {
    expect([...routesOf(app)].filter((r) => !r.includes('/docs') && !r.includes('/web/')).sort()).toEqual(Object.keys(ACCESS).sort());
  });

  const cases = Object.entries(ACCESS).flatMap(([route, rule]) => CALLERS.map(([role, who]) => ({ route, rule, role, who })));
  it.each(cases)('$route as $role', async ({ route, rule, role, who }) => {
    const [method, template] = route.split(' ');
    const url = urlOf(`${method} ${template}`).slice(method.length + 1);
    let test = method === 'GET' ? request(app.getHttpServer()).get(url) : request(app.getHttpServer()).post(url).send({});
    if (who) test = test.set(as.auth(who));
    const res = await test;
    const allowed = rule.roles === 'public' || (role !== 'nobody' && rule.roles.includes(role));
    if (allowed) {
      expect([401, 403, 500]).not.toContain(res.status);
    } else {
      expect(res.status).toBe(role === 'nobody' ? 401 : 403);
      expect(res.body.code).toBe(role === 'nobody' ? 'UNAUTHENTICATED' : 'FORBIDDEN');
    }
  });
});

describe('the edge', () => {
  it('answers a known path asked with the wrong method with 405 and Allow, an unknown one with 404', async () => {
    const wrong = await request(app.getHttpServer()).delete('/funds/usjp/closes').set(as.auth('us-treasury')).expect(405);
    expect(wrong.headers.allow).toBe('POST');
    expect(wrong.headers['x-powered-by']).toBeUndefined();
    expect(wrong.headers['x-content-type-options']).toBe('nosniff');
    expect(wrong.body.code).toBe('METHOD_NOT_ALLOWED');
    await request(app.getHttpServer()).put('/health').expect(405);
    await request(app.getHttpServer()).get('/funds/usjp/nothing').set(as.auth('auditor')).expect(404);
  });

  it('reports readiness, metrics and a correlation id on every answer', async () => {
    expect((await request(app.getHttpServer()).get('/health/ready').expect(200)).body).toMatchObject({ status: 'ready' });
    const echoed = await request(app.getHttpServer()).get('/health').set('X-Correlation-Id', 'trace-42').expect(200);
    expect(echoed.headers['x-correlation-id']).toBe('trace-42');
    expect((await request(app.getHttpServer()).get('/health').expect(200)).headers['x-correlation-id']).toMatch(/^[0-9a-f-]{36}$/);
    await request(app.getHttpServer()).post('/funds/usjp/closes').set(as.auth('us-treasury')).send({ effectiveDate: '2000-01-01' }).expect(422);
    await as.get('/funds/usjp/balance-sheet?asOf=2026-12-31').expect(200);
    await request(app.getHttpServer()).get('/metrics').expect(401);
    const metrics = await as.get('/metrics').expect(200);
    expect(metrics.headers['content-type']).toMatch(/^text\/plain; version=0.0.4/);
    expect(metrics.text).toMatch(/^fundsim_http_request_duration_seconds_count\{method="GET",route="\/funds\/:fundId\/balance-sheet",status="200"\} \d+$/m);
    expect(metrics.text).toMatch(/^fundsim_commands_total\{route="\/funds\/:fundId\/closes",outcome="refused"\} \d+$/m);
    expect(metrics.text).toMatch(/^fundsim_log_head_position \d+$/m);
    expect(metrics.text).toMatch(/^fundsim_projection_lag_events\{fund="usjp"\} 0$/m);
  });

  it('refuses a body that is not UTF-8, and nothing is written', async () => {
    const bytes = Buffer.concat([Buffer.from('{"effectiveDate":"2026-10-01","milestone":"'), Buffer.from([0xff, 0xfe]), Buffer.from('"}')]);
    // The raw bytes, through Fastify's own injection (supertest would serialise the Buffer as JSON).
    const fastify = app.getHttpAdapter().getInstance() as { inject(o: object): Promise<{ statusCode: number; json(): { message: string } }> };
    const res = await fastify.inject({
      method: 'POST',
      url: '/funds/usjp/milestones',
      headers: { ...as.auth('us-treasury'), 'content-type': 'application/json' },
      payload: bytes,
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toMatch(/not valid UTF-8|did not match Content-Length/);
  });

  it('limits each key to its rate: 429 with Retry-After past the burst', async () => {
    // A burst of 5, then 1 a second: a cheap route, so that a loaded machine does not refill the bucket between requests.
    process.env.FUNDSIM_RATE_LIMIT = '1/5';
    const limited = await createApp({ logger: false });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) statuses.push((await request(limited.getHttpServer()).get('/me').set(as.auth('auditor'))).status);
      expect(statuses).toEqual([200, 200, 200, 200, 200]);
      const over = await request(limited.getHttpServer()).get('/me').set(as.auth('auditor')).expect(429);
      expect(over.body.code).toBe('RATE_LIMITED');
      expect(Number(over.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      // Another key has its own allowance.
      await request(limited.getHttpServer()).get('/me').set(as.auth('admin')).expect(200);
    } finally {
      delete process.env.FUNDSIM_RATE_LIMIT;
      await limited.close();
    }
  });
});

describe('principals', () => {
  it('act in their own name: a manager cannot approve for the other, and no body field says who acts', async () => {
    const proposal = { effectiveDate: '2026-10-01', allocationId: 'al-solo', projectId: 'stargate', amount: '1000.00' };
    await request(app.getHttpServer()).post('/funds/usjp/allocations').set(as.auth('us-treasury')).send(proposal).expect(201);
    const forged = await request(app.getHttpServer())
      .post('/funds/usjp/allocations/al-solo/approvals')
      .set(as.auth('us-treasury'))
      .send({ actor: 'jp-mof', effectiveDate: '2026-10-01' })
      .expect(400);
    expect(forged.body.errors.map((e: { field: string }) => e.field)).toEqual(['actor']);
    // Approving again in its own name adds nothing: the allocation still waits for jp-mof.
    await request(app.getHttpServer())
      .post('/funds/usjp/allocations/al-solo/approvals')
      .set(as.auth('us-treasury'))
      .send({ effectiveDate: '2026-10-01' })
      .expect(422);
    const trail = (await as.get('/funds/usjp/audit/allocations/al-solo').expect(200)).body;
    expect(trail.status).toBe('proposed');
    await request(app.getHttpServer())
      .post('/funds/usjp/allocations/al-solo/approvals')
      .set(as.auth('jp-mof'))
      .send({ effectiveDate: '2026-10-01' })
      .expect(201);
    const events = (await as.get('/funds/usjp/events?type=AllocationProposed,AllocationApproved,AllocationCommitted').expect(200)).body.events.filter(
      (e: { data: { allocationId: string } }) => e.data.allocationId === 'al-solo',
    );
    expect(events.map((e: { type: string; metadata: { actor: string } }) => `${e.type} by ${e.metadata.actor}`)).toEqual([
      'AllocationProposed by us-treasury',
      'AllocationApproved by jp-mof',
      'AllocationCommitted by jp-mof',
    ]);
  });

  it("an LP reads its own account, not another LP's", async () => {
    expect((await as.get('/funds/usjp/lps/retail-us-000001?asOf=2026-12-31', 'retail-us-000001').expect(200)).body.lpId).toBe('retail-us-000001');
    const other = await as.get('/funds/usjp/lps/jp-gov?asOf=2026-12-31', 'retail-us-000001').expect(403);
    expect(other.body.code).toBe('NOT_YOUR_ACCOUNT');
    await as.get('/funds/usjp/lps?asOf=2026-12-31', 'retail-us-000001').expect(403);
    // LP ids are unique only within a fund: the key is bound to its own.
    expect((await as.get('/funds/other/lps/retail-us-000001?asOf=2026-12-31', 'retail-us-000001').expect(403)).body.code).toBe('NOT_YOUR_ACCOUNT');
    // Its transaction ledger likewise; it ties to its statement (issue 25).
    const ledger = (await as.get('/funds/usjp/lps/retail-us-000001/transactions?asOf=2026-12-31', 'retail-us-000001').expect(200)).body;
    const statement = (await as.get('/funds/usjp/lps/retail-us-000001?asOf=2026-12-31', 'retail-us-000001').expect(200)).body;
    expect([ledger.closing.nav, ledger.closing.contributions, ledger.closing.unfunded]).toEqual([
      statement.rollForward.endingNav,
      statement.rollForward.contributions,
      statement.unfunded,
    ]);
    expect(ledger.transactions.map((t: { kind: string }) => t.kind)).toEqual(expect.arrayContaining(['commitment', 'admission', 'call', 'payment']));
    expect((await as.get('/funds/usjp/lps/jp-gov/transactions?asOf=2026-12-31', 'retail-us-000001').expect(403)).body.code).toBe('NOT_YOUR_ACCOUNT');
    expect((await as.get('/funds/usjp/lps/nobody/transactions?asOf=2026-12-31').expect(404)).body.code).toBe('UNKNOWN_LP');
  });

  it("an LP reads its own ILPA statement, as JSON or CSV, not another LP's", async () => {
    const own = (await as.get('/funds/usjp/lps/retail-us-000001/ilpa-statement?asOf=2026-12-31', 'retail-us-000001').expect(200)).body;
    expect([own.lpId, own.dates.period.from, own.dates.yearToDate.from]).toEqual(['retail-us-000001', '2026-10-01', '2026-01-01']);
    const csv = await as.get('/funds/usjp/lps/retail-us-000001/ilpa-statement?asOf=2026-12-31&format=csv', 'retail-us-000001').expect(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.text.split('\n')[0]).toBe('line,period,year_to_date,inception_to_date');
    expect(csv.text).toContain(
      `\nending_nav,${own.rollForward.endingNav.period},${own.rollForward.endingNav.yearToDate},${own.rollForward.endingNav.inceptionToDate}\n`,
    );
    const accepted = await as.get('/funds/usjp/lps/retail-us-000001/ilpa-statement?asOf=2026-12-31', 'retail-us-000001').set('Accept', 'text/csv').expect(200);
    expect(accepted.text).toBe(csv.text);
    expect((await as.get('/funds/usjp/lps/jp-gov/ilpa-statement?asOf=2026-12-31', 'retail-us-000001').expect(403)).body.code).toBe('NOT_YOUR_ACCOUNT');
    expect((await as.get('/funds/usjp/lps/jp-gov/ilpa-statement?asOf=2026-12-31').expect(200)).body.lpId).toBe('jp-gov');
    expect(
      (await as.get('/funds/usjp/lps/jp-gov/ilpa-statement?asOf=2026-12-31&format=pdf').expect(400)).body.errors.map((e: { field: string }) => e.field),
    ).toEqual(['format']);
  });

  it('a revoked key, a made-up one and a malformed one are refused with 401', async () => {
    const store = new SqliteEventStore(path);
    const keyService = new KeyService(store);
    const issued = await keyService.issue('auditor', undefined, 'test');
    await request(app.getHttpServer()).get('/events/verify').set('X-API-Key', issued.key).expect(200);
    await keyService.revoke(issued.keyId, 'left the firm', 'test');
    await store.close();
    const revoked = await request(app.getHttpServer()).get('/events/verify').set('Authorization', `Bearer ${issued.key}`).expect(401);
    expect(revoked.body.code).toBe('INVALID_CREDENTIAL');
    await request(app.getHttpServer())
      .get('/events/verify')
      .set('Authorization', `Bearer ${issued.key.slice(0, -1)}A`)
      .expect(401);
    await request(app.getHttpServer()).get('/events/verify').set('Authorization', 'Bearer nonsense').expect(401);
    await request(app.getHttpServer()).get('/events/verify').set('Authorization', 'Basic dXNlcjpwYXNz').expect(401);
  });
});
