import { createTelemetry, TraceBackend } from '@eks-o11y/instrumentation';
import type { Registry } from 'prom-client';
import type { Ho11yTelemetry, Ho11yTelemetryOptions } from './telemetry.js';

/** Paths that are neither traced nor counted in the HTTP RED metrics: scrapes and probes. */
const UNTRACED_PATHS = ['/metrics', '/healthz'] as const;

/**
 * ho11y's tracing, built on `@eks-o11y/instrumentation`: OpenTelemetry spans with X-Ray-format trace
 * ids, exported over OTLP/HTTP to `otlpBaseUrl` when it is set (backend `otel`); without it, trace ids
 * are still created and propagated (backend `none`). Incoming `X-Amzn-Trace-Id` and `traceparent`
 * are honoured and outgoing calls carry both. The HTTP RED metrics land in ho11y's registry.
 *
 * @example
 * ```ts
 * const config = loadConfig();
 * const metrics = new Ho11yMetrics();
 * const telemetry = createHo11yTelemetry({
 *   serviceName: config.serviceName,
 *   otlpBaseUrl: config.otlpBaseUrl,
 *   registry: metrics.registry,
 *   logDestination: process.stderr,
 * });
 * ```
 */
function createHo11yTelemetry(options: Ho11yTelemetryOptions): Ho11yTelemetry {
  const telemetry = createTelemetry({
    serviceName: options.serviceName,
    backend: options.otlpBaseUrl === undefined ? TraceBackend.NONE : TraceBackend.OTEL,
    ...(options.otlpBaseUrl === undefined ? {} : { otlpEndpoint: options.otlpBaseUrl }),
    registry: options.registry as unknown as Registry,
    ignorePaths: [...UNTRACED_PATHS],
    logDestination: options.logDestination,
    // A demo of traces: every response names its trace, so a curl leads straight to it.
    traceIdResponseHeader: true,
  });
  return {
    wrap: (listener, route) => telemetry.httpHandler(listener, { route }),
    fetch: telemetry.fetch as typeof globalThis.fetch,
    currentTraceId: () => telemetry.currentTraceId(),
    shutdown: () => telemetry.shutdown(),
  };
}

export { createHo11yTelemetry, UNTRACED_PATHS };
