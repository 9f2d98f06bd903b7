import { SpanKind, SpanStatusCode, TraceFlags, trace, type SpanContext } from '@opentelemetry/api';
import { hrTimeToMilliseconds } from '@opentelemetry/core';
import { JsonTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { describe, expect, it } from 'vitest';
import { monotonicNow } from '../src/clock.js';
import { DeferredSpan, type DeferredSpanSink } from '../src/tracing/deferred-span.js';
import { PresettableXRayIdGenerator } from '../src/tracing/tracing.js';
import { XRayIds } from '../src/tracing/xray-ids.js';

const TRACE_ID = '5759e988bd862e3fe1be46a994272793';
const SPAN_ID = '53995c3f42cd8ad8';
const PARENT_ID = 'a1b2c3d4e5f60718';

/** A provider as the otel backend builds one, recording what its processor is handed, and its deferred-span sink. */
const provider = (): { sink: DeferredSpanSink; exported: () => ReadableSpan[] } => {
  const recorder = new InMemorySpanExporter();
  const processor = new SimpleSpanProcessor(recorder);
  const resource = resourceFromAttributes({ 'service.name': 'checkout' });
  const ids = new PresettableXRayIdGenerator(new XRayIds());
  const tracer = new BasicTracerProvider({ resource, idGenerator: ids, spanProcessors: [processor] }).getTracer('@eks-o11y/instrumentation');
  const { instrumentationScope: scope } = tracer as typeof tracer & { instrumentationScope: DeferredSpanSink['scope'] };
  return { sink: { tracer, ids, processor, resource, scope }, exported: () => recorder.getFinishedSpans() };
};

const requestAttributes = () => ({ 'http.request.method': 'GET', 'url.path': '/products/42', 'url.scheme': 'http', 'client.address': '10.0.0.1' });

/** OTLP/JSON as OpenTelemetry's own serialiser writes it, one export request for `spans`. */
const otlpJson = (spans: ReadableSpan[]) =>
  JSON.parse(Buffer.from(JsonTraceSerializer.serializeRequest(spans)!).toString('utf8')) as {
    resourceSpans: { scopeSpans: { spans: Record<string, unknown>[] }[] }[];
  };

const remoteParent: SpanContext = { traceId: TRACE_ID, spanId: PARENT_ID, traceFlags: TraceFlags.SAMPLED, isRemote: true };
const localParent: SpanContext = { traceId: TRACE_ID, spanId: PARENT_ID, traceFlags: TraceFlags.SAMPLED };

/** What the tracing code tells a server span when its response ends (the client span test reuses it). */
const endAsServer = (span: DeferredSpan, status: number): void => {
  span.updateName('GET /products/:id');
  span.setAttribute('http.route', '/products/:id');
  span.setAttribute('http.response.status_code', status);
  if (status >= 500) {
    span.setAttribute('error.type', String(status));
    span.setError();
  }
  span.end();
};

describe('a deferred span', () => {
  it.each([
    ['server', 200, remoteParent],
    ['server', 404, undefined],
    ['server', 503, remoteParent],
    ['server', 503, undefined],
    ['client', 502, localParent],
  ] as const)('that needed no SDK span (%s, %i, parent %o) exports what its SDK span would', (kindName, status, parent) => {
    const kind = kindName === 'server' ? SpanKind.SERVER : SpanKind.CLIENT;
    const { sink, exported } = provider();
    const start = monotonicNow();
    const deferred = (): DeferredSpan => new DeferredSpan(sink, kind, TRACE_ID, SPAN_ID, parent, 'GET', requestAttributes(), start);

    const throughSdk = deferred();
    expect(throughSdk.span.isRecording()).toBe(true);
    endAsServer(throughSdk, status);
    const direct = deferred();
    endAsServer(direct, status);

    const spans = exported();
    expect(spans).toHaveLength(2);
    expect(spans[1]).toBe(direct); // handed to the processor as it is, no SDK span made
    // One resource and one scope for both: the exporter groups them as one batch.
    const document = otlpJson(spans);
    expect(document.resourceSpans).toHaveLength(1);
    expect(document.resourceSpans[0]!.scopeSpans).toHaveLength(1);
    const [viaSdk, record] = document.resourceSpans[0]!.scopeSpans[0]!.spans.map(
      ({ startTimeUnixNano: _start, endTimeUnixNano: _end, ...rest }) => rest,
    );
    expect(record).toEqual(viaSdk);
    expect(record).toMatchObject({
      traceId: TRACE_ID,
      spanId: SPAN_ID,
      name: 'GET /products/:id',
      kind: kind + 1,
      status: { code: status >= 500 ? SpanStatusCode.ERROR : SpanStatusCode.UNSET },
    });
    expect(record!.parentSpanId).toBe(parent?.spanId);
  });

  it('starts and ends on the same clock as the SDK’s span, to the microsecond', () => {
    const { sink } = provider();
    const before = Date.now();
    const span = new DeferredSpan(sink, SpanKind.SERVER, TRACE_ID, SPAN_ID, undefined, 'GET', requestAttributes(), monotonicNow());
    span.end();

    expect(hrTimeToMilliseconds(span.startTime)).toBeGreaterThanOrEqual(before - 1);
    expect(hrTimeToMilliseconds(span.endTime)).toBeLessThanOrEqual(Date.now() + 1);
    expect(hrTimeToMilliseconds(span.duration)).toBeGreaterThanOrEqual(0);
    expect(span.startTime[1] % 1000).not.toBe(0); // sub-millisecond, not Date.now()
  });

  it('makes its SDK span with its own ids and start time, once, when something needs it', () => {
    const { sink, exported } = provider();
    const span = new DeferredSpan(sink, SpanKind.SERVER, TRACE_ID, SPAN_ID, undefined, 'GET', requestAttributes(), monotonicNow() - 5);

    span.span.setAttribute('ProductID', 'p-7');
    expect(span.span).toBe(span.span);
    endAsServer(span, 200);

    const [sdkSpan] = exported();
    expect(sdkSpan).not.toBe(span);
    expect(sdkSpan!.spanContext()).toMatchObject({ traceId: TRACE_ID, spanId: SPAN_ID });
    expect(sdkSpan!.attributes).toMatchObject({ ProductID: 'p-7', 'http.route': '/products/:id', 'http.response.status_code': 200 });
    expect(hrTimeToMilliseconds(sdkSpan!.startTime)).toBeCloseTo(hrTimeToMilliseconds(span.startTime), 0);
    // The ids were the next span's only: the one after gets fresh ones.
    const next = sink.tracer.startSpan('next');
    expect(next.spanContext().spanId).not.toBe(SPAN_ID);
    expect(next.spanContext().traceId).not.toBe(TRACE_ID);
  });

  it('keeps the message of an exception recorded on its SDK span when it is marked as an error', () => {
    const { sink, exported } = provider();
    const span = new DeferredSpan(sink, SpanKind.SERVER, TRACE_ID, SPAN_ID, undefined, 'GET', requestAttributes(), monotonicNow());

    span.span.recordException(new Error('inventory unavailable'));
    span.span.setStatus({ code: SpanStatusCode.ERROR, message: 'inventory unavailable' });
    endAsServer(span, 503);

    expect(exported()[0]!.status).toEqual({ code: SpanStatusCode.ERROR, message: 'inventory unavailable' });
  });

  it('is exported once, and ignores what it is told after it ended', () => {
    const { sink, exported } = provider();
    const span = new DeferredSpan(sink, SpanKind.SERVER, TRACE_ID, SPAN_ID, undefined, 'GET', requestAttributes(), monotonicNow());
    endAsServer(span, 200);
    endAsServer(span, 500);

    const late = span.span;
    late.setAttribute('late', true);

    expect(late.isRecording()).toBe(false);
    expect(late.spanContext()).toEqual(trace.wrapSpanContext(span.spanContext()).spanContext());
    expect(exported()).toEqual([span]);
    expect(span.attributes).not.toHaveProperty('late');
    expect(span.attributes['http.response.status_code']).toBe(200);
    expect(span.status.code).toBe(SpanStatusCode.UNSET);
  });
});
