import {
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  TraceFlags,
  trace,
  type Attributes,
  type HrTime,
  type Link,
  type Span,
  type SpanContext,
  type SpanStatus,
  type Tracer,
} from '@opentelemetry/api';
import { hrTime, hrTimeDuration, type InstrumentationScope } from '@opentelemetry/core';
import type { Resource } from '@opentelemetry/resources';
import type { ReadableSpan, SpanProcessor, TimedEvent } from '@opentelemetry/sdk-trace-base';
import { ATTR_ERROR_TYPE, ATTR_HTTP_RESPONSE_STATUS_CODE, ATTR_HTTP_ROUTE } from '@opentelemetry/semantic-conventions';
import { epochMillisOf, monotonicNow } from '../clock.js';

/** @internal Tells the provider's id generator the ids of the next span it starts. */
interface PresetIds {
  preset(traceId: string | undefined, spanId: string): void;
}

/**
 * @internal What the server spans of one provider share: its tracer and id generator, to make an SDK span with,
 * and its span processor, resource and tracer's scope, which a span that needed none is handed to as it is.
 */
interface OtelServerSpanSink {
  readonly tracer: Tracer;
  readonly ids: PresetIds;
  readonly processor: SpanProcessor;
  readonly resource: Resource;
  readonly scope: InstrumentationScope;
}

const UNSET: SpanStatus = Object.freeze({ code: SpanStatusCode.UNSET });
const ERROR: SpanStatus = Object.freeze({ code: SpanStatusCode.ERROR });
/** Shared by every span that has none: exporters only read them. */
const NO_LINKS: Link[] = [];
const NO_EVENTS: TimedEvent[] = [];

/**
 * @internal The OpenTelemetry server span of one sampled request. Most requests record nothing but their request and
 * response: then this object is itself the ended span ({@link ReadableSpan}) that the batch processor exports. A
 * request whose handler annotates, adds metadata, records an exception, asks for the active span or starts spans of
 * its own gets an SDK span with the same ids and start time, made the first time it needs one
 * ({@link OtelServerSpan.span}). Why: the SDK's span is code that a sampled request runs once in twenty requests,
 * cold each time, as for the X-Ray segment (docs/benchmarks/instrumentation.md).
 */
class OtelServerSpan implements ReadableSpan {
  readonly #sink: OtelServerSpanSink;
  readonly #context: SpanContext;
  readonly #startMonotonic: number;
  /** Wall clock minus monotonic clock at the start, as the SDK's span keeps it, so both give the same times. */
  readonly #clockOffset: number;
  #span: Span | undefined;
  #ended = false;
  public name: string;
  public readonly kind = SpanKind.SERVER;
  public readonly parentSpanContext: SpanContext | undefined;
  public readonly attributes: Attributes;
  public startTime: HrTime;
  public endTime: HrTime;
  public duration: HrTime;
  public status: SpanStatus = UNSET;
  public readonly links = NO_LINKS;
  public readonly events = NO_EVENTS;
  public readonly resource: Resource;
  public readonly instrumentationScope: InstrumentationScope;
  public readonly droppedAttributesCount = 0;
  public readonly droppedEventsCount = 0;
  public readonly droppedLinksCount = 0;

  /**
   * @param name - the span's name until it ends (the request method)
   * @param attributes - the request's attributes; the span adds the route and response to this object when it ends
   * @param startMonotonic - `performance.now()` when the request started
   */
  public constructor(
    sink: OtelServerSpanSink,
    traceId: string,
    spanId: string,
    parentSpanId: string | undefined,
    name: string,
    attributes: Attributes,
    startMonotonic: number,
  ) {
    this.#sink = sink;
    this.#context = { traceId, spanId, traceFlags: TraceFlags.SAMPLED };
    this.parentSpanContext =
      parentSpanId === undefined ? undefined : { traceId, spanId: parentSpanId, traceFlags: TraceFlags.SAMPLED, isRemote: true };
    this.name = name;
    this.attributes = attributes;
    this.#startMonotonic = startMonotonic;
    this.#clockOffset = Date.now() - epochMillisOf(monotonicNow());
    this.startTime = hrTime(startMonotonic + this.#clockOffset);
    this.endTime = this.startTime;
    this.duration = [0, 0];
    this.resource = sink.resource;
    this.instrumentationScope = sink.scope;
  }

  public spanContext(): SpanContext {
    return this.#context;
  }

  public get ended(): boolean {
    return this.#ended;
  }

  /**
   * The SDK span, made on first use with this span's ids, parent, attributes and start time. Asked for after the
   * span ended, it is a non-recording span with the same ids, as an ended SDK span would ignore what it is told.
   */
  public get span(): Span {
    if (this.#span === undefined) {
      if (this.#ended) return (this.#span = trace.wrapSpanContext(this.#context));
      const { traceId, spanId } = this.#context;
      const parent = this.parentSpanContext ? trace.setSpanContext(ROOT_CONTEXT, this.parentSpanContext) : ROOT_CONTEXT;
      this.#sink.ids.preset(this.parentSpanContext ? undefined : traceId, spanId);
      this.#span = this.#sink.tracer.startSpan(
        this.name,
        { kind: SpanKind.SERVER, attributes: this.attributes, startTime: this.#startMonotonic },
        parent,
      );
    }
    return this.#span;
  }

  /** Ends the span with the route and response status (5xx are errors, as OpenTelemetry's server semantics say). */
  public end(method: string, route: string, statusCode: number): void {
    if (this.#ended) return;
    this.#ended = true;
    const span = this.#span;
    if (span !== undefined) {
      span.updateName(`${method} ${route}`);
      span.setAttribute(ATTR_HTTP_ROUTE, route);
      span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, statusCode);
      if (statusCode >= 500) {
        span.setAttribute(ATTR_ERROR_TYPE, String(statusCode));
        span.setStatus({ code: SpanStatusCode.ERROR });
      }
      // A number the SDK reads as a performance.now() reading: sub-millisecond, like the start time it was given.
      span.end(monotonicNow());
      return;
    }
    this.name = `${method} ${route}`;
    this.attributes[ATTR_HTTP_ROUTE] = route;
    this.attributes[ATTR_HTTP_RESPONSE_STATUS_CODE] = statusCode;
    if (statusCode >= 500) {
      this.attributes[ATTR_ERROR_TYPE] = String(statusCode);
      this.status = ERROR;
    }
    this.endTime = hrTime(monotonicNow() + this.#clockOffset);
    this.duration = hrTimeDuration(this.startTime, this.endTime);
    this.#sink.processor.onEnd(this);
  }
}

export { OtelServerSpan };
export type { OtelServerSpanSink, PresetIds };
