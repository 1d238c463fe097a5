import { SpanStatusCode, trace, type Attributes, type Span } from '@opentelemetry/api';
import { Rejection } from '@fundsim/domain';

/**
 * fundsim's spans, through the OpenTelemetry API only: with no tracer provider registered (the API
 * registers one when OTEL_EXPORTER_OTLP_ENDPOINT is set, apps/api/src/tracing.ts) every call here
 * is the API's no-op, a few hundred nanoseconds.
 */
const tracer = trace.getTracer('fundsim');

/**
 * Runs `work` in a span named `name` (active, so that spans started inside nest under it) and ends
 * it. A rule's refusal is an answer, not a fault: it is recorded as `fundsim.rejection` and leaves
 * the status unset; anything else thrown sets the status to error.
 */
export function inSpan<T>(name: string, attributes: Attributes, work: (span: Span) => Promise<T>): Promise<T> {
  return tracer.startActiveSpan(name, { attributes }, async (span) => {
    try {
      return await work(span);
    } catch (error) {
      if (error instanceof Rejection) span.setAttribute('fundsim.rejection', error.code);
      else {
        span.recordException(error as Error);
        span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
      }
      throw error;
    } finally {
      span.end();
    }
  });
}
