/**
 * @internal The thread behind {@link OtlpThreadSpanExporter}: OpenTelemetry's own OTLP/HTTP client (retries,
 * Retry-After, timeouts, compression and TLS settings from OTEL_EXPORTER_OTLP_* variables), sending the batches the
 * main thread serialised. Only package imports, so Node can also run this file as TypeScript (the tests do).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { OTLPExporterBase } from '@opentelemetry/otlp-exporter-base';
import { convertLegacyHttpOptions, createOtlpHttpExportDelegate } from '@opentelemetry/otlp-exporter-base/node-http';
import { JsonTraceSerializer, ProtobufTraceSerializer, type ISerializer } from '@opentelemetry/otlp-transformer';

interface SerializedBatch {
  readonly bytes: Uint8Array;
  readonly spans: number;
}

const { protocol, url, headers, timeoutMillis } = workerData as {
  protocol: 'http/protobuf' | 'http/json';
  url: string;
  headers: Record<string, string>;
  timeoutMillis: number;
};
const json = protocol === 'http/json';
const responseSerializer = json ? JsonTraceSerializer : ProtobufTraceSerializer;
/** The batch is already serialised: the delegate sends its bytes as they are. */
const serializer: ISerializer<SerializedBatch, unknown> = {
  serializeRequest: (batch) => batch.bytes,
  deserializeResponse: (data) => responseSerializer.deserializeResponse(data),
};
const exporter = new OTLPExporterBase<SerializedBatch>(
  createOtlpHttpExportDelegate(
    convertLegacyHttpOptions({ url, headers, timeoutMillis }, 'TRACES', 'v1/traces', {
      'Content-Type': json ? 'application/json' : 'application/x-protobuf',
    }),
    serializer,
    json ? 'otlp_http_json_span_exporter' : 'otlp_http_span_exporter',
    { name: 'span', countItems: (batch) => batch.spans },
    undefined,
  ),
);

parentPort!.on('message', (message: { type: 'export'; id: number; bytes: Uint8Array; spans: number } | { type: 'shutdown' }) => {
  if (message.type === 'shutdown') {
    void exporter.shutdown().finally(() => parentPort!.postMessage({ type: 'closed' }));
    return;
  }
  const { id, bytes, spans } = message;
  exporter.export({ bytes, spans }, (result) => {
    const { error } = result;
    parentPort!.postMessage({
      type: 'result',
      id,
      code: result.code,
      // Errors do not cross threads with their own fields: send what the main thread reports.
      error: error && { name: error.name, message: error.message, code: (error as { code?: unknown }).code },
    });
  });
});
