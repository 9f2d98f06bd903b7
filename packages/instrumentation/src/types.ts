import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Registry } from 'prom-client';
import type { LogLevel, Propagator, TraceBackend } from './constants.js';

/** Where the JSON logger writes: `'stdout'`, `'stderr'`, a file path (appended to), or any writable stream. */
type LogDestination = 'stdout' | 'stderr' | string | NodeJS.WritableStream;

/** Options of {@link createTelemetry}. Every option has an environment-variable fallback where one is standard. */
interface TelemetryOptions {
  /**
   * Service name: the X-Ray segment name, the OpenTelemetry `service.name` and the `service` field of log lines.
   * @default - `OTEL_SERVICE_NAME`, then `AWS_XRAY_TRACING_NAME`; one of the three is required
   */
  readonly serviceName?: string;
  /**
   * Trace backend.
   * @default - `EKS_O11Y_TRACE_BACKEND` if set; otherwise `both` when `AWS_XRAY_DAEMON_ADDRESS` and an OTLP
   * endpoint variable are set, `xray` when only `AWS_XRAY_DAEMON_ADDRESS` is set, else `otel`
   */
  readonly backend?: TraceBackend;
  /**
   * OTLP/HTTP base endpoint; spans are posted to `<endpoint>/v1/traces`.
   * @default - `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` (used as is), then `OTEL_EXPORTER_OTLP_ENDPOINT`,
   * then `http://localhost:4318`
   */
  readonly otlpEndpoint?: string;
  /**
   * OTLP/HTTP encoding. Protobuf is OpenTelemetry's default and about half the CPU and a third of the bytes of JSON.
   * @default - `OTEL_EXPORTER_OTLP_TRACES_PROTOCOL`, then `OTEL_EXPORTER_OTLP_PROTOCOL`, then 'http/protobuf'
   * ('grpc' is not supported: it falls back to 'http/protobuf' with a warning)
   */
  readonly otlpProtocol?: 'http/protobuf' | 'http/json';
  /** Extra HTTP headers for the OTLP exporter (authentication for a collector behind a gateway). */
  readonly otlpHeaders?: Readonly<Record<string, string>>;
  /**
   * X-Ray daemon address, `host:port` or `udp:host:port tcp:host:port` (the X-Ray SDK format).
   * @default - `AWS_XRAY_DAEMON_ADDRESS`, then `127.0.0.1:2000`
   */
  readonly xrayDaemonAddress?: string;
  /** Extra OpenTelemetry resource attributes (merged over `OTEL_RESOURCE_ATTRIBUTES`). */
  readonly resourceAttributes?: Readonly<Record<string, string>>;
  /**
   * Share of new traces to record, 0 to 1. A request that arrives with a sampling decision keeps it.
   * @default - `OTEL_TRACES_SAMPLER_ARG` if set, else 1 (record every trace)
   */
  readonly sampleRatio?: number;
  /**
   * New traces recorded per second before `sampleRatio` applies: the X-Ray sampling rule's "reservoir".
   * `{ sampleReservoirPerSecond: 1, sampleRatio: 0.05 }` is X-Ray's default rule (1 request a second, then 5 %),
   * the production setting for busy services; the default records every request.
   * @default 0
   */
  readonly sampleReservoirPerSecond?: number;
  /**
   * Context headers read from incoming requests and sent on outgoing calls. When both trace headers are read, a valid
   * `traceparent` wins over `X-Amzn-Trace-Id`. Without a trace header every request starts a new trace; an empty list
   * reads and sends nothing.
   * @default - from `OTEL_PROPAGATORS` if it is set (`tracecontext`, `xray`, `xray-lambda`, `baggage` and `none` are
   * understood; names this package does not propagate, such as `b3`, are left out with one warning), else all three
   * (`tracecontext`, `xray` and `baggage`, as in the ADOT Lambda layer and Application Signals)
   */
  readonly propagators?: readonly Propagator[];
  /**
   * prom-client registry that receives the RED metrics and that {@link Telemetry.metricsHandler} serves.
   * @default - a new `Registry`
   */
  readonly registry?: Registry;
  /**
   * Prefix of the RED metric names (`<prefix>http_server_requests_total`, ...).
   * @default ''
   */
  readonly metricPrefix?: string;
  /**
   * Buckets of the latency histogram, in seconds.
   * @default [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]
   */
  readonly latencyBuckets?: readonly number[];
  /**
   * Most distinct route labels kept; further routes are counted as `(other)` so a path with ids in it
   * cannot blow up the metric cardinality. A warning is logged once when the limit is reached.
   * @default 200
   */
  readonly maxRoutes?: number;
  /**
   * Paths (exact match, query string ignored) that are neither traced nor counted: scrapes and probes.
   * @default ['/metrics']
   */
  readonly ignorePaths?: readonly string[];
  /**
   * Add `X-Amzn-Trace-Id: Root=<trace id>` to every response so callers can find the trace. Off by default, as in
   * the X-Ray SDK and OpenTelemetry: it shows internal ids to every client and costs a few percent of a small
   * request. A caller that sends `X-Amzn-Trace-Id: …;Sampled=?` is always answered with `Root=…;Sampled=1|0`.
   * @default false
   */
  readonly traceIdResponseHeader?: boolean;
  /**
   * Where log lines go (the logger and the package's own diagnostics).
   * @default 'stdout'
   */
  readonly logDestination?: LogDestination;
  /**
   * Lowest level the logger writes.
   * @default - `LOG_LEVEL` if it names a level, else 'info'
   */
  readonly logLevel?: LogLevel;
  /**
   * How long one OTLP export may take, retries included, in milliseconds. Bounds how long `shutdown()` waits
   * for an unreachable collector.
   * @default - `OTEL_EXPORTER_OTLP_TRACES_TIMEOUT`, then `OTEL_EXPORTER_OTLP_TIMEOUT`, then 10000
   */
  readonly otlpTimeoutMillis?: number;
  /**
   * Delay between span batches sent over OTLP, in milliseconds.
   * @default 1000
   */
  readonly otlpExportIntervalMillis?: number;
}

/** Resolves the route label of a request handled by {@link Telemetry.httpHandler}. */
type RouteResolver = string | ((req: IncomingMessage) => string);

/** Options of {@link Telemetry.httpHandler}. */
interface HttpHandlerOptions {
  /**
   * Route label and span name part (`/users/:id`). Set it for paths that carry ids.
   * @default - the request path without its query string (bounded by `maxRoutes`)
   */
  readonly route?: RouteResolver;
}

/** A node:http request listener, as passed to `http.createServer`. */
type HttpRequestListener = (req: IncomingMessage, res: ServerResponse) => unknown;

/** Structural type of an Express 5 request: what the middleware reads, without importing Express. */
interface ExpressLikeRequest extends IncomingMessage {
  baseUrl?: string;
  route?: { path?: unknown };
}

/** Express-compatible middleware, `(req, res, next)`. */
type ExpressLikeMiddleware = (req: ExpressLikeRequest, res: ServerResponse, next: (err?: unknown) => void) => void;

/** Express-compatible error middleware, `(err, req, res, next)`. */
type ExpressLikeErrorMiddleware = (
  err: unknown,
  req: ExpressLikeRequest,
  res: ServerResponse,
  next: (err?: unknown) => void,
) => void;

/** Options of {@link Telemetry.metricsHandler}. */
interface MetricsHandlerOptions {
  /**
   * Serve OpenMetrics (with exemplars) when the scraper's Accept header asks for `application/openmetrics-text`.
   * When false, always serve the Prometheus text format.
   * @default true
   */
  readonly openMetrics?: boolean;
}

/**
 * Extra fields of a log line. `Error` values are written as `{ name, message, stack }`. A field named like one the
 * logger writes (`time`, `level`, `service`, `message`, and the trace ids inside a request) is written as
 * `field_<name>`, so it can neither change a line's level nor be lost.
 */
type LogFields = Readonly<Record<string, unknown>>;

/** The JSON logger: one line per call, stamped with the current trace id. */
interface JsonLogger {
  /** Writes a `debug` line (dropped unless the level is `debug`). */
  debug(message: string, fields?: LogFields): void;
  /** Writes an `info` line. */
  info(message: string, fields?: LogFields): void;
  /** Writes a `warn` line. */
  warn(message: string, fields?: LogFields): void;
  /** Writes an `error` line; pass the error as a field (`{ error }`) to get its name, message and stack. */
  error(message: string, fields?: LogFields): void;
  /** A logger that adds `fields` to every line. */
  child(fields: LogFields): JsonLogger;
}

/** Value accepted by {@link Telemetry.annotate}: X-Ray indexes strings, numbers and booleans. */
type AnnotationValue = string | number | boolean;

export type {
  LogDestination,
  TelemetryOptions,
  RouteResolver,
  HttpHandlerOptions,
  HttpRequestListener,
  ExpressLikeRequest,
  ExpressLikeMiddleware,
  ExpressLikeErrorMiddleware,
  MetricsHandlerOptions,
  LogFields,
  JsonLogger,
  AnnotationValue,
};
