import { trace } from '@opentelemetry/api';
import { setupTracing, tracingEnabled } from './tracing';

describe('tracing, where not configured', () => {
  it('registers nothing without an OTLP endpoint, or when OTEL_SDK_DISABLED or OTEL_TRACES_EXPORTER=none turn it off: spans are no-ops', () => {
    expect(setupTracing({}, {})).toBe(false);
    expect(setupTracing({}, { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318', OTEL_SDK_DISABLED: 'true' })).toBe(false);
    expect(setupTracing({}, { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://127.0.0.1:4318/v1/traces', OTEL_TRACES_EXPORTER: 'none' })).toBe(false);
    expect(tracingEnabled()).toBe(false);
    const span = trace.getTracer('fundsim').startSpan('command CommitCapital');
    expect(span.isRecording()).toBe(false);
    span.end();
  });
});
