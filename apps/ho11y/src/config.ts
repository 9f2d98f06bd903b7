import { parseDownstream, type DownstreamSpec } from './downstream-spec.js';
import { Ho11yConfigError, Ho11yParseError } from './errors.js';
import { parseGoDuration } from './go-duration.js';

/** Where ho11y writes its JSON log lines. */
const LogDestination = { STDOUT: 'stdout', STDERR: 'stderr' } as const;
/** Where ho11y writes its JSON log lines. */
type LogDestination = (typeof LogDestination)[keyof typeof LogDestination];

/** How many `DOWNSTREAMn` variables ho11y reads (`DOWNSTREAM0`..`DOWNSTREAM4`). */
const MAX_DOWNSTREAMS = 5;
/** The port ho11y listens on when `HO11Y_PORT` is not set. */
const DEFAULT_PORT = 8765;
/** The OTel `service.name` when `OTEL_RESOURCE_ATTRIB` is not set. */
const DEFAULT_SERVICE_NAME = 'ho11y-svc';
/** How long one downstream call may take when `HO11Y_DOWNSTREAM_TIMEOUT` is not set. */
const DEFAULT_DOWNSTREAM_TIMEOUT = '30s';

/** A configured downstream with the index of its `DOWNSTREAMn` variable. */
interface ConfiguredDownstream {
  /** `n` of `DOWNSTREAMn`; gaps are allowed (only `DOWNSTREAM2` set is fine). */
  readonly index: number;
  /** The parsed value. */
  readonly spec: DownstreamSpec;
}

/** ho11y's settings, resolved from the environment once, at startup, by {@link loadConfig}. */
interface Ho11yConfig {
  /** TCP port to listen on; 0 picks a free port (`HO11Y_PORT` set but empty). @default 8765 */
  readonly port: number;
  /**
   * Interface to bind (`HO11Y_HOST`, an addition of this port). Unset binds every interface, as the
   * original's `":" + HO11Y_PORT` address did. @default - all interfaces
   */
  readonly host: string | undefined;
  /** `HO11Y_LOG_DEST=stdout` logs to stdout; unset or any other value logs to stderr. @default 'stderr' */
  readonly logDestination: LogDestination;
  /** `HO11Y_INJECT_FAILURE` non-empty: about 49% of `GET /` fail with 400, 403, 301, 404 or 501. @default false */
  readonly injectFailure: boolean;
  /** `DOWNSTREAM0`..`DOWNSTREAM4` in index order, empty ones skipped. @default [] */
  readonly downstreams: readonly ConfiguredDownstream[];
  /** `HO11Y_CUTOFF_TPS` as an integer; throttling is off when undefined. @default undefined */
  readonly cutoffTps: number | undefined;
  /**
   * The `HO11Y_CUTOFF_TPS` value when it is not an integer. Like the original, ho11y then logs
   * `Invalid cutoff TPS value provided` and runs without throttling. @default undefined
   */
  readonly invalidCutoffTps: string | undefined;
  /** `OTEL_EXPORTER_OTLP_ENDPOINT` as written. @default undefined */
  readonly otlpEndpoint: string | undefined;
  /**
   * The OTLP/HTTP base URL derived from `otlpEndpoint` (see {@link deriveOtlpBaseUrl}); spans are posted
   * to `<base>/v1/traces`. @default undefined: traces are not exported
   */
  readonly otlpBaseUrl: string | undefined;
  /** `OTEL_RESOURCE_ATTRIB`: the OTel `service.name` and the X-Ray service-map node. @default 'ho11y-svc' */
  readonly serviceName: string;
  /** False when `DISABLE_OM` is present (any value, even empty): `/metrics` then never serves OpenMetrics. @default true */
  readonly openMetrics: boolean;
  /** `HO11Y_DOWNSTREAM_TIMEOUT` (Go duration) in ms: the longest one URL downstream call may take. @default 30000 */
  readonly downstreamTimeoutMs: number;
}

/**
 * Derives the OTLP/HTTP base URL from `OTEL_EXPORTER_OTLP_ENDPOINT`; the exporter posts spans to
 * `<base>/v1/traces`.
 *
 * The Go original spoke OTLP/gRPC to a bare `host:port` (the blog's `adot:4317`); this port exports
 * OTLP/HTTP. A value with a scheme is an OTLP base URL as the OpenTelemetry specification defines it
 * (`http://adot:4318`, spans to `http://adot:4318/v1/traces`). A bare `host:port` keeps working: it
 * becomes `http://host:port`, with the well-known gRPC ports mapped to their HTTP twins
 * (4317 -> 4318, 55680 -> 55681) and a missing port defaulting to 4318.
 *
 * @param endpoint - the variable's value
 * @returns the base URL, or undefined for an empty value
 * @throws {@link Ho11yParseError} for a value that is not a URL or `host[:port]`
 */
function deriveOtlpBaseUrl(endpoint: string | undefined): string | undefined {
  const value = endpoint?.trim();
  if (!value) {
    return undefined;
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) {
    let base: URL;
    try {
      base = new URL(value);
    } catch (error) {
      throw new Ho11yParseError(`"${value}" is not a URL`, value, { cause: error });
    }
    if (base.protocol !== 'http:' && base.protocol !== 'https:') {
      throw new Ho11yParseError(`"${value}" uses ${base.protocol} ; OTLP/HTTP needs http: or https:`, value);
    }
    return value.replace(/\/+$/, '');
  }
  const match = /^(\[[0-9a-f:.]+\]|[A-Za-z0-9.-]+)(?::(\d{1,5}))?$/i.exec(value);
  if (!match) {
    throw new Ho11yParseError(`"${value}" is neither host:port (adot:4317) nor a URL (http://adot:4318)`, value);
  }
  const host = match[1] as string;
  const port = match[2] === undefined ? 4318 : Number(match[2]);
  const GRPC_TO_HTTP: Readonly<Record<number, number>> = { 4317: 4318, 55680: 55681 };
  return `http://${host}:${GRPC_TO_HTTP[port] ?? port}`;
}

/** Go's `strconv.Atoi`: optional sign, decimal digits, 64-bit range. */
function parseGoInt(value: string): number | undefined {
  if (!/^[+-]?\d+$/.test(value)) {
    return undefined;
  }
  const parsed = BigInt(value);
  return parsed >= -(2n ** 63n) && parsed < 2n ** 63n ? Number(parsed) : undefined;
}

/**
 * Reads every ho11y knob from the environment, once. Presence and emptiness follow the Go original
 * (`HO11Y_PORT`, `HO11Y_LOG_DEST` and `DISABLE_OM` count when set, even empty; `HO11Y_INJECT_FAILURE`
 * and `DOWNSTREAMn` only when non-empty). Every unusable value is reported at once.
 *
 * @example
 * ```ts
 * const config = loadConfig({ HO11Y_PORT: '8080', DOWNSTREAM0: 'DUMMY:13kB:2ms' });
 * config.port; // 8080
 * ```
 * @param env - the environment to read
 * @default env process.env
 * @throws {@link Ho11yConfigError} listing each bad variable, what is wrong and how to fix it
 */
function loadConfig(env: NodeJS.ProcessEnv = process.env): Ho11yConfig {
  const problems: string[] = [];

  let port = DEFAULT_PORT;
  const rawPort = env.HO11Y_PORT;
  if (rawPort !== undefined) {
    const parsed = rawPort === '' ? 0 : /^\d{1,5}$/.test(rawPort) ? Number(rawPort) : Number.NaN;
    if (Number.isInteger(parsed) && parsed >= 0 && parsed <= 65535) {
      port = parsed;
    } else {
      problems.push(
        `HO11Y_PORT="${rawPort}": ho11y listens on ":" + HO11Y_PORT, so it must be a port number from 0 to 65535 ` +
          '(empty picks a free port); to choose the interface, set HO11Y_HOST',
      );
    }
  }

  const host = env.HO11Y_HOST === undefined || env.HO11Y_HOST === '' ? undefined : env.HO11Y_HOST;

  const downstreams: ConfiguredDownstream[] = [];
  for (let index = 0; index < MAX_DOWNSTREAMS; index += 1) {
    const raw = env[`DOWNSTREAM${index}`];
    if (!raw) {
      continue;
    }
    try {
      downstreams.push({ index, spec: parseDownstream(raw) });
    } catch (error) {
      problems.push(`DOWNSTREAM${index}="${raw}": ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  const rawCutoff = env.HO11Y_CUTOFF_TPS;
  const cutoffTps = rawCutoff === undefined ? undefined : parseGoInt(rawCutoff);

  let otlpBaseUrl: string | undefined;
  try {
    otlpBaseUrl = deriveOtlpBaseUrl(env.OTEL_EXPORTER_OTLP_ENDPOINT);
  } catch (error) {
    problems.push(`OTEL_EXPORTER_OTLP_ENDPOINT="${env.OTEL_EXPORTER_OTLP_ENDPOINT}": ${(error as Error).message}`);
  }

  let downstreamTimeoutMs = 0;
  const rawTimeout = env.HO11Y_DOWNSTREAM_TIMEOUT || DEFAULT_DOWNSTREAM_TIMEOUT;
  try {
    downstreamTimeoutMs = Number(parseGoDuration(rawTimeout)) / 1e6;
    if (downstreamTimeoutMs <= 0) {
      problems.push(`HO11Y_DOWNSTREAM_TIMEOUT="${rawTimeout}": it must be positive, e.g. 10s`);
    }
  } catch (error) {
    problems.push(`HO11Y_DOWNSTREAM_TIMEOUT="${rawTimeout}": ${(error as Error).message}`);
  }

  if (problems.length > 0) {
    throw new Ho11yConfigError(problems);
  }
  return {
    port,
    host,
    logDestination: env.HO11Y_LOG_DEST === 'stdout' ? LogDestination.STDOUT : LogDestination.STDERR,
    injectFailure: Boolean(env.HO11Y_INJECT_FAILURE),
    downstreams,
    cutoffTps,
    invalidCutoffTps: rawCutoff !== undefined && cutoffTps === undefined ? rawCutoff : undefined,
    otlpEndpoint: env.OTEL_EXPORTER_OTLP_ENDPOINT || undefined,
    otlpBaseUrl,
    serviceName: env.OTEL_RESOURCE_ATTRIB || DEFAULT_SERVICE_NAME,
    openMetrics: env.DISABLE_OM === undefined,
    downstreamTimeoutMs,
  };
}

export { loadConfig, deriveOtlpBaseUrl, LogDestination, MAX_DOWNSTREAMS, DEFAULT_PORT, DEFAULT_SERVICE_NAME };
export type { Ho11yConfig, ConfiguredDownstream };
