import { propagation, ROOT_CONTEXT, SpanStatusCode, TraceFlags, trace, type Baggage, type Context, type Span } from '@opentelemetry/api';
import type { IncomingMessage } from 'node:http';
import type { Diagnostics } from '../logging/diagnostics.js';
import { REQUEST_TRACE_KEY } from '../request-context.js';
import type { AnnotationValue } from '../types.js';
import { toXRayTraceId } from '../xray-trace-id.js';
import { BAGGAGE_KEY, SPAN_KEY } from './api-context-keys.js';
import type { XRayIds } from './xray-ids.js';
import { withFilePaths, type XRayEntity } from './xray-sdk.js';
import type { DeferredSpan } from './deferred-span.js';
import type { XRayServerSegment } from './xray-server-segment.js';

/** Attribute the ADOT collector's `awsxray` exporter reads to turn span attributes into X-Ray annotations. */
const XRAY_ANNOTATIONS_ATTRIBUTE = 'aws.xray.annotations';

const ANNOTATION_KEY = /^[A-Za-z0-9_]+$/;

/** @internal How a request's route label is found when it ends (after the router matched it). */
type RouteOf = (req: IncomingMessage, path: string) => string;

/**
 * @internal The trace of one incoming request: its ids and sampling decision, and the span (OpenTelemetry)
 * and/or segment (X-Ray) recording it. Annotations, metadata and exceptions go to whichever backends are on.
 *
 * It is also the OpenTelemetry context the handler runs in (no per-request context copies): it answers for this
 * trace and, with the OpenTelemetry backend, for the active span. An unsampled request gets its ids only when
 * something reads them, and its non-recording span only when OpenTelemetry code asks for it.
 */
class RequestTrace implements Context {
  public readonly sampled: boolean;
  /** The OpenTelemetry server span; its SDK object ({@link RequestTrace.span}) is made only when something needs it. */
  public readonly otelSpan: DeferredSpan | undefined;
  /** The X-Ray segment; its SDK object ({@link RequestTrace.segment}) is made only when something needs it. */
  public readonly xraySegment: XRayServerSegment | undefined;
  /** `performance.now()` at the start of the request. */
  public readonly startTime: number;
  /** The request path (no query) and how to label its route when it ends. */
  public readonly path: string;
  public readonly routeOf: RouteOf;
  /** True while an async handler has not settled: its rejection may still arrive after the response closed. */
  public handlerPending = false;
  /** The request's W3C baggage (with the `baggage` propagator), which its handler's context answers with. */
  public baggage: Baggage | undefined = undefined;
  readonly #ids: XRayIds;
  /** Whether OpenTelemetry code asking this context for the active span gets one (the OpenTelemetry backend is on). */
  readonly #exposesSpan: boolean;
  #traceId: string | undefined;
  #spanId: string | undefined;
  #nonRecordingSpan: Span | undefined;
  #annotationKeys: string[] | undefined;
  #xrayTraceId: string | undefined;

  public constructor(
    ids: XRayIds,
    traceId: string | undefined,
    spanId: string | undefined,
    sampled: boolean,
    otelSpan: DeferredSpan | undefined,
    xraySegment: XRayServerSegment | undefined,
    startTime: number,
    exposesSpan: boolean,
    path: string,
    routeOf: RouteOf,
  ) {
    this.#ids = ids;
    this.#traceId = traceId;
    this.#spanId = spanId;
    this.sampled = sampled;
    this.otelSpan = otelSpan;
    this.xraySegment = xraySegment;
    this.startTime = startTime;
    this.#exposesSpan = exposesSpan;
    this.path = path;
    this.routeOf = routeOf;
  }

  /** True when the request has a span or segment: its outgoing calls get client spans/subsegments. */
  public get recording(): boolean {
    return this.otelSpan !== undefined || this.xraySegment !== undefined;
  }

  /** The SDK object of the OpenTelemetry span, made on first use (annotations, metadata, exceptions, the active span). */
  public get span(): Span | undefined {
    return this.otelSpan?.span;
  }

  /** The SDK object of the X-Ray segment, made on first use (annotations, metadata, exceptions). */
  public get segment(): XRayEntity | undefined {
    return this.xraySegment?.entity;
  }

  /** 32 lower-case hex characters; made on first use when the request arrived without one. */
  public get traceId(): string {
    return (this.#traceId ??= this.#ids.traceId());
  }

  /** Id of the server span, which is also the X-Ray segment id; made on first use for an unsampled request. */
  public get spanId(): string {
    return (this.#spanId ??= this.#ids.spanId());
  }

  /** The trace id in X-Ray format, `1-xxxxxxxx-yyyyyyyyyyyyyyyyyyyyyyyy`. */
  public get xrayTraceId(): string {
    return (this.#xrayTraceId ??= toXRayTraceId(this.traceId));
  }

  /**
   * {@link Context}: this trace, its baggage, and with the OpenTelemetry backend the request's span (a non-recording
   * one when unsampled).
   */
  public getValue(key: symbol): unknown {
    if (key === REQUEST_TRACE_KEY) return this;
    if (key === SPAN_KEY) return this.#activeSpan();
    if (key === BAGGAGE_KEY) return this.baggage;
    return undefined;
  }

  /** {@link Context}: a regular context with this trace, its span, its baggage and `key`. */
  public setValue(key: symbol, value: unknown): Context {
    return this.#asContext().setValue(key, value);
  }

  /** {@link Context}: a regular context with this trace, its span and its baggage, without `key`. */
  public deleteValue(key: symbol): Context {
    return this.#asContext().deleteValue(key);
  }

  #activeSpan(): Span | undefined {
    if (!this.#exposesSpan) return undefined;
    return (this.span ??
      (this.#nonRecordingSpan ??= trace.wrapSpanContext({
        traceId: this.traceId,
        spanId: this.spanId,
        traceFlags: this.sampled ? TraceFlags.SAMPLED : TraceFlags.NONE,
      })));
  }

  #asContext(): Context {
    let context = ROOT_CONTEXT.setValue(REQUEST_TRACE_KEY, this);
    if (this.baggage) context = propagation.setBaggage(context, this.baggage);
    const span = this.#activeSpan();
    return span ? trace.setSpan(context, span) : context;
  }

  /** Adds a searchable annotation: an X-Ray annotation, and a span attribute listed in `aws.xray.annotations`. */
  public annotate(key: string, value: AnnotationValue, diagnostics: Diagnostics): void {
    if (!this.sampled) return;
    let safeKey = key;
    if (!ANNOTATION_KEY.test(key)) {
      safeKey = key.replace(/[^A-Za-z0-9_]/g, '_');
      diagnostics.problem(
        `annotation-key:${key}`,
        `Annotation key "${key}" has characters X-Ray does not index; it is recorded as "${safeKey}". Use letters, digits and underscores.`,
      );
    }
    if (typeof value !== 'string' && typeof value !== 'boolean' && !(typeof value === 'number' && Number.isFinite(value))) {
      diagnostics.problem(
        `annotation-value:${key}`,
        `Annotation "${key}" needs a string, finite number or boolean value; use metadata() for anything else.`,
      );
      return;
    }
    this.segment?.addAnnotation(safeKey, value);
    const span = this.span;
    if (span) {
      span.setAttribute(safeKey, value);
      const keys = (this.#annotationKeys ??= []);
      if (!keys.includes(safeKey)) keys.push(safeKey);
      span.setAttribute(XRAY_ANNOTATIONS_ATTRIBUTE, keys);
    }
  }

  /** Adds metadata: X-Ray metadata (any JSON value), and a span attribute (objects as JSON text). */
  public metadata(key: string, value: unknown): void {
    if (!this.sampled) return;
    this.segment?.addMetadata(key, value);
    const span = this.span;
    if (span) {
      const attribute =
        typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? value : JSON.stringify(value);
      if (attribute !== undefined) span.setAttribute(key, attribute);
    }
  }

  /** Records an exception on the span (event + error status) and the segment (cause with stack, fault). */
  public recordException(error: unknown): void {
    if (!this.sampled) return;
    const err = error instanceof Error ? error : new Error(String(error));
    const span = this.span;
    if (span) {
      span.recordException(err);
      span.setStatus({ code: SpanStatusCode.ERROR, message: err.message });
    }
    this.segment?.addError(withFilePaths(err));
  }
}

export { RequestTrace, XRAY_ANNOTATIONS_ATTRIBUTE };
export type { RouteOf };
