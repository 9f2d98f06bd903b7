import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { AlertParseError, NotifierConfigError, NotifierError, WebhookResolutionError } from '../errors.js';
import type { NotifierConfig } from '../delivery/routes.js';
import { SlackNotifier, type NotifierLogger, type SlackNotifierOptions } from '../delivery/slack-notifier.js';
import { parseAlertPayload } from '../sources/parse-alerts.js';
import { listen } from '../http/listen.js';

/** Options of {@link startReceiver}. */
interface ReceiverOptions {
  /** Routes and webhooks (ignored when `notifier` is given). */
  readonly config?: NotifierConfig;
  /**
   * A ready notifier, e.g. one shared with other code.
   * @default - a SlackNotifier built from `config`
   */
  readonly notifier?: SlackNotifier;
  /**
   * Token that callers must send as `Authorization: Bearer <token>` (Alertmanager `http_config.authorization`,
   * Grafana's webhook "Authorization Header"). Required unless `allowUnauthenticated` is set.
   */
  readonly bearerToken?: string;
  /**
   * Accept requests without a token: only for a receiver bound to loopback in a local demo.
   * @default false
   */
  readonly allowUnauthenticated?: boolean;
  /**
   * Port; 0 picks a free one.
   * @default 0
   */
  readonly port?: number;
  /**
   * Address to bind.
   * @default '127.0.0.1'
   */
  readonly host?: string;
  /**
   * Largest accepted body; bigger requests get 413.
   * @default 1048576 (1 MiB)
   */
  readonly maxBodyBytes?: number;
  /**
   * Time one request may spend delivering (retries included), so the sender's own HTTP timeout does not
   * fire first and make it resend while we still retry.
   * @default 10000
   */
  readonly deliveryDeadlineMs?: number;
  /**
   * Retry settings for Slack posts.
   * @default - the SlackWebhookClient defaults
   */
  readonly delivery?: SlackNotifierOptions['delivery'];
  /**
   * Where deliveries and failures are reported.
   * @default - silent
   */
  readonly logger?: NotifierLogger;
}

/** A running receiver. */
interface Receiver {
  /** Base URL, e.g. `http://127.0.0.1:9094`; post to `/alertmanager`, `/grafana` or `/alerts`. */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

const ALERT_PATHS: ReadonlySet<string> = new Set(['/', '/alerts', '/alertmanager', '/grafana']);

function reply(res: ServerResponse, status: number, body: Record<string, unknown>, headers: Record<string, string> = {}): void {
  if (res.headersSent) return;
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
}

function tokenMatches(header: string | undefined, token: string): boolean {
  const match = /^Bearer\s+(.+)$/i.exec(header ?? '');
  if (!match?.[1]) return false;
  const given = Buffer.from(match[1].trim());
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function readBody(req: IncomingMessage, limit: number): Promise<{ body: string } | { tooLarge: true }> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) {
      resolve({ tooLarge: true });
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    req.on('data', (chunk: Buffer) => {
      if (done) return;
      size += chunk.length;
      if (size > limit) {
        done = true;
        resolve({ tooLarge: true });
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (!done) resolve({ body: Buffer.concat(chunks).toString('utf8') });
    });
    req.on('error', reject);
  });
}

/**
 * Starts an HTTP receiver for Alertmanager (webhook v4) and Grafana (unified alerting webhook)
 * notifications, and the generic eks-o11y shape: it authenticates the bearer token, limits the body
 * size, answers 4xx with the reason for bad input, and 502 when Slack delivery failed (so
 * Alertmanager and Grafana retry).
 * @throws NotifierConfigError when neither a token nor `allowUnauthenticated` is given
 */
async function startReceiver(options: ReceiverOptions): Promise<Receiver> {
  if (!options.bearerToken && !options.allowUnauthenticated) {
    throw new NotifierConfigError('The receiver needs a bearer token (bearerToken), or allowUnauthenticated: true for a local demo.');
  }
  if (!options.notifier && !options.config) throw new NotifierConfigError('The receiver needs a notifier or a config with a webhook.');
  const notifier =
    options.notifier ??
    new SlackNotifier({
      config: options.config!,
      delivery: { ...options.delivery, runsIn: 'receiver' },
      ...(options.logger && { logger: options.logger }),
    });
  const limit = options.maxBodyBytes ?? 1024 * 1024;

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    if (req.method === 'GET' && (path === '/healthz' || path === '/-/healthy')) return reply(res, 200, { ok: true });
    if (!ALERT_PATHS.has(path)) return reply(res, 404, { ok: false, error: `No route ${path}. POST alerts to /alertmanager, /grafana or /alerts.` });
    if (req.method !== 'POST') return reply(res, 405, { ok: false, error: 'Use POST.' }, { allow: 'POST' });
    if (options.bearerToken && !tokenMatches(req.headers.authorization, options.bearerToken)) {
      req.resume();
      return reply(res, 401, { ok: false, error: 'Missing or wrong bearer token (Authorization: Bearer <token>).' }, { 'www-authenticate': 'Bearer' });
    }
    const type = req.headers['content-type'];
    if (type && !/^application\/(?:[\w.+-]*\+)?json\b/i.test(type)) {
      req.resume();
      return reply(res, 415, { ok: false, error: `Content-Type must be application/json, not ${type}.` });
    }
    const read = await readBody(req, limit);
    if ('tooLarge' in read) {
      res.setHeader('connection', 'close');
      reply(res, 413, { ok: false, error: `The body is larger than ${limit} bytes.` });
      req.destroy();
      return;
    }
    let json: unknown;
    try {
      json = JSON.parse(read.body);
    } catch (error) {
      return reply(res, 400, { ok: false, error: `The body is not valid JSON: ${(error as Error).message}` });
    }
    let batch;
    try {
      batch = parseAlertPayload(json);
    } catch (error) {
      if (error instanceof AlertParseError) return reply(res, 422, { ok: false, error: error.message, issues: error.issues });
      throw error;
    }
    try {
      const deadline = Date.now() + (options.deliveryDeadlineMs ?? 10_000);
      const result = await notifier.notify(batch, () => deadline - Date.now());
      return reply(res, 200, { ok: true, alerts: result.alerts, messages: result.messages });
    } catch (error) {
      const status = error instanceof NotifierConfigError || error instanceof WebhookResolutionError ? 500 : 502;
      const message = error instanceof NotifierError ? error.message : 'Delivery failed.';
      return reply(res, status, { ok: false, error: message });
    }
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (req.destroyed && !req.complete) {
        // The sender hung up before its body arrived: nothing to answer, and it will resend.
        options.logger?.warn('A sender closed its connection before its request body arrived; nothing was delivered.', { path: req.url });
        return;
      }
      options.logger?.error('Handling a request failed.', { path: req.url, error: String(error) });
      reply(res, 500, { ok: false, error: 'Internal error.' });
    });
  });
  const { origin, port } = await listen(server, options.port, options.host);
  // After start-up, a server error (the process is out of file descriptors, say) is reported, not swallowed.
  server.on('error', (error) => options.logger?.error('The receiver server reported an error.', { error: String(error) }));
  return {
    url: origin,
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

export { startReceiver };
export type { ReceiverOptions, Receiver };
