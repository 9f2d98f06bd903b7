import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { InMemorySpanExporter, type ReadableSpan, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import { afterEach, describe, expect, it } from 'vitest';
import { OtlpThreadSpanExporter } from '../src/tracing/otlp-thread-span-exporter.js';
import { endedSpans } from './helpers/ended-spans.js';
import { startOtlpReceiver } from './helpers/local-servers.js';
import { runShortLivedService } from './helpers/short-lived-service.js';

const exportBatch = (exporter: OtlpThreadSpanExporter, spans: ReadableSpan[]): Promise<ExportResult> =>
  new Promise((resolve) => exporter.export(spans, resolve));

describe('the OTLP export thread', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    while (cleanups.length) await cleanups.pop()!();
  });

  it('delivers batches from its thread and answers each with the collector result', async () => {
    const collector = await startOtlpReceiver();
    cleanups.push(collector.close);
    const exporter = new OtlpThreadSpanExporter(
      { protocol: 'http/protobuf', url: `${collector.endpoint}/v1/traces`, headers: { 'x-tenant': 'shop' }, timeoutMillis: 2000 },
      () => new InMemorySpanExporter(),
      () => undefined,
    );
    cleanups.push(() => exporter.shutdown());

    const results = await Promise.all([exportBatch(exporter, endedSpans('a', 'b')), exportBatch(exporter, endedSpans('c'))]);

    expect(results.map((result) => result.code)).toEqual([ExportResultCode.SUCCESS, ExportResultCode.SUCCESS]);
    expect(collector.requests.map((request) => request.spanNames).sort()).toEqual([['a', 'b'], ['c']]);
    expect(collector.requests[0]!.headers['x-tenant']).toBe('shop');
  });

  it('carries the collector error back to the main thread', async () => {
    const collector = await startOtlpReceiver();
    collector.respondWith = 400;
    cleanups.push(collector.close);
    const exporter = new OtlpThreadSpanExporter(
      { protocol: 'http/protobuf', url: `${collector.endpoint}/v1/traces`, headers: {}, timeoutMillis: 2000 },
      () => new InMemorySpanExporter(),
      () => undefined,
    );
    cleanups.push(() => exporter.shutdown());

    const result = await exportBatch(exporter, endedSpans('rejected'));

    expect(result.code).toBe(ExportResultCode.FAILED);
    expect(result.error).toBeInstanceOf(Error);
    expect(result.error!.message).toContain('Bad Request');
  });

  /**
   * Exports a batch while the thread fails to start, then one more; `fallback` builds the main thread's exporter.
   * Resolves with both results and the thread failures reported.
   */
  const exportWithoutThread = async (fallback: () => SpanExporter): Promise<{ inFlight: ExportResult; later: ExportResult; failures: Error[] }> => {
    const failures: Error[] = [];
    const exporter = new OtlpThreadSpanExporter(
      { protocol: 'http/protobuf', url: 'http://127.0.0.1:9/v1/traces', headers: {}, timeoutMillis: 2000 },
      fallback,
      (error) => failures.push(error),
      new URL('./fixtures/crashing-otlp-worker.mjs', import.meta.url),
    );
    cleanups.push(() => exporter.shutdown());
    const inFlight = await exportBatch(exporter, endedSpans('in flight'));
    const later = await exportBatch(exporter, endedSpans('later'));
    return { inFlight, later, failures };
  };

  it('when the thread cannot start: fails the batch in flight, says so once, and exports later batches from the main thread', async () => {
    const fallback = new InMemorySpanExporter();

    const { inFlight, later, failures } = await exportWithoutThread(() => fallback);

    expect(inFlight.code).toBe(ExportResultCode.FAILED);
    expect(failures.map((error) => error.message)).toEqual(['the export thread could not start']);
    expect(later.code).toBe(ExportResultCode.SUCCESS);
    expect(fallback.getFinishedSpans().map((span) => span.name)).toEqual(['later']);
  });

  it('when the thread cannot start and no exporter can be built on the main thread either: fails the batches, and the application keeps running', async () => {
    const { inFlight, later, failures } = await exportWithoutThread(() => {
      throw new Error("Cannot find module '@opentelemetry/exporter-trace-otlp-proto'");
    });

    expect(inFlight.code).toBe(ExportResultCode.FAILED);
    expect(failures.map((error) => error.message)).toEqual(['the export thread could not start']);
    expect(later.code).toBe(ExportResultCode.FAILED);
    expect(later.error!.message).toContain('exporter-trace-otlp-proto');
  });

  it.each([
    ['shutdown-then-exit', 3],
    ['natural-end', undefined],
  ] as const)('a short-lived process (%s) ends on its own; shutdown() delivers its spans first', async (mode, spans) => {
    const collector = await startOtlpReceiver();
    cleanups.push(collector.close);

    const code = await runShortLivedService('otel', mode, { OTEL_EXPORTER_OTLP_ENDPOINT: collector.endpoint });

    expect(code).toBe(0);
    if (spans !== undefined) expect((await collector.waitFor(spans)).map((span) => span.name)).toEqual(['GET /', 'GET /', 'GET /']);
  });
});
