import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { validateSlackMessage } from './slack-message-validator.js';
import { listen } from '../http/listen.js';

/** A canned answer the sink gives instead of its normal one. */
interface SinkResponse {
  readonly status: number;
  /** Slack answers with a short code (`channel_not_found`); `ok` on success. */
  readonly body?: string;
  readonly headers?: Readonly<Record<string, string>>;
}

/** A request the sink received. */
interface SinkRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly raw: string;
  /** The JSON body, or undefined when it was not JSON. */
  readonly body: unknown;
  /** Status the sink answered with. */
  readonly status: number;
  readonly receivedAt: Date;
}

/** Options of {@link startSlackSink}. */
interface SlackSinkOptions {
  /**
   * Port to listen on; 0 picks a free one.
   * @default 0
   */
  readonly port?: number;
  /**
   * Address to bind. The sink is for local use: keep it on loopback.
   * @default '127.0.0.1'
   */
  readonly host?: string;
  /**
   * Print each accepted message readably (a function receives the text instead of stdout).
   * @default false
   */
  readonly print?: boolean | ((text: string) => void);
  /**
   * Check payloads against Slack's limits and answer 400 like Slack when they break them.
   * @default true
   */
  readonly validate?: boolean;
}

/** A running sink. */
interface SlackSink {
  /** A webhook URL pointing at the sink (`http://127.0.0.1:<port>/services/T0000/B0000/sink`). */
  readonly url: string;
  readonly port: number;
  /** Every request, in arrival order. */
  readonly requests: readonly SinkRequest[];
  /** JSON bodies of the requests the sink accepted (answered 200). */
  readonly messages: readonly Record<string, unknown>[];
  /** Queue answers for the next requests (one each), e.g. `{ status: 429, headers: { 'retry-after': '1' } }`. */
  respondWith(...responses: SinkResponse[]): void;
  /** Resolves once `count` messages were accepted, or rejects after `timeoutMs`. */
  waitForMessages(count: number, timeoutMs?: number): Promise<readonly Record<string, unknown>[]>;
  close(): Promise<void>;
}

const MAX_BODY = 1024 * 1024;

function readable(body: Record<string, unknown>, receivedAt: Date): string {
  const lines = [`── ${receivedAt.toISOString()}${typeof body.channel === 'string' ? ` ${body.channel}` : ''} ──`, String(body.text ?? '')];
  const describe = (blocks: unknown, indent: string) => {
    if (!Array.isArray(blocks)) return;
    for (const block of blocks as Record<string, unknown>[]) {
      const text = (block.text as { text?: string } | undefined)?.text;
      if (text) lines.push(...text.split('\n').map((l) => `${indent}${l}`));
      if (Array.isArray(block.fields)) lines.push(`${indent}${(block.fields as { text: string }[]).map((f) => f.text.replace(/\n/g, ': ')).join(' | ')}`);
      if (Array.isArray(block.elements)) {
        const parts = (block.elements as Record<string, unknown>[]).map((e) => {
          const t = typeof e.text === 'string' ? e.text : (e.text as { text?: string } | undefined)?.text;
          return e.url ? `[${t}](${String(e.url)})` : (t ?? '');
        });
        lines.push(`${indent}${parts.join('  ')}`);
      }
    }
  };
  describe(body.blocks, '  ');
  if (Array.isArray(body.attachments)) {
    for (const a of body.attachments as Record<string, unknown>[]) {
      lines.push(`  ┃ colour ${String(a.color ?? '')}`);
      describe(a.blocks, '  ┃ ');
    }
  }
  return lines.join('\n');
}

/**
 * Starts a local Slack-compatible incoming-webhook endpoint on 127.0.0.1: it accepts JSON posts,
 * checks them against Slack's Block Kit limits (400 `invalid_blocks`, `no_text`, `invalid_payload`
 * like Slack), keeps every message, can print them readably, and can be told to answer with errors
 * (403 action_prohibited, 404 channel_not_found, 410 channel_is_archived, 429 with Retry-After, 500).
 * The tests use it as Slack; `eks-o11y-slack sink` runs it for the local alert loop.
 */
async function startSlackSink(options: SlackSinkOptions = {}): Promise<SlackSink> {
  const requests: SinkRequest[] = [];
  const messages: Record<string, unknown>[] = [];
  const queue: SinkResponse[] = [];
  const waiters: { count: number; resolve: () => void }[] = [];
  const print = options.print === true ? (t: string) => process.stdout.write(`${t}\n`) : options.print || undefined;

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY) chunks.push(chunk);
    });
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      let body: unknown;
      try {
        body = JSON.parse(raw);
      } catch {
        body = undefined;
      }
      let answer: SinkResponse;
      const scripted = queue.shift();
      if (scripted) answer = scripted;
      else if (req.method !== 'POST') answer = { status: 405, body: 'invalid_method' };
      else if (size > MAX_BODY) answer = { status: 413, body: 'request_too_large' };
      else if (body === undefined) answer = { status: 400, body: 'invalid_payload' };
      else {
        const verdict = options.validate === false ? { problems: [] as string[] } : validateSlackMessage(body);
        answer = 'error' in verdict && verdict.error ? { status: 400, body: `${verdict.error}\n${verdict.problems.join('\n')}` } : { status: 200, body: 'ok' };
      }
      const receivedAt = new Date();
      requests.push({ method: req.method ?? 'GET', path: req.url ?? '/', headers: req.headers, raw, body, status: answer.status, receivedAt });
      if (answer.status === 200 && typeof body === 'object' && body !== null) {
        messages.push(body as Record<string, unknown>);
        if (print) print(readable(body as Record<string, unknown>, receivedAt));
        for (const w of [...waiters]) {
          if (messages.length >= w.count) {
            waiters.splice(waiters.indexOf(w), 1);
            w.resolve();
          }
        }
      }
      res.writeHead(answer.status, { 'content-type': 'text/plain; charset=utf-8', ...answer.headers });
      res.end(answer.body ?? (answer.status === 200 ? 'ok' : ''));
    });
  });
  const { origin, port } = await listen(server, options.port, options.host);
  return {
    url: `${origin}/services/T0000/B0000/sink`,
    port,
    requests,
    messages,
    respondWith: (...responses) => queue.push(...responses),
    waitForMessages: (count, timeoutMs = 5000) =>
      messages.length >= count
        ? Promise.resolve(messages)
        : new Promise((resolve, reject) => {
            const timer = setTimeout(() => reject(new Error(`The sink received ${messages.length} of ${count} messages within ${timeoutMs} ms`)), timeoutMs);
            waiters.push({ count, resolve: () => (clearTimeout(timer), resolve(messages)) });
          }),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

export { startSlackSink };
export type { SlackSink, SlackSinkOptions, SinkResponse, SinkRequest };
