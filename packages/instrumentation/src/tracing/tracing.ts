import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { context, SpanKind, SpanStatusCode, TraceFlags, type Attributes, type Tracer } from '@opentelemetry/api';
import type { InstrumentationScope } from '@opentelemetry/core';
import type { BasicTracerProvider, IdGenerator, SpanExporter } from '@opentelemetry/sdk-trace-base';
import {
  ATTR_CLIENT_ADDRESS,
  ATTR_ERROR_TYPE,
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_HTTP_ROUTE,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
  ATTR_SERVICE_NAME,
  ATTR_URL_FULL,
  ATTR_URL_PATH,
  ATTR_URL_SCHEME,
  ATTR_USER_AGENT_ORIGINAL,
} from '@opentelemetry/semantic-conventions';
import { epochMillisOf, monotonicNow } from '../clock.js';
import type { PropagatorSet, ResolvedTelemetryConfig } from '../config.js';
import { BAGGAGE_HEADER, TRACEPARENT_HEADER, TraceBackend, XRAY_HEADER } from '../constants.js';
import type { Diagnostics } from '../logging/diagnostics.js';
import { toXRayTraceId } from '../xray-trace-id.js';
import { addBaggageHeader, incomingBaggage } from './baggage.js';
import { DeferredSpan, type DeferredSpanSink, type PresetIds } from './deferred-span.js';
import { FailOpenSpanExporter } from './fail-open-span-exporter.js';
import { loadOtelSdk, loadOtlpTraceExporter } from './otel-sdk.js';
import { OtlpThreadSpanExporter } from './otlp-thread-span-exporter.js';
import { extractIncomingTraceContext, type IncomingTraceContext } from './incoming-trace-header.js';
import { RequestTrace, type RouteOf } from './request-trace.js';
import { XRayDaemonEmitter } from './xray-daemon-emitter.js';
import { XRayIds } from './xray-ids.js';
import { loadXRaySdk, XRayEntityFactory } from './xray-sdk.js';
import { XRayServerSegment, type XRayHttpRequest } from './xray-server-segment.js';

const INSTRUMENTATION_NAME = '@eks-o11y/instrumentation';

/**
 * X-Ray-format ids (epoch seconds in the first 4 bytes) that can be told the ids of the next span they make, so a
 * span the SDK makes later ({@link DeferredSpan.span}) keeps the ids its request already uses.
 */
class PresettableXRayIdGenerator implements IdGenerator, PresetIds {
  readonly #inner: XRayIds;
  #nextTraceId: string | undefined;
  #nextSpanId: string | undefined;

  public constructor(inner: XRayIds) {
    this.#inner = inner;
  }

  /** The next span's ids; `traceId` only for a root span (a child takes its parent's). */
  public preset(traceId: string | undefined, spanId: string): void {
    this.#nextTraceId = traceId;
    this.#nextSpanId = spanId;
  }

  public generateTraceId(): string {
    const preset = this.#nextTraceId;
    if (preset === undefined) return this.#inner.traceId();
    this.#nextTraceId = undefined;
    return preset;
  }

  public generateSpanId(): string {
    const preset = this.#nextSpanId;
    if (preset === undefined) return this.#inner.spanId();
    this.#nextSpanId = undefined;
    return preset;
  }
}

/** Whether `url` parses as an http or https URL (`adot-collector:4318` parses, with the scheme `adot-collector:`). */
const isHttpUrl = (url: string): boolean => {
  try {
    const { protocol } = new URL(url);
    return protocol === 'http:' || protocol === 'https:';
  } catch {
    return false;
  }
};

/** @internal An outgoing call's trace: headers to send, and how to finish it. */
interface ClientCallTrace {
  readonly headers: Readonly<Record<string, string>>;
  end(statusCode: number): void;
  fail(error: unknown): void;
}

/** @internal What an outgoing call's trace needs to know. */
interface ClientCallInfo {
  readonly method: string;
  readonly url: URL;
}

/**
 * @internal The trace backends behind one interface: starts and ends server and client spans/segments, with
 * one sampling decision and one set of ids for both backends.
 */
class Tracing {
  readonly #serviceName: string;
  readonly #sampleRatio: number;
  readonly #reservoirPerSecond: number;
  #reservoirSecond = 0;
  #reservoirUsed = 0;
  readonly #diagnostics: Diagnostics;
  readonly #propagators: PropagatorSet;
  readonly #ids = new XRayIds();
  /** The provider's id generator: the same ids, and a server span can be told its trace id. */
  readonly #otelIds = new PresettableXRayIdGenerator(this.#ids);
  readonly #provider: BasicTracerProvider | undefined;
  /** What our OpenTelemetry spans need (the provider's tracer among it), when the OpenTelemetry backend is on. */
  readonly #spans: DeferredSpanSink | undefined;
  readonly #xray: XRayEntityFactory | undefined;
  readonly #emitter: XRayDaemonEmitter | undefined;

  public constructor(config: ResolvedTelemetryConfig, diagnostics: Diagnostics) {
    this.#serviceName = config.serviceName;
    this.#sampleRatio = config.sampleRatio;
    this.#reservoirPerSecond = config.sampleReservoirPerSecond;
    this.#diagnostics = diagnostics;
    this.#propagators = config.propagators;
    const { backend } = config;
    const otelSdk = backend === TraceBackend.OTEL || backend === TraceBackend.BOTH ? loadOtelSdk(diagnostics) : undefined;
    if (otelSdk && !isHttpUrl(config.otlpTracesUrl)) {
      diagnostics.problem(
        'otlp-config',
        `The OTLP endpoint "${config.otlpTracesUrl}" is not an http:// or https:// URL; OpenTelemetry spans are not recorded. ` +
          'Write the scheme too: OTEL_EXPORTER_OTLP_ENDPOINT=http://adot-collector:4318 (or the otlpEndpoint option).',
      );
    } else if (otelSdk) {
      try {
        const { AlwaysOnSampler, BasicTracerProvider, BatchSpanProcessor, ParentBasedSampler, resourceFromAttributes } = otelSdk;
        const exporterOptions = { url: config.otlpTracesUrl, headers: config.otlpHeaders, timeoutMillis: config.otlpTimeoutMillis };
        const inThisThread = (): SpanExporter => {
          const Exporter = loadOtlpTraceExporter(config.otlpProtocol);
          return new Exporter({ ...exporterOptions, headers: { ...exporterOptions.headers } });
        };
        const exporter = new OtlpThreadSpanExporter({ ...exporterOptions, protocol: config.otlpProtocol }, inThisThread, (error) =>
          diagnostics.problem(
            'otlp-thread',
            'The OTLP export thread stopped; spans are now exported from the main thread. If the application is bundled, ' +
              "mark @eks-o11y/instrumentation as external (esbuild --external:@eks-o11y/instrumentation): the thread's file ships beside it.",
            error,
          ),
        );
        const resource = resourceFromAttributes({ ...config.resourceAttributes, [ATTR_SERVICE_NAME]: config.serviceName });
        const processor = new BatchSpanProcessor(new FailOpenSpanExporter(exporter, diagnostics, config.otlpTracesUrl), {
          scheduledDelayMillis: config.otlpExportIntervalMillis,
        });
        this.#provider = new BasicTracerProvider({
          resource,
          idGenerator: this.#otelIds,
          // Server spans are started only for sampled requests (the decision is made once, for both backends);
          // the parent-based sampler keeps the user's own spans (telemetry.tracer) out of unsampled requests.
          sampler: new ParentBasedSampler({ root: new AlwaysOnSampler() }),
          spanProcessors: [processor],
        });
        const tracer = this.#provider.getTracer(INSTRUMENTATION_NAME);
        // The SDK's tracer keeps its scope in a public field, which every span it makes carries.
        const { instrumentationScope: scope } = tracer as Tracer & { readonly instrumentationScope: InstrumentationScope };
        this.#spans = { tracer, ids: this.#otelIds, processor, resource, scope };
      } catch (error) {
        diagnostics.problem(
          'otlp-config',
          `The OTLP exporter cannot be built for ${config.otlpTracesUrl}; OpenTelemetry spans are not recorded. ` +
            'Set OTEL_EXPORTER_OTLP_ENDPOINT to a URL such as http://adot-collector:4318.',
          error,
        );
      }
    }
    if (backend === TraceBackend.XRAY || backend === TraceBackend.BOTH) {
      const sdk = loadXRaySdk(diagnostics);
      if (sdk) {
        // Through this instance's emitter (its own address, once-only error reports), not the SDK's global one.
        const emitter = new XRayDaemonEmitter(config.xrayDaemonAddress, diagnostics);
        this.#xray = new XRayEntityFactory(sdk, config.serviceName, (document) => emitter.send(document));
        this.#emitter = emitter;
      }
    }
  }

  /** True when spans or segments are recorded (not just ids propagated). */
  public get recording(): boolean {
    return this.#spans !== undefined || this.#xray !== undefined;
  }

  /** The OpenTelemetry provider, when the OpenTelemetry backend is on. */
  public get tracerProvider(): BasicTracerProvider | undefined {
    return this.#provider;
  }

  /** The trace context an incoming request carries, read from the headers of the propagators in use. */
  public incomingContext(headers: IncomingHttpHeaders): IncomingTraceContext | undefined {
    return extractIncomingTraceContext(headers, this.#propagators);
  }

  /**
   * Starts the trace of a request: its sampling decision, its baggage, and for a sampled request the server span
   * and/or segment. An unsampled request costs no span, segment, context copy or id it does not need: its ids are
   * made when something reads them (a response header, a log line, an outgoing call).
   */
  public startServer(req: IncomingMessage, incoming: IncomingTraceContext | undefined, startTime: number, path: string, routeOf: RouteOf): RequestTrace {
    const sampled = incoming?.sampled ?? this.#decideSampling(epochMillisOf(startTime));
    const exposesSpan = this.#spans !== undefined;
    // Read for every request, not only sampled ones: the first read makes Node cache the address on the socket,
    // which changes the socket's hidden class. Read at a random later request, sockets took so many shapes that V8
    // made Node's own net and stream code megamorphic for every request (docs/benchmarks/instrumentation.md).
    const recording = this.recording;
    const peerAddress = recording ? req.socket?.remoteAddress : undefined;
    if (!sampled || !recording) {
      return this.#withIncomingBaggage(
        req,
        new RequestTrace(this.#ids, incoming?.traceId, undefined, sampled, undefined, undefined, startTime, exposesSpan, path, routeOf),
      );
    }
    const traceId = incoming?.traceId ?? this.#ids.traceId();
    const parentSpanId = incoming?.parentSpanId;
    const method = req.method ?? 'GET';
    const spanId = this.#ids.spanId();
    const parent = parentSpanId === undefined ? undefined : { traceId, spanId: parentSpanId, traceFlags: TraceFlags.SAMPLED, isRemote: true };
    const span = this.#spans
      ? new DeferredSpan(this.#spans, SpanKind.SERVER, traceId, spanId, parent, method, serverAttributes(req, method, peerAddress), startTime)
      : undefined;
    const segment = this.#xray
      ? new XRayServerSegment(this.#xray, this.#serviceName, toXRayTraceId(traceId), spanId, parentSpanId, xrayHttpRequest(req, method, peerAddress))
      : undefined;
    return this.#withIncomingBaggage(req, new RequestTrace(this.#ids, traceId, spanId, sampled, span, segment, startTime, exposesSpan, path, routeOf));
  }

  /** `requestTrace`, given the request's W3C baggage when the `baggage` propagator is on and the request has some. */
  #withIncomingBaggage(req: IncomingMessage, requestTrace: RequestTrace): RequestTrace {
    if (this.#propagators.baggage && req.headers[BAGGAGE_HEADER] !== undefined) requestTrace.baggage = incomingBaggage(req.headers);
    return requestTrace;
  }

  /** The sampling decision of a new trace at `epochMillis`: the reservoir first (X-Ray's rule semantics), then the ratio. */
  #decideSampling(epochMillis: number): boolean {
    if (this.#sampleRatio >= 1) return true;
    if (this.#reservoirPerSecond > 0) {
      const second = Math.floor(epochMillis / 1000);
      if (second !== this.#reservoirSecond) {
        this.#reservoirSecond = second;
        this.#reservoirUsed = 0;
      }
      if (this.#reservoirUsed < this.#reservoirPerSecond) {
        this.#reservoirUsed += 1;
        return true;
      }
    }
    return Math.random() < this.#sampleRatio;
  }

  /** Ends the server span/segment with the response status; 4xx, 429 and 5xx become X-Ray error, throttle, fault. */
  public endServer(requestTrace: RequestTrace, method: string, route: string, statusCode: number, contentLength: number | undefined): void {
    const span = requestTrace.otelSpan;
    if (span) {
      span.updateName(`${method} ${route}`);
      span.setAttribute(ATTR_HTTP_ROUTE, route);
      // OpenTelemetry's HTTP semantics: a server span fails on 5xx (the client's fault is not the server's).
      endHttpSpan(span, statusCode, statusCode >= 500);
    }
    requestTrace.xraySegment?.end(route, statusCode, contentLength);
  }

  /**
   * An outgoing call made while `parent` is the current request: the headers that carry its context and, when the
   * request is recorded ({@link RequestTrace.recording}), the call's client span/subsegment. Only then is the URL
   * parsed (for the span's attributes); `method` defaults to GET.
   */
  public startOutgoing(
    parent: RequestTrace,
    url: string | URL,
    method: string | undefined,
  ): { readonly headers: Readonly<Record<string, string>>; readonly call: ClientCallTrace | undefined } {
    if (!parent.recording) return { headers: this.propagationHeadersOf(parent), call: undefined };
    const call = this.#startClient(parent, { method: (method ?? 'GET').toUpperCase(), url: new URL(String(url)) });
    return { headers: call.headers, call };
  }

  /** Starts the client span/subsegment of an outgoing call of a recorded request. */
  #startClient(parent: RequestTrace, info: ClientCallInfo): ClientCallTrace {
    const childId = this.#ids.spanId();
    // The server span's ids are all its child needs: the server span's SDK span is not made for it.
    const { otelSpan, xraySegment, traceId } = parent;
    const child =
      otelSpan && this.#spans
        ? new DeferredSpan(this.#spans, SpanKind.CLIENT, traceId, childId, otelSpan.spanContext(), info.method, clientAttributes(info), monotonicNow())
        : undefined;
    const request = { url: `${info.url.origin}${info.url.pathname}`, method: info.method };
    const subsegment = xraySegment?.startCall(info.url.hostname, childId, request);
    let ended = false;
    return {
      headers: propagationHeaders(parent.traceId, childId, true, this.#propagators),
      end: (statusCode) => {
        if (ended) return;
        ended = true;
        // A client span fails on any 4xx or 5xx answer.
        if (child) endHttpSpan(child, statusCode, statusCode >= 400);
        subsegment?.end(statusCode);
      },
      fail: (error) => {
        if (ended) return;
        ended = true;
        const err = error instanceof Error ? error : new Error(String(error));
        if (child) {
          // A failed call is rare: its exception event and message go through the SDK span.
          const span = child.span;
          span.recordException(err);
          span.setAttribute(ATTR_ERROR_TYPE, err.name);
          span.setStatus({ code: SpanStatusCode.ERROR, message: err.message });
          child.end();
        }
        subsegment?.fail(err);
      },
    };
  }

  /** Headers that carry `parent`'s context without a client span (for callers that record their own). */
  public propagationHeadersOf(parent: RequestTrace): Record<string, string> {
    return propagationHeaders(parent.traceId, parent.spanId, parent.sampled, this.#propagators);
  }

  /** Exports the spans waiting in the batch and sends the queued X-Ray segments. Never rejects. */
  public async forceFlush(): Promise<void> {
    try {
      await Promise.all([this.#provider?.forceFlush(), this.#emitter?.drain()]);
    } catch (error) {
      this.#diagnostics.problem('flush', 'Flushing spans or segments failed.', error);
    }
  }

  /** Flushes and stops the exporters. Never rejects. */
  public async shutdown(): Promise<void> {
    try {
      await this.#provider?.shutdown();
    } catch (error) {
      this.#diagnostics.problem('otlp-shutdown', 'Shutting down the span exporter failed.', error);
    }
    await this.#emitter?.close();
  }
}

/**
 * `traceparent` and/or `X-Amzn-Trace-Id` (as `propagators` says) for the same context: with both, OpenTelemetry and
 * X-Ray SDK callees both join. With `baggage`, also the active context's baggage: the request's, or what the handler
 * set with `propagation.setBaggage()` for this call.
 */
const propagationHeaders = (traceId: string, spanId: string, sampled: boolean, propagators: PropagatorSet): Record<string, string> => {
  const headers: Record<string, string> = {};
  if (propagators.tracecontext) headers[TRACEPARENT_HEADER] = `00-${traceId}-${spanId}-${sampled ? '01' : '00'}`;
  if (propagators.xray) headers[XRAY_HEADER] = `Root=${toXRayTraceId(traceId)};Parent=${spanId};Sampled=${sampled ? '1' : '0'}`;
  if (propagators.baggage) addBaggageHeader(context.active(), headers);
  return headers;
};

/** The original client: the first `X-Forwarded-For` entry (behind a load balancer), else the peer. */
const clientAddress = (req: IncomingMessage, peerAddress: string | undefined): string | undefined => {
  const forwarded = req.headers['x-forwarded-for'];
  if (typeof forwarded === 'string' && forwarded !== '') return forwarded.split(',')[0]!.trim();
  return peerAddress;
};

/** The `http.request` of a request's X-Ray segment. */
const xrayHttpRequest = (req: IncomingMessage, method: string, peerAddress: string | undefined): XRayHttpRequest => {
  const request = {
    method,
    url: `http://${req.headers.host ?? 'localhost'}${req.url ?? '/'}`,
    user_agent: req.headers['user-agent'],
    client_ip: clientAddress(req, peerAddress),
  };
  return req.headers['x-forwarded-for'] ? { ...request, x_forwarded_for: true } : request;
};

const serverAttributes = (req: IncomingMessage, method: string, peerAddress: string | undefined): Attributes => {
  const url = req.url ?? '/';
  const query = url.indexOf('?');
  const attributes: Attributes = {
    [ATTR_HTTP_REQUEST_METHOD]: method,
    [ATTR_URL_PATH]: query < 0 ? url : url.slice(0, query),
    [ATTR_URL_SCHEME]: 'http',
  };
  const host = req.headers.host;
  if (host !== undefined) {
    const colon = host.lastIndexOf(':');
    const hasPort = colon > 0 && !host.endsWith(']');
    attributes[ATTR_SERVER_ADDRESS] = hasPort ? host.slice(0, colon) : host;
    if (hasPort) attributes[ATTR_SERVER_PORT] = Number(host.slice(colon + 1));
  }
  const userAgent = req.headers['user-agent'];
  if (userAgent !== undefined) attributes[ATTR_USER_AGENT_ORIGINAL] = userAgent;
  const client = clientAddress(req, peerAddress);
  if (client !== undefined) attributes[ATTR_CLIENT_ADDRESS] = client;
  return attributes;
};

/** Ends an HTTP span with its response's status code; a `failed` one also gets `error.type` and the error status. */
const endHttpSpan = (span: DeferredSpan, statusCode: number, failed: boolean): void => {
  span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, statusCode);
  if (failed) {
    span.setAttribute(ATTR_ERROR_TYPE, String(statusCode));
    span.setError();
  }
  span.end();
};

const clientAttributes = ({ method, url }: ClientCallInfo): Attributes => ({
  [ATTR_HTTP_REQUEST_METHOD]: method,
  [ATTR_URL_FULL]: `${url.origin}${url.pathname}`,
  [ATTR_SERVER_ADDRESS]: url.hostname,
  [ATTR_SERVER_PORT]: Number(url.port || (url.protocol === 'https:' ? 443 : 80)),
});

export { Tracing, PresettableXRayIdGenerator, propagationHeaders };
export type { ClientCallTrace, ClientCallInfo };
