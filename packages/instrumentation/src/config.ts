import type { Registry } from 'prom-client';
import { LogLevel, Propagator, TraceBackend } from './constants.js';
import { TelemetryConfigurationError } from './errors.js';
import type { LogDestination, TelemetryOptions } from './types.js';

/** @internal Every option with its default applied; the one place that reads environment variables. */
interface ResolvedTelemetryConfig {
  readonly serviceName: string;
  readonly backend: TraceBackend;
  readonly otlpTracesUrl: string;
  readonly otlpProtocol: 'http/protobuf' | 'http/json';
  readonly otlpHeaders: Readonly<Record<string, string>>;
  readonly xrayDaemonAddress: string;
  readonly resourceAttributes: Readonly<Record<string, string>>;
  readonly sampleRatio: number;
  readonly sampleReservoirPerSecond: number;
  readonly propagators: PropagatorSet;
  readonly registry: Registry | undefined;
  readonly metricPrefix: string;
  readonly latencyBuckets: readonly number[];
  readonly maxRoutes: number;
  readonly ignorePaths: ReadonlySet<string>;
  readonly traceIdResponseHeader: boolean;
  readonly logDestination: LogDestination;
  readonly logLevel: LogLevel;
  readonly otlpExportIntervalMillis: number;
  readonly otlpTimeoutMillis: number;
  /** Settings that were unusable and replaced by a default: reported once at startup, never thrown. */
  readonly warnings: readonly string[];
}

/** @internal Which context headers are read and sent. */
interface PropagatorSet {
  readonly tracecontext: boolean;
  readonly xray: boolean;
  readonly baggage: boolean;
}

const PROPAGATORS: readonly string[] = Object.values(Propagator);

const DEFAULT_LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] as const;
const DEFAULT_OTLP_ENDPOINT = 'http://localhost:4318';
const DEFAULT_XRAY_DAEMON_ADDRESS = '127.0.0.1:2000';
const BACKENDS: readonly string[] = Object.values(TraceBackend);
const LEVELS: readonly string[] = Object.values(LogLevel);

type Env = Readonly<Record<string, string | undefined>>;

const nonEmpty = (value: string | undefined): string | undefined =>
  value !== undefined && value.trim() !== '' ? value.trim() : undefined;

/** Parses `OTEL_RESOURCE_ATTRIBUTES` (`k=v,k2=v2`, values percent-encoded). */
const parseResourceAttributes = (raw: string | undefined): Record<string, string> => {
  const attributes: Record<string, string> = {};
  if (!raw) return attributes;
  for (const pair of raw.split(',')) {
    const eq = pair.indexOf('=');
    if (eq <= 0) {
      throw new TelemetryConfigurationError(
        'OTEL_RESOURCE_ATTRIBUTES',
        `"${pair}" is not a key=value pair; write it as "key1=value1,key2=value2".`,
      );
    }
    attributes[pair.slice(0, eq).trim()] = decodeURIComponent(pair.slice(eq + 1).trim());
  }
  return attributes;
};

const resolveBackend = (option: TraceBackend | undefined, env: Env): TraceBackend => {
  const fromEnv = nonEmpty(env.EKS_O11Y_TRACE_BACKEND);
  const chosen = option ?? fromEnv;
  if (chosen !== undefined) {
    if (!BACKENDS.includes(chosen)) {
      throw new TelemetryConfigurationError(
        option !== undefined ? 'backend' : 'EKS_O11Y_TRACE_BACKEND',
        `"${chosen}" is not a trace backend; use one of ${BACKENDS.join(', ')}.`,
      );
    }
    return chosen as TraceBackend;
  }
  const hasOtlp = nonEmpty(env.OTEL_EXPORTER_OTLP_ENDPOINT) ?? nonEmpty(env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT);
  const hasDaemon = nonEmpty(env.AWS_XRAY_DAEMON_ADDRESS);
  if (hasDaemon && hasOtlp) return TraceBackend.BOTH;
  if (hasDaemon) return TraceBackend.XRAY;
  return TraceBackend.OTEL;
};

const resolveOtlpTracesUrl = (option: string | undefined, env: Env): string => {
  const base = nonEmpty(option);
  if (base) return `${base.replace(/\/+$/, '')}/v1/traces`;
  const signal = nonEmpty(env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT);
  if (signal) return signal;
  const general = nonEmpty(env.OTEL_EXPORTER_OTLP_ENDPOINT) ?? DEFAULT_OTLP_ENDPOINT;
  return `${general.replace(/\/+$/, '')}/v1/traces`;
};

/**
 * OpenTelemetry's switches that turn trace export off: `OTEL_SDK_DISABLED=true` and `OTEL_TRACES_EXPORTER=none`. They
 * take the OpenTelemetry backend away (`otel` becomes `none`, `both` becomes `xray`), even one chosen in code: they are
 * the operator's switch. An exporter other than `otlp` is reported, and spans still go over OTLP.
 */
const withoutDisabledOtel = (backend: TraceBackend, env: Env, warnings: string[]): TraceBackend => {
  const exporters = (nonEmpty(env.OTEL_TRACES_EXPORTER) ?? 'otlp').split(',').map((name) => name.trim().toLowerCase());
  const disabled = nonEmpty(env.OTEL_SDK_DISABLED)?.toLowerCase() === 'true' || exporters.includes('none');
  const unsupported = exporters.filter((name) => name !== 'otlp' && name !== 'none');
  if (unsupported.length > 0 && !disabled) {
    warnings.push(`OTEL_TRACES_EXPORTER names ${unsupported.join(', ')}; @eks-o11y/instrumentation exports spans over OTLP only, and does.`);
  }
  if (!disabled) return backend;
  if (backend === TraceBackend.OTEL) return TraceBackend.NONE;
  if (backend === TraceBackend.BOTH) return TraceBackend.XRAY;
  return backend;
};

/** `OTEL_TRACES_SAMPLER` values and the share of new traces each records (`undefined`: the one in `OTEL_TRACES_SAMPLER_ARG`). */
const SAMPLERS: Readonly<Record<string, number | undefined>> = {
  always_on: 1,
  parentbased_always_on: 1,
  always_off: 0,
  parentbased_always_off: 0,
  traceidratio: undefined,
  parentbased_traceidratio: undefined,
};

/** X-Ray's default sampling rule: the first request each second, then 5 % of the rest. */
const XRAY_DEFAULT_RULE = { sampleRatio: 0.05, sampleReservoirPerSecond: 1 } as const;

interface Sampling {
  readonly sampleRatio: number;
  readonly sampleReservoirPerSecond: number;
}

/**
 * `sampleRatio` and `sampleReservoirPerSecond`, else `OTEL_TRACES_SAMPLER` and its `OTEL_TRACES_SAMPLER_ARG` (read as
 * a ratio only for the ratio samplers, or with no sampler named). ADOT's `xray` sampler (remote rules, its argument an
 * endpoint) becomes X-Ray's default rule; other samplers record every trace. Both are reported once.
 */
const resolveSampling = (options: TelemetryOptions, env: Env, warnings: string[]): Sampling => {
  const sampler = nonEmpty(env.OTEL_TRACES_SAMPLER)?.toLowerCase();
  const known = sampler === undefined || sampler in SAMPLERS;
  const fromEnv = options.sampleRatio === undefined && options.sampleReservoirPerSecond === undefined;
  if (!known && fromEnv) {
    const instead = sampler === 'xray' ? "X-Ray's default rule instead (the first request a second, then 5 %)" : 'every trace instead';
    warnings.push(
      `OTEL_TRACES_SAMPLER "${sampler}" is not supported; @eks-o11y/instrumentation records ${instead}. ` +
        `Use one of ${Object.keys(SAMPLERS).join(', ')}, or the sampleRatio and sampleReservoirPerSecond options.`,
    );
    if (sampler === 'xray') return XRAY_DEFAULT_RULE;
  }
  const fixed = known && sampler !== undefined ? SAMPLERS[sampler] : undefined;
  const argument = known && fixed === undefined ? nonEmpty(env.OTEL_TRACES_SAMPLER_ARG) : undefined;
  const raw = options.sampleRatio ?? fixed ?? (argument !== undefined ? Number(argument) : 1);
  if (!Number.isFinite(raw) || raw < 0 || raw > 1) {
    throw new TelemetryConfigurationError(
      options.sampleRatio !== undefined ? 'sampleRatio' : 'OTEL_TRACES_SAMPLER_ARG',
      `${String(options.sampleRatio ?? argument)} is not a ratio; use a number from 0 (no traces) to 1 (every trace).`,
    );
  }
  return { sampleRatio: raw, sampleReservoirPerSecond: nonNegativeInteger('sampleReservoirPerSecond', options.sampleReservoirPerSecond, 0) };
};

const propagatorSet = (names: readonly string[]): PropagatorSet => ({
  tracecontext: names.includes(Propagator.TRACECONTEXT),
  xray: names.includes(Propagator.XRAY),
  baggage: names.includes(Propagator.BAGGAGE),
});

/** `propagators`, else `OTEL_PROPAGATORS` (comma-separated, OpenTelemetry's names), else all of them. */
const resolvePropagators = (option: readonly string[] | undefined, env: Env, warnings: string[]): PropagatorSet => {
  if (option !== undefined) {
    const unknown = option.filter((name) => !PROPAGATORS.includes(name));
    if (unknown.length > 0) {
      throw new TelemetryConfigurationError(
        'propagators',
        `${unknown.map((name) => `"${name}"`).join(', ')} is not a propagator; use any of ${PROPAGATORS.map((name) => `'${name}'`).join(', ')}.`,
      );
    }
    return propagatorSet(option);
  }
  const raw = nonEmpty(env.OTEL_PROPAGATORS);
  if (raw === undefined) return propagatorSet(PROPAGATORS);
  // xray-lambda reads Lambda's _X_AMZN_TRACE_ID as well; outside Lambda it is the X-Ray header.
  const names = raw.split(',').map((name) => name.trim().toLowerCase()).map((name) => (name === 'xray-lambda' ? Propagator.XRAY : name));
  const ignored = names.filter((name) => name !== '' && name !== 'none' && !PROPAGATORS.includes(name));
  if (ignored.length > 0) {
    warnings.push(
      `OTEL_PROPAGATORS names ${ignored.join(', ')}, which @eks-o11y/instrumentation does not propagate; it reads and sends ` +
        `only ${PROPAGATORS.filter((name) => names.includes(name)).join(', ') || 'nothing (no other propagator is named)'}. ` +
        `It understands ${PROPAGATORS.join(', ')}, xray-lambda and none.`,
    );
  }
  return propagatorSet(names);
};

const resolveLogLevel = (option: LogLevel | undefined, env: Env): LogLevel => {
  if (option !== undefined) {
    if (!LEVELS.includes(option)) {
      throw new TelemetryConfigurationError('logLevel', `"${option}" is not a level; use one of ${LEVELS.join(', ')}.`);
    }
    return option;
  }
  const fromEnv = nonEmpty(env.LOG_LEVEL)?.toLowerCase();
  return fromEnv !== undefined && LEVELS.includes(fromEnv) ? (fromEnv as LogLevel) : LogLevel.INFO;
};

const envNumber = (value: string | undefined): number | undefined => (nonEmpty(value) === undefined ? undefined : Number(value));

const resolveOtlpProtocol = (
  option: string | undefined,
  env: Env,
  warnings: string[],
): 'http/protobuf' | 'http/json' => {
  const chosen = option ?? nonEmpty(env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL) ?? nonEmpty(env.OTEL_EXPORTER_OTLP_PROTOCOL) ?? 'http/protobuf';
  if (chosen === 'http/protobuf' || chosen === 'http/json') return chosen;
  if (option !== undefined) {
    throw new TelemetryConfigurationError('otlpProtocol', `"${option}" is not supported; use 'http/protobuf' or 'http/json'.`);
  }
  warnings.push(
    `OTLP protocol "${chosen}" (OTEL_EXPORTER_OTLP_PROTOCOL) is not supported by @eks-o11y/instrumentation; using http/protobuf ` +
      'on the OTLP/HTTP port (4318). Point OTEL_EXPORTER_OTLP_ENDPOINT at port 4318, not the gRPC port 4317.',
  );
  return 'http/protobuf';
};

const nonNegativeInteger = (setting: string, value: number | undefined, fallback: number): number => {
  const chosen = value ?? fallback;
  if (!Number.isInteger(chosen) || chosen < 0) {
    throw new TelemetryConfigurationError(setting, `${String(value)} must be a whole number, 0 or more.`);
  }
  return chosen;
};

const positiveInteger = (setting: string, value: number | undefined, fallback: number): number => {
  const chosen = value ?? fallback;
  if (!Number.isInteger(chosen) || chosen <= 0) {
    throw new TelemetryConfigurationError(setting, `${String(value)} must be a positive integer.`);
  }
  return chosen;
};

/**
 * @internal Applies defaults and environment fallbacks, and validates. Throws {@link TelemetryConfigurationError}
 * for values that cannot work; an unreachable collector or daemon is not a configuration error (fail-open).
 */
const resolveTelemetryConfig = (options: TelemetryOptions, env: Env = process.env): ResolvedTelemetryConfig => {
  const serviceName = nonEmpty(options.serviceName) ?? nonEmpty(env.OTEL_SERVICE_NAME) ?? nonEmpty(env.AWS_XRAY_TRACING_NAME);
  if (serviceName === undefined) {
    throw new TelemetryConfigurationError(
      'serviceName',
      'no service name; pass createTelemetry({ serviceName: "checkout" }) or set OTEL_SERVICE_NAME.',
    );
  }
  const latencyBuckets = options.latencyBuckets ?? DEFAULT_LATENCY_BUCKETS;
  if (latencyBuckets.length === 0 || latencyBuckets.some((b, i) => !(b > 0) || (i > 0 && b <= latencyBuckets[i - 1]!))) {
    throw new TelemetryConfigurationError('latencyBuckets', 'buckets must be positive numbers of seconds in increasing order.');
  }
  const warnings: string[] = [];
  return {
    serviceName,
    backend: withoutDisabledOtel(resolveBackend(options.backend, env), env, warnings),
    otlpTracesUrl: resolveOtlpTracesUrl(options.otlpEndpoint, env),
    otlpProtocol: resolveOtlpProtocol(options.otlpProtocol, env, warnings),
    otlpHeaders: { ...options.otlpHeaders },
    xrayDaemonAddress: nonEmpty(options.xrayDaemonAddress) ?? nonEmpty(env.AWS_XRAY_DAEMON_ADDRESS) ?? DEFAULT_XRAY_DAEMON_ADDRESS,
    resourceAttributes: { ...parseResourceAttributes(env.OTEL_RESOURCE_ATTRIBUTES), ...options.resourceAttributes },
    ...resolveSampling(options, env, warnings),
    propagators: resolvePropagators(options.propagators, env, warnings),
    registry: options.registry,
    metricPrefix: options.metricPrefix ?? '',
    latencyBuckets,
    maxRoutes: positiveInteger('maxRoutes', options.maxRoutes, 200),
    ignorePaths: new Set(options.ignorePaths ?? ['/metrics']),
    traceIdResponseHeader: options.traceIdResponseHeader ?? false,
    logDestination: options.logDestination ?? 'stdout',
    logLevel: resolveLogLevel(options.logLevel, env),
    otlpExportIntervalMillis: positiveInteger('otlpExportIntervalMillis', options.otlpExportIntervalMillis, 1000),
    otlpTimeoutMillis: positiveInteger(
      options.otlpTimeoutMillis !== undefined ? 'otlpTimeoutMillis' : 'OTEL_EXPORTER_OTLP_TIMEOUT',
      options.otlpTimeoutMillis ?? envNumber(env.OTEL_EXPORTER_OTLP_TRACES_TIMEOUT ?? env.OTEL_EXPORTER_OTLP_TIMEOUT),
      10_000,
    ),
    warnings,
  };
};

export { resolveTelemetryConfig, DEFAULT_LATENCY_BUCKETS };
export type { ResolvedTelemetryConfig, PropagatorSet };
