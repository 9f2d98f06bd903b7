import type { IncomingMessage, ServerResponse } from 'node:http';
import type { OpenMetricsContentType, Registry } from 'prom-client';

/** A node:http request listener. */
type RequestListener = (request: IncomingMessage, response: ServerResponse) => unknown;

/**
 * What ho11y needs from its tracing layer; the one seam between ho11y and
 * `@eks-o11y/instrumentation` (see `createHo11yTelemetry` in `instrumentation-telemetry.ts`).
 */
interface Ho11yTelemetry {
  /**
   * Wraps the request listener: one server span per request named by its route, the incoming
   * `X-Amzn-Trace-Id`/`traceparent` continued, the trace context active while the listener runs.
   */
  wrap(listener: RequestListener, route: (request: IncomingMessage) => string): RequestListener;
  /** `fetch` that records a client span and propagates the trace context (`X-Amzn-Trace-Id`, `traceparent`). */
  readonly fetch: typeof globalThis.fetch;
  /** The current trace id in X-Ray format (`1-xxxxxxxx-yyyyyyyyyyyyyyyyyyyyyyyy`), if a request is being served. */
  currentTraceId(): string | undefined;
  /** Flushes pending spans and releases exporters. */
  shutdown(): Promise<void>;
}

/** What the telemetry factory receives from ho11y. */
interface Ho11yTelemetryOptions {
  /** OTel `service.name` (`OTEL_RESOURCE_ATTRIB`). */
  readonly serviceName: string;
  /** OTLP/HTTP base URL; undefined records no spans but still creates and propagates X-Ray trace ids. */
  readonly otlpBaseUrl: string | undefined;
  /** The registry ho11y serves on `/metrics`; the HTTP RED metrics land there too. */
  readonly registry: Registry | Registry<OpenMetricsContentType>;
  /** Where the instrumentation's own diagnostics go (ho11y's log destination). */
  readonly logDestination: NodeJS.WritableStream;
}

export type { Ho11yTelemetry, Ho11yTelemetryOptions, RequestListener };
