export { createTelemetry } from './create-telemetry.js';
export { Telemetry } from './telemetry.js';
export { TraceBackend, Propagator, LogLevel, UNMATCHED_ROUTE, OVERFLOW_ROUTE } from './constants.js';
export { InstrumentationError, TelemetryConfigurationError } from './errors.js';
export { toXRayTraceId, fromXRayTraceId } from './xray-trace-id.js';
export { DAEMON_PROTOCOL_HEADER } from './tracing/xray-daemon-emitter.js';
export type {
  AnnotationValue,
  ExpressLikeErrorMiddleware,
  ExpressLikeMiddleware,
  ExpressLikeRequest,
  HttpHandlerOptions,
  HttpRequestListener,
  JsonLogger,
  LogDestination,
  LogFields,
  MetricsHandlerOptions,
  RouteResolver,
  TelemetryOptions,
} from './types.js';
