import { PartialDeliveryError } from '../errors.js';
import type { AlertBatch } from '../model/alert.js';
import { renderPlainTextMessage, renderSlackMessage } from '../render/slack-message.js';
import { WebhookResolver } from '../webhook/webhook-resolver.js';
import { routeAlerts, type NotifierConfig, type RoutedAlerts } from './routes.js';
import { SlackWebhookClient, type DeliveryOptions } from './slack-webhook-client.js';

/** The logging the notifier does; Powertools Logger and console both fit. Never given the webhook URL. */
interface NotifierLogger {
  info(message: string, ...extra: Record<string, unknown>[]): void;
  warn(message: string, ...extra: Record<string, unknown>[]): void;
  error(message: string, ...extra: Record<string, unknown>[]): void;
}

/** Options of {@link SlackNotifier}. */
interface SlackNotifierOptions {
  /** Routes and webhooks. */
  readonly config: NotifierConfig;
  /**
   * Resolves webhook sources; share one per process to resolve each once per cold start.
   * @default - a new resolver honouring `config.allowInsecureLoopbackWebhook`
   */
  readonly resolver?: WebhookResolver;
  /**
   * Retry and timeout settings for every post.
   * @default - the defaults of {@link DeliveryOptions}
   */
  readonly delivery?: Omit<DeliveryOptions, 'remainingTimeMs' | 'onRetry'>;
  /**
   * Where retries and degraded deliveries are reported.
   * @default - silent
   */
  readonly logger?: NotifierLogger;
}

/** Outcome of {@link SlackNotifier.notify}. */
interface NotifyResult {
  /** Slack messages posted (one per route that had alerts). */
  readonly messages: number;
  readonly alerts: number;
}

/** Names a route for an error: by its name and channel, never by its webhook. */
function describeRoute(group: RoutedAlerts, config: NotifierConfig): string {
  const name = config.routes.some((r) => r.name === group.routeName) ? `route "${group.routeName}"` : 'the default webhook';
  return group.channel ? `${name} (${group.channel})` : name;
}

/** The route and the original error behind each error {@link namingRoute} made. */
const ROUTE_OF_FAILURE = new WeakMap<Error, { route: string; error: Error }>();

/**
 * The error of one route, its message prefixed with the route (`route "platform" (#alerts): ...`): a copy
 * of the same class with the same fields, so `instanceof SlackDeliveryError` and `status` still work.
 */
function namingRoute(error: Error, route: string): Error {
  const named = Object.create(Object.getPrototypeOf(error) as object) as Error;
  Object.defineProperties(named, Object.getOwnPropertyDescriptors(error));
  const message = `${route}: ${error.message}`;
  Object.defineProperty(named, 'message', { value: message, writable: true, configurable: true, enumerable: false });
  if (typeof error.stack === 'string') Object.defineProperty(named, 'stack', { value: error.stack.replace(error.message, message), writable: true, configurable: true });
  ROUTE_OF_FAILURE.set(named, { route, error });
  return named;
}

/**
 * One error for the failures of several {@link SlackNotifier.notify} calls (the records of one Lambda event,
 * the batches of one CLI run), each naming its route: the error itself when it is the only one and
 * nothing was delivered, else a {@link PartialDeliveryError} listing every failed route.
 * @param delivered - messages the successful calls delivered
 */
function combineDeliveryErrors(errors: readonly Error[], delivered: number): Error {
  const failures: Error[] = [];
  const routes: string[] = [];
  let total = delivered;
  for (const error of errors) {
    if (error instanceof PartialDeliveryError) {
      failures.push(...error.failures);
      routes.push(...error.failures.map((_, i) => error.routes[i] ?? ''));
      total += error.delivered;
      continue;
    }
    const named = ROUTE_OF_FAILURE.get(error);
    failures.push(named?.error ?? error);
    routes.push(named?.route ?? '');
  }
  if (errors.length === 1 && total === 0) return errors[0]!;
  return new PartialDeliveryError(failures, total, routes);
}

const SILENT: NotifierLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };

/**
 * Delivers alert batches: routes each alert, renders one message per route, resolves the route's
 * webhook (once per process) and posts with retries. Every route is attempted even when another fails;
 * any failure is thrown afterwards, so the caller's retry and dead-letter handling keep the alert.
 */
class SlackNotifier {
  private readonly config: NotifierConfig;
  private readonly resolver: WebhookResolver;
  private readonly options: SlackNotifierOptions;
  private readonly logger: NotifierLogger;

  public constructor(options: SlackNotifierOptions) {
    this.options = options;
    this.config = options.config;
    this.logger = options.logger ?? SILENT;
    this.resolver =
      options.resolver ??
      new WebhookResolver({
        ...(options.config.allowInsecureLoopbackWebhook !== undefined && { allowInsecureLoopbackWebhook: options.config.allowInsecureLoopbackWebhook }),
        ...(options.delivery?.runsIn && { runsIn: options.delivery.runsIn }),
      });
  }

  /**
   * Posts a batch of alerts to Slack.
   * @param remainingTimeMs - milliseconds left before the caller's deadline (Lambda's remaining time)
   * @throws SlackDeliveryError, WebhookResolutionError or NotifierConfigError when one route failed, its
   *   message starting with the route (`route "platform" (#alerts): ...`, never the URL);
   *   PartialDeliveryError, naming each failed route, when several did or others were delivered
   */
  public async notify(batch: AlertBatch, remainingTimeMs?: () => number): Promise<NotifyResult> {
    if (batch.alerts.length === 0) return { messages: 0, alerts: 0 };
    const groups = routeAlerts(batch.alerts, this.config);
    const failures: Error[] = [];
    const failedRoutes: string[] = [];
    let delivered = 0;
    for (const group of groups) {
      const sub = { ...batch, alerts: group.alerts };
      const renderOptions = { ...(group.channel && { channel: group.channel }), ...(group.mention && { mention: group.mention }) };
      try {
        const url = await this.resolver.resolve(group.webhook);
        const client = new SlackWebhookClient(url, {
          ...this.options.delivery,
          ...(remainingTimeMs && { remainingTimeMs }),
          onRetry: (info) => this.logger.warn('Retrying Slack delivery', { route: group.routeName, ...info }),
        });
        const result = await client.post(renderSlackMessage(sub, renderOptions), renderPlainTextMessage(sub, renderOptions));
        if (result.degraded) {
          this.logger.warn('Slack rejected the Block Kit message; the plain-text version was delivered', { route: group.routeName });
        }
        this.logger.info('Delivered to Slack', {
          route: group.routeName,
          alerts: group.alerts.map((a) => `${a.name} (${a.state})`),
          source: group.alerts[0]?.source,
          attempts: result.attempts,
        });
        delivered += 1;
      } catch (error) {
        const err = error instanceof Error ? error : new Error(String(error));
        this.logger.error('Slack delivery failed', { route: group.routeName, alerts: group.alerts.map((a) => a.name), error: `${err.name}: ${err.message}` });
        failures.push(err);
        failedRoutes.push(describeRoute(group, this.config));
      }
    }
    if (failures.length === 1 && delivered === 0) throw namingRoute(failures[0]!, failedRoutes[0]!);
    if (failures.length > 0) throw new PartialDeliveryError(failures, delivered, failedRoutes);
    return { messages: delivered, alerts: batch.alerts.length };
  }
}

export { SlackNotifier, combineDeliveryErrors };
export type { SlackNotifierOptions, NotifierLogger, NotifyResult };
