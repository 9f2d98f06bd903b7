import { IncomingWebhook, type FetchFunction, type IncomingWebhookSendArguments } from '@slack/webhook';
import { SlackDeliveryError } from '../errors.js';
import type { SlackMessage } from '../render/slack-message.js';
import { nodeHttpFetch } from './node-http-fetch.js';
import { FAILURE_CONSEQUENCE, type RunContext } from './run-context.js';

/** Options of {@link SlackWebhookClient}. */
interface DeliveryOptions {
  /**
   * HTTP attempts per message, including the first.
   * @default 5
   */
  readonly maxAttempts?: number;
  /**
   * First backoff delay; doubles per attempt, with full jitter.
   * @default 300
   */
  readonly baseDelayMs?: number;
  /**
   * Longest single backoff delay (Retry-After may ask for more, if time allows).
   * @default 10000
   */
  readonly maxDelayMs?: number;
  /**
   * Time per HTTP request.
   * @default 5000
   */
  readonly requestTimeoutMs?: number;
  /**
   * Milliseconds left before the caller must stop (Lambda: `context.getRemainingTimeInMillis`).
   * @default - no deadline
   */
  readonly remainingTimeMs?: () => number;
  /**
   * Time kept in reserve at the deadline, so the function can fail cleanly instead of timing out.
   * @default 1000
   */
  readonly safetyMarginMs?: number;
  /**
   * The HTTP client.
   * @default - node:http/https with keep-alive (cheaper than global fetch on a cold start)
   */
  readonly fetch?: FetchFunction;
  /**
   * Where the client runs, which decides what its errors say happens next (Lambda retries and the
   * dead-letter queue, the receiver's 502, running the command again).
   * @default 'library' - nothing said: the calling code decides
   */
  readonly runsIn?: RunContext;
  /** Replaces the timer (tests). */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Replaces Math.random for jitter (tests). */
  readonly random?: () => number;
  /** Receives one line per retry; never given the URL. */
  readonly onRetry?: (info: { attempt: number; status?: number; delayMs: number; reason: string }) => void;
}

/** What happened to one delivered message. */
interface DeliveryResult {
  readonly attempts: number;
  /** True when Slack refused the Block Kit payload and the plain-text fallback was posted instead. */
  readonly degraded: boolean;
}

/** Slack error codes that will not succeed on retry, with what to do about them. */
const PERMANENT_HINTS: Readonly<Record<string, string>> = {
  invalid_payload: 'Slack could not read the message. Report it with the alert payload.',
  invalid_blocks: 'Slack rejected the Block Kit layout. Report it with the alert payload.',
  invalid_blocks_format: 'Slack rejected the Block Kit layout. Report it with the alert payload.',
  no_text: 'The message had no text. Report it with the alert payload.',
  too_many_attachments: 'The message had too many attachments. Report it with the alert payload.',
  action_prohibited: 'A Slack workspace admin restricted posting to this channel. Ask them to allow the app, or use another channel.',
  channel_not_found: 'The webhook channel no longer exists. Create a new incoming webhook and replace the stored URL with it.',
  channel_is_archived: 'The webhook channel is archived. Unarchive it, or create a webhook for another channel and replace the stored URL with it.',
  posting_to_general_channel_denied: 'Only admins may post to #general. Use another channel.',
  no_service: 'The webhook was revoked or disabled. Create a new incoming webhook and replace the stored URL with it.',
  no_service_id: 'The webhook URL is incomplete. Store the full URL Slack gave you.',
  no_team: 'The Slack workspace was deleted or the webhook URL is wrong.',
  team_disabled: 'The Slack workspace is disabled.',
  invalid_token: 'The webhook URL is wrong or was revoked. Create a new incoming webhook and replace the stored URL with it.',
  user_not_found: 'The webhook URL is wrong. Create a new incoming webhook and replace the stored URL with it.',
};
const PAYLOAD_ERRORS: ReadonlySet<string> = new Set(['invalid_payload', 'invalid_blocks', 'invalid_blocks_format', 'no_text', 'too_many_attachments']);

/** A Retry-After longer than this is not waited for in one invocation: the caller's retry will come later. */
const MAX_RETRY_AFTER_MS = 60_000;

function defaultSleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Seconds or an HTTP date, as in RFC 9110; undefined when absent or unreadable. */
function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Slack answers errors with a short code as plain text (`channel_not_found`). */
function slackErrorCode(body: string | undefined): string | undefined {
  const code = body?.trim().split(/\s/)[0];
  return code && /^[a-z_]{2,64}$/.test(code) ? code : undefined;
}

interface AttemptFailure {
  status?: number;
  slackError?: string;
  retryAfterMs?: number;
  reason: string;
  cause?: unknown;
}

/**
 * Posts messages to one Slack incoming webhook with @slack/webhook, retrying what can succeed later:
 * 429 (honouring Retry-After) and 5xx/network failures, with exponential backoff and full jitter, never
 * past the caller's deadline. Permanent failures (invalid_payload, channel_not_found, ...) and
 * exhausted retries throw {@link SlackDeliveryError}, so the caller (in Lambda: the invocation, and
 * with it Lambda's retries and dead-letter queue) keeps the alert.
 */
class SlackWebhookClient {
  private readonly url: string;
  private readonly fetchFn: FetchFunction;
  private readonly options: DeliveryOptions;
  private lastRetryAfter: string | null = null;

  public constructor(url: string, options: DeliveryOptions = {}) {
    this.options = options;
    const baseFetch: FetchFunction = options.fetch ?? nodeHttpFetch;
    this.url = url;
    this.fetchFn = async (input, init) => {
      const response = await baseFetch(input, init);
      this.lastRetryAfter = response.headers.get('retry-after');
      return response;
    };
  }

  /**
   * Posts one message. When Slack rejects the payload itself and a `fallback` is given (a plain-text
   * rendering), posts that instead, so the on-call engineer still gets the alert.
   * @throws SlackDeliveryError
   */
  public async post(message: SlackMessage, fallback?: SlackMessage): Promise<DeliveryResult> {
    const maxAttempts = Math.max(1, this.options.maxAttempts ?? 5);
    const base = this.options.baseDelayMs ?? 300;
    const maxDelay = this.options.maxDelayMs ?? 10_000;
    const margin = this.options.safetyMarginMs ?? 1000;
    const remaining = () => (this.options.remainingTimeMs ? this.options.remainingTimeMs() - margin : Number.POSITIVE_INFINITY);
    const sleep = this.options.sleep ?? defaultSleep;
    const random = this.options.random ?? Math.random;
    let current = message;
    let degraded = false;
    let failure: AttemptFailure | undefined;
    let attempts = 0;
    // The plain-text fallback is an extra attempt, not one taken from the retries.
    while (attempts < maxAttempts + (degraded ? 1 : 0)) {
      const timeLeft = remaining();
      if (timeLeft <= 100) {
        failure = { ...failure, reason: `${failure ? `${failure.reason}; ` : ''}no time left before the deadline` };
        break;
      }
      attempts += 1;
      failure = await this.attempt(current, Math.min(this.options.requestTimeoutMs ?? 5000, timeLeft));
      if (!failure) return { attempts, degraded };
      const code = failure.slackError;
      // Slack never redirects a webhook: a redirect is a wrong URL or a proxy, and retrying cannot help.
      if (failure.status !== undefined && failure.status >= 300 && failure.status < 400) throw this.error(failure, attempts, true);
      if (failure.status !== undefined && failure.status >= 400 && failure.status < 500 && failure.status !== 429) {
        if (code && PAYLOAD_ERRORS.has(code) && fallback && !degraded) {
          degraded = true;
          current = fallback;
          continue;
        }
        throw this.error(failure, attempts, true);
      }
      if (attempts >= maxAttempts + (degraded ? 1 : 0)) break;
      if ((failure.retryAfterMs ?? 0) > MAX_RETRY_AFTER_MS) {
        failure = { ...failure, reason: `${failure.reason}; Slack asked to wait ${Math.round(failure.retryAfterMs! / 1000)} s` };
        break;
      }
      const backoff = Math.min(maxDelay, base * 2 ** (attempts - 1));
      let delay = failure.retryAfterMs ?? Math.round(random() * backoff);
      if (delay > remaining() - 200) {
        failure = { ...failure, reason: `${failure.reason}; the next retry (in ${delay} ms) would pass the deadline` };
        break;
      }
      delay = Math.max(0, delay);
      this.options.onRetry?.({ attempt: attempts, ...(failure.status !== undefined && { status: failure.status }), delayMs: delay, reason: failure.reason });
      await sleep(delay);
    }
    throw this.error(failure ?? { reason: 'not attempted' }, attempts, false);
  }

  private async attempt(message: SlackMessage, timeoutMs: number): Promise<AttemptFailure | undefined> {
    this.lastRetryAfter = null;
    // @slack/webhook takes its timeout at construction; each attempt gets what is left of the deadline.
    const webhook = new IncomingWebhook(this.url, { fetch: this.fetchFn, timeout: Math.max(1, Math.floor(timeoutMs)), retryConfig: { retries: 0 } });
    try {
      await webhook.send(message as unknown as IncomingWebhookSendArguments);
      return undefined;
    } catch (error) {
      const err = error as { statusCode?: number; body?: string; message?: string; original?: Error };
      if (typeof err.statusCode === 'number') {
        const redirect = err.statusCode >= 300 && err.statusCode < 400;
        // A redirect's body is the redirecting server's, not a Slack error code.
        const slackError = redirect ? undefined : slackErrorCode(err.body);
        const retryAfterMs = err.statusCode === 429 ? parseRetryAfter(this.lastRetryAfter) : undefined;
        return {
          status: err.statusCode,
          ...(slackError && { slackError }),
          ...(retryAfterMs !== undefined && { retryAfterMs }),
          reason: `HTTP ${err.statusCode}${slackError ? ` ${slackError}` : redirect ? ' redirect' : ''}`,
          cause: error,
        };
      }
      const inner = err.original ?? (error as Error);
      // The timeout signal rejects with a DOMException whose numeric `code` (23) means nothing to a reader.
      if (inner.name === 'TimeoutError' || inner.name === 'AbortError') {
        return { reason: `timed out after ${Math.max(1, Math.floor(timeoutMs))} ms`, cause: error };
      }
      const code = [(inner as { code?: unknown }).code, (inner.cause as { code?: unknown } | undefined)?.code].find((c) => typeof c === 'string');
      return { reason: `request failed: ${(code as string | undefined) ?? inner.message ?? 'unknown error'}`, cause: error };
    }
  }

  private error(failure: AttemptFailure, attempts: number, permanent: boolean): SlackDeliveryError {
    const hint = failure.slackError
      ? PERMANENT_HINTS[failure.slackError]
      : failure.status !== undefined && failure.status >= 300 && failure.status < 400
        ? 'Slack does not redirect incoming webhooks, and the message was not sent on to the redirect target. Use the https://hooks.slack.com/services/... URL exactly as Slack gave it (no link shortener or proxy).'
        : undefined;
    const consequence = FAILURE_CONSEQUENCE[this.options.runsIn ?? 'library'];
    const message =
      (permanent
        ? `Slack refused the message (${failure.reason})${hint ? `: ${hint}` : '. Check the webhook.'}`
        : `Slack did not accept the message after ${attempts} attempt(s) (${failure.reason}).`) + (consequence ? ` ${consequence}` : '');
    return new SlackDeliveryError(
      message,
      {
        ...(failure.status !== undefined && { status: failure.status }),
        ...(failure.slackError && { slackError: failure.slackError }),
        permanent,
        attempts,
      },
      // The SDK's errors are plain, but a network error's cause can mention the host; keep only the name.
      { cause: failure.cause instanceof Error ? new Error(failure.cause.name) : undefined },
    );
  }
}

export { SlackWebhookClient, parseRetryAfter };
export type { DeliveryOptions, DeliveryResult };
