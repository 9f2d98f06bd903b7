import type { Registry } from 'prom-client';
import { OVERFLOW_ROUTE } from '../constants.js';
import { TelemetryConfigurationError } from '../errors.js';
import type { Diagnostics } from '../logging/diagnostics.js';

/** @internal Label names of both RED metrics. */
const RED_LABELS = ['method', 'route', 'status_code'] as const;
type RedLabels = Record<(typeof RED_LABELS)[number], string | number>;

/** HTTP methods kept as label values; anything else is counted as `_OTHER` (OpenTelemetry's convention). */
const METHOD_LABELS = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE', 'PATCH', '_OTHER'] as const;
const METHOD_INDEX = new Map<string, number>(METHOD_LABELS.slice(0, -1).map((method, i) => [method, i]));
const OTHER_METHOD_INDEX = METHOD_LABELS.length - 1;
/** Status codes are 100..999, so `methodIndex * 1000 + statusCode` identifies a series within a route. */
const STATUS_CODES_PER_METHOD = 1000;

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

/** The series of one route label, by method and status code, and the one the last request of the route used. */
class RouteSeries {
  public readonly label: string;
  public readonly byMethodAndStatus = new Map<number, Series>();
  public lastKey = -1;
  public lastSeries: Series | undefined;

  public constructor(label: string) {
    this.label = label;
  }
}

/** What a request's exemplar is read from, only when its bucket takes a new exemplar. */
interface ExemplarSource {
  readonly xrayTraceId: string;
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
  /** Incremented by every reset, so {@link RedMetrics} drops the series it looked up before. */
  public generation = 0;
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
      reset: () => this.reset(),
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
      reset: () => this.reset(),
    };
    this.counter = counter;
    this.histogram = histogram;
  }

  /** The series of one label combination, created on first use (shared by every RedMetrics of the registry). */
  public seriesOf(method: string, route: string, statusCode: number): Series {
    const key = `${method} ${route} ${statusCode}`;
    let series = this.series.get(key);
    if (series === undefined) {
      series = new Series({ method, route, status_code: statusCode }, this.bounds.length);
      this.series.set(key, series);
    }
    return series;
  }

  public reset(): void {
    this.series.clear();
    this.generation += 1;
  }
}

/**
 * @internal Rate, errors and duration of HTTP requests: `http_server_requests_total` by method, route and
 * status code, and `http_server_request_duration_seconds` with the same labels whose buckets carry the trace id
 * of a recent sampled request as an exemplar.
 */
class RedMetrics {
  readonly #store: RedStore;
  /** Routes within the cardinality budget. */
  readonly #routes = new Set<string>();
  /** Series looked up so far, by route: a request finds its series without building a key string. */
  readonly #byRoute = new Map<string, RouteSeries>();
  #overflow: RouteSeries | undefined;
  #generation = 0;
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
   * Counts one request. A sampled request passes `exemplar`: its trace id (X-Ray format) becomes its bucket's
   * exemplar when the series has not taken one for a second (more often than any scrape reads it).
   * `monotonicMillis` is `performance.timeOrigin + performance.now()` at the end of the request.
   */
  public record(
    method: string,
    route: string,
    statusCode: number,
    seconds: number,
    exemplar: ExemplarSource | undefined,
    monotonicMillis: number,
  ): void {
    const series = this.#seriesOf(method, route, statusCode);
    series.count += 1;
    series.sum += seconds;
    const { bounds } = this.#store;
    let bucket = 0;
    while (bucket < bounds.length && seconds > bounds[bucket]!) bucket += 1;
    series.buckets[bucket]! += 1;
    if (exemplar !== undefined && monotonicMillis - series.exemplarAt >= 1000) {
      series.exemplarAt = monotonicMillis;
      series.exemplars[bucket] = { labelSet: { trace_id: exemplar.xrayTraceId }, value: seconds, timestamp: Date.now() / 1000 };
    }
  }

  #seriesOf(method: string, route: string, statusCode: number): Series {
    const store = this.#store;
    if (this.#generation !== store.generation) {
      this.#generation = store.generation;
      this.#byRoute.clear();
      this.#overflow = undefined;
    }
    let routeSeries = this.#byRoute.get(route);
    if (routeSeries === undefined) {
      const label = this.#boundRoute(route);
      if (label === OVERFLOW_ROUTE && route !== OVERFLOW_ROUTE) {
        // Not kept by route: the routes beyond the budget are what must not grow without bound.
        routeSeries = this.#overflow ??= new RouteSeries(OVERFLOW_ROUTE);
      } else {
        routeSeries = new RouteSeries(label);
        this.#byRoute.set(route, routeSeries);
      }
    }
    const methodIndex = METHOD_INDEX.get(method) ?? OTHER_METHOD_INDEX;
    const key = methodIndex * STATUS_CODES_PER_METHOD + statusCode;
    if (routeSeries.lastKey === key) return routeSeries.lastSeries!;
    let series = routeSeries.byMethodAndStatus.get(key);
    if (series === undefined) {
      series = store.seriesOf(METHOD_LABELS[methodIndex]!, routeSeries.label, statusCode);
      routeSeries.byMethodAndStatus.set(key, series);
    }
    routeSeries.lastKey = key;
    routeSeries.lastSeries = series;
    return series;
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
