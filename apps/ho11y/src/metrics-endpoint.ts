import type { IncomingMessage, ServerResponse } from 'node:http';
import { Registry, type OpenMetricsContentType, type PrometheusContentType } from 'prom-client';

/** What prom-client's `Metric.get()` returns, as far as the formatter reads it. */
interface MetricData {
  readonly name: string;
  readonly type: string;
}

/** Content type of the Prometheus text format 0.0.4. */
const PROMETHEUS_TEXT = Registry.PROMETHEUS_CONTENT_TYPE;
/** Content type of OpenMetrics 1.0.0. */
const OPENMETRICS_TEXT = Registry.OPENMETRICS_CONTENT_TYPE;

/** The formats `/metrics` can answer with. */
const ExpositionFormat = { PROMETHEUS: 'prometheus', OPENMETRICS: 'openmetrics' } as const;
/** The formats `/metrics` can answer with. */
type ExpositionFormat = (typeof ExpositionFormat)[keyof typeof ExpositionFormat];

/**
 * Picks the exposition format from an `Accept` header like client_golang's `promhttp` with
 * `EnableOpenMetrics`: media ranges in order of preference (q), the first of
 * `application/openmetrics-text` (version 1.0.0, 0.0.1 or none; only when OpenMetrics is enabled) or
 * `text/plain` (version 0.0.4 or none) wins; anything else, or no header, gets the text format.
 * (The protobuf format, which the original could also negotiate, is not served.)
 */
function negotiateFormat(accept: string | undefined, openMetricsEnabled: boolean): ExpositionFormat {
  if (!accept) {
    return ExpositionFormat.PROMETHEUS;
  }
  const ranges = accept
    .split(',')
    .map((part, order) => {
      const [type = '', ...params] = part.split(';').map((piece) => piece.trim());
      const parameters = new Map(
        params.map((param) => {
          const [key = '', value = ''] = param.split('=').map((piece) => piece.trim());
          return [key.toLowerCase(), value.replace(/^"|"$/g, '')] as const;
        }),
      );
      const q = Number(parameters.get('q') ?? '1');
      return { type: type.toLowerCase(), version: parameters.get('version') ?? '', q: Number.isNaN(q) ? 0 : q, order };
    })
    .filter((range) => range.q > 0)
    .sort((a, b) => b.q - a.q || a.order - b.order);
  for (const range of ranges) {
    if (openMetricsEnabled && range.type === 'application/openmetrics-text' && ['', '1.0.0', '0.0.1'].includes(range.version)) {
      return ExpositionFormat.OPENMETRICS;
    }
    if (range.type === 'text/plain' && ['', '0.0.4'].includes(range.version)) {
      return ExpositionFormat.PROMETHEUS;
    }
  }
  return ExpositionFormat.PROMETHEUS;
}

// prom-client formats a metric through a registry of the target content type. Its `metrics()`
// renames counters in place for OpenMetrics (`ho11y_total` -> `ho11y`), which would corrupt every
// later text scrape, so each metric is handed to the formatter through a read-only view instead.
const openMetricsFormatter = new Registry<OpenMetricsContentType>();
openMetricsFormatter.setContentType(OPENMETRICS_TEXT);
const formatters = {
  [ExpositionFormat.PROMETHEUS]: new Registry<PrometheusContentType>(),
  [ExpositionFormat.OPENMETRICS]: openMetricsFormatter,
} as const;

interface FormattableMetric {
  get(): Promise<MetricData>;
}

/**
 * Renders every metric of `registry` in the given format without mutating the registry. OpenMetrics
 * output carries exemplars and names counters by their family (`# TYPE ho11y counter`,
 * sample `ho11y_total`), as client_golang does.
 */
async function renderMetrics(registry: Registry<OpenMetricsContentType> | Registry<PrometheusContentType>, format: ExpositionFormat): Promise<string> {
  const formatter = formatters[format];
  const isOpenMetrics = format === ExpositionFormat.OPENMETRICS;
  const rendered = await Promise.all(
    registry.getMetricsAsArray().map((metric) => {
      const source = metric as unknown as { getForPromString?: () => Promise<unknown>; get: () => Promise<unknown> };
      const view: FormattableMetric = {
        get: async () => {
          const data = (await (source.getForPromString ?? source.get).call(metric)) as MetricData;
          return isOpenMetrics && data.type === 'counter' ? { ...data, name: data.name.replace(/_total$/, '') } : data;
        },
      };
      return (formatter as unknown as { getMetricsAsString(m: FormattableMetric): Promise<string> }).getMetricsAsString(view);
    }),
  );
  return isOpenMetrics ? `${rendered.join('\n')}\n# EOF\n` : `${rendered.join('\n\n')}\n`;
}

/**
 * The `/metrics` request handler: negotiates the format, renders the registry, and answers 500 with
 * the reason if a collector fails.
 */
function createMetricsHandler(registry: Registry<OpenMetricsContentType> | Registry<PrometheusContentType>, openMetricsEnabled: boolean) {
  return async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const format = negotiateFormat(request.headers.accept, openMetricsEnabled);
    try {
      const body = await renderMetrics(registry, format);
      response.writeHead(200, { 'Content-Type': format === ExpositionFormat.OPENMETRICS ? OPENMETRICS_TEXT : PROMETHEUS_TEXT });
      response.end(body);
    } catch (error) {
      response.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' });
      response.end(`An error has occurred while serving metrics:\n\n${(error as Error).message}\n`);
    }
  };
}

export { negotiateFormat, renderMetrics, createMetricsHandler, ExpositionFormat, PROMETHEUS_TEXT, OPENMETRICS_TEXT };
