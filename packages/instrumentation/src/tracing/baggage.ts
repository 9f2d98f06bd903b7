import { defaultTextMapGetter, defaultTextMapSetter, propagation, ROOT_CONTEXT, type Baggage, type Context } from '@opentelemetry/api';
import { W3CBaggagePropagator } from '@opentelemetry/core';
import type { IncomingHttpHeaders } from 'node:http';

/** OpenTelemetry's W3C Baggage codec: percent-encoding, properties, and the specification's size limits. */
const w3cBaggage = new W3CBaggagePropagator();

/** @internal The baggage of a request's `baggage` header (repeated headers arrive joined), or undefined without a valid entry. */
const incomingBaggage = (headers: IncomingHttpHeaders): Baggage | undefined =>
  propagation.getBaggage(w3cBaggage.extract(ROOT_CONTEXT, headers, defaultTextMapGetter));

/** @internal Adds a `baggage` header for `context`'s baggage to `headers`; nothing when it has none. */
const addBaggageHeader = (context: Context, headers: Record<string, string>): void => {
  w3cBaggage.inject(context, headers, defaultTextMapSetter);
};

export { incomingBaggage, addBaggageHeader };
