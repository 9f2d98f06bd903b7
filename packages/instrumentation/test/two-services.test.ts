import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import type { RequestOptions } from 'node:http';
import { fileURLToPath } from 'node:url';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTelemetry, type Telemetry } from '../src/index.js';
import {
  captureLogs,
  serve,
  startDaemonListener,
  startOtlpReceiver,
  waitUntil,
  type DaemonListener,
  type OtlpReceiver,
} from './helpers/local-servers.js';

/** OTLP span kinds (1-based in the wire format). */
const SERVER = 2;
const CLIENT = 3;

describe('Propagation: two real services produce one trace', () => {
  let collector: OtlpReceiver;
  let daemon: DaemonListener;
  let downstream: ChildProcess;
  let downstreamUrl: string;
  let frontend: Telemetry;
  let app: Awaited<ReturnType<typeof serve>>;
  const logs = captureLogs();

  beforeAll(async () => {
    collector = await startOtlpReceiver();
    daemon = await startDaemonListener();
    downstream = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./fixtures/downstream-service.ts', import.meta.url))], {
      env: { ...process.env, OTEL_EXPORTER_OTLP_ENDPOINT: collector.endpoint, AWS_XRAY_DAEMON_ADDRESS: daemon.address },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const [line] = (await once(downstream.stdout!, 'data')) as [Buffer];
    downstreamUrl = `http://127.0.0.1:${JSON.parse(line.toString()).port}`;

    frontend = createTelemetry({
      serviceName: 'frontend',
      backend: 'both',
      otlpEndpoint: collector.endpoint,
      xrayDaemonAddress: daemon.address,
      registry: new Registry(),
      logDestination: logs.stream,
    });
    app = await serve(
      frontend.httpHandler(
        async (_req, res) => {
          const viaFetch = (await (await frontend.fetch(`${downstreamUrl}/`)).json()) as Record<string, unknown>;
          const viaHttp = await new Promise<Record<string, unknown>>((resolve, reject) => {
            frontend
              .httpRequest(`${downstreamUrl}/`, (response) => {
                let body = '';
                response.on('data', (chunk) => (body += chunk));
                response.on('end', () => resolve(JSON.parse(body)));
              })
              .on('error', reject)
              .end();
          });
          frontend.logger.info('fan-out done');
          res.setHeader('content-type', 'application/json');
          res.end(JSON.stringify({ traceId: frontend.currentTraceId(), viaFetch, viaHttp }));
        },
        { route: '/' },
      ),
    );
  });

  afterAll(async () => {
    await app.close();
    await frontend.shutdown();
    downstream.kill('SIGTERM');
    await once(downstream, 'exit');
    await collector.close();
    await daemon.close();
  });

  it('links frontend server span -> client spans -> downstream server spans in one OpenTelemetry trace', async () => {
    const body = (await (await fetch(`${app.url}/`)).json()) as { traceId: string; viaFetch: { traceId: string }; viaHttp: { traceId: string } };
    // The downstream saw the frontend's trace in both calls (X-Ray format in the responses).
    expect(body.viaFetch.traceId).toBe(body.traceId);
    expect(body.viaHttp.traceId).toBe(body.traceId);

    await frontend.forceFlush();
    const hexTraceId = body.traceId.slice(2).replace('-', '');
    const spans = await waitUntil(() => {
      const inTrace = collector.spans.filter((span) => span.traceId === hexTraceId);
      return inTrace.length >= 5 ? inTrace : undefined;
    }, 5000, 'five spans of the trace');

    const frontendServer = spans.filter((s) => s.serviceName === 'frontend' && s.kind === SERVER);
    const clients = spans.filter((s) => s.serviceName === 'frontend' && s.kind === CLIENT);
    const downstreamServers = spans.filter((s) => s.serviceName === 'downstream0' && s.kind === SERVER);
    expect(frontendServer).toHaveLength(1);
    expect(clients).toHaveLength(2);
    expect(downstreamServers).toHaveLength(2);
    expect(frontendServer[0]!.parentSpanId).toBeUndefined();
    for (const client of clients) {
      expect(client.parentSpanId).toBe(frontendServer[0]!.spanId);
      expect(client.name).toBe('GET');
      expect(client.attributes['url.full']).toBe(`${downstreamUrl}/`);
      expect(client.attributes['http.response.status_code']).toBe(200);
    }
    // Each downstream server span is the child of exactly one of the client spans.
    expect(downstreamServers.map((s) => s.parentSpanId).sort()).toEqual(clients.map((c) => c.spanId).sort());
    expect(downstreamServers[0]!.name).toBe('GET /');
  });

  it('links the X-Ray segments the same way: subsegment ids are the downstream segments\' parent ids', async () => {
    const body = (await (await fetch(`${app.url}/`)).json()) as { traceId: string };
    const documents = await waitUntil(() => {
      const inTrace = daemon.datagrams.map((d) => d.document).filter((doc) => doc.trace_id === body.traceId);
      return inTrace.length >= 3 ? inTrace : undefined;
    }, 5000, 'three segments of the trace');
    const frontendSegment = documents.find((doc) => doc.name === 'frontend')!;
    const downstreamSegments = documents.filter((doc) => doc.name === 'downstream0');
    expect(frontendSegment.parent_id).toBeUndefined();
    const subsegments = frontendSegment.subsegments as { id: string; name: string; namespace: string; http: { response: { status: number } } }[];
    expect(subsegments).toHaveLength(2);
    expect(subsegments.every((sub) => sub.namespace === 'remote' && sub.name === '127.0.0.1' && sub.http.response.status === 200)).toBe(true);
    expect(downstreamSegments.map((doc) => doc.parent_id).sort()).toEqual(subsegments.map((sub) => sub.id).sort());
    expect(downstreamSegments[0]!.annotations).toMatchObject({ served_by: 'downstream0' });
  });

  it('sends both traceparent and X-Amzn-Trace-Id carrying the same ids', async () => {
    const body = (await (await fetch(`${app.url}/`)).json()) as { viaFetch: { received: { xray: string; traceparent: string } } };
    const { xray, traceparent } = body.viaFetch.received;
    const [, traceId, parentId, flags] = traceparent.split('-');
    expect(flags).toBe('01');
    expect(xray).toBe(`Root=1-${traceId!.slice(0, 8)}-${traceId!.slice(8)};Parent=${parentId};Sampled=1`);
  });

  it('passes an unsampled trace on through fetch and http.request, and records it nowhere', async () => {
    const traceId = '5759e988bd862e3fe1be46a994272793';
    const xrayTraceId = '1-5759e988-bd862e3fe1be46a994272793';
    const spansBefore = collector.spans.length;
    const segmentsBefore = daemon.datagrams.length;
    type Received = { traceId: string; received: { xray: string; traceparent: string } };
    const body = (await (
      await fetch(`${app.url}/`, { headers: { 'X-Amzn-Trace-Id': `Root=${xrayTraceId};Parent=53995c3f42cd8ad8;Sampled=0` } })
    ).json()) as { traceId: string; viaFetch: Received; viaHttp: Received };

    expect(body.traceId).toBe(xrayTraceId);
    for (const call of [body.viaFetch, body.viaHttp]) {
      expect(call.traceId).toBe(xrayTraceId);
      const [version, sentTraceId, parentId, flags] = call.received.traceparent.split('-');
      expect([version, sentTraceId, flags]).toEqual(['00', traceId, '00']);
      // No client span: the callee's parent is the frontend's own (unrecorded) span id, the same for both calls.
      expect(parentId).toMatch(/^[0-9a-f]{16}$/);
      expect(call.received.xray).toBe(`Root=${xrayTraceId};Parent=${parentId};Sampled=0`);
    }
    expect(body.viaHttp.received.traceparent).toBe(body.viaFetch.received.traceparent);

    await frontend.forceFlush();
    await new Promise((resolve) => setTimeout(resolve, 300)); // longer than the downstream's export interval
    expect(collector.spans.slice(spansBefore).filter((span) => span.traceId === traceId)).toEqual([]);
    expect(daemon.datagrams.slice(segmentsBefore).filter((d) => d.document.trace_id === xrayTraceId)).toEqual([]);
  });

  it('sends an https URL, in any case, through https.request, in a sampled request, an unsampled one and outside one', async () => {
    const protocolOf = (url: string): string => {
      const request = frontend.httpRequest(url);
      request.on('error', () => undefined);
      request.destroy();
      return request.protocol;
    };
    const protocols: string[] = [protocolOf('HTTPS://127.0.0.1:9/'), protocolOf('http://127.0.0.1:9/')];
    const probe = await serve(
      frontend.httpHandler(
        (_req, res) => {
          protocols.push(protocolOf(' https://127.0.0.1:9/'), protocolOf('http://127.0.0.1:9/'));
          res.end();
        },
        { route: '/probe' },
      ),
    );
    await (await fetch(`${probe.url}/`, { headers: { 'X-Amzn-Trace-Id': 'Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=0' } })).text();
    await (await fetch(`${probe.url}/`, { headers: { 'X-Amzn-Trace-Id': 'Root=1-5759e988-bd862e3fe1be46a994272794;Sampled=1' } })).text();
    await probe.close();
    // http.request would have thrown for an https URL ("Protocol \"https:\" not supported").
    expect(protocols).toEqual(['https:', 'http:', 'https:', 'http:', 'https:', 'http:']);
  });

  it('adds the trace headers to the caller\'s own, whether they are an object, a raw array or include Expect', async () => {
    type Received = { traceId: string; received: { xray?: string; traceparent?: string; custom?: string } };
    const call = (options: RequestOptions): Promise<Received> =>
      new Promise((resolve, reject) => {
        frontend
          .httpRequest(`${downstreamUrl}/`, options, (response) => {
            let body = '';
            response.on('data', (chunk) => (body += chunk));
            response.on('end', () => (response.statusCode === 200 ? resolve(JSON.parse(body) as Received) : reject(new Error(`${response.statusCode}`))));
          })
          .on('error', reject)
          .end();
      });
    const variants: RequestOptions[] = [
      { headers: { 'X-Custom': 'object' } },
      // A raw array is sent as it is: node:http adds no Host header to it.
      { headers: ['Host', '127.0.0.1', 'X-Custom', 'raw array'] as unknown as RequestOptions['headers'] },
      { headers: { 'X-Custom': 'expect', Expect: '100-continue' } },
      {},
    ];
    const seen: Received[][] = [];
    const probe = await serve(
      frontend.httpHandler(
        async (_req, res) => {
          seen.push(await Promise.all(variants.map(call)));
          res.end();
        },
        { route: '/probe' },
      ),
    );
    for (const sampled of ['0', '1']) {
      await (await fetch(`${probe.url}/`, { headers: { 'X-Amzn-Trace-Id': `Root=1-5759e988-bd862e3fe1be46a99427279${sampled};Sampled=${sampled}` } })).text();
    }
    await probe.close();
    expect(seen).toHaveLength(2);
    for (const [i, calls] of seen.entries()) {
      const sampled = String(i);
      expect(calls.map((c) => c.received.custom)).toEqual(['object', 'raw array', 'expect', undefined]);
      for (const { traceId, received } of calls) {
        expect(traceId).toBe(`1-5759e988-bd862e3fe1be46a99427279${sampled}`);
        expect(received.traceparent).toMatch(new RegExp(`^00-5759e988bd862e3fe1be46a99427279${sampled}-[0-9a-f]{16}-0${sampled}$`));
        expect(received.xray).toMatch(new RegExp(`^Root=1-5759e988-bd862e3fe1be46a99427279${sampled};Parent=[0-9a-f]{16};Sampled=${sampled}$`));
      }
    }
  });

  it('stamps the frontend log line with the trace id', () => {
    const line = logs.lines.find((l) => l.message === 'fan-out done')!;
    expect(line.xray_trace_id).toMatch(/^1-[0-9a-f]{8}-[0-9a-f]{24}$/);
    expect(line.trace_id).toBe(line.xray_trace_id.slice(2).replace('-', ''));
  });
});
