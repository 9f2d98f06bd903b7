import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTelemetry, type Telemetry } from '../src/index.js';
import { captureLogs, serve, startOtlpReceiver, type OtlpReceiver } from './helpers/local-servers.js';

describe('Backend: OpenTelemetry (OTLP/HTTP to a real receiver)', () => {
  let collector: OtlpReceiver;
  let telemetry: Telemetry;
  let app: Awaited<ReturnType<typeof serve>>;
  const logs = captureLogs();

  beforeAll(async () => {
    collector = await startOtlpReceiver();
    telemetry = createTelemetry({
      serviceName: 'catalog',
      backend: 'otel',
      otlpEndpoint: collector.endpoint,
      registry: new Registry(),
      logDestination: logs.stream,
      traceIdResponseHeader: true,
      resourceAttributes: { 'deployment.environment.name': 'test' },
    });
    app = await serve(
      telemetry.httpHandler(
        async (req, res) => {
          const url = new URL(req.url!, 'http://x');
          if (url.pathname === '/fail') {
            res.statusCode = 500;
            res.end('unavailable');
            throw new Error('catalog unavailable');
          }
          if (url.searchParams.has('call')) {
            // An outgoing call that fails (nothing listens on port 1), then one this service answers with a 404.
            await telemetry.fetch('http://127.0.0.1:1/stock').catch(() => undefined);
            await (await telemetry.fetch(`${app.url}/products/8?status=404`)).text();
            res.end('ok');
            return;
          }
          if (url.searchParams.has('plain')) {
            res.end('ok');
            return;
          }
          telemetry.annotate('ProductID', 'p-7');
          telemetry.metadata('query', { q: url.searchParams.get('q') });
          const child = telemetry.tracer.startSpan('load-product');
          child.end();
          res.statusCode = Number(url.searchParams.get('status') ?? 200);
          res.end('ok');
        },
        { route: (req) => (req.url!.startsWith('/fail') ? '/fail' : '/products/:id') },
      ),
    );
  });

  afterAll(async () => {
    await app.close();
    await telemetry.shutdown();
    await collector.close();
  });

  const spansOf = async (path: string, init?: RequestInit) => {
    const response = await fetch(`${app.url}${path}`, init);
    await response.text();
    await telemetry.forceFlush();
    const traceId = response.headers.get('x-amzn-trace-id')!.slice('Root=1-'.length).replace('-', '');
    return { response, spans: collector.spans.filter((span) => span.traceId === traceId) };
  };

  it('exports one server span named "METHOD route" with HTTP attributes, an X-Ray-format trace id and annotations', async () => {
    const { spans } = await spansOf('/products/7?q=shoes');
    const server = spans.find((span) => span.kind === SpanKind.SERVER + 1)!; // OTLP kinds are 1-based
    expect(server.name).toBe('GET /products/:id');
    expect(server.serviceName).toBe('catalog');
    expect(server.attributes).toMatchObject({
      'http.request.method': 'GET',
      'url.path': '/products/7',
      'url.scheme': 'http',
      'http.route': '/products/:id',
      'http.response.status_code': 200,
      'server.address': '127.0.0.1',
      'client.address': '127.0.0.1',
      ProductID: 'p-7',
      'aws.xray.annotations': ['ProductID'],
      query: '{"q":"shoes"}',
    });
    // X-Ray-format id: the first 8 hex digits are the epoch seconds when the trace started.
    const epoch = parseInt(server.traceId.slice(0, 8), 16);
    expect(Math.abs(epoch - Date.now() / 1000)).toBeLessThan(60);
    // The user's own span is a child of the request's span.
    const own = spans.find((span) => span.name === 'load-product')!;
    expect(own.parentSpanId).toBe(server.spanId);
  });

  it('exports the same span for a request whose handler records nothing on it (no SDK span is made for it)', async () => {
    const { spans } = await spansOf('/products/7?plain', { headers: { 'user-agent': 'curl/8.5.0', 'x-forwarded-for': '203.0.113.9' } });
    expect(spans).toHaveLength(1);
    expect(spans[0]).toMatchObject({ name: 'GET /products/:id', kind: SpanKind.SERVER + 1, serviceName: 'catalog', status: { code: SpanStatusCode.UNSET } });
    expect(spans[0]!.attributes).toEqual({
      'http.request.method': 'GET',
      'url.path': '/products/7',
      'url.scheme': 'http',
      'server.address': '127.0.0.1',
      'server.port': Number(new URL(app.url).port),
      'user_agent.original': 'curl/8.5.0',
      'client.address': '203.0.113.9',
      'http.route': '/products/:id',
      'http.response.status_code': 200,
    });
  });

  it('records outgoing calls as client spans: a failed one with its exception, a 4xx one as an error', async () => {
    const { spans } = await spansOf('/products/7?call');
    const server = spans.find((span) => span.kind === SpanKind.SERVER + 1 && span.parentSpanId === undefined)!;
    const clients = spans.filter((span) => span.kind === SpanKind.CLIENT + 1);
    const refused = clients.find((span) => span.attributes['server.port'] === 1);
    const notFound = clients.find((span) => span.attributes['server.port'] !== 1);
    expect(refused).toMatchObject({ name: 'GET', parentSpanId: server.spanId, status: { code: SpanStatusCode.ERROR, message: 'fetch failed' } });
    expect(refused!.attributes).toMatchObject({ 'url.full': 'http://127.0.0.1:1/stock', 'error.type': 'TypeError' });
    expect(refused!.events.map((event) => event.name)).toEqual(['exception']);
    expect(notFound).toMatchObject({ name: 'GET', parentSpanId: server.spanId, status: { code: SpanStatusCode.ERROR } });
    expect(notFound!.attributes).toMatchObject({ 'http.response.status_code': 404, 'error.type': '404' });
  });

  it('marks 5xx spans as errors but not 4xx (OpenTelemetry server semantics)', async () => {
    const notFound = (await spansOf('/products/8?status=404')).spans.find((s) => s.kind === 2)!;
    expect(notFound.status.code ?? 0).toBe(SpanStatusCode.UNSET);
    const unavailable = (await spansOf('/products/9?status=503')).spans.find((s) => s.kind === 2)!;
    expect(unavailable.status.code).toBe(SpanStatusCode.ERROR);
    expect(unavailable.attributes['error.type']).toBe('503');
  });

  it('records a rejected handler as an exception event', async () => {
    // The wrapper passes the rejection on, as node:http would see it; collect it instead of crashing.
    const rejections: unknown[] = [];
    const onRejection = (reason: unknown) => rejections.push(reason);
    process.on('unhandledRejection', onRejection);
    try {
      const { response } = await spansOf('/fail');
      expect(response.status).toBe(500);
      const failed = collector.spans.find((span) => span.name === 'GET /fail')!;
      expect(failed.events[0]!.name).toBe('exception');
      expect(failed.events[0]!.attributes['exception.message']).toBe('catalog unavailable');
      expect(failed.status).toEqual({ code: SpanStatusCode.ERROR, message: 'catalog unavailable' });
      expect((rejections[0] as Error).message).toBe('catalog unavailable');
    } finally {
      process.off('unhandledRejection', onRejection);
    }
  });

  it('continues a W3C traceparent: same trace id, the caller span as parent', async () => {
    await spansOf('/products/1', {
      headers: { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' },
    });
    const server = collector.spans.find((span) => span.traceId === '0af7651916cd43dd8448eb211c80319c' && span.kind === 2)!;
    expect(server.parentSpanId).toBe('b7ad6b7169203331');
  });

  it('records nothing for an unsampled request, not even the spans the handler starts itself', async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    await spansOf('/products/3', { headers: { traceparent: `00-${traceId}-00f067aa0ba902b7-00` } });
    await spansOf('/products/4'); // a sampled request after it, flushed: the unsampled one had its chance
    expect(collector.spans.filter((span) => span.traceId === traceId)).toEqual([]);
  });

  it('exports OTLP/HTTP protobuf to <endpoint>/v1/traces', () => {
    expect(collector.requests.every((request) => request.path === '/v1/traces')).toBe(true);
    expect(collector.requests[0]!.contentType).toBe('application/x-protobuf'); // OTLP/HTTP's default encoding
  });
});
