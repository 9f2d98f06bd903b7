import express from 'express';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTelemetry, type Telemetry } from '../src/index.js';
import { captureLogs, serve, startOtlpReceiver, type OtlpReceiver } from './helpers/local-servers.js';

describe('Middleware: Express 5', () => {
  let collector: OtlpReceiver;
  let telemetry: Telemetry;
  let app: Awaited<ReturnType<typeof serve>>;
  const registry = new Registry();
  const logs = captureLogs();

  beforeAll(async () => {
    collector = await startOtlpReceiver();
    telemetry = createTelemetry({ serviceName: 'shop', backend: 'otel', otlpEndpoint: collector.endpoint, registry, logDestination: logs.stream, traceIdResponseHeader: true });
    const api = express.Router();
    api.get('/items/:itemId', (req, res) => {
      telemetry.annotate('ProductID', req.params.itemId);
      res.json({ item: req.params.itemId, traceId: telemetry.currentTraceId() });
    });
    api.get('/throw/:itemId', () => {
      throw new Error('catalog exploded');
    });
    const v1 = express.Router();
    v1.get('/orders/:orderId', async () => {
      throw new Error('orders exploded');
    });
    api.use('/v1', v1);
    api.get('/files/*rest', () => {
      throw new Error('files exploded');
    });
    const posts = express.Router({ mergeParams: true });
    posts.get('/posts/:postId', (_req, res) => {
      res.send('post');
    });
    posts.get('/fail', () => {
      throw new Error('posts exploded');
    });
    // One router mounted at two places: its routes' mount pattern is ambiguous, so the matched mount path is used.
    const shared = express.Router();
    shared.get('/ping', (_req, res) => {
      res.send('pong');
    });
    const application = express();
    application.use(telemetry.expressMiddleware());
    application.get('/metrics', telemetry.metricsHandler());
    application.use('/api', api);
    application.use('/users/:userId', posts);
    application.use('/a', shared);
    application.use('/b', shared);
    application.get('/users/:userId', async (req, res) => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      telemetry.logger.info('user read', { user: req.params.userId });
      res.status(req.params.userId === 'slow' ? 429 : 200).send('ok');
    });
    application.get('/boom', async () => {
      throw new Error('inventory service exploded');
    });
    application.use(telemetry.expressErrorHandler());
    app = await serve(application);
  });

  afterAll(async () => {
    await app.close();
    await telemetry.shutdown();
    await collector.close();
  });

  const serverSpanOf = async (path: string) => {
    const response = await fetch(`${app.url}${path}`);
    const text = await response.text();
    await telemetry.forceFlush();
    const traceId = response.headers.get('x-amzn-trace-id')!.slice('Root=1-'.length).replace('-', '');
    return { response, text, span: collector.spans.find((s) => s.traceId === traceId && s.kind === 2)! };
  };

  it('names the span after the matched route, including the router mount path', async () => {
    const { span, text } = await serverSpanOf('/api/items/42');
    expect(span.name).toBe('GET /api/items/:itemId');
    expect(span.attributes['http.route']).toBe('/api/items/:itemId');
    expect(span.attributes.ProductID).toBe('42');
    // currentTraceId() inside the route is the id of this span's trace.
    expect(JSON.parse(text).traceId.slice(2).replace('-', '')).toBe(span.traceId);
  });

  it('keeps the context across awaits in async routes (logger stamps the right trace)', async () => {
    const { span } = await serverSpanOf('/users/7');
    expect(span.name).toBe('GET /users/:userId');
    const line = logs.lines.find((l) => l.message === 'user read' && l.user === '7')!;
    expect(line.trace_id).toBe(span.traceId);
    expect(line.span_id).toBe(span.spanId);
  });

  it('labels unmatched requests "(unmatched)" instead of their raw path', async () => {
    const { response, span } = await serverSpanOf('/no/such/page/123');
    expect(response.status).toBe(404);
    expect(span.name).toBe('GET (unmatched)');
  });

  it('records exceptions that reach the error handler, and Express still answers 500', async () => {
    const { response, span } = await serverSpanOf('/boom');
    expect(response.status).toBe(500);
    expect(span.events.map((e) => e.name)).toEqual(['exception']);
    expect(span.events[0]!.attributes['exception.message']).toBe('inventory service exploded');
    expect(span.status.code).toBe(2);
  });

  it('keeps the mount path of a route whose error left its router (Express resets baseUrl before the response ends)', async () => {
    const thrown = await serverSpanOf('/api/throw/7');
    expect(thrown.response.status).toBe(500);
    expect(thrown.span.name).toBe('GET /api/throw/:itemId');
    expect(thrown.span.attributes['http.route']).toBe('/api/throw/:itemId');
    const nested = await serverSpanOf('/api/v1/orders/9');
    expect(nested.response.status).toBe(500);
    expect(nested.span.name).toBe('GET /api/v1/orders/:orderId');
    const text = await (await fetch(`${app.url}/metrics`)).text();
    expect(text).toContain('http_server_requests_total{method="GET",route="/api/throw/:itemId",status_code="500"} 1');
    expect(text).toContain('http_server_requests_total{method="GET",route="/api/v1/orders/:orderId",status_code="500"} 1');
  });

  it("labels a router mounted on a path with parameters by its pattern, not each request's ids", async () => {
    for (const user of ['u1', 'u2']) expect((await serverSpanOf(`/users/${user}/posts/p-${user}`)).span.name).toBe('GET /users/:userId/posts/:postId');
    expect((await serverSpanOf('/users/u3/fail')).span.name).toBe('GET /users/:userId/fail');
    // A wildcard route whose error left its router keeps the mount path too.
    expect((await serverSpanOf('/api/files/a/b/c')).span.name).toBe('GET /api/files/*rest');
    expect((await serverSpanOf('/a/ping')).span.name).toBe('GET /a/ping');
    expect((await serverSpanOf('/b/ping')).span.name).toBe('GET /b/ping');
    const text = await (await fetch(`${app.url}/metrics`)).text();
    expect(text).toContain('http_server_requests_total{method="GET",route="/users/:userId/posts/:postId",status_code="200"} 2');
    expect(text).not.toContain('route="/users/u1');
  });

  it('counts requests by method, route and status code, and does not count the scrapes', async () => {
    await serverSpanOf('/users/slow');
    const text = await (await fetch(`${app.url}/metrics`)).text();
    expect(text).toContain('http_server_requests_total{method="GET",route="/users/:userId",status_code="429"} 1');
    expect(text).toContain('http_server_requests_total{method="GET",route="/api/items/:itemId",status_code="200"} 1');
    expect(text).toContain('http_server_requests_total{method="GET",route="(unmatched)",status_code="404"} 1');
    expect(text).toContain('http_server_requests_total{method="GET",route="/boom",status_code="500"} 1');
    expect(text).not.toContain('route="/metrics"');
  });
});
