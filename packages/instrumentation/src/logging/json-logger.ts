import { createWriteStream } from 'node:fs';
import { LogLevel } from '../constants.js';
import type { JsonLogger, LogDestination, LogFields } from '../types.js';

/** @internal The ids a log line is stamped with, when a request is being traced. */
interface LogTraceIds {
  readonly traceId: string;
  readonly spanId: string;
}

const LEVEL_ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** @internal A stream the logger writes to, and whether the logger owns it (and must end it on shutdown). */
interface LogSink {
  readonly stream: NodeJS.WritableStream;
  readonly owned: boolean;
}

/** @internal */
const openLogSink = (destination: LogDestination): LogSink => {
  if (destination === 'stdout') return { stream: process.stdout, owned: false };
  if (destination === 'stderr') return { stream: process.stderr, owned: false };
  if (typeof destination === 'string') return { stream: createWriteStream(destination, { flags: 'a' }), owned: true };
  return { stream: destination, owned: false };
};

const serializeValue = (_key: string, value: unknown): unknown =>
  value instanceof Error ? { name: value.name, message: value.message, stack: value.stack } : value;

/** Keys the logger writes itself; a caller's field of the same name is written as `field_<key>` instead. */
const OWN_KEYS = new Set(['time', 'level', 'service', 'message', 'xray_trace_id', 'trace_id', 'span_id']);

const addFields = (line: Record<string, unknown>, fields: LogFields): void => {
  for (const key of Object.keys(fields)) {
    line[OWN_KEYS.has(key) && Object.hasOwn(line, key) ? `field_${key}` : key] = fields[key];
  }
};

/**
 * @internal Creates the JSON logger. Each line: `time`, `level`, `service`, `message`, then the trace fields
 * (`xray_trace_id` in X-Ray format for CloudWatch/X-Ray, `trace_id` and `span_id` in OpenTelemetry hex), then
 * the caller's fields, which never replace the logger's own (an info line stays an info line).
 */
const createJsonLogger = (
  sink: LogSink,
  serviceName: string,
  minimumLevel: LogLevel,
  currentIds: () => LogTraceIds | undefined,
  baseFields: LogFields = {},
): JsonLogger => {
  const threshold = LEVEL_ORDER[minimumLevel];
  const write = (level: LogLevel, message: string, fields: LogFields | undefined): void => {
    if (LEVEL_ORDER[level] < threshold) return;
    const ids = currentIds();
    const line: Record<string, unknown> = { time: new Date().toISOString(), level, service: serviceName, message };
    if (ids) {
      line.xray_trace_id = `1-${ids.traceId.slice(0, 8)}-${ids.traceId.slice(8)}`;
      line.trace_id = ids.traceId;
      line.span_id = ids.spanId;
    }
    addFields(line, baseFields);
    if (fields) addFields(line, fields);
    try {
      sink.stream.write(`${JSON.stringify(line, serializeValue)}\n`);
    } catch {
      // A log line that cannot be serialised (a cycle) must not break the request that logs it.
      sink.stream.write(`${JSON.stringify({ time: line.time, level, service: serviceName, message, log_error: 'fields not serialisable' })}\n`);
    }
  };
  return {
    debug: (message, fields) => write(LogLevel.DEBUG, message, fields),
    info: (message, fields) => write(LogLevel.INFO, message, fields),
    warn: (message, fields) => write(LogLevel.WARN, message, fields),
    error: (message, fields) => write(LogLevel.ERROR, message, fields),
    child: (fields) => createJsonLogger(sink, serviceName, minimumLevel, currentIds, { ...baseFields, ...fields }),
  };
};

export { createJsonLogger, openLogSink };
export type { LogTraceIds, LogSink };
