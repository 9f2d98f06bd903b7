import { createSocket, type Socket } from 'node:dgram';
import http, { type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { decodeExportTraceServiceRequest } from './otlp-protobuf.js';

/** Parsed JSON (segment documents, log lines) that the assertions walk field by field. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- untyped wire documents, checked by the assertions themselves
type JsonDocument = Record<string, any>;

/** A segment document as the daemon receives it: the protocol header line and the parsed JSON body. */
interface ReceivedDatagram {
  readonly header: string;
  readonly document: JsonDocument;
}

/** A real UDP listener on 127.0.0.1 standing in for the X-Ray daemon. */
interface DaemonListener {
  readonly address: string;
  readonly datagrams: ReceivedDatagram[];
  /** Resolves once `count` datagrams arrived (or rejects after `timeoutMs`). */
  waitFor(count: number, timeoutMs?: number): Promise<ReceivedDatagram[]>;
  close(): Promise<void>;
}

const waitUntil = async <T>(check: () => T | undefined, timeoutMs: number, what: string): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};

/** Listens on `port`, or on a free one. */
const startDaemonListener = async (port = 0): Promise<DaemonListener> => {
  const socket: Socket = createSocket('udp4');
  const datagrams: ReceivedDatagram[] = [];
  socket.on('message', (message) => {
    const text = message.toString('utf8');
    const newline = text.indexOf('\n');
    datagrams.push({ header: text.slice(0, newline), document: JSON.parse(text.slice(newline + 1)) });
  });
  await new Promise<void>((resolve) => socket.bind(port, '127.0.0.1', resolve));
  return {
    address: `127.0.0.1:${socket.address().port}`,
    datagrams,
    waitFor: (count, timeoutMs = 5000) =>
      waitUntil(() => (datagrams.length >= count ? datagrams : undefined), timeoutMs, `${count} X-Ray datagrams`),
    close: () => new Promise((resolve) => socket.close(() => resolve())),
  };
};

/** A span as the OTLP/HTTP JSON encoding carries it (ids in hex). */
interface ReceivedSpan {
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId?: string;
  readonly name: string;
  readonly kind: number;
  readonly status: { code?: number; message?: string };
  readonly attributes: Record<string, unknown>;
  readonly events: { name: string; attributes: Record<string, unknown> }[];
  readonly serviceName: unknown;
}

/** How the receiver answers an export: a status (with an optional `Retry-After`), or `'hang'` for no answer at all. */
type OtlpAnswer = number | { readonly status: number; readonly retryAfter?: string } | 'hang';

/** One export request as received, whatever it was answered. */
interface OtlpRequest {
  readonly path: string;
  readonly contentType: string | undefined;
  readonly headers: IncomingHttpHeaders;
  readonly spanNames: string[];
}

/** A real OTLP/HTTP receiver on 127.0.0.1 standing in for the ADOT collector. */
interface OtlpReceiver {
  readonly endpoint: string;
  /** Spans of the exports answered 200. */
  readonly spans: ReceivedSpan[];
  readonly requests: OtlpRequest[];
  /** Answer to the exports after those in {@link answerNext} (200 by default). */
  respondWith: OtlpAnswer;
  /** Answers for the next exports, in order, before {@link respondWith} applies again. */
  readonly answerNext: OtlpAnswer[];
  waitFor(count: number, timeoutMs?: number): Promise<ReceivedSpan[]>;
  close(): Promise<void>;
}

const anyValue = (value: Record<string, unknown>): unknown => {
  if ('stringValue' in value) return value.stringValue;
  if ('intValue' in value) return Number(value.intValue);
  if ('doubleValue' in value) return value.doubleValue;
  if ('boolValue' in value) return value.boolValue;
  if ('arrayValue' in value) return ((value.arrayValue as { values?: Record<string, unknown>[] }).values ?? []).map(anyValue);
  return value;
};

const attributesOf = (list: { key: string; value: Record<string, unknown> }[] | undefined): Record<string, unknown> =>
  Object.fromEntries((list ?? []).map(({ key, value }) => [key, anyValue(value)]));

const startOtlpReceiver = async (): Promise<OtlpReceiver> => {
  const spans: ReceivedSpan[] = [];
  const requests: OtlpRequest[] = [];
  const receiver = {
    respondWith: 200,
    answerNext: [],
  } as { respondWith: OtlpAnswer; answerNext: OtlpAnswer[] };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const body = req.headers['content-type'] === 'application/x-protobuf' ? decodeExportTraceServiceRequest(raw) : JSON.parse(raw.toString('utf8'));
      const received: ReceivedSpan[] = [];
      for (const resourceSpans of body.resourceSpans ?? []) {
        const resource = attributesOf(resourceSpans.resource?.attributes);
        for (const scopeSpans of resourceSpans.scopeSpans ?? []) {
          for (const span of scopeSpans.spans ?? []) {
            received.push({
              traceId: span.traceId,
              spanId: span.spanId,
              parentSpanId: span.parentSpanId || undefined,
              name: span.name,
              kind: span.kind,
              status: span.status ?? {},
              attributes: attributesOf(span.attributes),
              events: (span.events ?? []).map((e: { name: string; attributes: never }) => ({ name: e.name, attributes: attributesOf(e.attributes) })),
              serviceName: resource['service.name'],
            });
          }
        }
      }
      requests.push({ path: req.url ?? '', contentType: req.headers['content-type'], headers: req.headers, spanNames: received.map((span) => span.name) });
      const answer = receiver.answerNext.shift() ?? receiver.respondWith;
      if (answer === 'hang') return;
      const { status, retryAfter } = typeof answer === 'number' ? { status: answer, retryAfter: undefined } : answer;
      if (status !== 200) {
        if (retryAfter !== undefined) res.setHeader('retry-after', retryAfter);
        res.statusCode = status;
        res.end('collector says no');
        return;
      }
      spans.push(...received);
      // An empty ExportTraceServiceResponse is an empty body in both encodings.
      res.setHeader('content-type', req.headers['content-type'] ?? 'application/json');
      res.end(req.headers['content-type'] === 'application/x-protobuf' ? '' : '{}');
    });
  });
  const port = await listen(server);
  return Object.assign(receiver, {
    endpoint: `http://127.0.0.1:${port}`,
    spans,
    requests,
    waitFor: (count: number, timeoutMs = 5000) => waitUntil(() => (spans.length >= count ? spans : undefined), timeoutMs, `${count} spans`),
    close: () => closeServer(server),
  });
};

const listen = (server: Server): Promise<number> =>
  new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));

const closeServer = (server: Server): Promise<void> =>
  new Promise((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });

/** Starts `listener` on an ephemeral 127.0.0.1 port; returns its base URL and a closer. */
const serve = async (
  listener: (req: IncomingMessage, res: ServerResponse) => unknown,
): Promise<{ url: string; server: Server; close: () => Promise<void> }> => {
  const server = http.createServer(listener as (req: IncomingMessage, res: ServerResponse) => void);
  const port = await listen(server);
  return { url: `http://127.0.0.1:${port}`, server, close: () => closeServer(server) };
};

/** A writable that keeps every JSON log line it receives. */
const captureLogs = (): { stream: Writable; lines: JsonDocument[] } => {
  const lines: JsonDocument[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim() !== '') lines.push(JSON.parse(line));
      callback();
    },
  });
  return { stream, lines };
};

export { startDaemonListener, startOtlpReceiver, serve, captureLogs, waitUntil, closeServer, listen };
export type { DaemonListener, OtlpAnswer, OtlpReceiver, OtlpRequest, ReceivedSpan, ReceivedDatagram };
