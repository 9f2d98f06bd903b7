/**
 * Where traces go.
 *
 * - `otel`: OpenTelemetry spans with X-Ray-format trace ids, exported over OTLP/HTTP (to ADOT or any collector).
 * - `xray`: X-Ray segment documents built with aws-xray-sdk-core and sent to the X-Ray daemon over UDP.
 * - `both`: one trace, recorded by both backends with the same trace and span ids (for migrations).
 * - `none`: no traces are recorded; trace ids are still created and propagated, metrics and logs still work.
 */
const TraceBackend = {
  OTEL: 'otel',
  XRAY: 'xray',
  BOTH: 'both',
  NONE: 'none',
} as const;

/** One of the {@link TraceBackend} values. */
type TraceBackend = (typeof TraceBackend)[keyof typeof TraceBackend];

/**
 * Trace-context formats, by their `OTEL_PROPAGATORS` names: read from incoming requests and written on outgoing
 * calls.
 *
 * - `tracecontext`: the W3C `traceparent` header (OpenTelemetry's default).
 * - `xray`: the `X-Amzn-Trace-Id` header (X-Ray SDKs, load balancers, API Gateway).
 * - `baggage`: the W3C `baggage` header: application key-value pairs (a tenant, a feature flag) that travel with the
 *   request, read with OpenTelemetry's `propagation.getActiveBaggage()` and set with `propagation.setBaggage()`.
 */
const Propagator = {
  TRACECONTEXT: 'tracecontext',
  XRAY: 'xray',
  BAGGAGE: 'baggage',
} as const;

/** One of the {@link Propagator} values. */
type Propagator = (typeof Propagator)[keyof typeof Propagator];

/** Log levels of the JSON logger, lowest first. */
const LogLevel = {
  DEBUG: 'debug',
  INFO: 'info',
  WARN: 'warn',
  ERROR: 'error',
} as const;

/** One of the {@link LogLevel} values. */
type LogLevel = (typeof LogLevel)[keyof typeof LogLevel];

/** Route label for requests that no Express route matched (404s); keeps the metric label set bounded. */
const UNMATCHED_ROUTE = '(unmatched)';

/** Route label used once the route cardinality limit is reached. */
const OVERFLOW_ROUTE = '(other)';

/** @internal Header names, lower case as node:http delivers them. */
const XRAY_HEADER = 'x-amzn-trace-id';
/** @internal */
const TRACEPARENT_HEADER = 'traceparent';
/** @internal */
const BAGGAGE_HEADER = 'baggage';

export { TraceBackend, Propagator, LogLevel, UNMATCHED_ROUTE, OVERFLOW_ROUTE, XRAY_HEADER, TRACEPARENT_HEADER, BAGGAGE_HEADER };
