/**
 * ho11y ("howl-y"): a synthetic signal generator that emits logs, metrics and traces, ported from
 * the Go original of aws-o11y-recipes. Run it with `npx @eks-o11y/ho11y`; the cdk8s chart is in
 * `@eks-o11y/ho11y/k8s`.
 * @module
 */
export { loadConfig, deriveOtlpBaseUrl, LogDestination, MAX_DOWNSTREAMS, DEFAULT_PORT, DEFAULT_SERVICE_NAME } from './config.js';
export type { Ho11yConfig, ConfiguredDownstream } from './config.js';
export { parseDataSize } from './data-size.js';
export { parseGoDuration } from './go-duration.js';
export { parseDownstream, MAX_DUMMY_DURATION_MS } from './downstream-spec.js';
export type { DownstreamSpec, UrlDownstream, DummyDownstream } from './downstream-spec.js';
export { Ho11yError, Ho11yConfigError, Ho11yParseError } from './errors.js';
export { FailureInjector, INJECTED_FAILURE_CODES } from './failure-injection.js';
export type { InjectedFailureCode, RandomSource } from './failure-injection.js';
export { Ho11yLogger, LogLevel, formatRfc3339Local } from './logger.js';
export type { LogSink, LogFieldValue, Ho11yLoggerOptions } from './logger.js';
export { Ho11yMetrics, HO11Y_METRICS, RANDOM_SAMPLE_PERIOD_MS, createOpenMetricsRegistry } from './metrics.js';
export type { Ho11yMetricsOptions } from './metrics.js';
export { negotiateFormat, renderMetrics, createMetricsHandler, ExpositionFormat, PROMETHEUS_TEXT, OPENMETRICS_TEXT } from './metrics-endpoint.js';
export { Throttle, THROTTLE_PERIOD_MS } from './throttle.js';
export type { ThrottleDecision } from './throttle.js';
export { Ho11yServer, startHo11y, DEFAULT_SHUTDOWN_GRACE_MS } from './server.js';
export type { Ho11yServerOptions } from './server.js';
export { DownstreamInvoker } from './downstream-invoker.js';
export type { DownstreamInvokerOptions } from './downstream-invoker.js';
export { createHo11yTelemetry, UNTRACED_PATHS } from './instrumentation-telemetry.js';
export type { Ho11yTelemetry, Ho11yTelemetryOptions, RequestListener } from './telemetry.js';
