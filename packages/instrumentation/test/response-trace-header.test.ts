import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { createTelemetry, type TelemetryOptions } from '../src/index.js';
import { captureLogs, serve } from './helpers/local-servers.js';

describe('X-Amzn-Trace-Id on responses', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    while (cleanups.length) await cleanups.pop()!();
  });

  /** A service that answers with its current trace id in the body. */
  const start = async (options: TelemetryOptions = {}) => {
    const telemetry = createTelemetry({ serviceName: 'svc', backend: 'none', registry: new Registry(), logDestination: captureLogs().stream, ...options });
    const app = await serve(telemetry.httpHandler((_req, res) => res.end(telemetry.currentTraceId()), { route: '/' }));
    cleanups.push(() => app.close(), () => telemetry.shutdown());
    return (headers: Record<string, string> = {}) => fetch(`${app.url}/`, { headers }).then(async (r) => ({ header: r.headers.get('x-amzn-trace-id'), body: await r.text() }));
  };

  it('is not sent by default, as in the X-Ray SDK and OpenTelemetry: trace ids stay internal', async () => {
    const call = await start();

    const { header, body } = await call();

    expect(header).toBeNull();
    expect(body).toMatch(/^1-[0-9a-f]{8}-[0-9a-f]{24}$/);
  });

  it('is sent on every response with traceIdResponseHeader: true, naming the request\'s trace', async () => {
    const call = await start({ traceIdResponseHeader: true });

    const { header, body } = await call();

    expect(header).toBe(`Root=${body}`);
  });

  it.each([
    [1, '1'],
    [0, '0'],
  ])('answers a caller that sends Sampled=? with the decision (sampleRatio %d -> Sampled=%s), even when the option is off', async (sampleRatio, decision) => {
    const call = await start({ sampleRatio });

    const { header, body } = await call({ 'X-Amzn-Trace-Id': 'Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=?' });

    expect(body).toBe('1-5759e988-bd862e3fe1be46a994272793');
    expect(header).toBe(`Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=${decision}`);
  });
});
