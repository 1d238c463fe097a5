import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';

const CORRELATION = /^[A-Za-z0-9._:-]{1,128}$/;
const BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

interface Histogram {
  buckets: number[];
  sum: number;
  count: number;
}

/** What the API counts for /metrics, in Prometheus's text format. */
export class Metrics {
  private readonly requests = new Map<string, Histogram>();
  private readonly commands = new Map<string, number>();
  /** Gauges read when scraped (the log's head, each fund's projection lag, the store's writes). */
  readonly gauges: (() => Promise<[string, string, number][]>)[] = [];

  observe(method: string, route: string, status: number, seconds: number): void {
    const key = `method="${method}",route="${route}",status="${status}"`;
    let h = this.requests.get(key);
    if (!h) this.requests.set(key, (h = { buckets: BUCKETS.map(() => 0), sum: 0, count: 0 }));
    BUCKETS.forEach((b, i) => seconds <= b && h!.buckets[i]++);
    h.sum += seconds;
    h.count++;
    // Commands are the POSTs under a fund: counted by what they do and how they ended.
    if (method === 'POST' && route.startsWith('/funds/')) {
      const outcome = status < 300 ? 'recorded' : status === 409 ? 'conflict' : status === 422 ? 'refused' : status < 500 ? 'invalid' : 'failed';
      const command = `route="${route}",outcome="${outcome}"`;
      this.commands.set(command, (this.commands.get(command) ?? 0) + 1);
    }
  }

  async render(): Promise<string> {
    const out = [
      '# HELP fundsim_http_request_duration_seconds HTTP requests by method, route and status.',
      '# TYPE fundsim_http_request_duration_seconds histogram',
    ];
    for (const [labels, h] of this.requests) {
      BUCKETS.forEach((b, i) => out.push(`fundsim_http_request_duration_seconds_bucket{${labels},le="${b}"} ${h.buckets[i]}`));
      out.push(`fundsim_http_request_duration_seconds_bucket{${labels},le="+Inf"} ${h.count}`);
      out.push(`fundsim_http_request_duration_seconds_sum{${labels}} ${h.sum}`, `fundsim_http_request_duration_seconds_count{${labels}} ${h.count}`);
    }
    out.push(
      '# HELP fundsim_commands_total Commands by route and outcome (recorded, refused, invalid, conflict, failed).',
      '# TYPE fundsim_commands_total counter',
    );
    for (const [labels, n] of this.commands) out.push(`fundsim_commands_total{${labels}} ${n}`);
    const seen = new Set<string>();
    for (const gauge of this.gauges) {
      for (const [name, labels, value] of await gauge()) {
        if (!seen.has(name)) (out.push(`# TYPE ${name} gauge`), seen.add(name));
        out.push(`${name}${labels ? `{${labels}}` : ''} ${value}`);
      }
    }
    return `${out.join('\n')}\n`;
  }
}

/**
 * One JSON line per request (method, route, status, duration, principal, correlation id) when
 * `log` is set, the correlation id echoed in `X-Correlation-Id` (the client's, or a new one), and
 * every request observed for /metrics.
 */
export function observe(fastify: FastifyInstance, metrics: Metrics, log: boolean): void {
  fastify.addHook('onRequest', async (request, reply) => {
    const given = request.headers['x-correlation-id'];
    const id = typeof given === 'string' && CORRELATION.test(given) ? given : randomUUID();
    (request as unknown as { correlationId: string }).correlationId = id;
    reply.header('X-Correlation-Id', id);
  });
  fastify.addHook('onResponse', async (request, reply) => {
    const seconds = reply.elapsedTime / 1000;
    const route = request.routeOptions.url ?? 'unmatched';
    metrics.observe(request.method, route, reply.statusCode, seconds);
    if (!log) return;
    const principal = (request as unknown as { principal?: { keyId: string; role: string; subject: string } }).principal;
    process.stdout.write(
      `${JSON.stringify({
        time: new Date().toISOString(),
        level: reply.statusCode >= 500 ? 'error' : 'info',
        msg: 'request',
        method: request.method,
        route,
        status: reply.statusCode,
        durationMs: Math.round(reply.elapsedTime * 100) / 100,
        principal: principal ? `${principal.role}:${principal.subject}` : undefined,
        keyId: principal?.keyId,
        correlationId: (request as unknown as { correlationId?: string }).correlationId,
      })}\n`,
    );
  });
}
