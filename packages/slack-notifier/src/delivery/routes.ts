import { z } from 'zod';
import { NotifierConfigError } from '../errors.js';
import { Severity, type Alert } from '../model/alert.js';
import { MENTION } from '../render/slack-mention.js';
import { WEBHOOK_SETTINGS, type RunContext } from './run-context.js';

/** Schema of a webhook source: exactly one of `kmsCiphertext`, `secretId`, `ssmParameter`, `url`. */
const WebhookSourceSchema = z.union([
  z.object({ kmsCiphertext: z.string().min(1) }).strict(),
  z.object({ secretId: z.string().min(1) }).strict(),
  z.object({ ssmParameter: z.string().min(1) }).strict(),
  z.object({ url: z.string().min(1) }).strict(),
]);
/**
 * A webhook source: `{ kmsCiphertext }` (base64, encrypted with the function-name encryption context),
 * `{ secretId }` (Secrets Manager), `{ ssmParameter }` (SSM SecureString) or `{ url }` (plain; for local
 * use such as the CLI and the receiver, not for Lambda environment variables).
 */
type WebhookSource = z.infer<typeof WebhookSourceSchema>;

/** Schema of one route of `SLACK_ROUTES`. */
const RouteSchema = z
  .object({
    name: z.string().min(1),
    match: z
      .object({
        severity: z.array(z.enum([Severity.CRITICAL, Severity.WARNING, Severity.INFO])).min(1).optional(),
        namespace: z.array(z.string().min(1)).min(1).optional(),
        cluster: z.array(z.string().min(1)).min(1).optional(),
        alertName: z
          .string()
          .min(1)
          .refine((pattern) => {
            try {
              new RegExp(pattern);
              return true;
            } catch {
              return false;
            }
          }, 'must be a valid regular expression')
          .optional(),
      })
      .strict()
      .optional(),
    webhook: WebhookSourceSchema,
    channel: z.string().min(1).optional(),
    mention: z.string().regex(MENTION, 'must be @here, @channel, <!here>, <!channel>, <@U…> or <!subteam^S…>').optional(),
  })
  .strict();
/** A route: alerts that match go to its webhook (and channel). A route without `match` matches everything. */
type Route = z.infer<typeof RouteSchema>;

/** The `SLACK_ROUTES` JSON: an array of routes, first match wins. */
const RoutesSchema = z.array(RouteSchema);

/** Everything the notifier needs to know to deliver, read from the environment or given in code. */
interface NotifierConfig {
  /** Routes tried in order before the default. */
  readonly routes: readonly Route[];
  /** Where alerts that match no route go. */
  readonly defaultWebhook?: WebhookSource;
  /** Channel override for the default route. */
  readonly defaultChannel?: string;
  /** Mention for firing alerts on the default route (`@here`, `<!subteam^S…>`). */
  readonly defaultMention?: string;
  /**
   * Accept loopback (`http://127.0.0.1`) webhooks: tests and demos only.
   * @default false
   */
  readonly allowInsecureLoopbackWebhook?: boolean;
}

/**
 * Parses a routes JSON document (the `SLACK_ROUTES` variable).
 * @throws NotifierConfigError saying which route and field is wrong
 */
function parseRoutes(json: string | undefined): Route[] {
  if (json === undefined || json.trim() === '') return [];
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (error) {
    throw new NotifierConfigError(`SLACK_ROUTES is not valid JSON (${(error as Error).message}). Expected an array of routes.`, { cause: error });
  }
  const result = RoutesSchema.safeParse(value);
  if (!result.success) {
    const issues = result.error.issues
      .slice(0, 5)
      .map((i) => `${i.path.length > 0 ? i.path.join('.') : '(root)'}: ${i.message}`)
      .join('; ');
    throw new NotifierConfigError(
      `SLACK_ROUTES is invalid: ${issues}. Each route is { "name", "match"?: { "severity"?, "namespace"?, "cluster"?, "alertName"? }, ` +
        '"webhook": { "kmsCiphertext" | "secretId" | "ssmParameter" | "url" }, "channel"?, "mention"? }.',
    );
  }
  return result.data;
}

/**
 * Reads the notifier configuration from environment variables: `SLACK_WEBHOOK_KMS_CIPHERTEXT`,
 * `SLACK_WEBHOOK_SECRET_ID`, `SLACK_WEBHOOK_SSM_PARAMETER` or `SLACK_WEBHOOK_URL` (exactly one, the
 * default route), `SLACK_ROUTES`, `SLACK_CHANNEL`, `SLACK_MENTION` and `SLACK_ALLOW_LOOPBACK_WEBHOOK`.
 * @param runsIn - where the configuration is used; the error for a missing webhook names the settings there
 * @throws NotifierConfigError when no webhook is configured or more than one default source is set
 */
function loadNotifierConfig(env: Readonly<Record<string, string | undefined>> = process.env, runsIn: RunContext = 'lambda'): NotifierConfig {
  const sources: [string, WebhookSource][] = [];
  const value = (name: string) => {
    const v = env[name]?.trim();
    return v ? v : undefined;
  };
  const kms = value('SLACK_WEBHOOK_KMS_CIPHERTEXT');
  const secret = value('SLACK_WEBHOOK_SECRET_ID');
  const ssm = value('SLACK_WEBHOOK_SSM_PARAMETER');
  const url = value('SLACK_WEBHOOK_URL');
  if (kms) sources.push(['SLACK_WEBHOOK_KMS_CIPHERTEXT', { kmsCiphertext: kms }]);
  if (secret) sources.push(['SLACK_WEBHOOK_SECRET_ID', { secretId: secret }]);
  if (ssm) sources.push(['SLACK_WEBHOOK_SSM_PARAMETER', { ssmParameter: ssm }]);
  if (url) sources.push(['SLACK_WEBHOOK_URL', { url }]);
  if (sources.length > 1) {
    throw new NotifierConfigError(`Set exactly one default webhook source, not ${sources.map(([n]) => n).join(' and ')}.`);
  }
  const routes = parseRoutes(env.SLACK_ROUTES);
  if (sources.length === 0 && routes.length === 0) {
    throw new NotifierConfigError(`No Slack webhook configured: ${WEBHOOK_SETTINGS[runsIn]}.`);
  }
  const channel = value('SLACK_CHANNEL');
  const mention = value('SLACK_MENTION');
  if (mention && !MENTION.test(mention)) {
    throw new NotifierConfigError('SLACK_MENTION must be @here, @channel, <!here>, <!channel>, <@U…> or <!subteam^S…>.');
  }
  return {
    routes,
    ...(mention && { defaultMention: mention }),
    ...(sources[0] && { defaultWebhook: sources[0][1] }),
    ...(channel && { defaultChannel: channel }),
    allowInsecureLoopbackWebhook: env.SLACK_ALLOW_LOOPBACK_WEBHOOK === 'true',
  };
}

/** True when the alert satisfies every condition of the route's `match`. */
function routeMatches(route: Route, alert: Alert): boolean {
  const match = route.match;
  if (!match) return true;
  if (match.severity && !(alert.severity && match.severity.includes(alert.severity))) return false;
  if (match.namespace && !(alert.namespace && match.namespace.includes(alert.namespace))) return false;
  if (match.cluster && !(alert.cluster && match.cluster.includes(alert.cluster))) return false;
  if (match.alertName && !new RegExp(match.alertName).test(alert.name)) return false;
  return true;
}

/** Alerts bound for one webhook. */
interface RoutedAlerts {
  /** Route name, or `default`. */
  readonly routeName: string;
  readonly webhook: WebhookSource;
  readonly channel?: string;
  /** Mention for firing alerts of this route. */
  readonly mention?: string;
  readonly alerts: Alert[];
}

/**
 * Splits alerts by route (first match wins; the default webhook takes the rest), keeping their order.
 * @throws NotifierConfigError when an alert matches no route and there is no default webhook
 */
function routeAlerts(alerts: readonly Alert[], config: NotifierConfig): RoutedAlerts[] {
  const groups = new Map<string, RoutedAlerts>();
  for (const alert of alerts) {
    const route = config.routes.find((r) => routeMatches(r, alert));
    let key: string;
    let group: RoutedAlerts | undefined;
    if (route) {
      key = `route:${route.name}`;
      group = groups.get(key) ?? {
        routeName: route.name,
        webhook: route.webhook,
        ...(route.channel && { channel: route.channel }),
        ...(route.mention && { mention: route.mention }),
        alerts: [],
      };
    } else if (config.defaultWebhook) {
      key = 'default';
      group = groups.get(key) ?? {
        routeName: 'default',
        webhook: config.defaultWebhook,
        ...(config.defaultChannel && { channel: config.defaultChannel }),
        ...(config.defaultMention && { mention: config.defaultMention }),
        alerts: [],
      };
    } else {
      throw new NotifierConfigError(
        `Alert "${alert.name}" matches no route in SLACK_ROUTES and no default webhook is set. Add a route without "match" or set a default webhook.`,
      );
    }
    group.alerts.push(alert);
    groups.set(key, group);
  }
  return [...groups.values()];
}

export { RouteSchema, RoutesSchema, WebhookSourceSchema, parseRoutes, loadNotifierConfig, routeMatches, routeAlerts };
export type { Route, WebhookSource, NotifierConfig, RoutedAlerts };
