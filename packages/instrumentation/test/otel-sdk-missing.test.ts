import type * as NodeModule from 'node:module';
import { Registry } from 'prom-client';
import { describe, expect, it, vi } from 'vitest';
import { createTelemetry } from '../src/index.js';
import { captureLogs, serve } from './helpers/local-servers.js';

// As in a bundle that left the OpenTelemetry SDK out of node_modules: loading it throws MODULE_NOT_FOUND.
vi.mock('node:module', async (importOriginal) => {
  const actual = await importOriginal<typeof NodeModule>();
  const createRequire = (url: string | URL): NodeJS.Require => {
    const real = actual.createRequire(url);
    const withoutSdk = (id: string): unknown => {
      if (id === '@opentelemetry/sdk-trace-base') throw Object.assign(new Error(`Cannot find module '${id}'`), { code: 'MODULE_NOT_FOUND' });
      return real(id);
    };
    return Object.assign(withoutSdk, real);
  };
  return { ...actual, createRequire, default: { ...actual, createRequire } };
});

describe('backend otel without the OpenTelemetry SDK installed', () => {
  it('says once what is missing and how to fix it, records no spans, and serves every request', async () => {
    const logs = captureLogs();
    const telemetry = createTelemetry({ serviceName: 'bundled', backend: 'otel', registry: new Registry(), logDestination: logs.stream });
    const app = await serve(telemetry.httpHandler((_req, res) => res.end('ok'), { route: '/' }));
    try {
      const bodies = await Promise.all([1, 2, 3].map(async () => (await fetch(`${app.url}/`)).text()));

      expect(bodies).toEqual(['ok', 'ok', 'ok']);
      expect(telemetry.tracer.startSpan('user span').isRecording()).toBe(false);
      const warnings = logs.lines.filter((line) => line.level === 'warn');
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatchObject({ problem: 'otel-sdk-load' });
      expect(warnings[0]!.message).toContain('@opentelemetry/sdk-trace-base');
      expect(warnings[0]!.message).toContain('keep the @opentelemetry packages external');
    } finally {
      await app.close();
      await telemetry.shutdown();
    }
  });
});
