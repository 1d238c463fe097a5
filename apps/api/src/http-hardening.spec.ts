import { charsetOf, harden, scanJson } from './http-hardening';

describe('scanJson', () => {
  it.each([
    ['{"a":1,"a":2}', 'a'],
    ['{"a":1,"\\u0061":2}', 'a'],
    ['{"x":{"b":[1],"c":2,"b":3}}', 'x.b'],
    ['{"list":[{"k":1},{"k":1,"k":2}]}', 'list[1].k'],
    ['[[0],[{"q":"}","q":"{"}]]', '[1][0].q'],
    ['{"s":"a\\"b","s":1}', 's'],
  ])('finds the repeated key in %s: %s', (text, path) => {
    expect(JSON.parse(text)).toBeDefined();
    expect(scanJson(text).duplicate).toBe(path);
  });

  it.each(['{"a":1,"b":{"a":2},"c":[{"a":3},{"a":4}]}', '{"a":"\\"a\\":1,","b":"{\\"a\\":2}"}', '{"a":["a","a"],"b":"a"}', '{"A":1,"a":2}', '[]', '"text"'])(
    'finds none in %s, where no object repeats a key',
    (text) => {
      expect(JSON.parse(text)).toBeDefined();
      expect(scanJson(text).duplicate).toBeUndefined();
    },
  );

  it('counts nesting, braces in strings not included', () => {
    expect(scanJson('{"a":[{"b":"[[[{{{"}]}').depth).toBe(3);
    expect(scanJson('['.repeat(40) + ']'.repeat(40)).depth).toBe(40);
  });

  it('stops past the depth it is given', () => {
    expect(scanJson('['.repeat(100_000), 16).depth).toBe(17);
  });

  it('takes linear time on the largest bodies: 100 KB of distinct keys, or of nesting, each well under a second', () => {
    for (const text of [
      JSON.stringify(Object.fromEntries(Array.from({ length: 8000 }, (_, i) => [`k${i}`, i]))),
      '[{"a":'.repeat(17_000) + '1' + '}]'.repeat(17_000),
    ]) {
      const started = performance.now();
      expect(scanJson(text).duplicate).toBeUndefined();
      expect(performance.now() - started).toBeLessThan(1000);
    }
  });
});

describe('charsetOf', () => {
  it.each([
    ['application/json', undefined],
    ['application/json; charset=utf-8', 'utf-8'],
    ['application/json;charset=UTF-8', 'UTF-8'],
    ['application/json; charset="utf-8"', 'utf-8'],
    ['application/json; foo=bar; Charset = "UTF-8" ', 'UTF-8'],
    ['application/json; charset=latin1', 'latin1'],
  ])('%s: %s', (header, charset) => {
    expect(charsetOf(header)).toBe(charset);
  });
});

describe('the security headers (helmet)', () => {
  const serve = async () => {
    const fastify = (await import('fastify')).default();
    harden(fastify);
    fastify.get('/funds/:fundId/balance-sheet', async () => ({ ok: true }));
    fastify.get('/', async (_request, reply) => reply.type('text/html').send('<!doctype html>'));
    fastify.get('/docs', async (_request, reply) => reply.type('text/html').send('<!doctype html>'));
    await fastify.ready();
    return fastify;
  };

  it('sends each kind of answer its policy: an API answer nothing to load and never cached, the dashboard its own files, the docs no policy', async () => {
    const fastify = await serve();
    const api = await fastify.inject({ method: 'GET', url: '/funds/usjp/balance-sheet' });
    expect([api.headers['content-security-policy'], api.headers['cache-control']]).toEqual(["default-src 'none';frame-ancestors 'none'", 'no-store']);
    for (const [header, value] of [
      ['x-content-type-options', 'nosniff'],
      ['x-frame-options', 'DENY'],
      ['referrer-policy', 'no-referrer'],
      ['cross-origin-resource-policy', 'same-origin'],
    ])
      expect([header, api.headers[header]]).toEqual([header, value]);
    const page = await fastify.inject({ method: 'GET', url: '/' });
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers['cache-control']).toBeUndefined();
    const docs = await fastify.inject({ method: 'GET', url: '/docs' });
    expect([docs.headers['content-security-policy'], docs.headers['x-frame-options']]).toEqual([undefined, 'DENY']);
    // A refusal at the edge has them too.
    const refused = await fastify.inject({ method: 'GET', url: '/funds/usjp/balance-sheet', headers: { 'content-encoding': 'gzip' } });
    expect([refused.statusCode, refused.headers['x-content-type-options'], refused.headers['content-security-policy']]).toEqual([
      400,
      'nosniff',
      "default-src 'none';frame-ancestors 'none'",
    ]);
    await fastify.close();
  });
});
