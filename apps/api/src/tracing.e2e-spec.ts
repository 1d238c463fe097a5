import type { INestApplication } from '@nestjs/common';
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { createServer, type IncomingMessage } from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { keysIn, Node } from './testing/nodes';
import { apiOverScenarios, type asPrincipals } from './testing/principals';
import { startApi } from './testing/server';
import { setupTracing, stopTracing } from './tracing';

/**
 * A command's trace, from the HTTP request to the store's append: an in-memory exporter collects
 * the spans of real HTTP commands in this process; then a built API process with
 * OTEL_EXPORTER_OTLP_ENDPOINT sends its spans over OTLP/HTTP to a collector this test runs.
 */
const dir = mkdtempSync(join(tmpdir(), 'fundsim-tracing-'));
const exporter = new InMemorySpanExporter();
let app: INestApplication;
let as: ReturnType<typeof asPrincipals>;

beforeAll(async () => {
  expect(setupTracing({ exporter })).toBe(true);
  ({ app, as } = await apiOverScenarios(join(dir, 'fundsim.db')));
}, 60_000);

afterAll(async () => {
  await app?.close();
  await stopTracing();
  delete process.env.FUNDSIM_STORE;
  rmSync(dir, { recursive: true, force: true });
});

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const CALLER_SPAN = '00f067aa0ba902b7';
const byName = (spans: ReadableSpan[], name: string): ReadableSpan => {
  const found = spans.filter((s) => s.name === name);
  expect([name, found.length]).toEqual([name, 1]);
  return found[0];
};
const parentOf = (span: ReadableSpan) => span.parentSpanContext?.spanId;

describe('traces through OpenTelemetry', () => {
  it('nests a command under its HTTP request: request, command, decide, store append, with the fund, type, stream and position', async () => {
    exporter.reset();
    const res = await as
      .post('/funds/usjp/commitments')
      .set('traceparent', `00-${TRACE_ID}-${CALLER_SPAN}-01`)
      .send({ actor: 'retail-platform', effectiveDate: '2026-11-30', lpId: 'retail-traced', kind: 'retail', country: 'US', amount: '2500.00', currency: 'USD' })
      .expect(201);
    const spans = exporter.getFinishedSpans();
    const http = byName(spans, 'POST /funds/:fundId/commitments');
    const command = byName(spans, 'command CommitCapital');
    const decide = byName(spans, 'decide');
    const append = byName(spans, 'store.append');
    // One trace, the caller's: the request span is the child of its traceparent.
    for (const span of [http, command, decide, append]) expect(span.spanContext().traceId).toBe(TRACE_ID);
    expect(parentOf(http)).toBe(CALLER_SPAN);
    expect(parentOf(command)).toBe(http.spanContext().spanId);
    expect(parentOf(decide)).toBe(command.spanContext().spanId);
    expect(parentOf(append)).toBe(command.spanContext().spanId);
    expect(http.attributes).toMatchObject({ 'http.request.method': 'POST', 'http.route': '/funds/:fundId/commitments', 'http.response.status_code': 201 });
    expect(command.attributes).toMatchObject({
      'fundsim.fund_id': 'usjp',
      'fundsim.command.type': 'CommitCapital',
      'fundsim.stream': 'fund-usjp.lp-retail-traced',
      'fundsim.position': res.body.position,
      'fundsim.written': true,
      'fundsim.event_count': 1,
      'fundsim.attempts': 1,
    });
    expect(decide.attributes).toMatchObject({ 'fundsim.command.type': 'CommitCapital', 'fundsim.event_count': 1 });
    expect(append.attributes).toMatchObject({
      'db.system.name': 'sqlite',
      'db.operation.name': 'append',
      'fundsim.stream': 'fund-usjp.lp-retail-traced',
      'fundsim.event_count': 1,
      'fundsim.expected_revision': 'no-stream',
      'fundsim.position': res.body.position,
    });
    // In time: the append inside the command, the command inside the request.
    // Nanoseconds since the epoch (past 2^53: as BigInt); a span's start may be rounded to the millisecond by the SDK's clock.
    const t = (s: ReadableSpan, at: 'startTime' | 'endTime') => BigInt(s[at][0]) * 1_000_000_000n + BigInt(Math.round(s[at][1]));
    const ms = 1_000_000n;
    expect(t(append, 'startTime') + ms).toBeGreaterThanOrEqual(t(decide, 'endTime'));
    expect(t(command, 'endTime')).toBeLessThanOrEqual(t(http, 'endTime') + ms);
  });

  it('marks a rule’s refusal on the command span without calling it an error, and starts a trace of its own without a traceparent', async () => {
    exporter.reset();
    await as
      .post('/funds/usjp/commitments')
      .send({ actor: 'retail-platform', effectiveDate: '2026-11-30', lpId: 'retail-traced', kind: 'retail', country: 'US', amount: '150000', currency: 'JPY' })
      .expect(422);
    const spans = exporter.getFinishedSpans();
    const http = byName(spans, 'POST /funds/:fundId/commitments');
    const command = byName(spans, 'command CommitCapital');
    expect(parentOf(http)).toBeUndefined();
    expect(command.spanContext().traceId).toBe(http.spanContext().traceId);
    expect(command.attributes['fundsim.rejection']).toBe('UNSUPPORTED_CURRENCY');
    expect(command.status.code).toBe(0); // UNSET
    expect(spans.some((s) => s.name === 'store.append')).toBe(false);
    expect(http.attributes['http.response.status_code']).toBe(422);
  });
});

describe('an API process with OTEL_EXPORTER_OTLP_ENDPOINT', () => {
  it('exports its command spans over OTLP/HTTP (JSON) to the collector, flushed when it stops', async () => {
    const received: { path: string; body: string }[] = [];
    const collector = createServer((req: IncomingMessage, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        received.push({ path: req.url ?? '', body });
        res.writeHead(200, { 'Content-Type': 'application/json' }).end('{}');
      });
    }).listen(0, '127.0.0.1');
    await once(collector, 'listening');
    const endpoint = `http://127.0.0.1:${(collector.address() as AddressInfo).port}`;
    const keysFile = join(dir, 'otlp-keys.json');
    const api = await startApi({
      FUNDSIM_STORE: `sqlite:${join(dir, 'otlp.db')}`,
      FUNDSIM_DEMO: 'off',
      FUNDSIM_DEMO_KEYS: keysFile,
      FUNDSIM_REQUEST_LOG: 'off',
      OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
      OTEL_SERVICE_NAME: 'fundsim-test',
    });
    try {
      expect(api.output()).toContain(`Traces sent over OTLP/HTTP to ${endpoint}`);
      const node = new Node('O', api, keysIn(keysFile));
      const answer = await node.post('/funds/otlp/fx-rates', 'market-data', { effectiveDate: '2026-03-31', pair: 'USD/JPY', rate: '150.00' });
      // No such fund: refused, and traced all the same.
      expect(answer.status).toBe(404);
    } finally {
      await api.stop();
      collector.close();
    }
    const traces = received.filter((r) => r.path === '/v1/traces');
    expect(traces.length).toBeGreaterThan(0);
    const body = traces.map((r) => r.body).join('\n');
    expect(body).toContain('"POST /funds/:fundId/fx-rates"');
    expect(body).toContain('"command RecordFxRate"');
    expect(body).toContain('"fundsim-test"');
  }, 60_000);
});
