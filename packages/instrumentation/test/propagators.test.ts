import type { IncomingMessage } from 'node:http';
import { context, createContextKey, propagation, type Baggage } from '@opentelemetry/api';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveTelemetryConfig } from '../src/config.js';
import { createTelemetry, TelemetryConfigurationError, type TelemetryOptions } from '../src/index.js';
import { captureLogs, serve } from './helpers/local-servers.js';

const TRACEPARENT = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
const UNRELATED_KEY = createContextKey('a key of some other library');
const XRAY = 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1';

describe('Propagators: which trace headers are read and sent', () => {
  it.each([
    [undefined, { tracecontext: true, xray: true, baggage: true }],
    ['xray', { tracecontext: false, xray: true, baggage: false }],
    ['xray-lambda', { tracecontext: false, xray: true, baggage: false }],
    [' TraceContext ', { tracecontext: true, xray: false, baggage: false }],
    // What the OpenTelemetry Operator injects, and what Application Signals sets.
    ['tracecontext,baggage', { tracecontext: true, xray: false, baggage: true }],
    ['tracecontext,baggage,xray', { tracecontext: true, xray: true, baggage: true }],
    ['none', { tracecontext: false, xray: false, baggage: false }],
  ])('OTEL_PROPAGATORS=%s reads and sends %o, without a warning', (value, expected) => {
    const config = resolveTelemetryConfig({ serviceName: 'svc' }, value === undefined ? {} : { OTEL_PROPAGATORS: value });
    expect(config.propagators).toEqual(expected);
    expect(config.warnings).toEqual([]);
  });

  it('leaves out the OTEL_PROPAGATORS names it does not propagate, with one warning that names them', () => {
    const config = resolveTelemetryConfig({ serviceName: 'svc' }, { OTEL_PROPAGATORS: 'tracecontext,b3multi,xray' });
    expect(config.propagators).toEqual({ tracecontext: true, xray: true, baggage: false });
    expect(config.warnings).toHaveLength(1);
    expect(config.warnings[0]).toContain('names b3multi');
    expect(config.warnings[0]).toContain('only tracecontext, xray.');

    const b3Only = resolveTelemetryConfig({ serviceName: 'svc' }, { OTEL_PROPAGATORS: 'b3' });
    expect(b3Only.propagators).toEqual({ tracecontext: false, xray: false, baggage: false });
    expect(b3Only.warnings[0]).toContain('only nothing');
  });

  it('takes the option over the environment, and rejects a name it does not know', () => {
    expect(resolveTelemetryConfig({ serviceName: 'svc', propagators: ['tracecontext'] }, { OTEL_PROPAGATORS: 'xray' }).propagators).toEqual({
      tracecontext: true,
      xray: false,
      baggage: false,
    });
    expect(resolveTelemetryConfig({ serviceName: 'svc', propagators: [] }, {}).propagators).toEqual({ tracecontext: false, xray: false, baggage: false });
    expect(() => resolveTelemetryConfig({ serviceName: 'svc', propagators: ['b3' as never] }, {})).toThrow(TelemetryConfigurationError);
    expect(() => resolveTelemetryConfig({ serviceName: 'svc', propagators: ['b3' as never] }, {})).toThrow(/propagators.*"b3" is not a propagator/);
  });

  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    while (cleanups.length) await cleanups.pop()!();
  });

  /** A Telemetry (backend none) with these options, shut down after the test. */
  const telemetryWith = (options: TelemetryOptions) => {
    const telemetry = createTelemetry({ serviceName: 'svc', backend: 'none', registry: new Registry(), logDestination: captureLogs().stream, ...options });
    cleanups.push(() => telemetry.shutdown());
    return telemetry;
  };

  describe('in a running service', () => {
    /** A service that answers with its trace id and the headers it would send on an outgoing call. */
    const start = async (options: TelemetryOptions) => {
      const telemetry = telemetryWith(options);
      const app = await serve(
        telemetry.httpHandler((_req, res) => res.end(JSON.stringify({ traceId: telemetry.currentTraceId(), sends: telemetry.propagationHeaders() })), {
          route: '/',
        }),
      );
      cleanups.push(() => app.close());
      return async (headers: Record<string, string>) =>
        (await (await fetch(`${app.url}/`, { headers })).json()) as { traceId: string; sends: Record<string, string> };
    };

    it('with X-Ray only: follows X-Amzn-Trace-Id even when a traceparent is there, and sends X-Amzn-Trace-Id alone', async () => {
      const call = await start({ propagators: ['xray'] });
      const { traceId, sends } = await call({ traceparent: TRACEPARENT, 'X-Amzn-Trace-Id': XRAY });
      expect(traceId).toBe('1-5759e988-bd862e3fe1be46a994272793');
      expect(Object.keys(sends)).toEqual(['x-amzn-trace-id']);
      expect(sends['x-amzn-trace-id']).toMatch(/^Root=1-5759e988-bd862e3fe1be46a994272793;Parent=[0-9a-f]{16};Sampled=1$/);
    });

    it('with W3C only: ignores X-Amzn-Trace-Id and sends traceparent alone', async () => {
      const call = await start({ propagators: ['tracecontext'] });
      const fromXRayOnly = await call({ 'X-Amzn-Trace-Id': XRAY });
      expect(fromXRayOnly.traceId).not.toBe('1-5759e988-bd862e3fe1be46a994272793');
      expect(Object.keys(fromXRayOnly.sends)).toEqual(['traceparent']);
      const fromBoth = await call({ traceparent: TRACEPARENT, 'X-Amzn-Trace-Id': XRAY });
      expect(fromBoth.traceId).toBe('1-0af76519-16cd43dd8448eb211c80319c');
    });

    it('with none: starts a new trace for every request and sends no trace header', async () => {
      const call = await start({ propagators: [] });
      const { traceId, sends } = await call({ traceparent: TRACEPARENT, 'X-Amzn-Trace-Id': XRAY });
      expect(traceId).toMatch(/^1-[0-9a-f]{8}-[0-9a-f]{24}$/);
      expect(traceId).not.toBe('1-0af76519-16cd43dd8448eb211c80319c');
      expect(traceId).not.toBe('1-5759e988-bd862e3fe1be46a994272793');
      expect(sends).toEqual({});
    });
  });

  describe('W3C baggage', () => {
    /** What a callee reports: the `baggage` header it received, and the entries its handler sees. */
    interface CalleeReport {
      header: string | null;
      sees: Record<string, { value: string; metadata?: string }> | null;
    }
    /** What the middle service reports: the entries its handler sees, and its two calls' reports. */
    interface MiddleReport {
      sees: CalleeReport['sees'];
      viaFetch: CalleeReport;
      viaHttpRequest: CalleeReport;
    }

    const entriesOf = (baggage: Baggage | undefined): CalleeReport['sees'] =>
      baggage
        ? Object.fromEntries(
            baggage.getAllEntries().map(([key, entry]) => [key, entry.metadata ? { value: entry.value, metadata: entry.metadata.toString() } : { value: entry.value }]),
          )
        : null;

    /** The last service: answers with the `baggage` header it received and the baggage its handler sees. */
    const startCallee = async (options: TelemetryOptions = {}) => {
      const telemetry = telemetryWith(options);
      const app = await serve(
        telemetry.httpHandler(
          (req, res) => res.end(JSON.stringify({ header: req.headers.baggage ?? null, sees: entriesOf(propagation.getActiveBaggage()) })),
          { route: '/' },
        ),
      );
      cleanups.push(() => app.close());
      return app.url;
    };

    const getJson = (url: string, call: (url: string, onResponse: (res: IncomingMessage) => void) => void): Promise<CalleeReport> =>
      new Promise((resolve, reject) => {
        call(url, (res) => {
          let body = '';
          res.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
          res.on('end', () => resolve(JSON.parse(body)));
          res.on('error', reject);
        });
      });

    /**
     * The middle service: reports the baggage its handler sees, then calls the callee twice: with `fetch` in a context
     * that adds an entry (as a handler does with the OpenTelemetry API), and with `httpRequest` with the request's own.
     */
    const startMiddle = async (calleeUrl: string, options: TelemetryOptions = {}) => {
      const telemetry = telemetryWith(options);
      const app = await serve(
        telemetry.httpHandler(
          async (_req, res) => {
            const sees = entriesOf(propagation.getActiveBaggage());
            const withHop = (propagation.getActiveBaggage() ?? propagation.createBaggage()).setEntry('hop', { value: 'middle' });
            const viaFetch = await context.with(propagation.setBaggage(context.active(), withHop), async () => (await telemetry.fetch(calleeUrl)).json());
            // In a context derived for something else (as any library may make one), the request's baggage stays.
            const viaHttpRequest = await context.with(context.active().setValue(UNRELATED_KEY, true), () =>
              getJson(calleeUrl, (url, onResponse) => telemetry.httpRequest(url, onResponse).end()),
            );
            res.end(JSON.stringify({ sees, viaFetch, viaHttpRequest }));
          },
          { route: '/' },
        ),
      );
      cleanups.push(() => app.close());
      return app.url;
    };

    it('reads the incoming baggage into the handler\'s context and sends it, with what the handler added, on fetch and http.request', async () => {
      const middle = await startMiddle(await startCallee());
      const response = await fetch(middle, { headers: { baggage: 'tenant=acme%20corp;region=eu, userId=42' } });
      const { sees, viaFetch, viaHttpRequest } = (await response.json()) as MiddleReport;
      expect(response.status).toBe(200);
      expect(sees).toEqual({ tenant: { value: 'acme corp', metadata: 'region=eu' }, userId: { value: '42' } });
      expect(viaFetch.sees).toEqual({ tenant: { value: 'acme corp', metadata: 'region=eu' }, userId: { value: '42' }, hop: { value: 'middle' } });
      expect(viaFetch.header).toContain('tenant=acme%20corp;region=eu');
      // The entry added for the fetch stays in that call's context.
      expect(viaHttpRequest).toEqual({ header: 'tenant=acme%20corp;region=eu,userId=42', sees: { tenant: { value: 'acme corp', metadata: 'region=eu' }, userId: { value: '42' } } });
    });

    it('sends what the handler set even when the request came without baggage, and nothing when there is none', async () => {
      const middle = await startMiddle(await startCallee());
      const { sees, viaFetch, viaHttpRequest } = (await (await fetch(middle)).json()) as MiddleReport;
      expect(sees).toBeNull();
      expect(viaFetch).toEqual({ header: 'hop=middle', sees: { hop: { value: 'middle' } } });
      expect(viaHttpRequest).toEqual({ header: null, sees: null });
    });

    it('without the baggage propagator (OTEL_PROPAGATORS=tracecontext,xray) neither reads nor sends it', async () => {
      const middle = await startMiddle(await startCallee({ propagators: ['tracecontext', 'xray'] }), { propagators: ['tracecontext', 'xray'] });
      const { sees, viaFetch, viaHttpRequest } = (await (await fetch(middle, { headers: { baggage: 'tenant=acme' } })).json()) as MiddleReport;
      expect(sees).toBeNull();
      // The handler's own baggage is in its context, but it is not sent.
      expect(viaFetch).toEqual({ header: null, sees: null });
      expect(viaHttpRequest).toEqual({ header: null, sees: null });
    });

    it('serves a request whose baggage header is malformed as one without baggage', async () => {
      const callee = await startCallee();
      const response = await fetch(callee, { headers: { baggage: '=novalue;;, ,%%%' } });
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ header: '=novalue;;, ,%%%', sees: null });
    });
  });
});
