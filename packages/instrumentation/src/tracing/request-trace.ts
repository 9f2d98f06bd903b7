import { SpanStatusCode, type Context, type Span } from '@opentelemetry/api';
import type { Diagnostics } from '../logging/diagnostics.js';
import type { AnnotationValue } from '../types.js';
import { toXRayTraceId } from '../xray-trace-id.js';
import type { XRayEntity } from './xray-sdk.js';

/** Attribute the ADOT collector's `awsxray` exporter reads to turn span attributes into X-Ray annotations. */
const XRAY_ANNOTATIONS_ATTRIBUTE = 'aws.xray.annotations';

const ANNOTATION_KEY = /^[A-Za-z0-9_]+$/;

/**
 * @internal The trace of one incoming request: its ids and sampling decision, and the span (OpenTelemetry)
 * and/or segment (X-Ray) recording it. Annotations, metadata and exceptions go to whichever backends are on.
 */
class RequestTrace {
  /** 32 lower-case hex characters. */
  public readonly traceId: string;
  /** Id of the server span, which is also the X-Ray segment id. */
  public readonly spanId: string;
  public readonly sampled: boolean;
  public readonly span: Span | undefined;
  public readonly segment: XRayEntity | undefined;
  /** `performance.now()` at the start of the request. */
  public readonly startTime: number;
  /** The OpenTelemetry context the handler runs in. */
  public context!: Context;
  /** True while an async handler has not settled: its rejection may still arrive after the response closed. */
  public handlerPending = false;
  #annotationKeys: string[] | undefined;
  #xrayTraceId: string | undefined;

  public constructor(
    traceId: string,
    spanId: string,
    sampled: boolean,
    span: Span | undefined,
    segment: XRayEntity | undefined,
    startTime: number,
  ) {
    this.traceId = traceId;
    this.spanId = spanId;
    this.sampled = sampled;
    this.span = span;
    this.segment = segment;
    this.startTime = startTime;
  }

  /** The trace id in X-Ray format, `1-xxxxxxxx-yyyyyyyyyyyyyyyyyyyyyyyy`. */
  public get xrayTraceId(): string {
    return (this.#xrayTraceId ??= toXRayTraceId(this.traceId));
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
    if (this.span) {
      this.span.setAttribute(safeKey, value);
      const keys = (this.#annotationKeys ??= []);
      if (!keys.includes(safeKey)) keys.push(safeKey);
      this.span.setAttribute(XRAY_ANNOTATIONS_ATTRIBUTE, keys);
    }
  }

  /** Adds metadata: X-Ray metadata (any JSON value), and a span attribute (objects as JSON text). */
  public metadata(key: string, value: unknown): void {
    if (!this.sampled) return;
    this.segment?.addMetadata(key, value);
    if (this.span) {
      const attribute =
        typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? value : JSON.stringify(value);
      if (attribute !== undefined) this.span.setAttribute(key, attribute);
    }
  }

  /** Records an exception on the span (event + error status) and the segment (cause with stack, fault). */
  public recordException(error: unknown): void {
    if (!this.sampled) return;
    const err = error instanceof Error ? error : new Error(String(error));
    if (this.span) {
      this.span.recordException(err);
      this.span.setStatus({ code: SpanStatusCode.ERROR, message: err.message });
    }
    this.segment?.addError(err);
  }
}

export { RequestTrace, XRAY_ANNOTATIONS_ATTRIBUTE };
