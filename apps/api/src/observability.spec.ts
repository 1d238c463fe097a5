import Fastify from 'fastify';
import { Writable } from 'node:stream';
import { Metrics, observe } from './observability';

/** The request log and /metrics, through pino and prom-client, on a bare Fastify instance. */
describe('observability', () => {
  it('logs one JSON line a request and counts it, with the process, heap and event-loop figures', async () => {
    const lines: string[] = [];
    const sink = new Writable({ write: (chunk, _encoding, done) => (lines.push(...String(chunk).trim().split('\n')), done()) });
    const fastify = Fastify();
    const metrics = new Metrics();
    observe(fastify, metrics, sink);
    fastify.get('/funds/:fundId/balance-sheet', async () => ({ ok: true }));
    fastify.post('/funds/:fundId/closes', async (_request, reply) => reply.code(422).send({ code: 'NO_PENDING_COMMITMENTS' }));
    await fastify.inject({ method: 'GET', url: '/funds/usjp/balance-sheet', headers: { 'x-correlation-id': 'trace-7' } });
    await fastify.inject({ method: 'POST', url: '/funds/usjp/closes', payload: {} });
    await fastify.close();

    const logged = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(logged.map((l) => [l.level, l.msg, l.method, l.route, l.status])).toEqual([
      ['info', 'request', 'GET', '/funds/:fundId/balance-sheet', 200],
      ['info', 'request', 'POST', '/funds/:fundId/closes', 422],
    ]);
    expect(logged[0].correlationId).toBe('trace-7');
    expect(String(logged[0].time)).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(typeof logged[0].durationMs).toBe('number');

    const text = await metrics.render();
    expect(text).toMatch(/^fundsim_http_request_duration_seconds_count\{method="GET",route="\/funds\/:fundId\/balance-sheet",status="200"\} 1$/m);
    expect(text).toMatch(/^fundsim_commands_total\{route="\/funds\/:fundId\/closes",outcome="refused"\} 1$/m);
    for (const name of ['process_cpu_user_seconds_total', 'nodejs_heap_size_used_bytes', 'nodejs_eventloop_lag_seconds'])
      expect(text).toMatch(new RegExp(`^${name} `, 'm'));
  });

  it('writes the gauges read when scraped after the registry, each name typed once', async () => {
    const metrics = new Metrics();
    metrics.gauges.push(async () => [
      ['fundsim_projection_lag_events', 'fund="a"', 0],
      ['fundsim_projection_lag_events', 'fund="b"', 3],
    ]);
    const text = await metrics.render();
    expect(text.match(/^# TYPE fundsim_projection_lag_events gauge$/gm)).toHaveLength(1);
    expect(text).toMatch(/^fundsim_projection_lag_events\{fund="b"\} 3\n/m);
    expect(text.endsWith('\n') && !text.endsWith('\n\n')).toBe(true);
  });
});
