import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { createTelemetry, type TelemetryOptions } from '../src/index.js';
import { captureLogs, serve, startDaemonListener, startOtlpReceiver, waitUntil } from './helpers/local-servers.js';

/** A port on 127.0.0.1 that nothing listens on (bound, then released). */
const closedPort = async (): Promise<number> => {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
};

describe('Fail-open: telemetry problems never fail requests and are logged once', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    while (cleanups.length) await cleanups.pop()!();
  });

  const startApp = async (options: TelemetryOptions) => {
    const logs = captureLogs();
    const telemetry = createTelemetry({ serviceName: 'svc', registry: new Registry(), logDestination: logs.stream, otlpExportIntervalMillis: 20, otlpTimeoutMillis: 1000, ...options });
    const app = await serve(
      telemetry.httpHandler((_req, res) => {
        telemetry.annotate('UserID', 'u-1');
        res.end('ok');
      }, { route: '/' }),
    );
    cleanups.push(async () => {
      await app.close();
      await telemetry.shutdown();
    });
    const hammer = async (count: number, flush = false) => {
      const statuses: number[] = [];
      for (let i = 0; i < count; i += 1) {
        const response = await fetch(`${app.url}/`);
        await response.text();
        statuses.push(response.status);
        if (flush) await telemetry.forceFlush();
      }
      return statuses;
    };
    const problems = (key: string) => logs.lines.filter((line) => line.problem === key && line.recovered === undefined);
    return { telemetry, app, logs, hammer, problems };
  };

  it('collector down: every request succeeds, one warning for the whole outage', async () => {
    const port = await closedPort();
    const { hammer, problems } = await startApp({ backend: 'otel', otlpEndpoint: `http://127.0.0.1:${port}` });
    expect(await hammer(5)).toEqual([200, 200, 200, 200, 200]);
    const lines = await waitUntil(() => (problems('otlp-export').length > 0 ? problems('otlp-export') : undefined), 10_000, 'the warning');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 'warn', component: '@eks-o11y/instrumentation' });
    expect(lines[0]!.message).toContain(`http://127.0.0.1:${port}/v1/traces`);
    expect(lines[0]!.message).toContain('OTEL_EXPORTER_OTLP_ENDPOINT');
  });

  it('collector answering 503 and then recovering: one warning, one recovery line, spans flow again', async () => {
    const collector = await startOtlpReceiver();
    cleanups.push(() => collector.close());
    collector.respondWith = 503;
    const { hammer, problems, logs } = await startApp({ backend: 'otel', otlpEndpoint: collector.endpoint });
    expect(await hammer(3, true)).toEqual([200, 200, 200]);
    await waitUntil(() => (problems('otlp-export').length > 0 ? true : undefined), 10_000, 'the warning');
    collector.respondWith = 200;
    await hammer(2, true);
    await waitUntil(() => (logs.lines.some((l) => l.recovered === true) ? true : undefined), 10_000, 'the recovery line');
    expect(problems('otlp-export')).toHaveLength(1);
    expect(logs.lines.filter((l) => l.recovered === true)).toHaveLength(1);
    expect(collector.spans.length).toBeGreaterThan(0);
  });

  it('OTLP endpoint that is not a URL: requests succeed, the problem is logged once', async () => {
    const { hammer, logs } = await startApp({ backend: 'otel', otlpEndpoint: 'adot-collector:4318' });
    expect(await hammer(3)).toEqual([200, 200, 200]);
    const warnings = await waitUntil(() => {
      const found = logs.lines.filter((l) => l.level === 'warn' && String(l.problem).startsWith('otlp'));
      return found.length > 0 ? found : undefined;
    }, 10_000, 'the warning');
    expect(warnings, JSON.stringify(warnings)).toHaveLength(1);
    expect(warnings[0]!.message).toContain('"adot-collector:4318/v1/traces" is not an http:// or https:// URL');
    expect(warnings[0]!.message).toContain('OTEL_EXPORTER_OTLP_ENDPOINT=http://');
  });

  it('X-Ray daemon host that does not resolve: requests succeed, one warning', async () => {
    const { hammer, problems } = await startApp({ backend: 'xray', xrayDaemonAddress: 'xray-daemon.invalid:2000' });
    expect(await hammer(5)).toEqual([200, 200, 200, 200, 200]);
    const lines = await waitUntil(() => (problems('xray-daemon-dns').length > 0 ? problems('xray-daemon-dns') : undefined), 10_000, 'the warning');
    await hammer(3);
    expect(lines).toHaveLength(1);
    expect(lines[0]!.message).toContain('xray-daemon.invalid');
  });

  it('X-Ray daemon address without a port: requests succeed, the fix is in the one warning', async () => {
    const { hammer, problems } = await startApp({ backend: 'xray', xrayDaemonAddress: 'xray-daemon' });
    expect(await hammer(3)).toEqual([200, 200, 200]);
    expect(problems('xray-daemon-address')).toHaveLength(1);
    expect(problems('xray-daemon-address')[0]!.message).toContain('host:port');
  });

  it.each(['127.0.0.1', 'localhost'])('X-Ray daemon not listening at %s: requests succeed, one warning naming the address, one recovery line once it listens', async (host) => {
    const gone = await startDaemonListener();
    await gone.close();
    const port = Number(gone.address.split(':')[1]);
    const { hammer, problems, logs } = await startApp({ backend: 'xray', xrayDaemonAddress: `${host}:${port}` });

    expect(await hammer(5, true)).toEqual([200, 200, 200, 200, 200]);
    const lines = await waitUntil(() => (problems('xray-daemon-unreachable').length > 0 ? problems('xray-daemon-unreachable') : undefined), 10_000, 'the warning');
    await hammer(5, true);
    expect(lines).toHaveLength(1);
    expect(lines[0]!.message).toContain(`${host}:${port}`);
    expect(lines[0]!.message).toContain('AWS_XRAY_DAEMON_ADDRESS');
    expect(logs.lines.filter((l) => l.level === 'warn')).toHaveLength(1);

    const daemon = await startDaemonListener(port);
    cleanups.push(() => daemon.close());
    // Recovery is told once bursts have gone unrefused for a while: keep requests coming until then.
    const deadline = Date.now() + 10_000;
    while (!logs.lines.some((l) => l.recovered === true)) {
      expect(Date.now(), 'no recovery line within 10 s').toBeLessThan(deadline);
      await hammer(1, true);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(logs.lines.filter((l) => l.recovered === true)).toMatchObject([{ level: 'info', problem: 'xray-daemon-unreachable' }]);
    expect(problems('xray-daemon-unreachable')).toHaveLength(1);
    expect(daemon.datagrams.length).toBeGreaterThan(0);
  });

  it('annotate() outside a request is ignored with one warning, not an exception', async () => {
    const { telemetry, problems } = await startApp({ backend: 'none' });
    telemetry.annotate('UserID', 'x');
    telemetry.annotate('UserID', 'y');
    expect(problems('outside-request:annotate')).toHaveLength(1);
  });
});
