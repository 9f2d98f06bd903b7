import type { Registry } from 'prom-client';
import { OVERFLOW_ROUTE } from '../constants.js';
import { TelemetryConfigurationError } from '../errors.js';
import type { Diagnostics } from '../logging/diagnostics.js';

/** @internal Label names of both RED metrics. */
const RED_LABELS = ['method', 'route', 'status_code'] as const;
type RedLabels = Record<(typeof RED_LABELS)[number], string | number>;

/** HTTP methods kept as label values; anything else is counted as `_OTHER` (OpenTelemetry's convention). */
const KNOWN_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE', 'PATCH']);

/** An exemplar in the shape prom-client's registry renders (`# {trace_id="…"} value timestamp`). */
interface Exemplar {
  labelSet: { trace_id: string };
  value: number;
  timestamp: number;
}

/** One label combination: its request count and latency histogram, kept as plain numbers. */
class Series {
  public readonly labels: RedLabels;
  public count = 0;
  public sum = 0;
  /** Non-cumulative counts per bucket; the last slot is `+Inf`. */
  public readonly buckets: Float64Array;
  public readonly exemplars: (Exemplar | undefined)[];
  public exemplarAt = 0;

  public constructor(labels: RedLabels, bucketCount: number) {
    this.labels = labels;
    this.buckets = new Float64Array(bucketCount + 1);
    this.exemplars = new Array<Exemplar | undefined>(bucketCount + 1);
  }
}

/** @internal The value object prom-client's `Registry` renders (`metric.get()`), in both text formats. */
interface MetricValue {
  labels: Record<string, string | number>;
  value: number;
  metricName?: string;
  exemplar?: Exemplar;
}

/** @internal What a prom-client `Registry` needs from a registered metric. */
interface RegistryMetric {
  name: string;
  readonly help: string;
  readonly type: 'counter' | 'histogram';
  readonly aggregator: 'sum';
  get(): Promise<{ name: string; help: string; type: string; aggregator: string; values: MetricValue[] }>;
  reset(): void;
}

/** @internal Settings of {@link RedMetrics}. */
interface RedMetricsSettings {
  readonly registry: Registry;
  readonly prefix: string;
  readonly buckets: readonly number[];
  readonly maxRoutes: number;
}

/**
 * Both RED metrics of one registry, sharing one store. Registered as prom-client metric objects, so the registry
 * renders them (Prometheus text, OpenMetrics with exemplars, JSON) like its own; the request path only adds to
 * plain numbers, without prom-client's per-call label hashing and validation.
 */
class RedStore {
  public readonly series = new Map<string, Series>();
  public readonly bounds: readonly number[];
  public readonly counter: RegistryMetric;
  public readonly histogram: RegistryMetric;

  public constructor(counterName: string, histogramName: string, bounds: readonly number[]) {
    this.bounds = bounds;
    const all = this.series;
    // prom-client renames counters while rendering OpenMetrics: read the name from the object, not a closure.
    const counter: RegistryMetric = {
      name: counterName,
      help: 'HTTP requests served, by method, route and status code.',
      type: 'counter',
      aggregator: 'sum',
      get: async () => ({
        name: counter.name,
        help: counter.help,
        type: counter.type,
        aggregator: counter.aggregator,
        values: [...all.values()].map((series) => ({ labels: series.labels, value: series.count })),
      }),
      reset: () => all.clear(),
    };
    const histogram: RegistryMetric = {
      name: histogramName,
      help: 'HTTP request duration in seconds, by method, route and status code; exemplars carry the trace id.',
      type: 'histogram',
      aggregator: 'sum',
      get: async () => {
        const values: MetricValue[] = [];
        for (const series of all.values()) {
          let cumulative = 0;
          for (let i = 0; i <= bounds.length; i += 1) {
            cumulative += series.buckets[i]!;
            values.push({
              labels: { le: i < bounds.length ? bounds[i]! : '+Inf', ...series.labels },
              value: cumulative,
              metricName: `${histogram.name}_bucket`,
              exemplar: series.exemplars[i],
            });
          }
          values.push({ labels: series.labels, value: series.sum, metricName: `${histogram.name}_sum` });
          values.push({ labels: series.labels, value: series.count, metricName: `${histogram.name}_count` });
        }
        return { name: histogram.name, help: histogram.help, type: histogram.type, aggregator: histogram.aggregator, values };
      },
      reset: () => all.clear(),
    };
    this.counter = counter;
    this.histogram = histogram;
  }
}

/**
 * @internal Rate, errors and duration of HTTP requests: `http_server_requests_total` by method, route and
 * status code, and `http_server_request_duration_seconds` with the same labels whose buckets carry the trace id
 * of a recent sampled request as an exemplar.
 */
class RedMetrics {
  readonly #store: RedStore;
  readonly #routes = new Set<string>();
  readonly #maxRoutes: number;
  readonly #diagnostics: Diagnostics;

  public constructor(settings: RedMetricsSettings, diagnostics: Diagnostics) {
    this.#maxRoutes = settings.maxRoutes;
    this.#diagnostics = diagnostics;
    const { registry, prefix } = settings;
    const counterName = `${prefix}http_server_requests_total`;
    const histogramName = `${prefix}http_server_request_duration_seconds`;
    // Two Telemetry objects may share a registry (tests, several servers in one process): they share the store.
    const existing = registry.getSingleMetric(counterName) as unknown as { store?: RedStore } | undefined;
    if (existing?.store instanceof RedStore) {
      this.#store = existing.store;
      return;
    }
    if (existing !== undefined || registry.getSingleMetric(histogramName) !== undefined) {
      throw new TelemetryConfigurationError(
        'registry',
        `the registry already has a metric named ${counterName} or ${histogramName} that is not ours; ` +
          'pass metricPrefix (for example "myapp_") so both can be served.',
      );
    }
    this.#store = new RedStore(counterName, histogramName, settings.buckets);
    Object.defineProperty(this.#store.counter, 'store', { value: this.#store });
    registry.registerMetric(this.#store.counter as never);
    registry.registerMetric(this.#store.histogram as never);
  }

  /**
   * Counts one request. `traceId` (X-Ray format) becomes its bucket's exemplar when the request was sampled; a
   * series takes a new exemplar at most once a second, more often than any scrape reads it.
   */
  public record(method: string, route: string, statusCode: number, seconds: number, traceId: string | undefined): void {
    const methodLabel = KNOWN_METHODS.has(method) ? method : '_OTHER';
    const routeLabel = this.#boundRoute(route);
    const key = `${methodLabel} ${routeLabel} ${statusCode}`;
    const store = this.#store;
    let series = store.series.get(key);
    if (series === undefined) {
      series = new Series({ method: methodLabel, route: routeLabel, status_code: statusCode }, store.bounds.length);
      store.series.set(key, series);
    }
    series.count += 1;
    series.sum += seconds;
    const { bounds } = store;
    let bucket = 0;
    while (bucket < bounds.length && seconds > bounds[bucket]!) bucket += 1;
    series.buckets[bucket]! += 1;
    if (traceId !== undefined) {
      const now = Date.now();
      if (now - series.exemplarAt >= 1000) {
        series.exemplarAt = now;
        series.exemplars[bucket] = { labelSet: { trace_id: traceId }, value: seconds, timestamp: now / 1000 };
      }
    }
  }

  #boundRoute(route: string): string {
    if (this.#routes.has(route)) return route;
    if (this.#routes.size < this.#maxRoutes) {
      this.#routes.add(route);
      return route;
    }
    this.#diagnostics.problem(
      'route-cardinality',
      `More than ${this.#maxRoutes} distinct routes: further routes are counted as "${OVERFLOW_ROUTE}". ` +
        'Pass a route to httpHandler(handler, { route }) for paths that contain ids, or raise maxRoutes.',
    );
    return OVERFLOW_ROUTE;
  }
}

export { RedMetrics, RED_LABELS };
