import { WebhookResolutionError } from '../errors.js';

/** Hosts that serve Slack incoming webhooks (commercial and GovSlack). */
const SLACK_WEBHOOK_HOSTS: ReadonlySet<string> = new Set(['hooks.slack.com', 'hooks.slack-gov.com']);
const LOOPBACK_HOSTS: ReadonlySet<string> = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** Options of {@link validateWebhookUrl}. */
interface WebhookUrlPolicy {
  /**
   * Accept `http://127.0.0.1:<port>/...` (and localhost, [::1]): for tests and local demos against a
   * sink. Never set this in production.
   * @default false
   */
  readonly allowInsecureLoopbackWebhook?: boolean;
}

/**
 * Checks that a webhook URL is a Slack incoming webhook (`https://hooks.slack.com/...`), or a loopback
 * sink when explicitly allowed; trims the whitespace (the blog's `echo | base64` adds a newline).
 * Error messages name the scheme or host that was wrong, never the secret path.
 * @returns the trimmed URL
 * @throws WebhookResolutionError
 */
function validateWebhookUrl(raw: string, policy: WebhookUrlPolicy = {}): string {
  const value = raw.trim();
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new WebhookResolutionError(
      `The Slack webhook is not a URL (${value.length} characters, starts with "${value.slice(0, 8).replace(/[^\w:/.-]/g, '?')}"). ` +
        'Store the full https://hooks.slack.com/services/... URL, and check that the ciphertext or secret holds the URL itself.',
    );
  }
  if (LOOPBACK_HOSTS.has(url.hostname) && (url.protocol === 'http:' || url.protocol === 'https:')) {
    if (policy.allowInsecureLoopbackWebhook) return value;
    throw new WebhookResolutionError(
      'The Slack webhook points at a loopback address. That is only allowed for tests and local demos: set ' +
        'allowInsecureLoopbackWebhook: true or SLACK_ALLOW_LOOPBACK_WEBHOOK=true, or pass --allow-loopback to the eks-o11y-slack CLI.',
    );
  }
  if (url.protocol !== 'https:') {
    throw new WebhookResolutionError(`The Slack webhook must use https, not ${url.protocol.replace(':', '')}.`);
  }
  if (!SLACK_WEBHOOK_HOSTS.has(url.hostname)) {
    throw new WebhookResolutionError(
      `The Slack webhook host must be hooks.slack.com, not ${url.hostname}. Create an incoming webhook in your Slack app and store its URL.`,
    );
  }
  if (url.username || url.password) {
    throw new WebhookResolutionError('The Slack webhook URL must not carry credentials before the host.');
  }
  return value;
}

/** A form of the URL that is safe to log: scheme and host only. */
function redactWebhookUrl(url: string): string {
  try {
    const parsed = new URL(url.trim());
    return `${parsed.protocol}//${parsed.host}/***`;
  } catch {
    return '***';
  }
}

export { validateWebhookUrl, redactWebhookUrl };
export type { WebhookUrlPolicy };
