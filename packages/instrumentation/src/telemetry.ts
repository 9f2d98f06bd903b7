import http, { type ClientRequest, type IncomingMessage, type RequestOptions, type ServerResponse } from 'node:http';
import https from 'node:https';
import { context, trace, type Tracer } from '@opentelemetry/api';
import { Registry } from 'prom-client';
import { epochMillisOf, monotonicNow } from './clock.js';
import { expressRoute } from './express-route.js';
import type { ResolvedTelemetryConfig } from './config.js';
import type { TraceBackend } from './constants.js';
import { Diagnostics } from './logging/diagnostics.js';
import { createJsonLogger, openLogSink, type LogSink } from './logging/json-logger.js';
import { createMetricsHandler, MetricsRenderer } from './metrics/metrics-handler.js';
import { RedMetrics } from './metrics/red-metrics.js';
import { currentRequestTrace, ensureContextManager } from './request-context.js';
import { headersWrittenAtCreation, withTraceHeaders } from './tracing/outgoing-headers.js';
import type { RequestTrace, RouteOf } from './tracing/request-trace.js';
import { Tracing, type ClientCallTrace } from './tracing/tracing.js';
import type {
  AnnotationValue,
  ExpressLikeErrorMiddleware,
  ExpressLikeMiddleware,
  HttpHandlerOptions,
  HttpRequestListener,
  JsonLogger,
  MetricsHandlerOptions,
} from './types.js';

/** A request marked with its trace (per Telemetry object), so error middleware and the end of the response find it. */
type TracedRequest = IncomingMessage & Record<symbol, RequestTrace | undefined>;

const pathOf = (url: string): string => {
  const query = url.indexOf('?');
  return query < 0 ? url : url.slice(0, query);
};

/**
 * Runs a wrapped node:http handler: exceptions it throws or rejects with are recorded on the request's trace and
 * passed on unchanged. A module function, not a closure per request.
 */
const runHandler = (handler: HttpRequestListener, req: IncomingMessage, res: ServerResponse, requestTrace: RequestTrace): unknown => {
  let result: unknown;
  try {
    result = handler(req, res);
  } catch (error) {
    requestTrace.recordException(error);
    throw error;
  }
  if (result instanceof Promise) {
    requestTrace.handlerPending = true;
    return result.then(
      (value: unknown) => {
        requestTrace.handlerPending = false;
        return value;
      },
      (error: unknown) => {
        requestTrace.handlerPending = false;
        requestTrace.recordException(error);
        throw error;
      },
    );
  }
  return result;
};

/** Whether a URL (object or string, whose scheme is case-insensitive) asks for `https.request`. */
const isHttps = (url: string | URL): boolean => (typeof url === 'string' ? /^[\x00-\x20]*https:/i.test(url) : url.protocol === 'https:');

/**
 * Traces, RED metrics and trace-correlated logs for one service. Create it once per process with
 * {@link createTelemetry}, wrap the server's handler, and use {@link Telemetry.fetch} for outgoing calls.
 *
 * Telemetry fails open: if the collector or daemon is down or misconfigured, requests still succeed and the
 * problem is logged once (and its recovery once), never per request.
 *
 * @example
 * ```ts
 * const telemetry = createTelemetry({ serviceName: 'checkout' });
 * const server = http.createServer(telemetry.httpHandler((req, res) => res.end('ok'), { route: '/' }));
 * ```
 */
class Telemetry {
  /** Service name used for segments, spans and log lines. */
  public readonly serviceName: string;
  /** Trace backend in use (after defaults and environment variables). */
  public readonly backend: TraceBackend;
  /** The prom-client registry holding the RED metrics; register your own metrics here to serve them too. */
  public readonly registry: Registry;
  /** JSON logger: one line per call with `xray_trace_id`, `trace_id` and `span_id` of the current request. */
  public readonly logger: JsonLogger;
  readonly #diagnostics: Diagnostics;
  readonly #tracing: Tracing;
  readonly #metrics: RedMetrics;
  readonly #renderer: MetricsRenderer;
  readonly #logSink: LogSink;
  readonly #ignorePaths: ReadonlySet<string>;
  readonly #traceIdResponseHeader: boolean;
  /** Where this object's trace is kept on a request (two Telemetry objects may wrap the same request). */
  readonly #requestTraceKey = Symbol('@eks-o11y/instrumentation request trace');
  /** The 'close' listener of every traced response: one function, not a closure per request. */
  readonly #onResponseClose: (this: ServerResponse) => void;
  #closed = false;

  /** @internal Use {@link createTelemetry}. */
  public constructor(config: ResolvedTelemetryConfig) {
    ensureContextManager();
    this.serviceName = config.serviceName;
    this.backend = config.backend;
    this.registry = config.registry ?? new Registry();
    this.#logSink = openLogSink(config.logDestination);
    this.logger = createJsonLogger(this.#logSink, config.serviceName, config.logLevel, currentRequestTrace);
    // The pipeline's own problems belong to no request: their lines carry no trace ids.
    this.#diagnostics = new Diagnostics(createJsonLogger(this.#logSink, config.serviceName, config.logLevel, () => undefined));
    config.warnings.forEach((warning, i) => this.#diagnostics.problem(`config-${i}`, warning));
    this.#tracing = new Tracing(config, this.#diagnostics);
    this.#metrics = new RedMetrics(
      { registry: this.registry, prefix: config.metricPrefix, buckets: config.latencyBuckets, maxRoutes: config.maxRoutes },
      this.#diagnostics,
    );
    this.#renderer = new MetricsRenderer(this.registry);
    this.#ignorePaths = config.ignorePaths;
    this.#traceIdResponseHeader = config.traceIdResponseHeader;
    const finish = (res: ServerResponse): void => this.#finish(res);
    this.#onResponseClose = function onResponseClose(this: ServerResponse): void {
      finish(this);
    };
  }

  /**
   * Wraps a node:http request listener: one server span/segment per request, RED metrics, incoming
   * `traceparent`/`X-Amzn-Trace-Id` honoured, and the handler run in the request's context so
   * {@link Telemetry.fetch}, {@link Telemetry.annotate} and the logger find it. Exceptions the handler throws
   * (or rejects with) are recorded and passed on unchanged.
   *
   * @param handler - the listener you would pass to `http.createServer`
   * @param options - the route label (`/users/:id`) or a function of the request that returns it
   * @example
   * ```ts
   * http.createServer(telemetry.httpHandler(handler, { route: (req) => (req.url?.startsWith('/users/') ? '/users/:id' : '/') }));
   * ```
   */
  public httpHandler<L extends HttpRequestListener>(handler: L, options: HttpHandlerOptions = {}): L {
    const { route } = options;
    const routeOf: RouteOf = route === undefined ? (_req, path) => path : typeof route === 'string' ? () => route : (req) => route(req);
    const wrapped = (req: IncomingMessage, res: ServerResponse): unknown => {
      const requestTrace = this.#start(req, res, routeOf);
      if (requestTrace === undefined) return handler(req, res);
      return context.with(requestTrace, runHandler, undefined, handler, req, res, requestTrace);
    };
    return wrapped as L;
  }

  /**
   * Express 5 middleware; mount it first (`app.use(telemetry.expressMiddleware())`). The span is named
   * `METHOD route` with the matched route (`/users/:id`, including the router mount path); requests no route
   * matched are labelled `(unmatched)`. Add {@link Telemetry.expressErrorHandler} after your routes to record
   * exceptions.
   */
  public expressMiddleware(): ExpressLikeMiddleware {
    return (req, res, next) => {
      const requestTrace = this.#start(req, res, expressRoute);
      if (requestTrace === undefined) next();
      else context.with(requestTrace, next);
    };
  }

  /**
   * Express error middleware that records the error on the request's span/segment (exception event, fault) and
   * passes it on to the next error handler. Mount it after your routes.
   */
  public expressErrorHandler(): ExpressLikeErrorMiddleware {
    return (err, req, _res, next) => {
      try {
        (req as TracedRequest)[this.#requestTraceKey]?.recordException(err);
      } catch (error) {
        this.#diagnostics.problem('record-exception', 'Recording an exception failed.', error);
      }
      next(err);
    };
  }

  /**
   * `fetch` that records a client span/subsegment for the call and sends the trace headers (`traceparent` and
   * `X-Amzn-Trace-Id` by default), so the callee joins the trace, and the active context's W3C `baggage`. Outside a
   * request it is plain `fetch`.
   *
   * @example
   * ```ts
   * const response = await telemetry.fetch('http://downstream0/');
   * ```
   */
  public readonly fetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const parent = currentRequestTrace();
    if (parent === undefined) return globalThis.fetch(input, init);
    let call: ClientCallTrace | undefined;
    let tracedInit = init;
    try {
      const isRequest = typeof Request !== 'undefined' && input instanceof Request;
      const method = init?.method ?? (isRequest ? input.method : undefined);
      const outgoing = this.#tracing.startOutgoing(parent, isRequest ? input.url : String(input), method);
      call = outgoing.call;
      const headers = new Headers(init?.headers ?? (isRequest ? input.headers : undefined));
      for (const [name, value] of Object.entries(outgoing.headers)) headers.set(name, value);
      tracedInit = { ...init, headers };
    } catch (error) {
      this.#diagnostics.problem('fetch-instrumentation', 'Tracing an outgoing fetch failed; the call is made untraced.', error);
    }
    try {
      const response = await globalThis.fetch(input, tracedInit);
      call?.end(response.status);
      return response;
    } catch (error) {
      call?.fail(error);
      throw error;
    }
  };

  /**
   * `http.request`/`https.request` (chosen by the URL's protocol) with a client span/subsegment, trace headers and
   * baggage, as {@link Telemetry.fetch}. Same arguments as `http.request(url, options?, callback?)`; end the request
   * as usual.
   *
   * @example
   * ```ts
   * telemetry.httpRequest('http://downstream1/', (res) => res.resume()).end();
   * ```
   */
  public httpRequest(
    url: string | URL,
    optionsOrCallback?: RequestOptions | ((res: IncomingMessage) => void),
    callback?: (res: IncomingMessage) => void,
  ): ClientRequest {
    const options = typeof optionsOrCallback === 'object' ? optionsOrCallback : undefined;
    const onResponse = typeof optionsOrCallback === 'function' ? optionsOrCallback : callback;
    let call: ClientCallTrace | undefined;
    let traceHeaders: Readonly<Record<string, string>> | undefined;
    try {
      const parent = currentRequestTrace();
      if (parent !== undefined) ({ call, headers: traceHeaders } = this.#tracing.startOutgoing(parent, url, options?.method));
    } catch (error) {
      this.#diagnostics.problem('http-request-instrumentation', 'Tracing an outgoing http request failed; the call is made untraced.', error);
    }
    const client = isHttps(url) ? https : http;
    // The trace headers are set on the created request, which leaves the caller's options as they are. Headers that
    // node:http writes when the request is created (a raw array, or with Expect) get them in the options instead.
    const early = traceHeaders !== undefined && options !== undefined && headersWrittenAtCreation(options.headers);
    const requestOptions = early ? withTraceHeaders(options, traceHeaders!) : options;
    const request = requestOptions ? client.request(url, requestOptions, onResponse) : client.request(url, onResponse);
    if (traceHeaders !== undefined && !early) {
      for (const name of Object.keys(traceHeaders)) request.setHeader(name, traceHeaders[name]!);
    }
    if (call) {
      const traced = call;
      request.once('response', (res: IncomingMessage) => traced.end(res.statusCode ?? 0));
      request.once('error', (error) => traced.fail(error));
    }
    return request;
  }

  /**
   * The current request's trace id in X-Ray format (`1-xxxxxxxx-yyyyyyyyyyyyyyyyyyyyyyyy`), or undefined
   * outside a request. Use it in responses and error messages so a report leads to its trace.
   */
  public currentTraceId(): string | undefined {
    return currentRequestTrace()?.xrayTraceId;
  }

  /**
   * Headers that carry the current request's context (`traceparent`, `X-Amzn-Trace-Id` and, when there is baggage,
   * `baggage`; or those of the `propagators` option) for a client this package does not wrap; empty outside a request.
   */
  public propagationHeaders(): Record<string, string> {
    const current = currentRequestTrace();
    return current ? this.#tracing.propagationHeadersOf(current) : {};
  }

  /**
   * Adds a searchable annotation to the current request's trace: an X-Ray annotation (X-Ray backend) and a span
   * attribute the ADOT `awsxray` exporter indexes (OpenTelemetry backend). Keys use letters, digits and `_`.
   *
   * @example
   * ```ts
   * telemetry.annotate('UserID', user.id);
   * ```
   */
  public annotate(key: string, value: AnnotationValue): void {
    this.#onCurrent('annotate', (current) => current.annotate(key, value, this.#diagnostics));
  }

  /** Adds metadata (not indexed, any JSON value) to the current request's trace. */
  public metadata(key: string, value: unknown): void {
    this.#onCurrent('metadata', (current) => current.metadata(key, value));
  }

  /** Records an exception on the current request's span/segment without changing how it is handled. */
  public recordException(error: unknown): void {
    this.#onCurrent('recordException', (current) => current.recordException(error));
  }

  /**
   * OpenTelemetry tracer for your own spans; they become children of the current request's span. A no-op tracer
   * when the OpenTelemetry backend is off.
   */
  public get tracer(): Tracer {
    return this.#tracing.tracerProvider?.getTracer('@eks-o11y/instrumentation/user') ?? trace.getTracer('@eks-o11y/instrumentation/noop');
  }

  /**
   * A request listener (and Express handler) serving {@link Telemetry.registry}: the Prometheus text format, or
   * OpenMetrics with trace-id exemplars when the scraper's Accept header asks for it.
   *
   * @example
   * ```ts
   * app.get('/metrics', telemetry.metricsHandler());
   * ```
   */
  public metricsHandler(options: MetricsHandlerOptions = {}): (req: IncomingMessage, res: ServerResponse) => void {
    return createMetricsHandler(this.#renderer, options.openMetrics ?? true, this.#diagnostics);
  }

  /** Exports the spans waiting in the batch and sends the queued X-Ray segments now (tests, before a Lambda-style freeze). Never rejects. */
  public forceFlush(): Promise<void> {
    return this.#tracing.forceFlush();
  }

  /** Flushes spans, closes the exporters and the log file. Call it on SIGTERM. Never rejects. */
  public async shutdown(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#tracing.shutdown();
    if (this.#logSink.owned) {
      await new Promise<void>((resolve) => this.#logSink.stream.end(resolve));
    }
  }

  #onCurrent(operation: string, action: (current: RequestTrace) => void): void {
    const current = currentRequestTrace();
    if (current === undefined) {
      this.#diagnostics.problem(
        `outside-request:${operation}`,
        `${operation}() was called outside a traced request and was ignored; call it from code that a wrapped handler runs.`,
      );
      return;
    }
    try {
      action(current);
    } catch (error) {
      this.#diagnostics.problem(`failed:${operation}`, `${operation}() failed and was ignored.`, error);
    }
  }

  /**
   * Starts a request's trace and returns it (the context to run the handler in), or undefined when the request
   * is not traced (an ignored path, or instrumenting failed). A request this object already traces keeps its
   * trace, so wrapping twice counts and records it once.
   */
  #start(req: IncomingMessage, res: ServerResponse, routeOf: RouteOf): RequestTrace | undefined {
    const existing = (req as TracedRequest)[this.#requestTraceKey];
    if (existing !== undefined) return existing;
    const path = pathOf(req.url ?? '/');
    if (this.#ignorePaths.has(path)) return undefined;
    try {
      const incoming = this.#tracing.incomingContext(req.headers);
      const requestTrace = this.#tracing.startServer(req, incoming, monotonicNow(), path, routeOf);
      (req as TracedRequest)[this.#requestTraceKey] = requestTrace;
      if (incoming?.samplingRequested) {
        // X-Ray protocol: a caller that sent `Sampled=?` is told the decision (as the X-Ray SDK does).
        res.setHeader('X-Amzn-Trace-Id', `Root=${requestTrace.xrayTraceId};Sampled=${requestTrace.sampled ? '1' : '0'}`);
      } else if (this.#traceIdResponseHeader) {
        res.setHeader('X-Amzn-Trace-Id', `Root=${requestTrace.xrayTraceId}`);
      }
      res.on('close', this.#onResponseClose);
      return requestTrace;
    } catch (error) {
      this.#diagnostics.problem('server-instrumentation', 'Instrumenting a request failed; it is served untraced.', error);
      return undefined;
    }
  }

  #endTrace(requestTrace: RequestTrace, method: string, route: string, statusCode: number, contentLength: number | undefined): void {
    try {
      this.#tracing.endServer(requestTrace, method, route, statusCode, contentLength);
    } catch (error) {
      this.#diagnostics.problem('server-instrumentation-end', 'Finishing the trace of a request failed.', error);
    }
  }

  /** The end of a traced response ('close'): RED metrics, and the span/segment of a sampled request. */
  #finish(res: ServerResponse): void {
    const req = res.req;
    const requestTrace = (req as TracedRequest)[this.#requestTraceKey];
    if (requestTrace === undefined) return;
    try {
      const endTime = monotonicNow();
      const seconds = (endTime - requestTrace.startTime) / 1000;
      const method = req.method ?? 'GET';
      const route = requestTrace.routeOf(req, requestTrace.path);
      // A client that hangs up before the response is counted as 499 ("client closed request"), not as a 200.
      const statusCode = res.headersSent ? res.statusCode : 499;
      this.#metrics.record(method, route, statusCode, seconds, requestTrace.sampled ? requestTrace : undefined, epochMillisOf(endTime));
      if (!requestTrace.recording) return;
      const length = res.getHeader('content-length');
      const contentLength = length === undefined ? undefined : Number(length);
      if (requestTrace.handlerPending) {
        // 'close' runs in a nextTick, before the promise jobs: let a handler that answered and then threw be
        // recorded on this span before it ends.
        setImmediate(() => this.#endTrace(requestTrace, method, route, statusCode, contentLength));
      } else {
        this.#tracing.endServer(requestTrace, method, route, statusCode, contentLength);
      }
    } catch (error) {
      this.#diagnostics.problem('server-instrumentation-end', 'Finishing the trace or metrics of a request failed.', error);
    }
  }
}

export { Telemetry };
