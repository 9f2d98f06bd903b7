import { Counter, Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { createTelemetry, type Telemetry } from '../src/index.js';
import { captureLogs, serve } from './helpers/local-servers.js';

/** Parses Prometheus/OpenMetrics sample lines into { series -> value, exemplar }. */
const samples = (text: string) =>
  text
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const [sample, exemplar] = line.split(' # ');
      const space = sample!.lastIndexOf(' ');
      return { series: sample!.slice(0, space), value: Number(sample!.slice(space + 1)), exemplar };
    });

describe('RED metrics and the /metrics handler', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    while (cleanups.length) await cleanups.pop()!();
  });

  const start = async (options: Parameters<typeof createTelemetry>[0] = {}) => {
    const logs = captureLogs();
    const telemetry: Telemetry = createTelemetry({ serviceName: 'svc', backend: 'none', registry: new Registry(), logDestination: logs.stream, ...options });
    const metrics = telemetry.metricsHandler();
    const app = await serve(
      telemetry.httpHandler((req, res) => {
        if (req.url === '/metrics') return metrics(req, res);
        const status = Number(new URL(req.url!, 'http://x').searchParams.get('status') ?? 200);
        res.statusCode = status;
        res.end();
      }),
    );
    cleanups.push(async () => {
      await app.close();
      await telemetry.shutdown();
    });
    return { telemetry, app, logs };
  };

  it('serves the Prometheus text format by default, with counts that match the traffic', async () => {
    const { app } = await start();
    for (const status of [200, 200, 404, 503]) await (await fetch(`${app.url}/orders?status=${status}`)).text();
    await (await fetch(`${app.url}/orders?status=200`, { method: 'POST' })).text();
    const response = await fetch(`${app.url}/metrics`);
    expect(response.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    const parsed = samples(await response.text());
    const value = (series: string) => parsed.find((s) => s.series === series)?.value;
    expect(value('http_server_requests_total{method="GET",route="/orders",status_code="200"}')).toBe(2);
    expect(value('http_server_requests_total{method="GET",route="/orders",status_code="404"}')).toBe(1);
    expect(value('http_server_requests_total{method="GET",route="/orders",status_code="503"}')).toBe(1);
    expect(value('http_server_requests_total{method="POST",route="/orders",status_code="200"}')).toBe(1);
    expect(value('http_server_request_duration_seconds_count{method="GET",route="/orders",status_code="200"}')).toBe(2);
    expect(value('http_server_request_duration_seconds_bucket{le="+Inf",method="GET",route="/orders",status_code="200"}')).toBe(2);
    expect(parsed.some((s) => s.exemplar !== undefined)).toBe(false); // exemplars are OpenMetrics-only
  });

  it('serves OpenMetrics with trace-id exemplars when asked, then Prometheus text again with counter names intact', async () => {
    const { app } = await start({ traceIdResponseHeader: true });
    const traced = await fetch(`${app.url}/pay`);
    await traced.text();
    const traceId = traced.headers.get('x-amzn-trace-id')!.slice('Root='.length);
    const om = await fetch(`${app.url}/metrics`, { headers: { accept: 'application/openmetrics-text; version=1.0.0' } });
    expect(om.headers.get('content-type')).toBe('application/openmetrics-text; version=1.0.0; charset=utf-8');
    const omText = await om.text();
    expect(omText.endsWith('# EOF\n')).toBe(true);
    const bucket = samples(omText).find((s) => s.series.startsWith('http_server_request_duration_seconds_bucket') && s.exemplar)!;
    expect(bucket.exemplar).toContain(`{trace_id="${traceId}"}`);
    // prom-client renames counters while rendering OpenMetrics; the next Prometheus scrape must still say _total.
    const text = await (await fetch(`${app.url}/metrics`)).text();
    expect(text).toContain('# TYPE http_server_requests_total counter');
    expect(text).toContain('http_server_requests_total{method="GET",route="/pay",status_code="200"} 1');
  });

  it('serves Prometheus text even to an OpenMetrics scraper when openMetrics is false', async () => {
    const logs = captureLogs();
    const telemetry = createTelemetry({ serviceName: 'svc', backend: 'none', registry: new Registry(), logDestination: logs.stream });
    const app = await serve(telemetry.metricsHandler({ openMetrics: false }));
    cleanups.push(async () => {
      await app.close();
      await telemetry.shutdown();
    });
    const response = await fetch(`${app.url}/metrics`, { headers: { accept: 'application/openmetrics-text' } });
    expect(response.headers.get('content-type')).toContain('text/plain');
  });

  it('serves the application\'s own metrics registered on telemetry.registry', async () => {
    const { telemetry, app } = await start();
    new Counter({ name: 'orders_placed_total', help: 'Orders placed.', registers: [telemetry.registry] }).inc(3);
    expect(await (await fetch(`${app.url}/metrics`)).text()).toContain('orders_placed_total 3');
  });

  it('caps the route cardinality and warns once', async () => {
    const { app, logs } = await start({ maxRoutes: 3 });
    for (let id = 0; id < 6; id += 1) await (await fetch(`${app.url}/users/${id}`)).text();
    const text = await (await fetch(`${app.url}/metrics`)).text();
    expect(text).toContain('route="(other)",status_code="200"} 3');
    expect(logs.lines.filter((l) => l.problem === 'route-cardinality')).toHaveLength(1);
  });

  it('counts again from zero after registry.resetMetrics(), in series rendered as before', async () => {
    const { telemetry, app } = await start();
    for (let i = 0; i < 3; i += 1) await (await fetch(`${app.url}/orders`)).text();
    telemetry.registry.resetMetrics();
    expect(await (await fetch(`${app.url}/metrics`)).text()).not.toContain('http_server_requests_total{');
    await (await fetch(`${app.url}/orders`)).text();
    await (await fetch(`${app.url}/orders?status=404`)).text();
    const text = await (await fetch(`${app.url}/metrics`)).text();
    expect(text).toContain('http_server_requests_total{method="GET",route="/orders",status_code="200"} 1');
    expect(text).toContain('http_server_requests_total{method="GET",route="/orders",status_code="404"} 1');
    expect(text).toContain('http_server_request_duration_seconds_count{method="GET",route="/orders",status_code="200"} 1');
  });

  it('labels unknown methods _OTHER and keeps the series of one route apart by method and status code', async () => {
    const { app } = await start();
    for (const [method, status] of [['GET', 200], ['PURGE', 200], ['GET', 201], ['GET', 200], ['DELETE', 200]] as const) {
      await (await fetch(`${app.url}/cache?status=${status}`, { method })).text();
    }
    const parsed = samples(await (await fetch(`${app.url}/metrics`)).text());
    const value = (series: string) => parsed.find((s) => s.series === series)?.value;
    expect(value('http_server_requests_total{method="GET",route="/cache",status_code="200"}')).toBe(2);
    expect(value('http_server_requests_total{method="GET",route="/cache",status_code="201"}')).toBe(1);
    expect(value('http_server_requests_total{method="_OTHER",route="/cache",status_code="200"}')).toBe(1);
    expect(value('http_server_requests_total{method="DELETE",route="/cache",status_code="200"}')).toBe(1);
  });

  it('counts a request once when the handler is wrapped twice by the same Telemetry, and once per Telemetry otherwise', async () => {
    const logs = captureLogs();
    const registry = new Registry();
    const outer = createTelemetry({ serviceName: 'svc', backend: 'none', registry, logDestination: logs.stream, traceIdResponseHeader: true });
    const other = createTelemetry({ serviceName: 'svc', backend: 'none', registry: new Registry(), logDestination: logs.stream, traceIdResponseHeader: true });
    const handler = other.httpHandler(outer.httpHandler(outer.httpHandler((_req, res) => res.end(outer.currentTraceId()), { route: '/x' }), { route: '/x' }), { route: '/x' });
    const app = await serve(handler);
    cleanups.push(async () => {
      await app.close();
      await outer.shutdown();
      await other.shutdown();
    });
    const response = await fetch(`${app.url}/x`);
    expect(`Root=${await response.text()}`).toBe(response.headers.get('x-amzn-trace-id'));
    for (const telemetry of [outer, other]) {
      expect(await telemetry.registry.metrics()).toContain('http_server_requests_total{method="GET",route="/x",status_code="200"} 1');
    }
  });

  it('shares a registry between two Telemetry objects instead of failing on duplicate metric names', async () => {
    const registry = new Registry();
    const logs = captureLogs();
    const first = createTelemetry({ serviceName: 'a', backend: 'none', registry, logDestination: logs.stream });
    const second = createTelemetry({ serviceName: 'b', backend: 'none', registry, logDestination: logs.stream });
    expect(first.registry).toBe(second.registry);
    expect((await registry.getMetricsAsJSON()).map((m) => m.name).sort()).toEqual([
      'http_server_request_duration_seconds',
      'http_server_requests_total',
    ]);
  });

  it('refuses a registry that already has a foreign metric of the same name, and says how to fix it', () => {
    const registry = new Registry();
    new Counter({ name: 'http_server_requests_total', help: 'theirs', labelNames: ['code'], registers: [registry] });
    const logs = captureLogs();
    expect(() => createTelemetry({ serviceName: 's', backend: 'none', registry, logDestination: logs.stream })).toThrow(/metricPrefix/);
    const prefixed = createTelemetry({ serviceName: 's', backend: 'none', registry, metricPrefix: 'shop_', logDestination: logs.stream });
    expect(prefixed.registry.getSingleMetric('shop_http_server_requests_total')).toBeDefined();
  });
});
