import {
  ROOT_CONTEXT,
  SpanStatusCode,
  TraceFlags,
  trace,
  type AttributeValue,
  type Attributes,
  type HrTime,
  type Link,
  type Span,
  type SpanContext,
  type SpanKind,
  type SpanStatus,
  type Tracer,
} from '@opentelemetry/api';
import { hrTime, hrTimeDuration, type InstrumentationScope } from '@opentelemetry/core';
import type { Resource } from '@opentelemetry/resources';
import type { ReadableSpan, SpanProcessor, TimedEvent } from '@opentelemetry/sdk-trace-base';
import { epochMillisOf, monotonicNow } from '../clock.js';

/** @internal Tells the provider's id generator the ids of the next span it starts. */
interface PresetIds {
  preset(traceId: string | undefined, spanId: string): void;
}

/**
 * @internal What the deferred spans of one provider share: its tracer and id generator, to make an SDK span with,
 * and its span processor, resource and tracer's scope, which a span that needed none is handed to as it is.
 */
interface DeferredSpanSink {
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
 * @internal An OpenTelemetry span of ours (a request's server span, or the client span of its outgoing call) that
 * needs no SDK span unless something asks for one. Most sampled requests record nothing but their request, response
 * and calls: then this object is itself the ended span ({@link ReadableSpan}) that the batch processor exports. A
 * span that is annotated, given metadata or an exception, asked for as the active span, or given children by user
 * code gets an SDK span with the same ids and start time, made the first time it is needed
 * ({@link DeferredSpan.span}); what it is told after that goes to the SDK span. Why: the SDK's span is code that a
 * sampled request runs once in twenty requests, cold each time, as for the X-Ray segment
 * (docs/benchmarks/instrumentation.md).
 */
class DeferredSpan implements ReadableSpan {
  readonly #sink: DeferredSpanSink;
  readonly #context: SpanContext;
  readonly #startMonotonic: number;
  /** Wall clock minus monotonic clock at the start, as the SDK's span keeps it, so both give the same times. */
  readonly #clockOffset: number;
  #span: Span | undefined;
  #ended = false;
  public name: string;
  public readonly kind: SpanKind;
  public readonly parentSpanContext: SpanContext | undefined;
  public readonly attributes: Attributes;
  public readonly startTime: HrTime;
  public endTime: HrTime;
  public duration: HrTime = [0, 0];
  public status: SpanStatus = UNSET;
  public readonly links = NO_LINKS;
  public readonly events = NO_EVENTS;
  public readonly resource: Resource;
  public readonly instrumentationScope: InstrumentationScope;
  public readonly droppedAttributesCount = 0;
  public readonly droppedEventsCount = 0;
  public readonly droppedLinksCount = 0;

  /**
   * @param parent - the parent span's context (a remote caller's, or the server span's), none for a root span
   * @param attributes - the span's attributes so far: the span keeps this object and adds to it
   * @param startMonotonic - `performance.now()` when the span started
   */
  public constructor(
    sink: DeferredSpanSink,
    kind: SpanKind,
    traceId: string,
    spanId: string,
    parent: SpanContext | undefined,
    name: string,
    attributes: Attributes,
    startMonotonic: number,
  ) {
    this.#sink = sink;
    this.#context = { traceId, spanId, traceFlags: TraceFlags.SAMPLED };
    this.kind = kind;
    this.parentSpanContext = parent;
    this.name = name;
    this.attributes = attributes;
    this.#startMonotonic = startMonotonic;
    this.#clockOffset = Date.now() - epochMillisOf(monotonicNow());
    this.startTime = hrTime(startMonotonic + this.#clockOffset);
    this.endTime = this.startTime;
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
      const parent = this.parentSpanContext;
      this.#sink.ids.preset(parent ? undefined : traceId, spanId);
      this.#span = this.#sink.tracer.startSpan(
        this.name,
        { kind: this.kind, attributes: this.attributes, startTime: this.#startMonotonic },
        parent ? trace.setSpanContext(ROOT_CONTEXT, parent) : ROOT_CONTEXT,
      );
    }
    return this.#span;
  }

  public updateName(name: string): void {
    if (this.#span) this.#span.updateName(name);
    else if (!this.#ended) this.name = name;
  }

  public setAttribute(key: string, value: AttributeValue): void {
    if (this.#span) this.#span.setAttribute(key, value);
    else if (!this.#ended) this.attributes[key] = value;
  }

  /** Sets the error status, unless it has one: the message of an exception recorded on the SDK span stays. */
  public setError(): void {
    const span = this.#span;
    if (span === undefined) {
      if (!this.#ended) this.status = ERROR;
    } else if ((span as Partial<ReadableSpan>).status?.code !== SpanStatusCode.ERROR) {
      span.setStatus({ code: SpanStatusCode.ERROR });
    }
  }

  /** Ends the span: hands it to the batch processor as it is, or ends its SDK span. */
  public end(): void {
    if (this.#ended) return;
    this.#ended = true;
    if (this.#span) {
      // A number the SDK reads as a performance.now() reading: sub-millisecond, like the start time it was given.
      this.#span.end(monotonicNow());
      return;
    }
    this.endTime = hrTime(monotonicNow() + this.#clockOffset);
    this.duration = hrTimeDuration(this.startTime, this.endTime);
    this.#sink.processor.onEnd(this);
  }
}

export { DeferredSpan };
export type { DeferredSpanSink, PresetIds };
