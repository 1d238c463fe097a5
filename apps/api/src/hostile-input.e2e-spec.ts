/**
 * The smaller findings of a hostile principal's review of the running API (issue 24, item 7),
 * each reproduced: every test here failed before its answer was built.
 */
import type { INestApplication } from '@nestjs/common';
import { KeyService } from '@fundsim/application';
import { SqliteEventStore } from '@fundsim/event-store';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { ACCESS } from './access';
import { createApp } from './bootstrap';
import { apiOverScenarios, type asPrincipals } from './testing/principals';

const dir = mkdtempSync(join(tmpdir(), 'fundsim-hostile-'));
const path = join(dir, 'fundsim.db');
let app: INestApplication;
let as: ReturnType<typeof asPrincipals>;
let base: string;
let port: number;

beforeAll(async () => {
  ({ app, as } = await apiOverScenarios(path));
  await app.listen(0, '127.0.0.1');
  port = (app.getHttpServer().address() as { port: number }).port;
  base = `http://127.0.0.1:${port}`;
});

afterAll(async () => {
  await app.close();
  delete process.env.FUNDSIM_STORE;
  rmSync(dir, { recursive: true, force: true });
});

/** A key issued (and revoked) by another process over the same store, as `fundsim keys` does. */
async function issueKey(role: 'auditor' | 'manager' = 'auditor'): Promise<{ key: string; revoke(): Promise<void> }> {
  const store = new SqliteEventStore(path);
  const issued = await new KeyService(store).issue(role, role === 'manager' ? 'us-treasury' : undefined, 'test');
  await store.close();
  return {
    key: issued.key,
    revoke: async () => {
      const again = new SqliteEventStore(path);
      await new KeyService(again).revoke(issued.keyId, 'left the firm', 'test');
      await again.close();
    },
  };
}

interface Opened {
  status: number;
  /** A refusal's code. */
  code?: string;
  /** The next message's lines, or undefined once the server has ended the stream. */
  next(): Promise<string[] | undefined>;
  close(): void;
}

/** A balance-sheet stream opened with `key`: its messages one at a time, and whether it has ended. */
async function openStream(key: string): Promise<Opened> {
  const controller = new AbortController();
  const response = await fetch(`${base}/funds/usjp/balance-sheet/stream?asOf=2026-12-31`, {
    signal: controller.signal,
    headers: { Authorization: `Bearer ${key}` },
  });
  if (response.status !== 200) {
    const body = (await response.json().catch(() => ({}))) as { code?: string };
    return { status: response.status, code: body.code, next: async () => undefined, close: () => undefined };
  }
  const reader = response.body!.getReader();
  let buffer = '';
  const next = async (): Promise<string[] | undefined> => {
    while (!buffer.includes('\n\n')) {
      const { value, done } = await reader.read();
      if (done) return undefined;
      buffer += new TextDecoder().decode(value);
    }
    const [message, ...rest] = buffer.split('\n\n');
    buffer = rest.join('\n\n');
    const lines = message.split('\n').filter((l) => l !== '');
    return lines.length === 0 ? next() : lines;
  };
  return { status: response.status, next, close: () => controller.abort() };
}

describe('server-sent events', () => {
  beforeAll(() => {
    process.env.FUNDSIM_SSE_KEY_CHECK_MS = '100';
  });
  afterAll(() => {
    delete process.env.FUNDSIM_SSE_KEY_CHECK_MS;
  });

  it('end, with a last `revoked` message, soon after their key is revoked by another process', async () => {
    const { key, revoke } = await issueKey();
    const stream = await openStream(key);
    expect(stream.status).toBe(200);
    expect((await stream.next())![0]).toBe('event: balance-sheet');
    await revoke();
    const deadline = Date.now() + 3_000;
    const after: string[][] = [];
    for (;;) {
      const message = await Promise.race([
        stream.next(),
        new Promise<'late'>((resolve) => setTimeout(() => resolve('late'), Math.max(0, deadline - Date.now()))),
      ]);
      if (message === 'late') throw new Error(`still streaming 3 s after the revocation: ${JSON.stringify(after)}`);
      if (message === undefined) break;
      after.push(message);
    }
    const last = after[after.length - 1];
    expect(last[0]).toBe('event: revoked');
    expect(JSON.parse(last.find((l) => l.startsWith('data: '))!.slice(6))).toMatchObject({ code: 'KEY_REVOKED' });
    // And it cannot open another.
    expect((await fetch(`${base}/funds/usjp/balance-sheet/stream`, { headers: { Authorization: `Bearer ${key}` } })).status).toBe(401);
  }, 15_000);

  it('are capped per key: the ninth is a 429 TOO_MANY_STREAMS, another key is not affected, and closing one frees its slot', async () => {
    const { key } = await issueKey();
    const open: Opened[] = [];
    try {
      for (let i = 0; i < 8; i++) {
        const stream = await openStream(key);
        expect([i, stream.status, stream.code]).toEqual([i, 200, undefined]);
        await stream.next();
        open.push(stream);
      }
      const ninth = await openStream(key);
      expect([ninth.status, ninth.code]).toEqual([429, 'TOO_MANY_STREAMS']);
      const other = await openStream((await issueKey()).key);
      other.close();
      expect(other.status).toBe(200);
      open.shift()!.close();
      // The server learns of the close when the socket does.
      let again = await openStream(key);
      for (let i = 0; i < 40 && again.status === 429; i++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        again = await openStream(key);
      }
      open.push(again);
      expect(again.status).toBe(200);
    } finally {
      for (const stream of open) stream.close();
    }
  }, 20_000);
});

describe('requests without a valid key', () => {
  it('are rate-limited per address (429 RATE_LIMITED with Retry-After), while a valid key from the same address goes on', async () => {
    process.env.FUNDSIM_ANON_RATE_LIMIT = '3/3';
    const limited = await createApp({ logger: false });
    try {
      const server = limited.getHttpServer();
      const statuses: number[] = [];
      for (let i = 0; i < 3; i++) statuses.push((await request(server).get('/events/verify')).status);
      expect(statuses).toEqual([401, 401, 401]);
      for (const attempt of [
        request(server).get('/events/verify'),
        request(server)
          .get('/events/verify')
          .set('Authorization', 'Bearer fsk_0000000000000000_' + 'A'.repeat(43)),
        request(server).get('/health'),
      ]) {
        const over = await attempt.expect(429);
        expect(over.body.code).toBe('RATE_LIMITED');
        expect(Number(over.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      }
      await request(server).get('/events/verify').set(as.auth('auditor')).expect(200);
    } finally {
      delete process.env.FUNDSIM_ANON_RATE_LIMIT;
      await limited.close();
    }
  });
});

describe('public answers', () => {
  it('name no filesystem path: /health shows the kind of store only', async () => {
    const health = await request(app.getHttpServer()).get('/health').expect(200);
    expect(health.body.store).toBe('sqlite');
    for (const [url, who] of [
      ['/health', undefined],
      ['/health/ready', undefined],
      ['/metrics', 'admin'],
      ['/me', 'admin'],
      ['/docs-json', undefined],
      ['/funds/nofund/balance-sheet', 'admin'],
      ['/nothing', undefined],
    ] as const) {
      const res = await (who ? as.get(url, who) : request(app.getHttpServer()).get(url));
      expect(res.text).not.toContain(dir);
    }
  });
});

describe('an unknown fund', () => {
  const fill = (template: string) =>
    template
      .replace(':fundId', 'nofund')
      .replace(':manager', 'us-treasury')
      .replace(/:(\w+)/g, 'x');
  const reads = Object.keys(ACCESS).filter((route) => route.startsWith('GET /funds/:fundId'));

  it.each(reads)('%s is a 404 FUND_NOT_ESTABLISHED, as on every other route of a fund', async (route) => {
    // Over a socket, with a time limit: a stream that opened would never end.
    const res = await fetch(`${base}${fill(route.slice(4))}`, { headers: as.auth('admin'), signal: AbortSignal.timeout(5_000) });
    expect(res.status).toBe(404);
    expect(((await res.json()) as { code: string }).code).toBe('FUND_NOT_ESTABLISHED');
  });
});

describe('free text and ids', () => {
  const HIDDEN: [string, string][] = [
    ['a zero-width space', '\u200b'],
    ['a zero-width joiner', '\u200d'],
    ['a zero-width non-joiner', '\u200c'],
    ['a word joiner', '\u2060'],
    ['a byte-order mark', '\ufeff'],
    ['a soft hyphen', '\u00ad'],
    ['a right-to-left mark', '\u200f'],
    ['a right-to-left override', '\u202e'],
    ['a line separator', '\u2028'],
    ['a paragraph separator', '\u2029'],
    ['a C1 control (NEL)', '\u0085'],
    ['a lone high surrogate', '\ud800'],
    ['a lone low surrogate', '\udc00'],
  ];
  const d = { effectiveDate: '2026-10-01' };
  const bodies = (c: string): [string, string, string, Record<string, unknown>][] => [
    ['/funds/usjp/milestones', 'us-treasury', 'note', { ...d, milestone: 'm', note: `first${c}close` }],
    ['/funds/usjp/milestones', 'us-treasury', 'milestone', { ...d, milestone: `m${c}` }],
    [
      '/funds/usjp/commitments',
      'retail-platform',
      'lpId',
      { ...d, lpId: `retail${c}-us-1`, kind: 'retail', country: 'US', amount: '1000.00', currency: 'USD' },
    ],
    ['/funds/usjp/expenses', 'us-treasury', 'description', { ...d, amount: '1.00', description: `${c}legal` }],
    [
      '/funds/usjp/events/00000000-0000-0000-0000-000000000000/reversals',
      'us-treasury',
      'replacement.data.dueDate',
      { reason: 'typo', replacement: { type: 'CapitalCalled', data: { dueDate: `2026-07-31${c}` } } },
    ],
  ];

  it.each(HIDDEN)(
    '%s is refused (400 VALIDATION_FAILED naming the field) in every string of a body, nested ones too, and nothing is written',
    async (_name, c) => {
      const before = (await as.get('/events/verify').expect(200)).body.count;
      for (const [url, who, field, body] of bodies(c)) {
        const res = await request(app.getHttpServer()).post(url).set(as.auth(who)).set('Content-Type', 'application/json').send(JSON.stringify(body));
        expect([url, field, res.status, res.body.code]).toEqual([url, field, 400, 'VALIDATION_FAILED']);
        expect(res.body.errors[0].field).toBe(field);
      }
      const inPath = await as.get(`/funds/usjp/lps/retail-us-000001${encodeURIComponent(/[\ud800-\udfff]/.test(c) ? '\u200b' : c)}?asOf=2026-12-31`, 'admin');
      expect([inPath.status, inPath.body.code]).toEqual([400, 'VALIDATION_FAILED']);
      expect((await as.get('/events/verify').expect(200)).body.count).toBe(before);
    },
  );

  it('accepts text in any script: Japanese, accents, emoji, and a real U+FFFD (only bytes that are not UTF-8 are refused)', async () => {
    const note = '第1回クローズ（東京）: Überprüfung — café 🙂 \ufffd';
    const res = await as
      .post('/funds/usjp/milestones')
      .send({ actor: 'us-treasury', effectiveDate: '2026-10-01', milestone: '東京クローズ', note })
      .expect(201);
    expect(res.body.events[0].data).toMatchObject({ milestone: '東京クローズ', note });
  });
});

describe('JSON bodies', () => {
  const post = (body: string, contentType = 'application/json') =>
    request(app.getHttpServer()).post('/funds/usjp/milestones').set(as.auth('us-treasury')).set('Content-Type', contentType).send(body);

  it('refuses bytes that are not UTF-8 (a lone 0xC3), with a code', async () => {
    const payload = Buffer.concat([Buffer.from('{"effectiveDate":"2026-10-01","milestone":"a'), Buffer.from([0xc3, 0x28]), Buffer.from('"}')]);
    const fastify = app.getHttpAdapter().getInstance() as {
      inject(options: object): Promise<{ statusCode: number; json(): { code: string; message: string } }>;
    };
    const res = await fastify.inject({
      method: 'POST',
      url: '/funds/usjp/milestones',
      headers: { ...as.auth('us-treasury'), 'content-type': 'application/json' },
      payload,
    });
    expect([res.statusCode, res.json().code]).toEqual([400, 'VALIDATION_FAILED']);
    expect(res.json().message).toContain('not valid UTF-8');
  });

  it.each([
    ['{"effectiveDate":"2026-10-01","milestone":"a","milestone":"b"}', 'milestone'],
    ['{"effectiveDate":"2026-10-01","milestone":"a","mil\\u0065stone":"b"}', 'milestone'],
    ['{"effectiveDate":"2026-10-01","effectiveDate":"2026-10-02","milestone":"a"}', 'effectiveDate'],
  ])('refuses a key twice in one object (400 naming it): %s', async (body, field) => {
    const res = await post(body).expect(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect(res.body.errors).toEqual([{ field, reason: 'appears more than once in its object' }]);
  });

  it.each([
    'application/json; charset=utf-8',
    'application/json; charset=UTF-8',
    'application/json; charset="utf-8"',
    'application/json;charset="UTF-8"',
    'application/json; charset=utf8',
  ])('accepts %s', async (contentType) => {
    await post(JSON.stringify({ effectiveDate: '2026-10-01', milestone: 'charset' }), contentType).expect(201);
  });

  it.each(['application/json; charset=latin1', 'application/json; charset="iso-8859-1"', 'application/json; charset=utf-16'])(
    'refuses %s with 415 UNSUPPORTED_MEDIA_TYPE',
    async (contentType) => {
      const res = await post(JSON.stringify({ effectiveDate: '2026-10-01', milestone: 'charset' }), contentType).expect(415);
      expect(res.body.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    },
  );
});

/**
 * Bytes sent as they are over a socket; the answer's status and body. `halfClose`: then end the
 * client's side of the connection, as a client that gives up does.
 */
function raw(bytes: string, { halfClose = false } = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    if (!halfClose) socket.setTimeout(5_000, () => (socket.destroy(), reject(new Error(`no answer to ${JSON.stringify(bytes.slice(0, 80))}`))));
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const split = text.indexOf('\r\n\r\n');
      resolve({ status: Number(/^HTTP\/1\.[01] (\d{3})/.exec(text)?.[1]), body: split < 0 ? '' : text.slice(split + 4) });
    });
    if (halfClose) socket.end(bytes);
    else socket.write(bytes);
  });
}

describe('every refusal', () => {
  const auth = () => `Authorization: ${as.auth('us-treasury').Authorization}\r\n`;
  const post = (headers: string, body: string) =>
    `POST /funds/usjp/milestones HTTP/1.1\r\nHost: x\r\nConnection: close\r\n${auth()}${headers}Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
  const get = (target: string, headers = '') => `GET ${target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n${headers}\r\n`;
  const cases: [string, () => string][] = [
    ['a malformed request line', () => 'GET /events HTTP/9\r\n\r\n'],
    ['garbage instead of HTTP', () => '\u0001\u0002\u0003\r\n\r\n'],
    ['a header name with a space', () => 'GET /health HTTP/1.1\r\nHost: x\r\nBad Header: 1\r\n\r\n'],
    ['a control character in a header value', () => 'GET /health HTTP/1.1\r\nHost: x\r\nX-A: a\u0001b\r\n\r\n'],
    ['headers over 16 KB', () => get('/health', `X-Big: ${'a'.repeat(20_000)}\r\n`)],
    [
      'a Content-Length that is not a number',
      () => `POST /funds/usjp/milestones HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: abc\r\n\r\n{}`,
    ],
    [
      'both Content-Length and chunked',
      () =>
        `POST /funds/usjp/milestones HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n`,
    ],
    ['an unknown method', () => 'BREW /events HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'],
    ['an unknown route', () => get('/nothing/here')],
    ['a missing static file', () => get('/web/nothing.js')],
    ['a known route with the wrong method', () => 'DELETE /events HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'],
    ['a path that is not percent-encoded UTF-8', () => get('/funds/%ZZ/balance-sheet')],
    ['a query that is not percent-encoded UTF-8', () => get('/health?x=%E0%A4')],
    ['no key', () => get('/events/verify')],
    ['a body that is not JSON', () => post('Content-Type: application/json\r\n', '{"a":')],
    ['an empty JSON body', () => post('Content-Type: application/json\r\n', '')],
    ['a body of another type', () => post('Content-Type: text/plain\r\n', 'hello')],
    ['a body without a type', () => post('', '{}')],
    ['a body too large', () => post('Content-Type: application/json\r\n', JSON.stringify({ note: 'x'.repeat(120_000) }))],
    [
      'a body shorter than its Content-Length',
      () => `POST /funds/usjp/milestones HTTP/1.1\r\nHost: x\r\nConnection: close\r\n${auth()}Content-Type: application/json\r\nContent-Length: 10\r\n\r\n{}`,
    ],
    ['a compressed body', () => post('Content-Type: application/json\r\nContent-Encoding: gzip\r\n', '{}')],
    ['a JSON body nested too deep', () => post('Content-Type: application/json\r\n', '['.repeat(50) + ']'.repeat(50))],
    ['a prototype key', () => post('Content-Type: application/json\r\n', '{"__proto__":{"x":1}}')],
  ];

  it.each(cases)('is a 4xx whose JSON body has a code: %s', async (_name, bytes) => {
    const message = bytes();
    // A body shorter than its Content-Length waits for the rest: the client gives up.
    const res = await raw(message, { halfClose: message.includes('Content-Length: 10\r\n\r\n{}') });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(typeof (JSON.parse(res.body) as { code?: unknown }).code).toBe('string');
  });
});

describe('a trailing slash', () => {
  it('routes a GET like the path without it, not a 405', async () => {
    const plain = await as.get('/events?limit=2').expect(200);
    expect((await as.get('/events/?limit=2').expect(200)).body).toEqual(plain.body);
    await as.get('/funds/usjp/balance-sheet/?asOf=2026-12-31').expect(200);
    const wrong = await request(app.getHttpServer()).delete('/events/').expect(405);
    expect(wrong.body.code).toBe('METHOD_NOT_ALLOWED');
  });
});

describe("the keys' stream", () => {
  it("shows each secret's SHA-256 to an admin only", async () => {
    for (const who of ['auditor', 'us-treasury']) {
      const page = await as.get('/events?stream=access-keys', who).expect(200);
      expect(page.body.events.filter((e: { type: string }) => e.type === 'ApiKeyIssued').length).toBeGreaterThan(0);
      expect(page.text).not.toContain('secretSha256');
      expect((await as.get('/events?limit=1000', who).expect(200)).text).not.toContain('secretSha256');
    }
    const admin = await as.get('/events?stream=access-keys', 'admin').expect(200);
    expect(admin.body.events[0].data.secretSha256).toMatch(/^[0-9a-f]{64}$/);
  });
});
