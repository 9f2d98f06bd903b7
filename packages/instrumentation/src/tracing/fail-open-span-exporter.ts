import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';
import type { Diagnostics } from '../logging/diagnostics.js';

const PROBLEM = 'otlp-export';

/**
 * @internal Wraps the OTLP exporter so an unreachable or misconfigured collector is reported once (and its
 * recovery once), never per batch or per request, and an exporter that throws cannot reach the host.
 */
class FailOpenSpanExporter implements SpanExporter {
  readonly #inner: SpanExporter;
  readonly #diagnostics: Diagnostics;
  readonly #url: string;

  public constructor(inner: SpanExporter, diagnostics: Diagnostics, url: string) {
    this.#inner = inner;
    this.#diagnostics = diagnostics;
    this.#url = url;
  }

  public export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
    const onResult = (result: ExportResult): void => {
      if (result.code === ExportResultCode.SUCCESS) {
        this.#diagnostics.recovered(PROBLEM, `OTLP export to ${this.#url} works again.`);
      } else {
        this.#diagnostics.problem(
          PROBLEM,
          `OTLP export to ${this.#url} failed; spans are dropped until the collector answers (requests are not affected). ` +
            'Check OTEL_EXPORTER_OTLP_ENDPOINT and that the ADOT collector listens on OTLP/HTTP (port 4318).',
          result.error,
        );
      }
      resultCallback(result);
    };
    try {
      this.#inner.export(spans, onResult);
    } catch (error) {
      onResult({ code: ExportResultCode.FAILED, error: error instanceof Error ? error : new Error(String(error)) });
    }
  }

  public shutdown(): Promise<void> {
    return this.#inner.shutdown();
  }

  public forceFlush(): Promise<void> {
    return this.#inner.forceFlush?.() ?? Promise.resolve();
  }
}

export { FailOpenSpanExporter };
