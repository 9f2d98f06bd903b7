import { Worker } from 'node:worker_threads';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';
import { loadJsonTraceSerializer } from './otel-sdk.js';
import { OtlpProtobufEncoder } from './otlp-protobuf-encoder.js';

/** @internal Where and how {@link OtlpThreadSpanExporter} sends spans. */
interface OtlpThreadOptions {
  readonly protocol: 'http/protobuf' | 'http/json';
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly timeoutMillis: number;
}

type WorkerMessage =
  | { type: 'result'; id: number; code: ExportResultCode; error?: { name: string; message: string; code?: unknown } }
  | { type: 'closed' };

/**
 * The thread's V8 heap, capped: it only holds the serialised batches in flight (the batch processor sends one at a
 * time, and a flush at most its 2,048 queued spans, well under 1 MiB), and without a cap V8 grows its young generation
 * like the server's (8 MiB more peak memory recording every request). A thread that still runs out is stopped, and
 * the exporter fails over as for any thread failure.
 */
const THREAD_HEAP_LIMITS = { maxYoungGenerationSizeMb: 4, maxOldGenerationSizeMb: 64 } as const;

// The worker is TypeScript in the source tree (tests) and JavaScript in the published package.
const WORKER_URL = new URL(`./otlp-export-worker.${import.meta.url.endsWith('.ts') ? 'ts' : 'js'}`, import.meta.url);

/**
 * @internal OTLP/HTTP span exporter whose HTTP client runs on its own thread. Spans are serialised here (protobuf by
 * {@link OtlpProtobufEncoder}, JSON by OpenTelemetry's serialiser) and sent there. Why: an HTTP client in the
 * server's thread shares Node's `net`, stream and `http` code with the server, and its sockets and requests add
 * enough object shapes for V8 to make that code megamorphic for every request (docs/benchmarks/instrumentation.md).
 * The thread holds the process open only while a batch is in flight.
 *
 * If the thread cannot start or dies, the batches in flight fail and later ones go to `fallback()` (an exporter
 * on this thread); `onThreadFailure` is told once. `workerUrl` is for tests.
 */
class OtlpThreadSpanExporter implements SpanExporter {
  readonly #serialize: (spans: ReadableSpan[]) => Uint8Array | undefined;
  readonly #worker: Worker;
  readonly #pending = new Map<number, (result: ExportResult) => void>();
  readonly #idleWaiters: (() => void)[] = [];
  readonly #fallback: () => SpanExporter;
  readonly #onThreadFailure: (error: Error) => void;
  #nextId = 0;
  #fallbackExporter: SpanExporter | undefined;
  #closing: Promise<void> | undefined;

  public constructor(
    options: OtlpThreadOptions,
    fallback: () => SpanExporter,
    onThreadFailure: (error: Error) => void,
    workerUrl: URL = WORKER_URL,
  ) {
    if (options.protocol === 'http/json') {
      const serializer = loadJsonTraceSerializer();
      this.#serialize = (spans) => serializer.serializeRequest(spans);
    } else {
      const encoder = new OtlpProtobufEncoder();
      this.#serialize = (spans) => encoder.encode(spans);
    }
    this.#fallback = fallback;
    this.#onThreadFailure = onThreadFailure;
    // workerData is a structured clone: the thread gets its own copy.
    this.#worker = new Worker(workerUrl, { workerData: options, resourceLimits: THREAD_HEAP_LIMITS });
    this.#worker.unref();
    this.#worker.on('message', (message: WorkerMessage) => this.#onMessage(message));
    this.#worker.on('error', (error) => this.#failOver(error));
    this.#worker.on('exit', (code) => {
      if (this.#closing === undefined) this.#failOver(new Error(`The OTLP export thread exited with code ${code}.`));
    });
  }

  public export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
    if (this.#fallbackExporter) {
      this.#fallbackExporter.export(spans, resultCallback);
      return;
    }
    const bytes = this.#serialize(spans);
    if (bytes === undefined) {
      resultCallback({ code: ExportResultCode.FAILED, error: new Error('The spans could not be serialised for OTLP.') });
      return;
    }
    const id = ++this.#nextId;
    this.#pending.set(id, resultCallback);
    if (this.#pending.size === 1) this.#worker.ref();
    // OpenTelemetry's JSON serialiser returns a view on a larger, partly unused buffer: hand over exactly the bytes,
    // without a copy by structured clone.
    const exact = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : bytes.slice();
    this.#worker.postMessage({ type: 'export', id, bytes: exact, spans: spans.length }, [exact.buffer as ArrayBuffer]);
  }

  /** Resolves when every batch handed to {@link export} has been answered. */
  public async forceFlush(): Promise<void> {
    if (this.#pending.size > 0) await new Promise<void>((resolve) => this.#idleWaiters.push(resolve));
    await this.#fallbackExporter?.forceFlush?.();
  }

  /** Waits for the batches in flight, then stops the thread. */
  public shutdown(): Promise<void> {
    this.#closing ??= (async () => {
      await this.forceFlush();
      if (this.#fallbackExporter) {
        await this.#fallbackExporter.shutdown();
        return;
      }
      this.#worker.ref();
      const closed = new Promise<void>((resolve) => this.#worker.once('exit', () => resolve()));
      this.#worker.postMessage({ type: 'shutdown' });
      await closed;
    })();
    return this.#closing;
  }

  #onMessage(message: WorkerMessage): void {
    if (message.type === 'closed') {
      void this.#worker.terminate();
      return;
    }
    const callback = this.#pending.get(message.id);
    if (callback === undefined) return;
    this.#settle(message.id);
    const error = message.error && Object.assign(new Error(message.error.message), message.error);
    callback(error ? { code: message.code, error } : { code: message.code });
  }

  #settle(id: number): void {
    this.#pending.delete(id);
    if (this.#pending.size > 0) return;
    this.#worker.unref();
    for (const resolve of this.#idleWaiters.splice(0)) resolve();
  }

  #failOver(error: Error): void {
    if (this.#fallbackExporter) return;
    try {
      this.#fallbackExporter = this.#fallback();
    } catch (fallbackError) {
      // Called from the worker's events: a throw here would crash the application. Fail the batches instead.
      this.#fallbackExporter = failingExporter(fallbackError as Error);
    }
    this.#onThreadFailure(error);
    for (const [id, callback] of [...this.#pending]) {
      this.#settle(id);
      callback({ code: ExportResultCode.FAILED, error });
    }
  }
}

/** A span exporter that fails every batch with `error`: what is left when no exporter can be built. */
const failingExporter = (error: Error): SpanExporter => ({
  export: (_spans, resultCallback) => resultCallback({ code: ExportResultCode.FAILED, error }),
  shutdown: () => Promise.resolve(),
});

export { OtlpThreadSpanExporter };
export type { OtlpThreadOptions };
