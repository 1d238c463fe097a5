import type { INestApplication } from '@nestjs/common';
import { SqliteEventStore } from '@fundsim/event-store';
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { commitmentEvent } from '@fundsim/event-store/testing/fixtures';
import { createApp } from './bootstrap';
import { asPrincipals, issueKeys } from './testing/principals';

const dir = mkdtempSync(join(tmpdir(), 'fundsim-api-'));
const path = join(dir, 'fundsim.db');
let app: INestApplication;
let as: ReturnType<typeof asPrincipals>;

beforeAll(async () => {
  const seed = new SqliteEventStore(path);
  for (let i = 0; i < 5; i++) await seed.append(`lp-${i}`, [commitmentEvent(`lp-${i}`, `${i + 1}000.00`)]);
  await seed.append('fund-usjp', [{ type: 'CloseHeld', data: { closeNumber: 1 }, metadata: { actor: 'us-treasury', effectiveDate: '2026-06-30' } }]);
  await seed.close();
  const keys = await issueKeys(path);
  process.env.FUNDSIM_STORE = `sqlite:${path}`;
  app = await createApp({ logger: false });
  await app.init();
  as = asPrincipals(app, keys);
});

afterAll(async () => {
  await app.close();
  delete process.env.FUNDSIM_STORE;
  rmSync(dir, { recursive: true, force: true });
});

describe('HTTP API over a SQLite store', () => {
  it('GET /health answers with the kind of store (not its path) and its head position', async () => {
    const res = await request(app.getHttpServer()).get('/health').expect(200);
    // Six events, then the eight keys' issuance.
    expect(res.body).toEqual({ status: 'ok', store: 'sqlite', headPosition: 14 });
  });

  it('GET /events pages through the log and says where the next page starts', async () => {
    const first = await as.get('/events?limit=4').expect(200);
    expect(first.body.events.map((e: { position: number }) => e.position)).toEqual([1, 2, 3, 4]);
    expect(first.body.nextPosition).toBe(5);
    const second = await as.get(`/events?limit=4&fromPosition=${first.body.nextPosition}`).expect(200);
    expect(second.body.events.map((e: { position: number }) => e.position)).toEqual([5, 6, 7, 8]);
    expect(second.body.nextPosition).toBe(9);
    expect(second.body.events[1]).toMatchObject({ stream: 'fund-usjp', type: 'CloseHeld', metadata: { actor: 'us-treasury', effectiveDate: '2026-06-30' } });
  });

  it('GET /events filters by stream prefix and type', async () => {
    const byStream = await as.get('/events?stream=fund-').expect(200);
    expect(byStream.body.events.map((e: { stream: string }) => e.stream)).toEqual(['fund-usjp']);
    const byType = await as.get('/events?type=CapitalCommitted').expect(200);
    expect(byType.body.events).toHaveLength(5);
  });

  it.each([
    ['/events?limit=0', 'limit'],
    ['/events?limit=abc', 'limit'],
    ['/events?fromPosition=-3', 'fromPosition'],
    ['/events?type=not%20a%20type', 'type'],
    ['/events?unknown=1', 'unknown'],
  ])('GET %s is a 400 naming the field', async (url, field) => {
    const res = await as.get(url).expect(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
  });

  it('answers 404 with a code for an unknown route', async () => {
    const res = await as.get('/nothing-here').expect(404);
    expect(res.body).toMatchObject({ statusCode: 404, code: 'NOT_FOUND' });
  });

  it('serves the OpenAPI document', async () => {
    const res = await request(app.getHttpServer()).get('/docs-json').expect(200);
    expect(Object.keys(res.body.paths)).toEqual(expect.arrayContaining(['/health', '/events', '/events/verify']));
  });

  it('GET /events/verify is OK, then names the position someone altered', async () => {
    const ok = await as.get('/events/verify').expect(200);
    expect(ok.body).toMatchObject({ ok: true, count: 14 });
    const db = new Database(path);
    db.prepare(`UPDATE events SET data = '{"amount":"1.00"}' WHERE position = 4`).run();
    db.close();
    const broken = await as.get('/events/verify').expect(200);
    expect(broken.body).toMatchObject({ ok: false, position: 4, stream: 'lp-3', count: 3 });
  });
});

describe('API start-up', () => {
  it('refuses a bad FUNDSIM_STORE with the accepted forms', async () => {
    process.env.FUNDSIM_STORE = 'mysql://nope';
    await expect(createApp({ logger: false })).rejects.toThrow(/Accepted forms:[\s\S]*sqlite:<path>[\s\S]*esdb:\/\//);
    process.env.FUNDSIM_STORE = `sqlite:${path}`;
  });
});
