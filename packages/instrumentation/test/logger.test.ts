import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { createTelemetry } from '../src/index.js';
import { captureLogs, serve } from './helpers/local-servers.js';

describe('Logger: JSON lines stamped with the trace id', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    while (cleanups.length) await cleanups.pop()!();
  });

  it('writes time, level, service, message and fields; trace fields only inside a request', async () => {
    const logs = captureLogs();
    const telemetry = createTelemetry({ serviceName: 'cart', backend: 'none', registry: new Registry(), logDestination: logs.stream });
    const app = await serve(
      telemetry.httpHandler((_req, res) => {
        telemetry.logger.child({ component: 'checkout' }).warn('low stock', { sku: 'A-1', error: new Error('boom') });
        res.end(telemetry.currentTraceId());
      }),
    );
    cleanups.push(async () => {
      await app.close();
      await telemetry.shutdown();
    });
    telemetry.logger.info('starting', { port: 8765 });
    const traceId = await (await fetch(`${app.url}/`)).text();

    const [startup, inRequest] = logs.lines;
    expect(startup).toEqual({ time: expect.any(String), level: 'info', service: 'cart', message: 'starting', port: 8765 });
    expect(Number.isNaN(Date.parse(startup!.time))).toBe(false);
    expect(inRequest).toMatchObject({ level: 'warn', message: 'low stock', component: 'checkout', sku: 'A-1', xray_trace_id: traceId });
    expect(inRequest!.error).toMatchObject({ name: 'Error', message: 'boom' });
    expect(inRequest!.trace_id).toBe(traceId.slice(2).replace('-', ''));
    expect(inRequest!.span_id).toMatch(/^[0-9a-f]{16}$/);
  });

  it("never lets a caller's field replace the line's own level, message, time or trace ids", async () => {
    const logs = captureLogs();
    const telemetry = createTelemetry({ serviceName: 'cart', backend: 'none', registry: new Registry(), logDestination: logs.stream });
    const app = await serve(
      telemetry.httpHandler((_req, res) => {
        telemetry.logger.info('paid', { level: 'debug', message: 'x', time: 'nope', trace_id: 'mine', amount: 3 });
        res.end(telemetry.currentTraceId());
      }),
    );
    cleanups.push(async () => {
      await app.close();
      await telemetry.shutdown();
    });
    const traceId = await (await fetch(`${app.url}/`)).text();
    const [line] = logs.lines;
    expect(line).toMatchObject({ level: 'info', message: 'paid', trace_id: traceId.slice(2).replace('-', ''), amount: 3 });
    expect(Number.isNaN(Date.parse(line!.time))).toBe(false);
    expect(line).toMatchObject({ field_level: 'debug', field_message: 'x', field_time: 'nope', field_trace_id: 'mine' });
  });

  it('writes the pipeline\'s own problems without the trace ids of the request that ran into them', async () => {
    const logs = captureLogs();
    const telemetry = createTelemetry({ serviceName: 'cart', backend: 'none', registry: new Registry(), logDestination: logs.stream });
    const app = await serve(
      telemetry.httpHandler((_req, res) => {
        telemetry.annotate('bad key!', 'v'); // one warning from the telemetry itself, inside a request
        telemetry.logger.info('served');
        res.end();
      }),
    );
    cleanups.push(async () => {
      await app.close();
      await telemetry.shutdown();
    });
    await (await fetch(`${app.url}/`)).text();
    const problem = logs.lines.find((l) => l.problem !== undefined)!;
    expect(problem).toMatchObject({ level: 'warn', component: '@eks-o11y/instrumentation' });
    expect(problem).not.toHaveProperty('trace_id');
    expect(problem).not.toHaveProperty('xray_trace_id');
    expect(logs.lines.find((l) => l.message === 'served')).toHaveProperty('trace_id');
  });

  it('drops lines below the level, and appends to a file destination', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'instr-log-')), 'app.log');
    const telemetry = createTelemetry({ serviceName: 'cart', backend: 'none', registry: new Registry(), logDestination: file, logLevel: 'warn' });
    telemetry.logger.info('hidden');
    telemetry.logger.debug('hidden too');
    telemetry.logger.error('shown', { code: 42 });
    await telemetry.shutdown();
    const lines = readFileSync(file, 'utf8').trim().split('\n').map((line) => JSON.parse(line));
    expect(lines.map((l) => l.message)).toEqual(['shown']);
    expect(lines[0].code).toBe(42);
  });

  it('survives fields that cannot be serialised', () => {
    const logs = captureLogs();
    const telemetry = createTelemetry({ serviceName: 'cart', backend: 'none', registry: new Registry(), logDestination: logs.stream });
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    telemetry.logger.info('cyclic', { cyclic });
    expect(logs.lines[0]).toMatchObject({ message: 'cyclic', log_error: 'fields not serialisable' });
  });
});
