import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { createTelemetry, type Telemetry } from '../src/index.js';
import { captureLogs, serve, startDaemonListener, type DaemonListener } from './helpers/local-servers.js';
import { runShortLivedService } from './helpers/short-lived-service.js';

/**
 * Segments are queued and sent in bursts (one datagram each), so a sampled request does not pay for waking the
 * daemon. These tests pin down that nothing is lost for it: not at shutdown, not when a process ends on its own,
 * not when a burst is larger than the queue.
 */
describe('X-Ray segments are sent in bursts without losing any', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    while (cleanups.length) await cleanups.pop()!();
  });

  const xrayApp = async (): Promise<{ daemon: DaemonListener; telemetry: Telemetry; url: string }> => {
    const daemon = await startDaemonListener();
    const telemetry = createTelemetry({
      serviceName: 'burst',
      backend: 'xray',
      xrayDaemonAddress: daemon.address,
      registry: new Registry(),
      logDestination: captureLogs().stream,
      traceIdResponseHeader: true,
    });
    const app = await serve(telemetry.httpHandler((_req, res) => res.end('ok'), { route: '/' }));
    cleanups.push(() => daemon.close(), () => app.close());
    return { daemon, telemetry, url: app.url };
  };

  it('sends every segment of a burst larger than the queue, each as its own datagram', async () => {
    const { daemon, telemetry, url } = await xrayApp();
    cleanups.push(() => telemetry.shutdown());
    const ids = await Promise.all(
      Array.from({ length: 150 }, async () => {
        const response = await fetch(`${url}/`);
        await response.text();
        return response.headers.get('x-amzn-trace-id')!.slice('Root='.length);
      }),
    );

    const datagrams = await daemon.waitFor(150);

    expect(datagrams.every((d) => d.header === '{"format": "json", "version": 1}')).toBe(true);
    expect(new Set(datagrams.map((d) => d.document.trace_id))).toEqual(new Set(ids));
  });

  it.each([
    ['shutdown() then process.exit(), as a SIGTERM handler does', 'shutdown-then-exit'],
    ['forceFlush() then process.exit(), as before a freeze', 'flush-then-exit'],
    ['an event loop that empties, without shutdown()', 'natural-end'],
  ])('a process that ends with %s still sends its last segments', async (_title, mode) => {
    const daemon = await startDaemonListener();
    cleanups.push(() => daemon.close());

    const code = await runShortLivedService('xray', mode, { AWS_XRAY_DAEMON_ADDRESS: daemon.address });

    expect(code).toBe(0);
    const datagrams = await daemon.waitFor(3);
    expect(datagrams.map((d) => d.document.name)).toEqual(['short-lived', 'short-lived', 'short-lived']);
  });
});
