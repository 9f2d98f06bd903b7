/**
 * The OTLP protobuf encoding of @eks-o11y/instrumentation's OpenTelemetry backend against OpenTelemetry's own
 * ProtobufTraceSerializer (what OTLPTraceExporter uses, and what the backend used before), on the same batches of
 * server spans, in one process. Both run on the server's thread in production, once per exported batch.
 *
 * A batch is 512 spans (the batch span processor's default) shaped like the middleware's server spans: an X-Ray-format
 * trace id, a remote parent, the HTTP attributes it sets. Both encoders first encode it 300 times (so V8 has optimised
 * them), then take turns for ROUNDS rounds; each round times a run of encodes of each. The figure per encoder is its
 * fastest round, in nanoseconds per span: on a shared machine the fastest round is the one least disturbed by other
 * work, and both encoders get the same chances. Before timing, the two outputs are checked to be the same bytes.
 *
 * Results: results/otlp-encoding.json; docs/benchmarks/instrumentation.md ("How the hot path was made cheaper") shows
 * them.
 */
import { ROOT_CONTEXT, SpanKind, TraceFlags, trace } from '@opentelemetry/api';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
// Internal to the package (not exported): the built file, as the middleware loads it.
import { OtlpProtobufEncoder } from '../packages/instrumentation/lib/tracing/otlp-protobuf-encoder.js';
import { writeResults } from './support/results.js';

const SPANS_PER_BATCH = 512;
const WARM_UP_ENCODES = 300;
const ROUNDS = Number(process.env.OTLP_ENCODING_BENCH_ROUNDS ?? 40);
const ENCODES_PER_ROUND = 20;

/** A batch of ended server spans like the middleware's, with deterministic ids. */
const serverSpans = (): ReadableSpan[] => {
  const recorder = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'checkout', 'deployment.environment': 'production' }),
    spanProcessors: [new SimpleSpanProcessor(recorder)],
  });
  const tracer = provider.getTracer('@eks-o11y/instrumentation', '0.1.0');
  const hex = (value: number, digits: number): string => value.toString(16).padStart(digits, '0');
  for (let i = 0; i < SPANS_PER_BATCH; i += 1) {
    const parent = trace.setSpanContext(ROOT_CONTEXT, {
      traceId: `${hex(1_765_000_000 + i, 8)}${hex(i * 7_919, 12)}${hex(i * 104_729, 12)}`,
      spanId: hex(i * 15_485_863 + 1, 16),
      traceFlags: TraceFlags.SAMPLED,
      isRemote: true,
    });
    tracer
      .startSpan(
        'GET /products/:id',
        {
          kind: SpanKind.SERVER,
          attributes: {
            'http.request.method': 'GET',
            'url.path': `/products/${i}`,
            'url.scheme': 'http',
            'server.address': 'checkout.shop.svc.cluster.local',
            'server.port': 8080,
            'client.address': '10.0.42.17',
            'network.peer.port': 40_000 + i,
            'user_agent.original': 'Mozilla/5.0 (compatible; storefront/2.3)',
            'http.route': '/products/:id',
            'http.response.status_code': 200,
          },
        },
        parent,
      )
      .end();
  }
  return recorder.getFinishedSpans();
};

/** Nanoseconds per span of `encodes` encodes of `spans`. */
const timeEncodes = (encode: () => Uint8Array | undefined, encodes: number): number => {
  const start = process.hrtime.bigint();
  for (let i = 0; i < encodes; i += 1) encode();
  return Number(process.hrtime.bigint() - start) / encodes / SPANS_PER_BATCH;
};

const main = (): void => {
  const spans = serverSpans();
  const encoder = new OtlpProtobufEncoder();
  const encoders = {
    ours: () => encoder.encode(spans),
    opentelemetry: () => ProtobufTraceSerializer.serializeRequest(spans),
  };
  const ours = Buffer.from(encoders.ours());
  const theirs = Buffer.from(encoders.opentelemetry()!);
  if (!ours.equals(theirs)) throw new Error('The two encoders wrote different bytes for the same spans; fix the encoder before timing it.');

  for (const encode of Object.values(encoders)) for (let i = 0; i < WARM_UP_ENCODES; i += 1) encode();
  const fastest = { ours: Infinity, opentelemetry: Infinity };
  for (let round = 0; round < ROUNDS; round += 1) {
    fastest.ours = Math.min(fastest.ours, timeEncodes(encoders.ours, ENCODES_PER_ROUND));
    fastest.opentelemetry = Math.min(fastest.opentelemetry, timeEncodes(encoders.opentelemetry, ENCODES_PER_ROUND));
  }
  const speedup = fastest.opentelemetry / fastest.ours;
  console.log(
    `OTLP protobuf, ${SPANS_PER_BATCH} server spans a batch (${ours.length} bytes): ours ${fastest.ours.toFixed(0)} ns/span, ` +
      `OpenTelemetry's ProtobufTraceSerializer ${fastest.opentelemetry.toFixed(0)} ns/span: ${speedup.toFixed(2)}x faster, same bytes`,
  );
  writeResults('otlp-encoding', {
    method: `fastest of ${ROUNDS} alternating rounds of ${ENCODES_PER_ROUND} encodes each, after ${WARM_UP_ENCODES} warm-up encodes; batches of ${SPANS_PER_BATCH} server spans; outputs checked byte for byte first`,
    batchBytes: ours.length,
    nanosPerSpan: { ours: Math.round(fastest.ours), opentelemetryProtobufTraceSerializer: Math.round(fastest.opentelemetry) },
    speedup: Number(speedup.toFixed(2)),
  });
};

main();
