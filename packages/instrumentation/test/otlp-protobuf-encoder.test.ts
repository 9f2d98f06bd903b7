import { ROOT_CONTEXT, SpanKind, SpanStatusCode, TraceFlags, trace, type Link } from '@opentelemetry/api';
import { TraceState } from '@opentelemetry/core';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { describe, expect, it } from 'vitest';
import { OtlpProtobufEncoder } from '../src/tracing/otlp-protobuf-encoder.js';
import { decodeExportTraceServiceRequest } from './helpers/otlp-protobuf.js';

/** What OpenTelemetry's own serialiser writes for `spans`: the bytes ours must match. */
const reference = (spans: ReadableSpan[]): Buffer => Buffer.from(ProtobufTraceSerializer.serializeRequest(spans)!);

/** Spans recorded through the SDK, from a provider with `resourceAttributes`. */
const recordSpans = (resourceAttributes: Record<string, string>, record: (provider: BasicTracerProvider) => void): ReadableSpan[] => {
  const recorder = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes(resourceAttributes),
    spanProcessors: [new SimpleSpanProcessor(recorder)],
  });
  record(provider);
  return recorder.getFinishedSpans();
};

const remoteParent = {
  traceId: '5759e988bd862e3fe1be46a994272793',
  spanId: '53995c3f42cd8ad8',
  traceFlags: TraceFlags.SAMPLED,
  isRemote: true,
  traceState: new TraceState('vendor=value,other=1'),
};

/** A context whose active span is {@link remoteParent}, as a propagator extracts it from incoming headers. */
const withRemoteParent = trace.setSpanContext(ROOT_CONTEXT, remoteParent);

const link: Link = {
  context: { traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', traceFlags: TraceFlags.NONE, isRemote: true, traceState: new TraceState('k=v') },
  attributes: { 'link.reason': 'retry' },
};

/** Everything a span can carry through the SDK: every attribute type, events, links, status, a remote parent. */
const richSpans = (): ReadableSpan[] =>
  recordSpans({ 'service.name': 'checkout', 'deployment.environment': 'prod' }, (provider) => {
    const tracer = provider.getTracer('@eks-o11y/instrumentation', '1.2.3');
    const span = tracer.startSpan(
      'GET /products/:id',
      {
        kind: SpanKind.SERVER,
        links: [link],
        attributes: {
          'http.request.method': 'GET',
          'http.response.status_code': 200,
          'app.negative': -42,
          'app.big': 2 ** 40,
          'app.ratio': 0.25,
          'app.not_a_number': Number.NaN,
          'app.flag': true,
          'app.off': false,
          'app.tags': ['a', 'b'],
          'app.numbers': [1, 2.5, -3],
          'app.flags': [true, false],
          'app.unicode': 'Grüße, 世界 🚀',
          'app.lone_surrogate': 'a\uD800b',
          'app.long': 'x'.repeat(300),
          'app.longer': 'y'.repeat(20_000),
        },
      },
      withRemoteParent,
    );
    span.addEvent('exception', { 'exception.type': 'Error', 'exception.message': 'Ünicode failure' });
    span.addEvent('no attributes');
    span.setStatus({ code: SpanStatusCode.ERROR, message: 'Internal Server Error' });
    span.end();
    tracer.startSpan('internal work', { kind: SpanKind.INTERNAL }).end();
    tracer.startSpan('a call', { kind: SpanKind.CLIENT, root: true }).end();
  });

describe('the OTLP protobuf encoder', () => {
  it('writes the same bytes as OpenTelemetry’s ProtobufTraceSerializer for spans with every kind of field', () => {
    const spans = richSpans();

    const encoded = new OtlpProtobufEncoder().encode(spans);

    expect(Buffer.from(encoded)).toEqual(reference(spans));
    const [decoded] = decodeExportTraceServiceRequest(Buffer.from(encoded)).resourceSpans;
    expect(decoded!.scopeSpans[0]!.spans.map((span) => span.name)).toEqual(['GET /products/:id', 'internal work', 'a call']);
  });

  it('writes a remote parent, its trace state and the span flags as the serialiser does', () => {
    const spans = recordSpans({ 'service.name': 'shop' }, (provider) => {
      const tracer = provider.getTracer('t');
      // A child of a remote parent, the way a server span continues an incoming trace.
      const span = tracer.startSpan('child', { kind: SpanKind.SERVER }, withRemoteParent);
      span.end();
    });
    const encoded = Buffer.from(new OtlpProtobufEncoder().encode(spans));

    expect(encoded).toEqual(reference(spans));
    const span = decodeExportTraceServiceRequest(encoded).resourceSpans[0]!.scopeSpans[0]!.spans[0]!;
    expect(span.parentSpanId).toBe(remoteParent.spanId);
    expect(span.traceId).toBe(remoteParent.traceId);
  });

  it('groups spans by resource, then scope, in the order they first appear', () => {
    const fromShop = recordSpans({ 'service.name': 'shop' }, (provider) => {
      provider.getTracer('first').startSpan('one').end();
      provider.getTracer('second', '2.0.0', { schemaUrl: 'https://opentelemetry.io/schemas/1.28.0' }).startSpan('two').end();
      provider.getTracer('first').startSpan('three').end();
    });
    const fromCart = recordSpans({ 'service.name': 'cart' }, (provider) => provider.getTracer('first').startSpan('four').end());
    const spans = [fromShop[0]!, fromCart[0]!, fromShop[1]!, fromShop[2]!];

    const encoded = Buffer.from(new OtlpProtobufEncoder().encode(spans));

    expect(encoded).toEqual(reference(spans));
    const resources = decodeExportTraceServiceRequest(encoded).resourceSpans;
    expect(resources.map((resource) => resource.scopeSpans.map((scope) => scope.spans.map((span) => span.name)))).toEqual([
      [['one', 'three'], ['two']],
      [['four']],
    ]);
  });

  it('writes values the SDK would have dropped (bytes, nested maps, undefined) as the serialiser does', () => {
    const [span] = richSpans();
    const unusual = Object.assign(Object.create(Object.getPrototypeOf(span) as object) as ReadableSpan, span, {
      attributes: { bytes: new Uint8Array([1, 2, 255]), map: { nested: 'yes', n: 1 }, missing: undefined, empty: '' },
      spanContext: () => span!.spanContext(),
    });

    expect(Buffer.from(new OtlpProtobufEncoder().encode([unusual]))).toEqual(reference([unusual]));
  });

  it('reuses its buffer: a large batch, then a small one, each come out whole and exact', () => {
    const encoder = new OtlpProtobufEncoder();
    const many = recordSpans({ 'service.name': 'shop' }, (provider) => {
      const tracer = provider.getTracer('t');
      for (let i = 0; i < 2_000; i += 1) tracer.startSpan(`span ${i}`, { attributes: { 'url.path': `/products/${i}` } }).end();
    });
    const one = many.slice(0, 1);

    const large = encoder.encode(many);
    const small = encoder.encode(one);

    expect(large.byteLength).toBeGreaterThan(64 * 1024);
    expect(Buffer.from(large)).toEqual(reference(many));
    expect(Buffer.from(small)).toEqual(reference(one));
    expect(small.byteOffset === 0 && small.byteLength === small.buffer.byteLength).toBe(true);
  });

  it('writes no spans as an empty request', () => {
    expect(new OtlpProtobufEncoder().encode([]).byteLength).toBe(0);
    expect(reference([]).byteLength).toBe(0);
  });
});
