import type { AlertSeverity } from '../alert-rules/alert-definition.js';
import type { SlackWebhook } from './slack-webhook.js';

/** Which alerts a {@link SlackRoute} takes. Every given field must match; an omitted field matches anything. */
interface SlackRouteMatch {
  /**
   * Severities taken (from the `Severity:` line of the alarm description, or the alert's label).
   * @default - any severity
   */
  readonly severity?: readonly AlertSeverity[];
  /**
   * Kubernetes namespaces taken (alarm dimension `Namespace` or alert label `namespace`).
   * @default - any namespace
   */
  readonly namespace?: readonly string[];
  /**
   * Regular expression (JavaScript syntax) the alert or alarm name must match, e.g. `^400 errors`.
   * @default - any name
   */
  readonly alertName?: string;
}

/**
 * A channel that gets some of the alerts. Routes are tried in order and the first match wins; alerts that
 * match no route go to the notifier's default `webhook`.
 */
interface SlackRoute {
  /** Short name, shown in the notifier's logs (`platform`, `ho11y-team`). */
  readonly name: string;
  /**
   * Which alerts this route takes.
   * @default - every alert (a catch-all route; put it last)
   */
  readonly match?: SlackRouteMatch;
  /** The incoming webhook of the channel. */
  readonly webhook: SlackWebhook;
  /**
   * Channel override sent with the message (legacy webhooks honour it; app webhooks post to their own channel).
   * @default - the webhook's own channel
   */
  readonly channel?: string;
}

export type { SlackRoute, SlackRouteMatch };
