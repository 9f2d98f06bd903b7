import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveTelemetryConfig } from '../src/config.js';
import { createTelemetry, TelemetryConfigurationError, type TelemetryOptions } from '../src/index.js';
import { captureLogs, serve } from './helpers/local-servers.js';

const TRACEPARENT = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
const XRAY = 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1';

describe('Propagators: which trace headers are read and sent', () => {
  it.each([
    [undefined, { tracecontext: true, xray: true }],
    ['xray', { tracecontext: false, xray: true }],
    ['xray-lambda', { tracecontext: false, xray: true }],
    [' TraceContext ', { tracecontext: true, xray: false }],
    ['none', { tracecontext: false, xray: false }],
  ])('OTEL_PROPAGATORS=%s reads and sends %o, without a warning', (value, expected) => {
    const config = resolveTelemetryConfig({ serviceName: 'svc' }, value === undefined ? {} : { OTEL_PROPAGATORS: value });
    expect(config.propagators).toEqual(expected);
    expect(config.warnings).toEqual([]);
  });

  it('leaves out the OTEL_PROPAGATORS names it does not propagate, with one warning that names them', () => {
    const config = resolveTelemetryConfig({ serviceName: 'svc' }, { OTEL_PROPAGATORS: 'tracecontext,baggage,xray' });
    expect(config.propagators).toEqual({ tracecontext: true, xray: true });
    expect(config.warnings).toHaveLength(1);
    expect(config.warnings[0]).toContain('names baggage');
    expect(config.warnings[0]).toContain('only tracecontext and xray');

    const b3Only = resolveTelemetryConfig({ serviceName: 'svc' }, { OTEL_PROPAGATORS: 'b3' });
    expect(b3Only.propagators).toEqual({ tracecontext: false, xray: false });
    expect(b3Only.warnings[0]).toContain('only nothing');
  });

  it('takes the option over the environment, and rejects a name it does not know', () => {
    expect(resolveTelemetryConfig({ serviceName: 'svc', propagators: ['tracecontext'] }, { OTEL_PROPAGATORS: 'xray' }).propagators).toEqual({
      tracecontext: true,
      xray: false,
    });
    expect(resolveTelemetryConfig({ serviceName: 'svc', propagators: [] }, {}).propagators).toEqual({ tracecontext: false, xray: false });
    expect(() => resolveTelemetryConfig({ serviceName: 'svc', propagators: ['b3' as never] }, {})).toThrow(TelemetryConfigurationError);
    expect(() => resolveTelemetryConfig({ serviceName: 'svc', propagators: ['b3' as never] }, {})).toThrow(/propagators.*"b3" is not a propagator/);
  });

  describe('in a running service', () => {
    const cleanups: (() => Promise<void>)[] = [];
    afterEach(async () => {
      while (cleanups.length) await cleanups.pop()!();
    });

    /** A service that answers with its trace id and the headers it would send on an outgoing call. */
    const start = async (options: TelemetryOptions) => {
      const telemetry = createTelemetry({ serviceName: 'svc', backend: 'none', registry: new Registry(), logDestination: captureLogs().stream, ...options });
      const app = await serve(
        telemetry.httpHandler((_req, res) => res.end(JSON.stringify({ traceId: telemetry.currentTraceId(), sends: telemetry.propagationHeaders() })), {
          route: '/',
        }),
      );
      cleanups.push(() => app.close(), () => telemetry.shutdown());
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
});
