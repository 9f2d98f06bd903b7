import { context, createContextKey, trace, TraceFlags } from '@opentelemetry/api';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { createTelemetry, toXRayTraceId, type TelemetryOptions } from '../src/index.js';
import { captureLogs, serve, startDaemonListener, startOtlpReceiver } from './helpers/local-servers.js';

describe('Sampling and export encodings', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    while (cleanups.length) await cleanups.pop()!();
  });

  const xrayApp = async (options: TelemetryOptions) => {
    const daemon = await startDaemonListener();
    const logs = captureLogs();
    const telemetry = createTelemetry({ serviceName: 's', backend: 'xray', xrayDaemonAddress: daemon.address, registry: new Registry(), logDestination: logs.stream, ...options });
    const app = await serve(telemetry.httpHandler((_req, res) => res.end(telemetry.currentTraceId()), { route: '/' }));
    cleanups.push(async () => {
      await app.close();
      await telemetry.shutdown();
      await daemon.close();
    });
    return { daemon, app, telemetry };
  };

  it('records no segment at sampleRatio 0, yet every response still carries a trace id', async () => {
    const { daemon, app, telemetry } = await xrayApp({ sampleRatio: 0 });
    const ids = await Promise.all(Array.from({ length: 10 }, async () => (await fetch(`${app.url}/`)).text()));
    expect(ids.every((id) => /^1-[0-9a-f]{8}-[0-9a-f]{24}$/.test(id))).toBe(true);
    expect(new Set(ids).size).toBe(10);
    await telemetry.forceFlush(); // anything queued is sent now; give the listener time to read it
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(daemon.datagrams).toHaveLength(0);
  });

  it('takes the reservoir first: X-Ray\'s default rule (1/s, then 5 %) records about one request a second', async () => {
    const { daemon, app, telemetry } = await xrayApp({ sampleRatio: 0, sampleReservoirPerSecond: 3 });
    const started = Date.now();
    await Promise.all(Array.from({ length: 20 }, async () => (await fetch(`${app.url}/`)).text()));
    const seconds = Math.floor(Date.now() / 1000) - Math.floor(started / 1000) + 1;
    await telemetry.forceFlush(); // anything queued is sent now; give the listener time to read it
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(daemon.datagrams.length).toBeGreaterThanOrEqual(3);
    expect(daemon.datagrams.length).toBeLessThanOrEqual(3 * seconds);
  });

  it('keeps the caller\'s decision: Sampled=1 is recorded even at sampleRatio 0', async () => {
    const { daemon, app } = await xrayApp({ sampleRatio: 0 });
    await (await fetch(`${app.url}/`, { headers: { 'x-amzn-trace-id': 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1' } })).text();
    const [datagram] = await daemon.waitFor(1);
    expect(datagram!.document.trace_id).toBe('1-5759e988-bd862e3fe1be46a994272793');
  });

  it('exports OTLP/HTTP JSON when asked', async () => {
    const collector = await startOtlpReceiver();
    const logs = captureLogs();
    const telemetry = createTelemetry({ serviceName: 's', backend: 'otel', otlpEndpoint: collector.endpoint, otlpProtocol: 'http/json', registry: new Registry(), logDestination: logs.stream });
    const app = await serve(telemetry.httpHandler((_req, res) => res.end(), { route: '/json' }));
    cleanups.push(async () => {
      await app.close();
      await telemetry.shutdown();
      await collector.close();
    });
    await (await fetch(`${app.url}/json`)).text();
    await telemetry.forceFlush();
    const [span] = await collector.waitFor(1);
    expect(span!.name).toBe('GET /json');
    expect(collector.requests[0]!.contentType).toBe('application/json');
  });

  it('falls back to protobuf with one warning when the environment asks for gRPC', async () => {
    const previous = process.env.OTEL_EXPORTER_OTLP_PROTOCOL;
    process.env.OTEL_EXPORTER_OTLP_PROTOCOL = 'grpc';
    const logs = captureLogs();
    try {
      const telemetry = createTelemetry({ serviceName: 's', backend: 'otel', registry: new Registry(), logDestination: logs.stream });
      await telemetry.shutdown();
    } finally {
      if (previous === undefined) delete process.env.OTEL_EXPORTER_OTLP_PROTOCOL;
      else process.env.OTEL_EXPORTER_OTLP_PROTOCOL = previous;
    }
    const warnings = logs.lines.filter((l) => l.level === 'warn');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.message).toContain('4318');
  });
});

describe('OpenTelemetry code inside a traced request', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    while (cleanups.length) await cleanups.pop()!();
  });

  const otelApp = async (options: TelemetryOptions) => {
    const collector = await startOtlpReceiver();
    const logs = captureLogs();
    const telemetry = createTelemetry({ serviceName: 's', backend: 'otel', otlpEndpoint: collector.endpoint, registry: new Registry(), logDestination: logs.stream, ...options });
    const app = await serve(
      telemetry.httpHandler(
        (_req, res) => {
          // What a library using only @opentelemetry/api sees, and a span of the application's own.
          const active = trace.getActiveSpan();
          telemetry.tracer.startSpan('own-work').end();
          const derived = context.active().setValue(createContextKey('library key'), 1);
          res.setHeader('content-type', 'application/json');
          res.end(
            JSON.stringify({
              traceId: active?.spanContext().traceId,
              recording: active?.isRecording(),
              sampledFlag: active ? (active.spanContext().traceFlags & TraceFlags.SAMPLED) === TraceFlags.SAMPLED : undefined,
              derivedTraceId: trace.getSpan(derived)?.spanContext().traceId,
              current: telemetry.currentTraceId(),
            }),
          );
        },
        { route: '/' },
      ),
    );
    cleanups.push(async () => {
      await app.close();
      await telemetry.shutdown();
      await collector.close();
    });
    return { collector, app, telemetry };
  };

  type Seen = { traceId?: string; recording?: boolean; sampledFlag?: boolean; derivedTraceId?: string; current: string };

  it('sees the recording server span as the active span of a sampled request, and parents its own spans on it', async () => {
    const { collector, app, telemetry } = await otelApp({ sampleRatio: 1 });
    const seen = (await (await fetch(`${app.url}/`)).json()) as Seen;
    expect(seen.recording).toBe(true);
    expect(seen.sampledFlag).toBe(true);
    expect(toXRayTraceId(seen.traceId!)).toBe(seen.current);
    expect(seen.derivedTraceId).toBe(seen.traceId);
    await telemetry.forceFlush();
    const spans = await collector.waitFor(2);
    const server = spans.find((s) => s.name === 'GET /')!;
    const own = spans.find((s) => s.name === 'own-work')!;
    expect(own.traceId).toBe(seen.traceId);
    expect(own.parentSpanId).toBe(server.spanId);
  });

  it('sees a non-recording span with the response\'s trace id in an unsampled request, and records none of its spans', async () => {
    const { collector, app, telemetry } = await otelApp({ sampleRatio: 0 });
    const seen = (await (await fetch(`${app.url}/`)).json()) as Seen;
    expect(seen.recording).toBe(false);
    expect(seen.sampledFlag).toBe(false);
    expect(toXRayTraceId(seen.traceId!)).toBe(seen.current);
    expect(seen.derivedTraceId).toBe(seen.traceId);
    await telemetry.forceFlush();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(collector.spans).toHaveLength(0);
  });
});
