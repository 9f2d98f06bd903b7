import {
  collectDefaultMetrics,
  Counter,
  Gauge,
  Histogram,
  linearBuckets,
  exponentialBuckets,
  Registry,
  Summary,
  type OpenMetricsContentType,
} from 'prom-client';
import type { RandomSource } from './failure-injection.js';

/** How often `ho11y_randval` and `ho11y_randhist` get a new N(0,1) draw, as in the original. */
const RANDOM_SAMPLE_PERIOD_MS = 5000;

/** The exact names, help texts and buckets of ho11y's metrics, kept in one place for the docs and tests. */
const HO11Y_METRICS = {
  total: { name: 'ho11y_total', help: 'Total ho11y invokes.' },
  randval: { name: 'ho11y_randval', help: 'A random value.' },
  randhist: {
    name: 'ho11y_randhist',
    help: 'A histogram of normally distributed random numbers.',
    buckets: linearBuckets(-2, 0.5, 10),
  },
  downstreamPayloadBytes: { name: 'ho11y_downstream_payload_bytes', help: 'HTTP body size received from a downstream.' },
  downstreamDurationSeconds: {
    name: 'ho11y_downstream_duration_seconds',
    help: 'Duration taken for invoking a downstream.',
    buckets: exponentialBuckets(0.0001, 2, 10),
  },
  downstreamResponses: {
    name: 'ho11y_downstream_responses_total',
    help: 'Responses from URL downstreams by HTTP status code ("error" when none arrived).',
  },
} as const;

/** A new prom-client registry with the OpenMetrics content type, the only kind that keeps exemplars. */
function createOpenMetricsRegistry(): Registry<OpenMetricsContentType> {
  const registry = new Registry<OpenMetricsContentType>();
  registry.setContentType(Registry.OPENMETRICS_CONTENT_TYPE);
  return registry;
}

/** Options of {@link Ho11yMetrics}. */
interface Ho11yMetricsOptions {
  /**
   * The registry to register in. It must have the OpenMetrics content type, because prom-client only
   * keeps exemplars there; `/metrics` still negotiates the Prometheus text format.
   * @default - a new OpenMetrics registry
   */
  readonly registry?: Registry<OpenMetricsContentType>;
  /** Also expose prom-client's `process_*` and `nodejs_*` metrics (the Go original exposed `go_*`, `process_*`). @default true */
  readonly defaultMetrics?: boolean;
  /** Uniform source in [0, 1) for the N(0,1) draws. @default Math.random */
  readonly random?: RandomSource;
}

/**
 * ho11y's metrics with the original's names, types, labels, buckets and help texts:
 * `ho11y_total{http_status_code}` counter, `ho11y_randval` gauge, `ho11y_randhist` histogram,
 * `ho11y_downstream_payload_bytes{downstream}` summary without quantiles and
 * `ho11y_downstream_duration_seconds` histogram with `traceid` exemplars. One addition:
 * `ho11y_downstream_responses_total{downstream,http_status_code}` records what the original ignored.
 */
class Ho11yMetrics {
  /** The registry holding every metric. */
  public readonly registry: Registry<OpenMetricsContentType>;
  /** `ho11y_total{http_status_code}`: one increment per `GET /` outcome. */
  public readonly total: Counter<'http_status_code'>;
  /** `ho11y_randval`: a N(0,1) value, redrawn every 5 s. */
  public readonly randval: Gauge;
  /** `ho11y_randhist`: N(0,1) draws, one every 5 s. */
  public readonly randhist: Histogram;
  /** `ho11y_downstream_payload_bytes{downstream}`: body size per downstream (sum and count only). */
  public readonly downstreamPayloadBytes: Summary<'downstream'>;
  /** `ho11y_downstream_duration_seconds`: time per downstream call, with a `traceid` exemplar. */
  public readonly downstreamDurationSeconds: Histogram;
  /** `ho11y_downstream_responses_total{downstream,http_status_code}`: what each URL downstream answered. */
  public readonly downstreamResponses: Counter<'downstream' | 'http_status_code'>;
  private readonly random: RandomSource;
  private timer: NodeJS.Timeout | undefined;

  public constructor(options: Ho11yMetricsOptions = {}) {
    this.registry = options.registry ?? createOpenMetricsRegistry();
    this.random = options.random ?? Math.random;
    const registers = [this.registry];
    this.total = new Counter({ ...HO11Y_METRICS.total, labelNames: ['http_status_code'], registers });
    this.randval = new Gauge({ ...HO11Y_METRICS.randval, registers });
    this.randhist = new Histogram({ ...HO11Y_METRICS.randhist, buckets: [...HO11Y_METRICS.randhist.buckets], registers });
    this.downstreamPayloadBytes = new Summary({
      ...HO11Y_METRICS.downstreamPayloadBytes,
      labelNames: ['downstream'],
      percentiles: [],
      registers,
    });
    this.downstreamDurationSeconds = new Histogram({
      ...HO11Y_METRICS.downstreamDurationSeconds,
      buckets: [...HO11Y_METRICS.downstreamDurationSeconds.buckets],
      enableExemplars: true,
      registers,
    });
    this.downstreamResponses = new Counter({
      ...HO11Y_METRICS.downstreamResponses,
      labelNames: ['downstream', 'http_status_code'],
      registers,
    });
    if (options.defaultMetrics ?? true) {
      collectDefaultMetrics({ register: this.registry });
    }
  }

  /** Draws `ho11y_randval` and `ho11y_randhist` now and then every 5 s; the timer does not keep the process alive. */
  public startRandomSampler(periodMs: number = RANDOM_SAMPLE_PERIOD_MS): this {
    if (this.timer === undefined) {
      this.sampleRandom();
      this.timer = setInterval(() => this.sampleRandom(), periodMs).unref();
    }
    return this;
  }

  /** Stops the random sampler. */
  public stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** One draw for the gauge and an independent one for the histogram, as the original did. */
  public sampleRandom(): void {
    this.randval.set(this.normal());
    this.randhist.observe(this.normal());
  }

  /** Records one downstream call: body size per downstream, duration with the trace id as exemplar. */
  public observeDownstream(downstream: string, bodyBytes: number, durationSeconds: number, traceId: string | undefined): void {
    this.downstreamPayloadBytes.observe({ downstream }, bodyBytes);
    this.downstreamDurationSeconds.observe({
      value: durationSeconds,
      labels: {},
      exemplarLabels: traceId ? { traceid: traceId } : {},
    });
  }

  /** A standard normal draw (Box-Muller), like Go's `rand.NormFloat64`. */
  private normal(): number {
    const u1 = 1 - this.random();
    const u2 = this.random();
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }
}

export { Ho11yMetrics, HO11Y_METRICS, RANDOM_SAMPLE_PERIOD_MS, createOpenMetricsRegistry };
export type { Ho11yMetricsOptions };
