import type { IncomingMessage, ServerResponse } from 'node:http';
import { Registry } from 'prom-client';
import type { Diagnostics } from '../logging/diagnostics.js';

/**
 * @internal Renders a registry in the format a scraper asks for. prom-client renders the format the registry is
 * set to, and rendering OpenMetrics renames counters in place (drops `_total`): renders are serialised and the
 * names and content type restored afterwards, so the Prometheus text format stays correct.
 */
class MetricsRenderer {
  readonly #registry: Registry;
  #queue: Promise<unknown> = Promise.resolve();

  public constructor(registry: Registry) {
    this.#registry = registry;
  }

  public render(openMetrics: boolean): Promise<{ body: string; contentType: string }> {
    const next = this.#queue.then(() => this.#renderNow(openMetrics));
    this.#queue = next.catch(() => undefined);
    return next;
  }

  async #renderNow(openMetrics: boolean): Promise<{ body: string; contentType: string }> {
    const registry = this.#registry;
    const wanted = openMetrics ? Registry.OPENMETRICS_CONTENT_TYPE : Registry.PROMETHEUS_CONTENT_TYPE;
    const previous = registry.contentType;
    const counters = registry.getMetricsAsArray().filter((metric) => String(metric.type) === 'counter') as unknown as { name: string }[];
    const names = counters.map((metric) => metric.name);
    registry.setContentType(wanted as never);
    try {
      return { body: await registry.metrics(), contentType: wanted };
    } finally {
      counters.forEach((metric, i) => (metric.name = names[i]!));
      registry.setContentType(previous as never);
    }
  }
}

const wantsOpenMetrics = (accept: string | undefined): boolean =>
  accept !== undefined && accept.includes('application/openmetrics-text');

/** @internal A request listener (and Express handler) that serves the registry. */
const createMetricsHandler =
  (renderer: MetricsRenderer, openMetrics: boolean, diagnostics: Diagnostics) =>
  (req: IncomingMessage, res: ServerResponse): void => {
    renderer.render(openMetrics && wantsOpenMetrics(req.headers.accept)).then(
      ({ body, contentType }) => {
        res.statusCode = 200;
        res.setHeader('Content-Type', contentType);
        res.end(req.method === 'HEAD' ? undefined : body);
      },
      (error: unknown) => {
        diagnostics.problem('metrics-render', 'Rendering /metrics failed; scrapes get HTTP 500.', error);
        res.statusCode = 500;
        res.setHeader('Content-Type', 'text/plain; charset=utf-8');
        res.end('metrics collection failed\n');
      },
    );
  };

export { MetricsRenderer, createMetricsHandler, wantsOpenMetrics };
