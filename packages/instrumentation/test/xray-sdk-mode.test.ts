import { createRequire } from 'node:module';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { createTelemetry } from '../src/index.js';
import { captureLogs, serve, startDaemonListener } from './helpers/local-servers.js';

describe('X-Ray backend next to an application that uses aws-xray-sdk-core itself', () => {
  it('leaves the SDK in the automatic mode the application loaded it in, and still sends segments', async () => {
    // Loaded before createTelemetry, as an application using the SDK's own middleware or captures would.
    const sdk = createRequire(import.meta.url)('aws-xray-sdk-core') as { isAutomaticMode(): boolean };
    expect(sdk.isAutomaticMode()).toBe(true);
    const daemon = await startDaemonListener();
    const logs = captureLogs();
    const telemetry = createTelemetry({ serviceName: 'mixed', backend: 'xray', xrayDaemonAddress: daemon.address, registry: new Registry(), logDestination: logs.stream });
    const app = await serve(telemetry.httpHandler((_req, res) => res.end('ok'), { route: '/' }));
    try {
      expect(sdk.isAutomaticMode()).toBe(true);
      await (await fetch(`${app.url}/`)).text();
      const [datagram] = await daemon.waitFor(1);
      expect(datagram!.document.name).toBe('mixed');
    } finally {
      await app.close();
      await telemetry.shutdown();
      await daemon.close();
    }
  });
});
