import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';

/** Ended spans named `names`, as the batch processor hands them to an exporter. */
const endedSpans = (...names: string[]): ReadableSpan[] => {
  const recorder = new InMemorySpanExporter();
  const tracer = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(recorder)] }).getTracer('test');
  for (const name of names) tracer.startSpan(name).end();
  return recorder.getFinishedSpans();
};

export { endedSpans };
