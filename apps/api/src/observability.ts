import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import pino, { type DestinationStream, type Logger } from 'pino';
import type { ReplicaLag } from '@fundsim/event-store';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { traceIdOf } from './tracing';

const CORRELATION = /^[A-Za-z0-9._:-]{1,128}$/;
const BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** A gauge read when scraped: [metric name, labels as `k="v"` pairs or '', value]. */
type GaugeReading = [string, string, number];

/**
 * What the API counts for /metrics, through prom-client (Prometheus's own client): request
 * durations and commands by outcome, the process's defaults (CPU, heap, event-loop lag, handles),
 * and gauges read when scraped (the log's head, each fund's projection lag). One registry per
 * app, so that apps in one process (the tests) count apart.
 */
export class Metrics {
  readonly registry = new Registry();
  private readonly requests = new Histogram({
    name: 'fundsim_http_request_duration_seconds',
    help: 'HTTP requests by method, route and status.',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: BUCKETS,
    registers: [this.registry],
  });
  private readonly commands = new Counter({
    name: 'fundsim_commands_total',
    help: 'Commands by route and outcome (recorded, refused, invalid, conflict, failed).',
    labelNames: ['route', 'outcome'] as const,
    registers: [this.registry],
  });
  /** Gauges read when scraped (the log's head, each fund's projection lag). */
  readonly gauges: (() => Promise<GaugeReading[]>)[] = [];

  constructor() {
    collectDefaultMetrics({ register: this.registry, eventLoopMonitoringPrecision: 10 });
  }

  observe(method: string, route: string, status: number, seconds: number): void {
    this.requests.observe({ method, route, status: String(status) }, seconds);
    // Commands are the POSTs under a fund: counted by what they do and how they ended.
    if (method === 'POST' && route.startsWith('/funds/')) {
      const outcome = status < 300 ? 'recorded' : status === 409 ? 'conflict' : status === 422 ? 'refused' : status < 500 ? 'invalid' : 'failed';
      this.commands.inc({ route, outcome });
    }
  }

  async render(): Promise<string> {
    // The gauges' names are known only once read: written after the registry's own metrics.
    const out = [await this.registry.metrics()];
    const seen = new Set<string>();
    for (const gauge of this.gauges) {
      for (const [name, labels, value] of await gauge()) {
        if (!seen.has(name)) (out.push(`# TYPE ${name} gauge`), seen.add(name));
        out.push(`${name}${labels ? `{${labels}}` : ''} ${value}`);
      }
    }
    return `${out.join('\n').replace(/\n+$/, '')}\n`;
  }
}

/**
 * A read replica's lag (FUNDSIM_STORE_READ) as prom-client metrics, read from the store when
 * scraped: one reading (four small queries) serves the five metrics of a scrape. While the replica
 * does not answer, only `fundsim_replica_up 0` and the primary reads are given.
 */
export function replicaMetrics(registry: Registry, read: () => Promise<ReplicaLag>): void {
  let reading: Promise<ReplicaLag> | undefined;
  const lag = (): Promise<ReplicaLag> => {
    if (!reading) {
      reading = read();
      // prom-client collects the metrics one after another: the next scrape reads again.
      const forget = () => setTimeout(() => (reading = undefined), 100).unref();
      reading.then(forget, forget);
    }
    return reading;
  };
  const gauge = (name: string, help: string, value: (lag: ReplicaLag & { reachable: true }) => number) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      async collect() {
        const now = await lag();
        this.reset();
        if (now.reachable) this.set(value(now));
      },
    });
  new Gauge({
    name: 'fundsim_replica_up',
    help: 'Whether the read replica answers (1) or not (0).',
    registers: [registry],
    async collect() {
      this.set((await lag()).reachable ? 1 : 0);
    },
  });
  gauge('fundsim_replica_lag_seconds', 'Age of the last transaction the replica replayed, while it has WAL left to replay (0: caught up).', (l) => l.seconds);
  gauge('fundsim_replica_lag_bytes', "WAL bytes the replica has still to replay (the primary's current LSN less the replica's replay LSN).", (l) => l.bytes);
  gauge('fundsim_replica_lag_events', 'Log positions the primary holds and the replica does not yet.', (l) => l.events);
  new Counter({
    name: 'fundsim_replica_primary_reads_total',
    help: 'Reads that went to the primary because the replica was behind past FUNDSIM_REPLICA_WAIT_MS or did not answer.',
    registers: [registry],
    async collect() {
      this.reset();
      this.inc((await lag()).primaryReads);
    },
  });
}

/** The request log: one JSON line a request (stdout unless told), through pino (levels as words, ISO times). */
const requestLog = (destination: DestinationStream = pino.destination(1)): Logger =>
  pino({ base: undefined, timestamp: pino.stdTimeFunctions.isoTime, formatters: { level: (label) => ({ level: label }) } }, destination);

/**
 * One JSON line per request (method, route, status, duration, principal, correlation id) when
 * `log` is set (stdout, or the stream given), the correlation id echoed in `X-Correlation-Id` (the client's, or a new one), and
 * every request observed for /metrics.
 */
export function observe(fastify: FastifyInstance, metrics: Metrics, log: boolean | DestinationStream): void {
  const logger = log === false ? undefined : requestLog(log === true ? undefined : log);
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
    if (!logger) return;
    const principal = (request as unknown as { principal?: { keyId: string; role: string; subject: string } }).principal;
    logger[reply.statusCode >= 500 ? 'error' : 'info'](
      {
        method: request.method,
        route,
        status: reply.statusCode,
        durationMs: Math.round(reply.elapsedTime * 100) / 100,
        principal: principal ? `${principal.role}:${principal.subject}` : undefined,
        keyId: principal?.keyId,
        correlationId: (request as unknown as { correlationId?: string }).correlationId,
        traceId: traceIdOf(request),
      },
      'request',
    );
  });
}
