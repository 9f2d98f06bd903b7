import { SpanStatusCode, trace } from '@opentelemetry/api';
import { hrTimeToMilliseconds } from '@opentelemetry/core';
import { JsonTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { describe, expect, it } from 'vitest';
import { monotonicNow } from '../src/clock.js';
import { OtelServerSpan, type OtelServerSpanSink } from '../src/tracing/otel-server-span.js';
import { PresettableXRayIdGenerator } from '../src/tracing/tracing.js';
import { XRayIds } from '../src/tracing/xray-ids.js';

const TRACE_ID = '5759e988bd862e3fe1be46a994272793';
const SPAN_ID = '53995c3f42cd8ad8';
const PARENT_ID = 'a1b2c3d4e5f60718';

/** A provider as the otel backend builds one, recording what its processor is handed, and its server-span sink. */
const provider = (): { sink: OtelServerSpanSink; exported: () => ReadableSpan[] } => {
  const recorder = new InMemorySpanExporter();
  const processor = new SimpleSpanProcessor(recorder);
  const resource = resourceFromAttributes({ 'service.name': 'checkout' });
  const ids = new PresettableXRayIdGenerator(new XRayIds());
  const tracer = new BasicTracerProvider({ resource, idGenerator: ids, spanProcessors: [processor] }).getTracer('@eks-o11y/instrumentation');
  const { instrumentationScope: scope } = tracer as typeof tracer & { instrumentationScope: OtelServerSpanSink['scope'] };
  return { sink: { tracer, ids, processor, resource, scope }, exported: () => recorder.getFinishedSpans() };
};

const requestAttributes = () => ({ 'http.request.method': 'GET', 'url.path': '/products/42', 'url.scheme': 'http', 'client.address': '10.0.0.1' });

/** OTLP/JSON as OpenTelemetry's own serialiser writes it, one export request for `spans`. */
const otlpJson = (spans: ReadableSpan[]) =>
  JSON.parse(Buffer.from(JsonTraceSerializer.serializeRequest(spans)!).toString('utf8')) as {
    resourceSpans: { scopeSpans: { spans: Record<string, unknown>[] }[] }[];
  };

describe('the OpenTelemetry server span', () => {
  it.each([
    [200, PARENT_ID],
    [404, undefined],
    [503, PARENT_ID],
    [503, undefined],
  ])('of a request that recorded only its request and response (%i, parent %s) exports what its SDK span would', (status, parentId) => {
    const { sink, exported } = provider();
    const start = monotonicNow();
    const serverSpan = (): OtelServerSpan => new OtelServerSpan(sink, TRACE_ID, SPAN_ID, parentId, 'GET', requestAttributes(), start);

    const throughSdk = serverSpan();
    expect(throughSdk.span.isRecording()).toBe(true);
    throughSdk.end('GET', '/products/:id', status);
    const direct = serverSpan();
    direct.end('GET', '/products/:id', status);

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
    expect(record).toMatchObject({ traceId: TRACE_ID, spanId: SPAN_ID, name: 'GET /products/:id', kind: 2, status: { code: status >= 500 ? SpanStatusCode.ERROR : SpanStatusCode.UNSET } });
    expect(record!.parentSpanId).toBe(parentId ?? undefined);
  });

  it('starts and ends on the same clock as the SDK’s span, to the microsecond', () => {
    const { sink } = provider();
    const before = Date.now();
    const span = new OtelServerSpan(sink, TRACE_ID, SPAN_ID, undefined, 'GET', requestAttributes(), monotonicNow());
    span.end('GET', '/', 200);

    expect(hrTimeToMilliseconds(span.startTime)).toBeGreaterThanOrEqual(before - 1);
    expect(hrTimeToMilliseconds(span.endTime)).toBeLessThanOrEqual(Date.now() + 1);
    expect(hrTimeToMilliseconds(span.duration)).toBeGreaterThanOrEqual(0);
    expect(span.startTime[1] % 1000).not.toBe(0); // sub-millisecond, not Date.now()
  });

  it('makes its SDK span with its own ids and start time, once, when something needs it', () => {
    const { sink, exported } = provider();
    const start = monotonicNow() - 5;
    const span = new OtelServerSpan(sink, TRACE_ID, SPAN_ID, undefined, 'GET', requestAttributes(), start);

    span.span.setAttribute('ProductID', 'p-7');
    expect(span.span).toBe(span.span);
    span.end('GET', '/products/:id', 200);

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

  it('is exported once: after it ended, what asks for its span gets a non-recording one with its ids', () => {
    const { sink, exported } = provider();
    const span = new OtelServerSpan(sink, TRACE_ID, SPAN_ID, undefined, 'GET', requestAttributes(), monotonicNow());
    span.end('GET', '/', 200);
    span.end('GET', '/', 500);

    const late = span.span;
    late.setAttribute('late', true);

    expect(late.isRecording()).toBe(false);
    expect(late.spanContext()).toEqual(trace.wrapSpanContext(span.spanContext()).spanContext());
    expect(exported()).toEqual([span]);
    expect(span.attributes).not.toHaveProperty('late');
    expect(span.attributes['http.response.status_code']).toBe(200);
  });
});
