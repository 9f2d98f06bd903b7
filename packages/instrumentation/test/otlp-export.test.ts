import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { createTelemetry, type TelemetryOptions } from '../src/index.js';
import { captureLogs, serve, startOtlpReceiver, type OtlpAnswer } from './helpers/local-servers.js';

describe('OTLP/HTTP export: retries, timeouts and headers', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    while (cleanups.length) await cleanups.pop()!();
  });

  /** One traced request, then a flush: its span is exported in one batch, answered with `answers` in order. */
  const exportOneSpan = async (answers: OtlpAnswer[], options: TelemetryOptions = {}) => {
    const collector = await startOtlpReceiver();
    collector.answerNext.push(...answers.slice(0, -1));
    collector.respondWith = answers.at(-1)!;
    const logs = captureLogs();
    const telemetry = createTelemetry({
      serviceName: 'exporter',
      backend: 'otel',
      otlpEndpoint: collector.endpoint,
      registry: new Registry(),
      logDestination: logs.stream,
      ...options,
    });
    const app = await serve(telemetry.httpHandler((_req, res) => res.end('ok'), { route: '/orders' }));
    cleanups.push(collector.close, app.close, () => telemetry.shutdown());
    expect((await fetch(`${app.url}/orders`)).status).toBe(200);
    await telemetry.forceFlush();
    const warnings = logs.lines.filter((line) => line.level === 'warn' && line.problem === 'otlp-export');
    return { collector, warnings };
  };

  it('retries a 503 and a 429 (honouring Retry-After) and delivers the batch once', async () => {
    const { collector, warnings } = await exportOneSpan([{ status: 503, retryAfter: '0' }, { status: 429, retryAfter: '0' }, 200]);

    expect(collector.requests.map((r) => r.spanNames)).toEqual([['GET /orders'], ['GET /orders'], ['GET /orders']]);
    expect(warnings).toEqual([]);
  });

  it('does not retry a 400: the batch is dropped with one warning that names the collector and the status', async () => {
    const { collector, warnings } = await exportOneSpan([400, 200]);

    expect(collector.requests).toHaveLength(1);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.message).toContain(`OTLP export to ${collector.endpoint}/v1/traces failed`);
    expect(JSON.stringify(warnings[0]!.error)).toContain('Bad Request');
  });

  it('gives up on a collector that never answers within otlpTimeoutMillis, with one warning', async () => {
    const { collector, warnings } = await exportOneSpan(['hang'], { otlpTimeoutMillis: 300 });

    expect(collector.requests).toHaveLength(1);
    expect(warnings).toHaveLength(1);
    expect(JSON.stringify(warnings[0]!.error)).toContain('timed out');
  });

  it('stops retrying when the next attempt would end after the export timeout', async () => {
    const { collector, warnings } = await exportOneSpan([{ status: 503, retryAfter: '60' }], { otlpTimeoutMillis: 2000 });

    expect(collector.requests).toHaveLength(1);
    expect(warnings).toHaveLength(1);
  });

  it('sends otlpHeaders and the protobuf content type', async () => {
    const { collector } = await exportOneSpan([200], { otlpHeaders: { authorization: 'Bearer t0ken', 'x-scope': 'shop' } });

    expect(collector.requests[0]!.headers).toMatchObject({ authorization: 'Bearer t0ken', 'x-scope': 'shop', 'content-type': 'application/x-protobuf' });
  });
});
