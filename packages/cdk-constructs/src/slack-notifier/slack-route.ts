import type { AlertSeverity } from '../alert-rules/alert-definition.js';
import type { SlackWebhook } from './slack-webhook.js';

/**
 * Which alerts a {@link SlackRoute} takes. Every given field must match; an omitted field matches anything.
 * A list must name at least one value: an empty list would match nothing, and the handler refuses it.
 */
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
   * EKS clusters taken (alarm dimension `EKS_Cluster` or `ClusterName`, or alert label `cluster`).
   * @default - any cluster
   */
  readonly cluster?: readonly string[];
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
  /** Short name, shown in the notifier's logs (`platform`, `ho11y-team`). Unique among the routes. */
  readonly name: string;
  /**
   * Which alerts this route takes.
   * @default - every alert (a catch-all route; it must be the last route)
   */
  readonly match?: SlackRouteMatch;
  /** The incoming webhook of the channel. */
  readonly webhook: SlackWebhook;
  /**
   * Channel override sent with the message (legacy webhooks honour it; app webhooks post to their own channel).
   * @default - the webhook's own channel
   */
  readonly channel?: string;
  /**
   * Mention added to firing alerts of this route: `@here`, `@channel`, `<!here>`, `<!channel>`, a user
   * `<@U…>` or a user group `<!subteam^S…>`.
   * @default - no mention
   */
  readonly mention?: string;
}

export type { SlackRoute, SlackRouteMatch };
