import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import { LogDestination, type Ho11yConfig } from './config.js';
import { DownstreamInvoker } from './downstream-invoker.js';
import { Ho11yError } from './errors.js';
import { FailureInjector, type RandomSource } from './failure-injection.js';
import { Ho11yLogger } from './logger.js';
import { createMetricsHandler } from './metrics-endpoint.js';
import { Ho11yMetrics } from './metrics.js';
import type { Ho11yTelemetry } from './telemetry.js';
import { Throttle } from './throttle.js';

/** How long {@link Ho11yServer.close} waits for requests in flight before cutting connections. */
const DEFAULT_SHUTDOWN_GRACE_MS = 10_000;

/** Options of {@link startHo11y}. */
interface Ho11yServerOptions {
  /** The settings, usually from `loadConfig()`. */
  readonly config: Ho11yConfig;
  /** The tracing seam; see `createHo11yTelemetry`. */
  readonly telemetry: Ho11yTelemetry;
  /** ho11y's metrics (their registry is served on `/metrics`). @default - new metrics in a new registry */
  readonly metrics?: Ho11yMetrics;
  /** The logger. @default - JSON lines to `config.logDestination` */
  readonly logger?: Ho11yLogger;
  /** Uniform source in [0, 1) for failure injection. @default Math.random */
  readonly random?: RandomSource;
}

function formatRemote(request: IncomingMessage): string {
  const { remoteAddress = '', remotePort = 0 } = request.socket;
  const host = remoteAddress.startsWith('::ffff:') ? remoteAddress.slice(7) : remoteAddress;
  // Go's RemoteAddr brackets IPv6 hosts: [::1]:54321.
  return host.includes(':') ? `[${host}]:${remotePort}` : `${host}:${remotePort}`;
}

/** Route label of a request path: the three endpoints, or `(unmatched)` so 404s stay one series. */
function routeOf(request: IncomingMessage): string {
  const path = (request.url ?? '/').split('?')[0];
  return path === '/' || path === '/metrics' || path === '/healthz' ? path : '(unmatched)';
}

/**
 * A running ho11y: `GET /` (throttling, failure injection, downstreams, `{"traceId":"1-…"}`),
 * `/metrics` (Prometheus text, or OpenMetrics when asked and not disabled) and `GET /healthz` for
 * probes. Create it with {@link startHo11y}.
 */
class Ho11yServer {
  /** ho11y's metrics. */
  public readonly metrics: Ho11yMetrics;
  /** The logger writing ho11y's JSON lines. */
  public readonly logger: Ho11yLogger;
  private readonly config: Ho11yConfig;
  private readonly telemetry: Ho11yTelemetry;
  private readonly server: Server;
  private readonly throttle: Throttle | undefined;
  private readonly failures: FailureInjector | undefined;
  private readonly invoker: DownstreamInvoker;
  private readonly serveMetrics: (request: IncomingMessage, response: ServerResponse) => Promise<void>;
  private closing: Promise<void> | undefined;

  /** Builds the server without listening; {@link Ho11yServer.listen} starts it ({@link startHo11y} does both). */
  public constructor(options: Ho11yServerOptions) {
    const { config, telemetry } = options;
    this.config = config;
    this.telemetry = telemetry;
    this.logger =
      options.logger ?? new Ho11yLogger({ sink: config.logDestination === LogDestination.STDOUT ? process.stdout : process.stderr });
    this.metrics = options.metrics ?? new Ho11yMetrics();
    this.throttle = config.cutoffTps === undefined ? undefined : new Throttle(config.cutoffTps);
    this.failures = config.injectFailure ? new FailureInjector(options.random) : undefined;
    this.invoker = new DownstreamInvoker({
      downstreams: config.downstreams,
      fetch: telemetry.fetch,
      metrics: this.metrics,
      logger: this.logger,
      timeoutMs: config.downstreamTimeoutMs,
    });
    this.serveMetrics = createMetricsHandler(this.metrics.registry as unknown as Registry, config.openMetrics);
    this.server = createServer(telemetry.wrap((request, response) => this.route(request, response), routeOf));
  }

  /** The bound port. */
  public get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** `http://<host>:<port>` of the listener (the host is 127.0.0.1 when bound to every interface). */
  public get url(): string {
    const { address, family, port } = this.server.address() as AddressInfo;
    const unspecified = address === '::' || address === '0.0.0.0';
    const host = unspecified ? '127.0.0.1' : family === 'IPv6' ? `[${address}]` : address;
    return `http://${host}:${port}`;
  }

  /** Logs the startup lines, starts the timers and listens. */
  public async listen(): Promise<this> {
    const { config, logger } = this;
    if (config.injectFailure) {
      logger.info('Failure injection enabled, dropping half of the requests');
    }
    for (const { index, spec } of config.downstreams) {
      logger.info(`Using downstream ${index}: ${spec.raw}`);
    }
    if (this.throttle) {
      logger.info(`Throttling enabled with a ${this.throttle.cutoffTps} TPS cutoff point`);
    } else if (config.invalidCutoffTps !== undefined) {
      logger.error('Invalid cutoff TPS value provided', {
        HO11Y_CUTOFF_TPS: config.invalidCutoffTps,
        hint: 'set HO11Y_CUTOFF_TPS to an integer; throttling stays off',
      });
    }
    if (config.otlpEndpoint !== undefined) {
      logger.info(`Using Otel collector at ${config.otlpEndpoint}`, { otlp_traces_url: `${config.otlpBaseUrl}/v1/traces` });
    } else {
      logger.info('No Otel collector configured (OTEL_EXPORTER_OTLP_ENDPOINT is not set): traces are not exported');
    }
    logger.info('Init instrumentation done');
    if (!config.openMetrics) {
      logger.info('OpenMetrics disabled');
    }

    await new Promise<void>((resolve, reject) => {
      const onError = (error: NodeJS.ErrnoException): void => {
        const where = `${config.host ?? ''}:${config.port}`;
        reject(new Ho11yError(`Cannot listen on ${where}: ${error.code ?? error.message}; set HO11Y_PORT to a free port`, { cause: error }));
      };
      this.server.once('error', onError);
      this.server.listen({ port: config.port, host: config.host }, () => {
        this.server.off('error', onError);
        resolve();
      });
    });
    this.throttle?.start();
    this.metrics.startRandomSampler();
    const where = config.host === undefined ? 'on all local IPs' : `on ${config.host}`;
    logger.info(`Launching ho11y: I am [${config.serviceName}] listening on port :${this.port} ${where}.`);
    return this;
  }

  /**
   * Graceful shutdown: stops accepting connections, lets requests in flight finish (up to
   * `graceMs`), then flushes the telemetry. Safe to call more than once.
   */
  public close(graceMs: number = DEFAULT_SHUTDOWN_GRACE_MS): Promise<void> {
    this.closing ??= (async () => {
      this.throttle?.stop();
      this.metrics.stop();
      const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
      // Keep-alive connections turn idle once their request is answered: close them as they do.
      const reaper = setInterval(() => this.server.closeIdleConnections(), 50).unref();
      this.server.closeIdleConnections();
      const timer = setTimeout(() => this.server.closeAllConnections(), graceMs).unref();
      await closed;
      clearInterval(reaper);
      clearTimeout(timer);
      await this.telemetry.shutdown();
    })();
    return this.closing;
  }

  private route(request: IncomingMessage, response: ServerResponse): Promise<void> | void {
    const path = (request.url ?? '/').split('?')[0];
    if (path === '/metrics') {
      return this.serveMetrics(request, response);
    }
    if (path === '/') {
      if (request.method !== 'GET') {
        // gorilla/mux answers a method the route does not allow with an empty 405.
        response.writeHead(405, { 'Content-Length': '0' }).end();
        return;
      }
      return this.serveRoot(request, response).catch((error: unknown) => {
        this.logger.error(`Serving GET / failed: ${error instanceof Error ? error.message : String(error)}`, { event: 'invoke' });
        if (!response.headersSent) {
          response.writeHead(500).end();
        } else {
          response.destroy();
        }
      });
    }
    if (path === '/healthz' && (request.method === 'GET' || request.method === 'HEAD')) {
      response.writeHead(200, { 'Content-Type': 'application/json' }).end('{"status":"ok"}');
      return;
    }
    response.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' }).end('404 page not found\n');
  }

  private async serveRoot(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const traceId = this.telemetry.currentTraceId() ?? '';
    if (this.throttle) {
      const { throttled, tps } = this.throttle.admit();
      if (throttled) {
        response.writeHead(429, { 'Content-Length': '0' }).end();
        this.metrics.total.inc({ http_status_code: '429' });
        this.logger.info(`Throttle engaged, got ${tps} TPS with a ${this.throttle.cutoffTps} TPS cutoff point`);
        return;
      }
    }
    const failure = this.failures?.pick();
    if (failure !== undefined) {
      // As the original: no body, no Content-Type, no Location for 301, no log line.
      response.writeHead(failure, { 'Content-Length': '0' }).end();
      this.metrics.total.inc({ http_status_code: String(failure) });
      return;
    }
    this.logger.info('ho11y was invoked', { event: 'invoke', traceID: traceId, remote: formatRemote(request) });
    // Counted before the downstreams run, as the original did.
    this.metrics.total.inc({ http_status_code: '200' });
    await this.invoker.invokeAll(traceId || undefined);
    response.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ traceId }));
  }
}

/**
 * Starts ho11y and resolves once it listens.
 *
 * @example
 * ```ts
 * import { loadConfig, startHo11y, createHo11yTelemetry } from '@eks-o11y/ho11y';
 *
 * const config = loadConfig();
 * const ho11y = await startHo11y({ config, telemetry: createHo11yTelemetry(config) });
 * process.once('SIGTERM', () => void ho11y.close());
 * ```
 * @throws {@link Ho11yError} when the port cannot be bound
 */
async function startHo11y(options: Ho11yServerOptions): Promise<Ho11yServer> {
  return new Ho11yServer(options).listen();
}

export { Ho11yServer, startHo11y, DEFAULT_SHUTDOWN_GRACE_MS };
export type { Ho11yServerOptions };
