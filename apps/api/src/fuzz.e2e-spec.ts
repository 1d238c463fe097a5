import type { INestApplication } from '@nestjs/common';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { ACCESS } from './access';
import { apiOverScenarios, type asPrincipals } from './testing/principals';

const dir = mkdtempSync(join(tmpdir(), 'fundsim-fuzz-'));
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

let seed = 20261130;
const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];

/** Hostile values: wrong types, huge and tiny numbers, unicode tricks, injection strings. */
const VALUES: unknown[] = [
  null,
  true,
  0,
  -1,
  1e308,
  -1e-308,
  2 ** 53 + 1,
  Number.MAX_VALUE,
  [],
  {},
  [[[]]],
  { $gt: '' },
  '',
  ' ',
  '-5.00',
  '1e400',
  '0x10',
  'NaN',
  'Infinity',
  '99999999999999999999999999999999999999.99',
  '0.0000000000000000001',
  '9'.repeat(5000),
  "'; DROP TABLE events; --",
  '" OR 1=1 --',
  '<script>alert(1)</script>',
  '${7*7}',
  '{{7*7}}',
  '../../etc/passwd',
  '%00',
  'a\u0000b',
  'evil\u202egnp.exe',
  '\u2066isolate\u2069',
  'ｆｕｌｌｗｉｄｔｈ',
  '🙂'.repeat(100),
  '\ud800',
  'x'.repeat(70),
  'constructor',
  '__proto__',
  'toString',
  'hasOwnProperty',
  '9999-12-31',
  '0000-00-00',
  '2026-02-30',
  '2026-13-01',
  '1',
  'March 7',
  '2030-01-01 junk',
  '2026-06-30T25:00:00Z',
  '-2026-01-01',
];
const DATES_BAD = ['2000-01-01', '9999-12-31', '2026-02-30', 'yesterday', '', '2026-1-1', '20260101'];
const FIELDS = [
  'effectiveDate',
  'amount',
  'currency',
  'lpId',
  'kind',
  'country',
  'percentage',
  'rate',
  'pair',
  'milestone',
  'note',
  'facilityId',
  'projectId',
  'allocationId',
  'fairValue',
  'reason',
  'replacement',
  'paths',
  'scenario',
  'date',
  'seed',
  'parameters',
  'actor',
  '__proto__',
  'constructor',
  'x',
];

function hostileBody(): { body: string; contentType: string; encoding?: string } {
  const kind = random();
  const json = (value: unknown) => JSON.stringify(value);
  if (kind < 0.45) {
    // Known and unknown fields with hostile values; the effective date never a valid one.
    const body: Record<string, unknown> = { effectiveDate: pick(DATES_BAD) };
    for (let i = 0; i < 1 + Math.floor(random() * 4); i++) body[pick(FIELDS)] = pick(VALUES);
    return { body: json(body), contentType: 'application/json' };
  }
  if (kind < 0.55) return { body: '['.repeat(3000) + ']'.repeat(3000), contentType: 'application/json' };
  if (kind < 0.62) return { body: json({ effectiveDate: '2000-01-01', note: 'x'.repeat(150_000) }), contentType: 'application/json' };
  if (kind < 0.7)
    return {
      body: pick(['{', '{"a":', 'null', '"text"', '[1,2]', '{"a":1,"a":2', '\u0000', '{"effectiveDate":"2026-10-01",}', '{"note":"\xff\xfe"}']),
      contentType: 'application/json',
    };
  if (kind < 0.78)
    return {
      body: 'effectiveDate=2026-10-01&amount=1',
      contentType: pick(['application/x-www-form-urlencoded', 'text/plain', 'multipart/form-data; boundary=x', 'application/xml']),
    };
  if (kind < 0.85)
    return {
      body: json({ effectiveDate: '2026-10-01' }),
      contentType: pick(['application/json; charset=latin1', 'application/json; charset=utf-16', 'application/json; charset=nonsense']),
    };
  if (kind < 0.92) return { body: json({ effectiveDate: '2026-10-01' }), contentType: 'application/json', encoding: pick(['gzip', 'deflate', 'br', 'bogus']) };
  return { body: `{"__proto__":{"admin":true},"effectiveDate":"${pick(DATES_BAD)}"}`, contentType: 'application/json' };
}

const QUERIES = [
  'limit=0',
  'limit=-1',
  'limit=0x10',
  'limit=1e3',
  'limit=1.5',
  'limit=99999999',
  'fromPosition=-3',
  'offset=abc',
  'asOf=9999-99-99',
  'asOf=2026-13-45',
  'asOf=tomorrow',
  'knownAt=1',
  'knownAt=March%207',
  'knownAt=2030-01-01%20junk',
  'type=%27%3BDROP',
  'stream=%00',
  'stream=%E2%80%AE',
  'format=exe',
  'what=everything',
  'actor[$ne]=x',
  '__proto__[x]=1',
  'from=2099-99-99',
];
const SEGMENTS = ['..', '%2e%2e', 'A'.repeat(300), '%00', '%E2%80%AE', 'Not_A_Fund', 'ｕｓｊｐ', "'", '%ZZ', 'constructor', '__proto__'];

function hostileUrl(template: string): string {
  const concrete = template.replace(/:(\w+)/g, (_m, name: string) =>
    random() < 0.5 ? pick(SEGMENTS) : name === 'fundId' ? 'usjp' : name === 'callNumber' ? pick(['0x1', '-1', '1e3', '1.5']) : pick(SEGMENTS),
  );
  return concrete.startsWith('/health') || random() < 0.3 ? `${concrete}?${pick(QUERIES)}` : `${concrete}?${pick(QUERIES)}&${pick(QUERIES)}`;
}

const WHO = ['us-treasury', 'retail-platform', 'auditor', 'retail-us-000001', 'admin'];
const BAD_AUTH = ['Bearer ', 'Bearer fsk_0000000000000000_' + 'A'.repeat(43), 'Basic YTpi', 'Bearer ' + 'x'.repeat(5000)];

describe('hostile requests', () => {
  it('get a 4xx with a code each, never a 5xx, and write nothing (1,200 requests across every route)', async () => {
    const verify = async () => (await as.get('/events/verify').expect(200)).body as { ok: boolean; headHash: string; count: number };
    const before = await verify();
    // The dashboard's page (GET /) takes any query, a link's utm_source say: it is a page, not an API route.
    const routes = Object.keys(ACCESS).filter((route) => route !== 'GET /');
    const statuses = new Map<number, number>();
    for (let i = 0; i < 1200; i++) {
      const route = routes[i % routes.length];
      const [method, template] = route.split(' ');
      const url = hostileUrl(template);
      let test = method === 'GET' ? request(app.getHttpServer()).get(url) : request(app.getHttpServer()).post(url);
      const auth = random();
      if (auth < 0.8) test = test.set(as.auth(pick(WHO)));
      else if (auth < 0.93) test = test.set('Authorization', pick(BAD_AUTH));
      if (method === 'POST') {
        const { body, contentType, encoding } = hostileBody();
        test = test.set('Content-Type', contentType);
        if (encoding) test = test.set('Content-Encoding', encoding);
        test = test.send(body);
      }
      // A request that is answered 2xx might be a stream that never ends: time out and report it.
      const res = await test.timeout(5000).catch((error: Error) => {
        throw new Error(`${method} ${url} did not end: ${error.message}`);
      });
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      if (res.status < 400 || res.status >= 500 || typeof res.body?.code !== 'string') {
        throw new Error(`${method} ${url} answered ${res.status}: ${res.text.slice(0, 300)}`);
      }
    }
    const after = await verify();
    expect(after).toEqual(before);
    // Every kind of refusal was met, not just the first one.
    expect([...statuses.keys()].sort()).toEqual(expect.arrayContaining([400, 401, 403, 413, 415]));
  }, 120_000);

  it('reach the deciders with one hostile field in an otherwise valid command: never a 5xx, every refusal with a code, the chain intact', async () => {
    const calls = (await as.get('/funds/usjp/events?type=CapitalCalled').expect(200)).body.events as { id: string }[];
    const d = { effectiveDate: '2026-10-01' };
    // A valid body for each command route, and who may send it.
    const templates: [string, string, Record<string, unknown>][] = [
      ['/funds/usjp/commitments', 'retail-platform', { ...d, lpId: 'fuzz-lp', kind: 'retail', country: 'US', amount: '1000.00', currency: 'USD' }],
      ['/funds/usjp/fx-rates', 'retail-platform', { ...d, pair: 'USD/JPY', rate: '150.00' }],
      ['/funds/usjp/milestones', 'us-treasury', { ...d, milestone: 'fuzz', note: 'n' }],
      ['/funds/usjp/capital-calls', 'us-treasury', { ...d, percentage: '0.01', dueDate: '2026-10-31' }],
      ['/funds/usjp/capital-calls/1/defaults', 'us-treasury', { ...d, lpId: 'retail-us-000001' }],
      [
        '/funds/usjp/credit-facilities',
        'us-treasury',
        { ...d, facilityId: 'fz', lender: 'bank', limit: '1000.00', annualRate: '0.05', dayCount: 'ACT/365', maturityDate: '2030-01-01' },
      ],
      ['/funds/usjp/credit-facilities/fz/draws', 'jp-mof', { ...d, amount: '10.00' }],
      ['/funds/usjp/projects', 'us-treasury', { ...d, projectId: 'fz', name: 'Fuzz', sector: 'x', partners: ['p'], totalProjectSize: '1000.00' }],
      ['/funds/usjp/allocations', 'us-treasury', { ...d, allocationId: 'fz', projectId: 'stargate', amount: '10.00' }],
      ['/funds/usjp/projects/stargate/valuations', 'retail-platform', { ...d, fairValue: '100.00' }],
      ['/funds/usjp/projects/stargate/proceeds', 'retail-platform', { ...d, kind: 'income', amount: '1.00' }],
      ['/funds/usjp/distributions', 'us-treasury', { ...d, amount: '1.00', paymentDate: '2026-10-15' }],
      ['/funds/usjp/management-fees', 'us-treasury', { ...d, amount: '1.00', period: '2026-Q4' }],
      ['/funds/usjp/expenses', 'us-treasury', { ...d, amount: '1.00', description: 'x' }],
      [
        `/funds/usjp/events/${calls[0].id}/reversals`,
        'jp-mof',
        {
          reason: 'fuzz',
          replacement: {
            type: 'CapitalCalled',
            data: { callNumber: 1, percentage: '0.1', dueDate: '2026-07-31', admittedUsd: '1.00', totalUsd: '1.00', lpCount: 1 },
          },
        },
      ],
      ['/funds/usjp/simulations/lp-commitment', 'auditor', { amount: '1000.00', currency: 'USD', date: '2026-12-31', paths: 10 }],
    ];
    const replacementValues: unknown[] = ['abc', '-1', '1e400', 'NaN', '', 1, null, [], {}, '9'.repeat(40)];
    for (let i = 0; i < 400; i++) {
      const [url, who, template] = templates[i % templates.length];
      const body = JSON.parse(JSON.stringify(template)) as Record<string, unknown>;
      const fields = Object.keys(body).filter((k) => k !== 'effectiveDate' || random() < 0.3);
      const field = pick(fields);
      if (field === 'replacement')
        (body.replacement as { data: Record<string, unknown> }).data[pick(['percentage', 'callNumber', 'dueDate'])] = pick(replacementValues);
      else body[field] = pick(VALUES);
      const res = await request(app.getHttpServer()).post(url).set(as.auth(who)).send(body).timeout(10_000);
      if (res.status >= 500 || (res.status >= 400 && typeof res.body?.code !== 'string'))
        throw new Error(`POST ${url} with ${field}=${JSON.stringify(body[field]).slice(0, 80)} answered ${res.status}: ${res.text.slice(0, 300)}`);
    }
    expect((await as.get('/events/verify').expect(200)).body.ok).toBe(true);
  }, 120_000);
});
