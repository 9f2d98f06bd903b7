import { Counter, Histogram, Registry } from 'prom-client';
import { OVERFLOW_ROUTE } from '../constants.js';
import type { Diagnostics } from '../logging/diagnostics.js';

/** @internal Label names of both RED metrics. */
const RED_LABELS = ['method', 'route', 'status_code'] as const;

/** HTTP methods kept as label values; anything else is counted as `_OTHER` (OpenTelemetry's convention). */
const KNOWN_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE', 'PATCH']);

/** @internal Settings of {@link RedMetrics}. */
interface RedMetricsSettings {
  readonly registry: Registry;
  readonly prefix: string;
  readonly buckets: readonly number[];
  readonly maxRoutes: number;
}

/**
 * @internal Rate, errors and duration of HTTP requests: a counter by method, route and status code and a latency
 * histogram with the same labels whose buckets carry the trace id of a recent sampled request as an exemplar.
 */
class RedMetrics {
  readonly requests: Counter<(typeof RED_LABELS)[number]>;
  readonly duration: Histogram<(typeof RED_LABELS)[number]>;
  readonly #routes = new Set<string>();
  /** Label objects (and the time of their last exemplar) by "method route status": built once, not per request. */
  readonly #series = new Map<string, { readonly labels: Record<(typeof RED_LABELS)[number], string | number>; exemplarAt: number }>();
  readonly #observeWithoutExemplar: (labels: Record<string, string | number>, value: number) => void;
  readonly #maxRoutes: number;
  readonly #diagnostics: Diagnostics;

  public constructor(settings: RedMetricsSettings, diagnostics: Diagnostics) {
    this.#maxRoutes = settings.maxRoutes;
    this.#diagnostics = diagnostics;
    const { registry, prefix } = settings;
    const counterName = `${prefix}http_server_requests_total`;
    const histogramName = `${prefix}http_server_request_duration_seconds`;
    // Two Telemetry instances may share a registry (tests, several servers in one process): reuse the metrics.
    this.requests =
      (registry.getSingleMetric(counterName) as Counter<(typeof RED_LABELS)[number]> | undefined) ??
      new Counter({
        name: counterName,
        help: 'HTTP requests served, by method, route and status code.',
        labelNames: RED_LABELS,
        registers: [registry],
      });
    this.duration =
      (registry.getSingleMetric(histogramName) as Histogram<(typeof RED_LABELS)[number]> | undefined) ??
      withOpenMetricsRegistry(
        registry,
        () =>
          new Histogram({
            name: histogramName,
            help: 'HTTP request duration in seconds, by method, route and status code; exemplars carry the trace id.',
            labelNames: RED_LABELS,
            buckets: [...settings.buckets],
            enableExemplars: true,
            registers: [registry],
          }),
      );
    // prom-client's exemplar-enabled observe() takes an options object and hashes the labels twice even when
    // there is no exemplar; its plain observe path is the same histogram without that work.
    const plain = (this.duration as unknown as { observeWithoutExemplar?: (labels: object, value: number) => void }).observeWithoutExemplar;
    const histogram = this.duration;
    this.#observeWithoutExemplar =
      typeof plain === 'function'
        ? (labels, value) => plain.call(histogram, labels, value)
        : (labels, value) => histogram.observe({ labels, value } as never);
  }

  /**
   * Counts one request. `traceId` (X-Ray format) becomes the bucket's exemplar when the request was sampled; a
   * series takes a new exemplar at most once a second, which is more often than any scrape reads it.
   */
  public record(method: string, route: string, statusCode: number, seconds: number, traceId: string | undefined): void {
    const key = `${method} ${route} ${statusCode}`;
    let series = this.#series.get(key);
    if (series === undefined) {
      series = {
        labels: { method: KNOWN_METHODS.has(method) ? method : '_OTHER', route: this.#boundRoute(route), status_code: statusCode },
        exemplarAt: 0,
      };
      // The cache is bounded like the routes: once full, (other) series are rebuilt per request instead.
      if (this.#series.size < this.#maxRoutes * 16) this.#series.set(key, series);
    }
    const { labels } = series;
    this.requests.inc(labels);
    const now = traceId === undefined ? 0 : Date.now();
    if (traceId !== undefined && now - series.exemplarAt >= 1000) {
      series.exemplarAt = now;
      this.duration.observe({ labels, value: seconds, exemplarLabels: { trace_id: traceId } } as never);
    } else {
      this.#observeWithoutExemplar(labels, seconds);
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

/**
 * prom-client accepts exemplars only on an OpenMetrics registry, but the registry must still serve the
 * Prometheus text format to scrapers that ask for it: create the histogram while the registry says OpenMetrics,
 * then put the registry's content type back. Exemplars are written only in OpenMetrics output.
 */
const withOpenMetricsRegistry = <T>(registry: Registry, create: () => T): T => {
  const previous = registry.contentType;
  registry.setContentType(Registry.OPENMETRICS_CONTENT_TYPE as never);
  try {
    return create();
  } finally {
    registry.setContentType(previous as never);
  }
};

export { RedMetrics, RED_LABELS };
