import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { afterEach, describe, expect, it } from 'vitest';
import { loadOtlpTraceExporter } from '../src/tracing/otel-sdk.js';
import { endedSpans } from './helpers/ended-spans.js';
import { startOtlpReceiver } from './helpers/local-servers.js';

const FIXTURE = fileURLToPath(new URL('./fixtures/loaded-packages.ts', import.meta.url));

/** The packages a fresh process has loaded after createTelemetry with `backend` and `protocol`. */
const packagesLoadedBy = async (backend: string, protocol = 'http/protobuf'): Promise<string[]> => {
  const child = spawn(process.execPath, ['--import', 'tsx', FIXTURE, backend, protocol], { stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  expect(code).toBe(0);
  return JSON.parse(output) as string[];
};

const SDK = ['@opentelemetry/sdk-trace-base', '@opentelemetry/resources'];
const EXPORT = ['@opentelemetry/exporter-trace-otlp-http', '@opentelemetry/exporter-trace-otlp-proto', '@opentelemetry/otlp-exporter-base', '@opentelemetry/otlp-transformer'];

describe('what a backend loads', () => {
  it('backends none and xray load neither the OpenTelemetry SDK nor its exporters', async () => {
    for (const backend of ['none', 'xray']) {
      const loaded = await packagesLoadedBy(backend);
      expect(loaded).toEqual(expect.arrayContaining(backend === 'xray' ? ['prom-client', 'aws-xray-sdk-core'] : ['prom-client']));
      expect(loaded.filter((name) => [...SDK, ...EXPORT].includes(name))).toEqual([]);
    }
  });

  it('backend otel loads the SDK; an OTLP exporter and the serialisers only for OTLP/HTTP JSON', async () => {
    const protobuf = await packagesLoadedBy('otel', 'http/protobuf');
    expect(protobuf).toEqual(expect.arrayContaining(SDK));
    expect(protobuf.filter((name) => EXPORT.includes(name))).toEqual([]);
    expect(await packagesLoadedBy('otel', 'http/json')).toContain('@opentelemetry/otlp-transformer');
  });
});

describe('the exporters the main thread falls back to', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    while (cleanups.length) await cleanups.pop()!();
  });

  it.each(['http/protobuf', 'http/json'] as const)('deliver spans over OTLP/HTTP (%s)', async (protocol) => {
    const collector = await startOtlpReceiver();
    cleanups.push(collector.close);
    const Exporter = loadOtlpTraceExporter(protocol);
    const exporter = new Exporter({ url: `${collector.endpoint}/v1/traces` });
    cleanups.push(() => exporter.shutdown());

    const result = await new Promise<ExportResult>((resolve) => exporter.export(endedSpans('fallback'), resolve));

    expect(result.code).toBe(ExportResultCode.SUCCESS);
    expect(collector.requests.map((request) => request.spanNames)).toEqual([['fallback']]);
    expect(collector.requests[0]!.headers['content-type']).toBe(protocol === 'http/json' ? 'application/json' : 'application/x-protobuf');
  });
});
