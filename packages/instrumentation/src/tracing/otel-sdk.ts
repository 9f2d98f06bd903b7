import { createRequire } from 'node:module';
import type * as OtlpHttpExporter from '@opentelemetry/exporter-trace-otlp-http';
import type * as OtlpProtobufExporter from '@opentelemetry/exporter-trace-otlp-proto';
import type * as OtlpTransformer from '@opentelemetry/otlp-transformer';
import type * as Resources from '@opentelemetry/resources';
import type * as SdkTraceBase from '@opentelemetry/sdk-trace-base';
import type { Diagnostics } from '../logging/diagnostics.js';

/*
 * The OpenTelemetry SDK, OTLP exporters and serialisers are loaded when something first needs them, not with the
 * package: backends `none` and `xray` never load them (about 5 MiB less resident memory a process), and the `otel`
 * backend loads an exporter and OpenTelemetry's serialisers only for OTLP/HTTP JSON or when its export thread cannot
 * run (3.5 MiB less). These packages are CommonJS, so `require` gives the same module instances an `import` would.
 */
const require = createRequire(import.meta.url);

/** @internal The parts of the OpenTelemetry SDK that the `otel` backend uses. */
interface OtelSdk {
  readonly AlwaysOnSampler: typeof SdkTraceBase.AlwaysOnSampler;
  readonly BasicTracerProvider: typeof SdkTraceBase.BasicTracerProvider;
  readonly BatchSpanProcessor: typeof SdkTraceBase.BatchSpanProcessor;
  readonly ParentBasedSampler: typeof SdkTraceBase.ParentBasedSampler;
  readonly resourceFromAttributes: typeof Resources.resourceFromAttributes;
}

/**
 * @internal The OpenTelemetry trace SDK and resources; undefined, after reporting once, when they cannot be loaded
 * (a bundle that left them out of node_modules, say).
 */
const loadOtelSdk = (diagnostics: Diagnostics): OtelSdk | undefined => {
  try {
    const { AlwaysOnSampler, BasicTracerProvider, BatchSpanProcessor, ParentBasedSampler } = require('@opentelemetry/sdk-trace-base') as typeof SdkTraceBase;
    const { resourceFromAttributes } = require('@opentelemetry/resources') as typeof Resources;
    return { AlwaysOnSampler, BasicTracerProvider, BatchSpanProcessor, ParentBasedSampler, resourceFromAttributes };
  } catch (error) {
    diagnostics.problem(
      'otel-sdk-load',
      'The otel backend could not load @opentelemetry/sdk-trace-base or @opentelemetry/resources (dependencies of this ' +
        'package, loaded when the backend starts); OpenTelemetry spans are not recorded. If you bundle your app, keep ' +
        'the @opentelemetry packages external, in node_modules.',
      error,
    );
    return undefined;
  }
};

/** @internal OpenTelemetry's OTLP/HTTP span exporter for `protocol` (both share one constructor signature). */
const loadOtlpTraceExporter = (protocol: 'http/protobuf' | 'http/json'): typeof OtlpHttpExporter.OTLPTraceExporter =>
  protocol === 'http/json'
    ? (require('@opentelemetry/exporter-trace-otlp-http') as typeof OtlpHttpExporter).OTLPTraceExporter
    : (require('@opentelemetry/exporter-trace-otlp-proto') as typeof OtlpProtobufExporter).OTLPTraceExporter;

/** @internal OpenTelemetry's OTLP JSON serialiser. */
const loadJsonTraceSerializer = (): typeof OtlpTransformer.JsonTraceSerializer =>
  (require('@opentelemetry/otlp-transformer') as typeof OtlpTransformer).JsonTraceSerializer;

export { loadJsonTraceSerializer, loadOtelSdk, loadOtlpTraceExporter };
