import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { JsonTraceSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';

/** @internal Settings of {@link OtlpFetchSpanExporter}. */
interface OtlpFetchSpanExporterSettings {
  /** The traces endpoint, `http://collector:4318/v1/traces`. */
  readonly url: string;
  readonly protocol: 'http/protobuf' | 'http/json';
  readonly headers: Readonly<Record<string, string>>;
  /** Budget of one export, retries included. */
  readonly timeoutMillis: number;
}

/** OTLP/HTTP's retryable answers. */
const RETRYABLE_STATUS = new Set([429, 502, 503, 504]);
/** Attempts and backoff of OpenTelemetry's own exporters: 1 s, x1.5, at most 5 s, +-20 % jitter. */
const MAX_ATTEMPTS = 5;
const FIRST_BACKOFF_MILLIS = 1000;
const MAX_BACKOFF_MILLIS = 5000;
/** Exports waiting at once: a collector that hangs must not collect an unbounded number of batches. */
const MAX_IN_FLIGHT = 30;

/** A failed attempt, and whether (and when) to try again. */
class OtlpAttemptError extends Error {
  public readonly retryable: boolean;
  public readonly retryAfterMillis: number | undefined;

  public constructor(message: string, retryable: boolean, retryAfterMillis?: number, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'OtlpExportError';
    this.retryable = retryable;
    this.retryAfterMillis = retryAfterMillis;
  }
}

/** `Retry-After` (seconds or an HTTP date) in milliseconds from now. */
const retryAfterMillis = (header: string | null): number | undefined => {
  if (header === null || header.trim() === '') return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
};

/**
 * @internal OTLP/HTTP span exporter (protobuf or JSON) on `fetch`, retrying like OpenTelemetry's exporters
 * (429, 502, 503, 504 and network errors; `Retry-After` honoured; everything within the export timeout).
 *
 * Why not `@opentelemetry/exporter-trace-otlp-*`: they send with the `node:http` client, whose requests share
 * `IncomingMessage`, `OutgoingMessage` and the HTTP parser with the application's server. Profiles of a sampled
 * Express server showed its own request path running slower once those were also used for export, even at one
 * export a second; `fetch` (undici) has a client stack of its own (docs/benchmarks/instrumentation.md).
 */
class OtlpFetchSpanExporter implements SpanExporter {
  readonly #settings: OtlpFetchSpanExporterSettings;
  readonly #serializer: typeof ProtobufTraceSerializer | typeof JsonTraceSerializer;
  readonly #headers: Record<string, string>;
  readonly #inFlight = new Set<Promise<void>>();
  #shutdown = false;

  /** @throws when `settings.url` is not an http(s) URL. */
  public constructor(settings: OtlpFetchSpanExporterSettings) {
    const { protocol } = new URL(settings.url);
    if (protocol !== 'http:' && protocol !== 'https:') throw new Error(`OTLP/HTTP needs an http:// or https:// URL, not ${settings.url}`);
    this.#settings = settings;
    const json = settings.protocol === 'http/json';
    this.#serializer = json ? JsonTraceSerializer : ProtobufTraceSerializer;
    this.#headers = { ...settings.headers, 'content-type': json ? 'application/json' : 'application/x-protobuf' };
  }

  public export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
    const fail = (message: string): void => resultCallback({ code: ExportResultCode.FAILED, error: new Error(message) });
    if (this.#shutdown) return fail('The OTLP exporter is shut down.');
    if (this.#inFlight.size >= MAX_IN_FLIGHT) return fail(`${MAX_IN_FLIGHT} exports to ${this.#settings.url} are still waiting; this batch is dropped.`);
    const body = this.#serializer.serializeRequest(spans);
    if (body === undefined) return fail('The spans could not be serialised to OTLP.');
    const sending = this.#send(body).then(
      () => resultCallback({ code: ExportResultCode.SUCCESS }),
      (error: unknown) => resultCallback({ code: ExportResultCode.FAILED, error: error instanceof Error ? error : new Error(String(error)) }),
    );
    this.#inFlight.add(sending);
    void sending.finally(() => this.#inFlight.delete(sending));
  }

  /** Waits for the exports in flight (each ends within the export timeout). */
  public async forceFlush(): Promise<void> {
    await Promise.all(this.#inFlight);
  }

  public async shutdown(): Promise<void> {
    this.#shutdown = true;
    await this.forceFlush();
  }

  async #send(body: Uint8Array): Promise<void> {
    const deadline = Date.now() + this.#settings.timeoutMillis;
    let backoff = FIRST_BACKOFF_MILLIS;
    for (let attempt = 1; ; attempt += 1) {
      try {
        await this.#post(body, deadline - Date.now());
        return;
      } catch (error) {
        if (!(error instanceof OtlpAttemptError) || !error.retryable || attempt === MAX_ATTEMPTS) throw error;
        const wait = error.retryAfterMillis ?? Math.min(backoff, MAX_BACKOFF_MILLIS) * (0.8 + 0.4 * Math.random());
        backoff *= 1.5;
        if (wait >= deadline - Date.now()) throw error;
        await new Promise((resolve) => setTimeout(resolve, wait).unref());
      }
    }
  }

  async #post(body: Uint8Array, timeoutMillis: number): Promise<void> {
    const { url } = this.#settings;
    let response: Response;
    try {
      response = await fetch(url, { method: 'POST', headers: this.#headers, body, signal: AbortSignal.timeout(Math.max(1, timeoutMillis)) });
    } catch (error) {
      const timedOut = error instanceof DOMException && error.name === 'TimeoutError';
      if (timedOut) throw new OtlpAttemptError(`${url} did not answer within the export timeout (otlpTimeoutMillis).`, false, undefined, error);
      throw new OtlpAttemptError(`The OTLP request to ${url} failed: ${(error as Error).cause ?? (error as Error).message}`, true, undefined, error);
    }
    // Read the body either way, so the connection can be reused.
    const text = await response.text().catch(() => '');
    if (response.ok) return;
    throw new OtlpAttemptError(
      `${url} answered HTTP ${response.status}${text ? `: ${text.slice(0, 200)}` : ''}`,
      RETRYABLE_STATUS.has(response.status),
      retryAfterMillis(response.headers.get('retry-after')),
    );
  }
}

export { OtlpFetchSpanExporter };
export type { OtlpFetchSpanExporterSettings };
