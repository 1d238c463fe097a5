import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Span } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, SimpleSpanProcessor, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import {
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_HTTP_ROUTE,
  ATTR_SERVICE_NAME,
  ATTR_SERVICE_VERSION,
  ATTR_URL_PATH,
} from '@opentelemetry/semantic-conventions';
import type { FastifyInstance, FastifyRequest } from 'fastify';

let provider: NodeTracerProvider | undefined;

/**
 * Traces through OpenTelemetry, where configured: with OTEL_EXPORTER_OTLP_ENDPOINT (or
 * OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) set, spans go to that collector over OTLP/HTTP in batches
 * (the exporter reads the OTEL_EXPORTER_OTLP_* variables itself: headers, timeout); a test passes
 * an exporter of its own, written to span by span. Otherwise nothing is registered: the spans
 * the application starts are the OpenTelemetry API's no-ops, and no HTTP hook is installed.
 * OTEL_SDK_DISABLED=true or OTEL_TRACES_EXPORTER=none turn it off. Returns whether it is on.
 */
export function setupTracing(options: { exporter?: SpanExporter } = {}, env: NodeJS.ProcessEnv = process.env): boolean {
  if (provider) return true;
  const endpoint = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT || env.OTEL_EXPORTER_OTLP_ENDPOINT;
  const off = env.OTEL_SDK_DISABLED === 'true' || env.OTEL_TRACES_EXPORTER === 'none';
  if (!options.exporter && (!endpoint || off)) return false;
  const processor = options.exporter ? new SimpleSpanProcessor(options.exporter) : new BatchSpanProcessor(new OTLPTraceExporter());
  provider = new NodeTracerProvider({
    resource: resourceFromAttributes({
      [ATTR_SERVICE_NAME]: env.OTEL_SERVICE_NAME || 'fundsim-api',
      [ATTR_SERVICE_VERSION]: env.npm_package_version ?? '0.1.0',
    }),
    spanProcessors: [processor],
  });
  // The AsyncLocalStorage context manager and the W3C trace-context propagator (a caller's traceparent is the parent).
  provider.register();
  return true;
}

export const tracingEnabled = (): boolean => provider !== undefined;

/** Sends the spans still buffered and unregisters the provider (a test's teardown; the API flushes when it closes). */
export async function stopTracing(): Promise<void> {
  const stopping = provider;
  provider = undefined;
  await stopping?.shutdown();
  trace.disable();
  context.disable();
  propagation.disable();
}

const spans = new WeakMap<FastifyRequest, Span>();

/** The trace id of a request's span, for its log line (undefined when not tracing). */
export const traceIdOf = (request: FastifyRequest): string | undefined => spans.get(request)?.spanContext().traceId;

/**
 * A server span per request, named by its route (`POST /funds/:fundId/commitments`), child of the
 * caller's `traceparent` when it sends one. Started when the request arrives; made the active
 * context just before the handler (after the body is read: a stream's callbacks would not carry it),
 * so the command's spans (libs/application/src/tracing.ts) nest under it.
 */
export function traceRequests(fastify: FastifyInstance): void {
  const tracer = trace.getTracer('fundsim-api');
  fastify.addHook('onRequest', (request, _reply, done) => {
    const route = request.routeOptions.url;
    const parent = propagation.extract(ROOT_CONTEXT, request.headers);
    const span = tracer.startSpan(
      route ? `${request.method} ${route}` : request.method,
      {
        kind: SpanKind.SERVER,
        attributes: { [ATTR_HTTP_REQUEST_METHOD]: request.method, [ATTR_URL_PATH]: request.url.split('?')[0], ...(route ? { [ATTR_HTTP_ROUTE]: route } : {}) },
      },
      parent,
    );
    spans.set(request, span);
    done();
  });
  fastify.addHook('preHandler', (request, _reply, done) => {
    const span = spans.get(request);
    if (!span) return done();
    const parent = propagation.extract(ROOT_CONTEXT, request.headers);
    context.with(trace.setSpan(parent, span), done);
  });
  const end = (request: FastifyRequest, status?: number) => {
    const span = spans.get(request);
    if (!span) return;
    spans.delete(request);
    if (status !== undefined) span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, status);
    if (status === undefined || status >= 500) span.setStatus({ code: SpanStatusCode.ERROR, message: status === undefined ? 'client went away' : undefined });
    span.end();
  };
  fastify.addHook('onResponse', (request, reply, done) => {
    end(request, reply.statusCode);
    done();
  });
  fastify.addHook('onRequestAbort', (request, done) => {
    end(request);
    done();
  });
  // Buffered spans go out before the process ends (a graceful stop closes the server first).
  fastify.addHook('onClose', async () => {
    await provider?.forceFlush();
  });
}
