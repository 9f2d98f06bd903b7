import { Buffer } from 'node:buffer';
import type { Attributes, HrTime, SpanContext } from '@opentelemetry/api';
import type { InstrumentationScope } from '@opentelemetry/core';
import type { Resource } from '@opentelemetry/resources';
import type { ReadableSpan, TimedEvent } from '@opentelemetry/sdk-trace-base';

/*
 * Encodes spans as an OTLP ExportTraceServiceRequest in protobuf, byte for byte what ProtobufTraceSerializer of
 * @opentelemetry/otlp-transformer writes (the same fields, in the same order, with the same defaults), in about a
 * third of the CPU. Why our own: that serialiser was about three fifths of what a recorded span cost the server's
 * thread (docs/benchmarks/instrumentation.md, "Counted in instructions"). It walks every batch twice (once to estimate the size)
 * and checks, then copies, every string one character at a time through a generic writer; this writes once into a
 * reused buffer, copying ASCII in the loop that checks it and turning hex ids into bytes through a lookup table.
 * test/otlp-protobuf-encoder.test.ts compares the bytes with the transformer's for every kind of field.
 */

// Protobuf wire types.
const VARINT = 0;
const FIXED64 = 1;
const LENGTH_DELIMITED = 2;
const FIXED32 = 5;

const SPAN_FLAGS_HAS_IS_REMOTE = 0x100;
const SPAN_FLAGS_IS_REMOTE = 0x200;
const MIN_INT64 = -(2 ** 63);
const MAX_INT64 = 2 ** 63;
const INITIAL_CAPACITY = 64 * 1024;

/** Bytes of the unsigned varint `value` (< 2^32). */
const varintSize = (value: number): number =>
  value < 0x80 ? 1 : value < 0x4000 ? 2 : value < 0x200000 ? 3 : value < 0x10000000 ? 4 : 5;

/** A hex digit's value, as the transformer's hexToBinary reads it (anything else is taken for A–F). */
const hexValue = (code: number): number => (code >= 48 && code <= 57 ? code - 48 : code >= 97 && code <= 102 ? code - 87 : code - 55);
/** {@link hexValue} of the character codes below 128, looked up rather than computed. */
const HEX_VALUES = Uint8Array.from({ length: 128 }, (_, code) => hexValue(code));
const hexDigit = (code: number): number => (code < 128 ? HEX_VALUES[code]! : hexValue(code));

/** A growable protobuf output buffer. One per encoder, reused from batch to batch: it keeps the size of the largest. */
class ProtobufOutput {
  #bytes = Buffer.allocUnsafe(INITIAL_CAPACITY);
  pos = 0;

  /** The bytes written so far, as a copy the caller owns. */
  public take(): Uint8Array {
    // Not zero-filled, and not from Node's pool: the bytes own their whole ArrayBuffer, so they can be transferred.
    const result = Buffer.allocUnsafeSlow(this.pos);
    this.#bytes.copy(result, 0, 0, this.pos);
    this.pos = 0;
    return result;
  }

  public tag(field: number, wireType: number): void {
    const key = (field << 3) | wireType;
    if (key > 0x7f) {
      this.varint(key);
      return;
    }
    this.#reserve(1);
    this.#bytes[this.pos++] = key;
  }

  /** The transformer's varint: unsigned 32-bit values directly, anything else as a two's-complement 64-bit int. */
  public varint(value: number): void {
    this.#reserve(10);
    const bytes = this.#bytes;
    if (value >= 0 && value <= 0xffffffff) {
      this.pos = this.#varintAt(this.pos, value);
      return;
    }
    const magnitude = Math.abs(value);
    let low = magnitude >>> 0;
    let high = (magnitude / 0x100000000) >>> 0;
    if (!(value >= 0)) {
      low = (~low + 1) >>> 0;
      high = (~high + (low === 0 ? 1 : 0)) >>> 0;
    }
    while (high > 0 || low > 0x7f) {
      bytes[this.pos++] = (low & 0x7f) | 0x80;
      low = ((low >>> 7) | (high << 25)) >>> 0;
      high >>>= 7;
    }
    bytes[this.pos++] = low & 0x7f;
  }

  public fixed32(value: number): void {
    this.#reserve(4);
    this.#uint32At(this.pos, value);
    this.pos += 4;
  }

  /** Nanoseconds since the epoch of an HrTime, as fixed64, without losing precision to doubles. */
  public hrTime(time: HrTime): void {
    const [seconds, nanos] = time;
    // seconds × 10^9 + nanos, split into 32-bit halves: seconds is split at 16 bits so each product stays exact.
    const lowPart = (seconds & 0xffff) * 1e9;
    const highPart = ((seconds / 0x10000) >>> 0) * 1e9;
    const low = (lowPart >>> 0) + (((highPart & 0xffff) * 0x10000) >>> 0) + nanos;
    const high = Math.floor(lowPart / 0x100000000) + ((highPart / 0x10000) >>> 0) + Math.floor(low / 0x100000000);
    this.#reserve(8);
    this.#uint32At(this.pos, low);
    this.#uint32At(this.pos + 4, high);
    this.pos += 8;
  }

  public double(value: number): void {
    this.#reserve(8);
    this.pos = this.#bytes.writeDoubleLE(value, this.pos);
  }

  /** A length-delimited UTF-8 string. ASCII is copied while it is checked; anything else goes through Buffer. */
  public string(value: string): void {
    const length = value.length;
    this.#reserve(length + 5);
    const bytes = this.#bytes;
    const start = this.pos + varintSize(length);
    let i = 0;
    while (i < length) {
      const code = value.charCodeAt(i);
      if (code > 0x7f) break;
      bytes[start + i] = code;
      i += 1;
    }
    if (i === length) {
      this.pos = this.#varintAt(this.pos, length) + length;
      return;
    }
    const byteLength = Buffer.byteLength(value, 'utf8');
    this.#reserve(byteLength + 5);
    this.pos = this.#varintAt(this.pos, byteLength);
    this.pos += this.#bytes.write(value, this.pos, 'utf8');
  }

  public bytes(value: Uint8Array): void {
    this.varint(value.length);
    this.#reserve(value.length);
    this.#bytes.set(value, this.pos);
    this.pos += value.length;
  }

  /** A trace or span id, hex on the SDK side and bytes on the wire. */
  public hexBytes(hex: string): void {
    const length = hex.length >>> 1;
    this.varint(length);
    this.#reserve(length);
    const bytes = this.#bytes;
    let at = this.pos;
    for (let i = 0; i < 2 * length; i += 2) bytes[at++] = (hexDigit(hex.charCodeAt(i)) << 4) | hexDigit(hex.charCodeAt(i + 1));
    this.pos = at;
  }

  /** Starts a length-delimited message: one byte is kept for its length, which is all most need. */
  public begin(): number {
    this.#reserve(1);
    return this.pos++;
  }

  /** Ends the message begun at `lengthAt`, moving it up when its length needs more than one byte. */
  public end(lengthAt: number): void {
    const length = this.pos - lengthAt - 1;
    const size = varintSize(length);
    if (size > 1) {
      this.#reserve(size - 1);
      this.#bytes.copyWithin(lengthAt + size, lengthAt + 1, this.pos);
      this.pos += size - 1;
    }
    this.#varintAt(lengthAt, length);
  }

  /** Writes `value` as a little-endian unsigned 32-bit integer at `position`, in room already reserved. */
  #uint32At(position: number, value: number): void {
    const bytes = this.#bytes;
    bytes[position] = value;
    bytes[position + 1] = value >>> 8;
    bytes[position + 2] = value >>> 16;
    bytes[position + 3] = value >>> 24;
  }

  /** Writes the unsigned 32-bit varint `value` at `position`, in room already reserved; returns where it ends. */
  #varintAt(position: number, value: number): number {
    const bytes = this.#bytes;
    let at = position;
    let v = value >>> 0;
    while (v > 0x7f) {
      bytes[at++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    bytes[at++] = v;
    return at;
  }

  #reserve(more: number): void {
    if (this.pos + more <= this.#bytes.length) return;
    let capacity = this.#bytes.length * 2;
    while (capacity < this.pos + more) capacity *= 2;
    const grown = Buffer.allocUnsafe(capacity);
    this.#bytes.copy(grown, 0, 0, this.pos);
    this.#bytes = grown;
  }
}

/** @internal Encodes span batches as OTLP protobuf; keeps its buffer between batches. */
class OtlpProtobufEncoder {
  readonly #out = new ProtobufOutput();

  /** The ExportTraceServiceRequest for `spans`, grouped by resource, then scope, in the order they first appear. */
  public encode(spans: readonly ReadableSpan[]): Uint8Array {
    const out = this.#out;
    out.pos = 0;
    for (const [resource, scopes] of groupByResourceAndScope(spans)) {
      out.tag(1, LENGTH_DELIMITED);
      const resourceSpans = out.begin();
      this.#resource(resource);
      for (const [scope, scopeSpans] of scopes) {
        out.tag(2, LENGTH_DELIMITED);
        const scopeSpansAt = out.begin();
        this.#scope(scope);
        for (const span of scopeSpans) this.#span(span);
        if (scope.schemaUrl) {
          out.tag(3, LENGTH_DELIMITED);
          out.string(scope.schemaUrl);
        }
        out.end(scopeSpansAt);
      }
      if (resource.schemaUrl) {
        out.tag(3, LENGTH_DELIMITED);
        out.string(resource.schemaUrl);
      }
      out.end(resourceSpans);
    }
    return out.take();
  }

  #resource(resource: Resource): void {
    const out = this.#out;
    out.tag(1, LENGTH_DELIMITED);
    const at = out.begin();
    const attributes = resource.attributes;
    if (attributes) this.#attributes(attributes, 1);
    out.tag(2, VARINT);
    out.varint(0);
    out.end(at);
  }

  #scope(scope: InstrumentationScope & { attributes?: Attributes; droppedAttributesCount?: number }): void {
    const out = this.#out;
    out.tag(1, LENGTH_DELIMITED);
    const at = out.begin();
    out.tag(1, LENGTH_DELIMITED);
    out.string(scope.name);
    if (scope.version) {
      out.tag(2, LENGTH_DELIMITED);
      out.string(scope.version);
    }
    if (scope.attributes) this.#attributes(scope.attributes, 3);
    if (scope.droppedAttributesCount) {
      out.tag(4, VARINT);
      out.varint(scope.droppedAttributesCount);
    }
    out.end(at);
  }

  #span(span: ReadableSpan): void {
    const out = this.#out;
    out.tag(2, LENGTH_DELIMITED);
    const at = out.begin();
    const context = span.spanContext();
    this.#contextFields(context);
    const parent = span.parentSpanContext;
    if (parent?.spanId) {
      out.tag(4, LENGTH_DELIMITED);
      out.hexBytes(parent.spanId);
    }
    out.tag(5, LENGTH_DELIMITED);
    out.string(span.name);
    // The API's kinds start at 0 (INTERNAL); the protocol keeps 0 for "unspecified".
    const kind = span.kind == null ? 0 : span.kind + 1;
    if (kind !== 0) {
      out.tag(6, VARINT);
      out.varint(kind);
    }
    out.tag(7, FIXED64);
    out.hrTime(span.startTime);
    out.tag(8, FIXED64);
    out.hrTime(span.endTime);
    if (span.attributes) this.#attributes(span.attributes, 9);
    out.tag(10, VARINT);
    out.varint(span.droppedAttributesCount);
    for (const event of span.events) this.#event(event);
    out.tag(12, VARINT);
    out.varint(span.droppedEventsCount);
    for (const link of span.links) this.#link(link.context, link.attributes, link.droppedAttributesCount);
    out.tag(14, VARINT);
    out.varint(span.droppedLinksCount);
    out.tag(15, LENGTH_DELIMITED);
    const statusAt = out.begin();
    if (span.status.message) {
      out.tag(2, LENGTH_DELIMITED);
      out.string(span.status.message);
    }
    out.tag(3, VARINT);
    out.varint(span.status.code);
    out.end(statusAt);
    out.tag(16, FIXED32);
    out.fixed32(spanFlags(context.traceFlags, parent?.isRemote));
    out.end(at);
  }

  /** Fields 1 to 3 of a Span and of a Link alike: the trace id, the span id and the trace state. */
  #contextFields(context: SpanContext): void {
    const out = this.#out;
    out.tag(1, LENGTH_DELIMITED);
    out.hexBytes(context.traceId);
    out.tag(2, LENGTH_DELIMITED);
    out.hexBytes(context.spanId);
    const traceState = context.traceState?.serialize();
    if (traceState) {
      out.tag(3, LENGTH_DELIMITED);
      out.string(traceState);
    }
  }

  #event(event: TimedEvent): void {
    const out = this.#out;
    out.tag(11, LENGTH_DELIMITED);
    const at = out.begin();
    out.tag(1, FIXED64);
    out.hrTime(event.time);
    out.tag(2, LENGTH_DELIMITED);
    out.string(event.name);
    if (event.attributes) this.#attributes(event.attributes, 3);
    out.tag(4, VARINT);
    out.varint(event.droppedAttributesCount || 0);
    out.end(at);
  }

  #link(context: SpanContext, attributes: Attributes | undefined, droppedAttributesCount: number | undefined): void {
    const out = this.#out;
    out.tag(13, LENGTH_DELIMITED);
    const at = out.begin();
    this.#contextFields(context);
    if (attributes) this.#attributes(attributes, 4);
    out.tag(5, VARINT);
    out.varint(droppedAttributesCount || 0);
    out.tag(6, FIXED32);
    out.fixed32(spanFlags(context.traceFlags, context.isRemote));
    out.end(at);
  }

  /** Repeated KeyValue under `field`: own enumerable keys, as the transformer reads them. */
  #attributes(attributes: Readonly<Record<string, unknown>>, field: number): void {
    const out = this.#out;
    for (const key in attributes) {
      if (!Object.hasOwn(attributes, key)) continue;
      out.tag(field, LENGTH_DELIMITED);
      const at = out.begin();
      this.#keyValue(key, attributes[key]);
      out.end(at);
    }
  }

  #keyValue(key: string, value: unknown): void {
    const out = this.#out;
    out.tag(1, LENGTH_DELIMITED);
    out.string(key);
    out.tag(2, LENGTH_DELIMITED);
    const at = out.begin();
    this.#anyValue(value);
    out.end(at);
  }

  /** An AnyValue. Values of other types (undefined, functions…) are written empty, as the transformer does. */
  #anyValue(value: unknown): void {
    const out = this.#out;
    if (typeof value === 'string') {
      out.tag(1, LENGTH_DELIMITED);
      out.string(value);
    } else if (typeof value === 'boolean') {
      out.tag(2, VARINT);
      out.varint(value ? 1 : 0);
    } else if (typeof value === 'number') {
      if (Number.isInteger(value) && value >= MIN_INT64 && value < MAX_INT64) {
        out.tag(3, VARINT);
        out.varint(value);
      } else {
        out.tag(4, FIXED64);
        out.double(value);
      }
    } else if (value instanceof Uint8Array) {
      out.tag(7, LENGTH_DELIMITED);
      out.bytes(value);
    } else if (Array.isArray(value)) {
      out.tag(5, LENGTH_DELIMITED);
      const at = out.begin();
      for (const item of value as unknown[]) {
        out.tag(1, LENGTH_DELIMITED);
        const itemAt = out.begin();
        this.#anyValue(item);
        out.end(itemAt);
      }
      out.end(at);
    } else if (typeof value === 'object' && value !== null) {
      out.tag(6, LENGTH_DELIMITED);
      const at = out.begin();
      this.#attributes(value as Record<string, unknown>, 1);
      out.end(at);
    }
  }
}

/** The OTLP span flags: W3C trace flags, and whether the (parent) context came from another process. */
const spanFlags = (traceFlags: number, isRemote: boolean | undefined): number =>
  (traceFlags & 0xff) | SPAN_FLAGS_HAS_IS_REMOTE | (isRemote ? SPAN_FLAGS_IS_REMOTE : 0);

/** Spans by resource, then by instrumentation scope, both by identity, as the transformer groups them. */
const groupByResourceAndScope = (spans: readonly ReadableSpan[]): Map<Resource, Map<InstrumentationScope, ReadableSpan[]>> => {
  const byResource = new Map<Resource, Map<InstrumentationScope, ReadableSpan[]>>();
  for (const span of spans) {
    let byScope = byResource.get(span.resource);
    if (byScope === undefined) {
      byScope = new Map();
      byResource.set(span.resource, byScope);
    }
    const scopeSpans = byScope.get(span.instrumentationScope);
    if (scopeSpans === undefined) byScope.set(span.instrumentationScope, [span]);
    else scopeSpans.push(span);
  }
  return byResource;
};

export { OtlpProtobufEncoder };
