import { createRequire } from 'node:module';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTelemetry, DAEMON_PROTOCOL_HEADER, type Telemetry } from '../src/index.js';
import { captureLogs, serve, startDaemonListener, type DaemonListener } from './helpers/local-servers.js';

describe('Backend: X-Ray (segments over UDP to a real listener)', () => {
  let daemon: DaemonListener;
  let telemetry: Telemetry;
  let app: Awaited<ReturnType<typeof serve>>;
  const logs = captureLogs();
  const thrown: unknown[] = [];

  beforeAll(async () => {
    daemon = await startDaemonListener();
    telemetry = createTelemetry({
      serviceName: 'shop-frontend',
      backend: 'xray',
      xrayDaemonAddress: daemon.address,
      registry: new Registry(),
      logDestination: logs.stream,
      traceIdResponseHeader: true,
    });
    const wrapped = telemetry.httpHandler(
      (req, res) => {
        const status = Number(new URL(req.url!, 'http://x').searchParams.get('status') ?? 200);
        if (status === 598) {
          // What an ES module's exception looks like: its frames are file:// URLs.
          const error = new Error('esm handler exploded');
          error.stack = 'Error: esm handler exploded\n    at handle (file:///app/src/handler.js:8:51)\n    at file:///app/src/server.js:20:3';
          telemetry.recordException(error);
          res.statusCode = 500;
          res.end('boom');
          return;
        }
        if (status === 599) {
          res.statusCode = 500;
          res.end('boom');
          throw new Error('checkout exploded');
        }
        telemetry.annotate('UserID', 'u-42');
        telemetry.annotate('ProductID', 1234);
        telemetry.metadata('cart', { items: 2, total: 31.5 });
        if (req.url!.includes('huge=1')) telemetry.metadata('payload', 'x'.repeat(70_000));
        res.statusCode = status;
        res.end('ok');
      },
      { route: '/checkout' },
    );
    // The wrapper records a thrown exception and rethrows it unchanged; node:http would crash the test process.
    app = await serve((req, res) => {
      try {
        wrapped(req, res);
      } catch (error) {
        thrown.push(error);
      }
    });
  });
  afterAll(async () => {
    await app.close();
    await telemetry.shutdown();
    await daemon.close();
  });

  const segmentFor = async (query: string) => {
    const before = daemon.datagrams.length;
    const response = await fetch(`${app.url}/checkout?${query}`);
    await response.text();
    const [received] = (await daemon.waitFor(before + 1)).slice(before);
    return { response, received: received! };
  };

  it('loads aws-xray-sdk-core in manual mode: no process-wide async hooks for a context it never uses', () => {
    const sdk = createRequire(import.meta.url)('aws-xray-sdk-core') as { isAutomaticMode(): boolean };
    expect(sdk.isAutomaticMode()).toBe(false);
    expect((process as { namespaces?: Record<string, unknown> }).namespaces?.AWSXRay ?? undefined).toBeUndefined();
    expect(process.env.AWS_XRAY_MANUAL_MODE).toBeUndefined();
  });

  it('sends one segment per request with the daemon protocol header, named by service, with HTTP data', async () => {
    const { response, received } = await segmentFor('status=200');
    expect(received.header).toBe(DAEMON_PROTOCOL_HEADER.trim());
    expect(received.header).toBe('{"format": "json", "version": 1}');
    const segment = received.document;
    expect(segment.name).toBe('shop-frontend');
    expect(segment.trace_id).toMatch(/^1-[0-9a-f]{8}-[0-9a-f]{24}$/);
    expect(segment.id).toMatch(/^[0-9a-f]{16}$/);
    expect(segment.in_progress).toBeUndefined();
    expect(segment.end_time).toBeGreaterThanOrEqual(segment.start_time);
    expect(segment.http.request).toMatchObject({ method: 'GET', client_ip: '127.0.0.1' });
    expect(segment.http.request.url).toBe(`${app.url}/checkout?status=200`);
    expect(segment.http.response).toEqual({ status: 200 });
    expect(segment.annotations).toEqual({ UserID: 'u-42', ProductID: 1234, http_route: '/checkout' });
    expect(segment.metadata).toEqual({ default: { cart: { items: 2, total: 31.5 } } });
    expect(segment.error).toBeUndefined();
    expect(segment.fault).toBeUndefined();
    // The caller can find the trace from the response.
    expect(response.headers.get('x-amzn-trace-id')).toBe(`Root=${segment.trace_id}`);
  });

  it.each([
    ['404', { error: true }],
    ['429', { error: true, throttle: true }],
    ['503', { fault: true }],
  ])('flags status %s as %o', async (status, flags) => {
    const { received } = await segmentFor(`status=${status}`);
    const segment = received.document;
    expect(segment.http.response.status).toBe(Number(status));
    expect({ error: segment.error, throttle: segment.throttle, fault: segment.fault }).toEqual({
      error: undefined,
      throttle: undefined,
      fault: undefined,
      ...flags,
    });
  });

  it('records an exception the handler throws, with its message and stack', async () => {
    const { received } = await segmentFor('status=599');
    const segment = received.document;
    expect(segment.fault).toBe(true);
    expect(segment.cause.exceptions[0].message).toBe('checkout exploded');
    expect(segment.cause.exceptions[0].stack.length).toBeGreaterThan(0);
    expect(thrown.at(-1)).toBeInstanceOf(Error); // passed on unchanged
  });

  it("records an ES module's stack frames with their paths and lines (the SDK cannot parse file:// URLs)", async () => {
    const { received } = await segmentFor('status=598');
    const [exception] = received.document.cause.exceptions;
    expect(exception.message).toBe('esm handler exploded');
    expect(exception.stack.slice(0, 2)).toEqual([
      expect.objectContaining({ path: '/app/src/handler.js', line: 8, label: 'handle' }),
      expect.objectContaining({ path: '/app/src/server.js', line: 20 }),
    ]);
  });

  it('joins the trace of an incoming X-Amzn-Trace-Id and keeps its parent', async () => {
    const before = daemon.datagrams.length;
    await (
      await fetch(`${app.url}/checkout`, {
        headers: { 'X-Amzn-Trace-Id': 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1' },
      })
    ).text();
    const segment = (await daemon.waitFor(before + 1))[before]!.document;
    expect(segment.trace_id).toBe('1-5759e988-bd862e3fe1be46a994272793');
    expect(segment.parent_id).toBe('53995c3f42cd8ad8');
  });

  it('joins an ALB trace that has a Root but no Parent, as a root segment of that trace', async () => {
    const before = daemon.datagrams.length;
    await (await fetch(`${app.url}/checkout`, { headers: { 'X-Amzn-Trace-Id': 'Self=1-67891234-abcdef012345678912345678;Root=1-67891233-abcdef012345678912345678' } })).text();
    const segment = (await daemon.waitFor(before + 1))[before]!.document;
    expect(segment.trace_id).toBe('1-67891233-abcdef012345678912345678');
    expect(segment.parent_id).toBeUndefined();
  });

  it('records nothing for a request the caller marked as not sampled, but still answers', async () => {
    const before = daemon.datagrams.length;
    const response = await fetch(`${app.url}/checkout`, { headers: { 'X-Amzn-Trace-Id': 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=0' } });
    expect(response.status).toBe(200);
    await response.text();
    await segmentFor('status=200'); // a sampled request after it: its segment is the next datagram
    expect(daemon.datagrams.slice(before).map((d) => d.document.trace_id)).not.toContain('1-5759e988-bd862e3fe1be46a994272793');
    expect(daemon.datagrams.length).toBe(before + 1);
  });

  it('drops a segment too large for one datagram with one warning, and keeps sending the others', async () => {
    const before = daemon.datagrams.length;
    for (let i = 0; i < 2; i += 1) {
      const response = await fetch(`${app.url}/checkout?huge=1`);
      await response.text();
      expect(response.status).toBe(200);
    }
    const { received } = await segmentFor('status=200');
    expect(daemon.datagrams.length).toBe(before + 1);
    expect(received.document.metadata.default.payload).toBeUndefined();
    const warnings = logs.lines.filter((line) => line.problem === 'xray-segment-too-large');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.message).toContain('exceeds the UDP datagram limit');
  });
});
