/**
 * A minimal decoder of OTLP `ExportTraceServiceRequest` protobuf messages (opentelemetry-proto trace/v1), enough
 * for tests to read what the exporter sent: resource attributes, span ids, names, kinds, attributes, events and
 * status. It produces the same shape as the OTLP/JSON encoding, so one receiver handles both.
 */

type Field = { readonly number: number; readonly wireType: number; readonly value: bigint | Buffer };

const readVarint = (buffer: Buffer, offset: number): [bigint, number] => {
  let result = 0n;
  let shift = 0n;
  for (;;) {
    const byte = buffer[offset++]!;
    result |= BigInt(byte & 0x7f) << shift;
    if ((byte & 0x80) === 0) return [result, offset];
    shift += 7n;
  }
};

const fields = (buffer: Buffer): Field[] => {
  const out: Field[] = [];
  let offset = 0;
  while (offset < buffer.length) {
    const [key, afterKey] = readVarint(buffer, offset);
    offset = afterKey;
    const number = Number(key >> 3n);
    const wireType = Number(key & 7n);
    if (wireType === 0) {
      const [value, next] = readVarint(buffer, offset);
      out.push({ number, wireType, value });
      offset = next;
    } else if (wireType === 1) {
      out.push({ number, wireType, value: buffer.subarray(offset, offset + 8) });
      offset += 8;
    } else if (wireType === 2) {
      const [length, next] = readVarint(buffer, offset);
      out.push({ number, wireType, value: buffer.subarray(next, next + Number(length)) });
      offset = next + Number(length);
    } else if (wireType === 5) {
      out.push({ number, wireType, value: buffer.subarray(offset, offset + 4) });
      offset += 4;
    } else {
      throw new Error(`unsupported protobuf wire type ${wireType}`);
    }
  }
  return out;
};

const bytes = (field: Field): Buffer => field.value as Buffer;
const text = (field: Field): string => bytes(field).toString('utf8');

const anyValue = (buffer: Buffer): Record<string, unknown> => {
  const [field] = fields(buffer);
  if (!field) return {};
  switch (field.number) {
    case 1:
      return { stringValue: text(field) };
    case 2:
      return { boolValue: field.value === 1n };
    case 3:
      return { intValue: String(BigInt.asIntN(64, field.value as bigint)) };
    case 4:
      return { doubleValue: bytes(field).readDoubleLE(0) };
    case 5:
      return { arrayValue: { values: fields(bytes(field)).filter((f) => f.number === 1).map((f) => anyValue(bytes(f))) } };
    default:
      return {};
  }
};

const keyValues = (list: Field[]) =>
  list.map((field) => {
    const parts = fields(bytes(field));
    const key = parts.find((p) => p.number === 1);
    const value = parts.find((p) => p.number === 2);
    return { key: key ? text(key) : '', value: value ? anyValue(bytes(value)) : {} };
  });

const decodeSpan = (buffer: Buffer) => {
  const parts = fields(buffer);
  const one = (n: number) => parts.find((p) => p.number === n);
  const many = (n: number) => parts.filter((p) => p.number === n);
  const status = one(15) ? fields(bytes(one(15)!)) : [];
  return {
    traceId: bytes(one(1)!).toString('hex'),
    spanId: bytes(one(2)!).toString('hex'),
    parentSpanId: one(4) ? bytes(one(4)!).toString('hex') : undefined,
    name: one(5) ? text(one(5)!) : '',
    kind: Number(one(6)?.value ?? 0n),
    attributes: keyValues(many(9)),
    events: many(11).map((event) => {
      const eventParts = fields(bytes(event));
      const name = eventParts.find((p) => p.number === 2);
      return { name: name ? text(name) : '', attributes: keyValues(eventParts.filter((p) => p.number === 3)) };
    }),
    status: {
      code: Number(status.find((p) => p.number === 3)?.value ?? 0n),
      message: status.find((p) => p.number === 2) ? text(status.find((p) => p.number === 2)!) : undefined,
    },
  };
};

/** Decodes an `ExportTraceServiceRequest` into the OTLP/JSON shape (`resourceSpans[].scopeSpans[].spans[]`). */
const decodeExportTraceServiceRequest = (buffer: Buffer) => ({
  resourceSpans: fields(buffer)
    .filter((f) => f.number === 1)
    .map((resourceSpans) => {
      const parts = fields(bytes(resourceSpans));
      const resource = parts.find((p) => p.number === 1);
      return {
        resource: { attributes: resource ? keyValues(fields(bytes(resource)).filter((p) => p.number === 1)) : [] },
        scopeSpans: parts
          .filter((p) => p.number === 2)
          .map((scopeSpans) => ({ spans: fields(bytes(scopeSpans)).filter((p) => p.number === 2).map((span) => decodeSpan(bytes(span))) })),
      };
    }),
});

export { decodeExportTraceServiceRequest };
