import { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import { loadNotifierConfig } from '../delivery/routes.js';
import { combineDeliveryErrors, SlackNotifier, type SlackNotifierOptions } from '../delivery/slack-notifier.js';
import { WebhookResolver } from '../webhook/webhook-resolver.js';
import { batchesFromLambdaEvent } from './lambda-event.js';

/** Options of {@link createLambdaHandler}; the defaults are what the deployed function uses. */
interface LambdaHandlerOptions {
  /**
   * Environment to read the configuration from.
   * @default process.env
   */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /**
   * Powertools Logger (or a compatible logger).
   * @default - a Powertools Logger with service name `POWERTOOLS_SERVICE_NAME` or `eks-o11y-slack-notifier`
   */
  readonly logger?: Logger;
  /**
   * Retry and timeout settings.
   * @default - the defaults of SlackWebhookClient
   */
  readonly delivery?: SlackNotifierOptions['delivery'];
}

/** What the handler returns when every alert was delivered. */
interface LambdaHandlerResult {
  /** SNS records or events processed. */
  readonly records: number;
  /** Slack messages posted. */
  readonly messages: number;
  readonly alerts: number;
}

/** The Lambda handler's signature: SNS or EventBridge event in, summary out; throws when an alert was not delivered. */
type NotifierLambdaHandler = (event: unknown, context?: Partial<Context>) => Promise<LambdaHandlerResult>;

/**
 * Builds the Lambda handler. Configuration is read and webhooks are resolved once per process (cold
 * start), on first use; every SNS record is delivered; a failure is thrown after all records were tried,
 * so Lambda's asynchronous retries and the dead-letter queue keep the alerts.
 */
function createLambdaHandler(options: LambdaHandlerOptions = {}): NotifierLambdaHandler {
  const env = options.env ?? process.env;
  let logger: Logger | undefined = options.logger;
  let notifier: SlackNotifier | undefined;

  return async (event, context) => {
    logger ??= new Logger({ serviceName: env.POWERTOOLS_SERVICE_NAME ?? 'eks-o11y-slack-notifier' });
    if (context && typeof context.getRemainingTimeInMillis === 'function') logger.addContext(context as Context);
    if (!notifier) {
      const config = loadNotifierConfig(env);
      notifier = new SlackNotifier({
        config,
        resolver: new WebhookResolver({
          allowInsecureLoopbackWebhook: config.allowInsecureLoopbackWebhook ?? false,
          runsIn: 'lambda',
          ...(env.AWS_LAMBDA_FUNCTION_NAME && { functionName: env.AWS_LAMBDA_FUNCTION_NAME }),
        }),
        logger,
        delivery: { ...options.delivery, runsIn: 'lambda' },
      });
    }
    let items;
    try {
      items = batchesFromLambdaEvent(event);
    } catch (error) {
      logger.error('The event is not an alert this function understands', error as Error);
      throw error;
    }
    const remaining = context?.getRemainingTimeInMillis ? () => context.getRemainingTimeInMillis!() : undefined;
    const failures: Error[] = [];
    let messages = 0;
    let alerts = 0;
    for (const item of items) {
      try {
        const result = await notifier.notify(item.batch, remaining);
        messages += result.messages;
        alerts += result.alerts;
      } catch (error) {
        failures.push(error instanceof Error ? error : new Error(String(error)));
        logger.error('An alert was not delivered; the invocation will fail so it is retried', { record: item.id });
      }
    }
    // Every failure names its route (never its webhook URL).
    if (failures.length > 0) throw combineDeliveryErrors(failures, messages);
    return { records: items.length, messages, alerts };
  };
}

let defaultHandler: NotifierLambdaHandler | undefined;

/** The deployed Lambda handler (`index.handler` in the bundle); built on first invocation. */
const handler: NotifierLambdaHandler = (event, context) => {
  defaultHandler ??= createLambdaHandler();
  return defaultHandler(event, context);
};

export { createLambdaHandler, handler };
export type { LambdaHandlerOptions, LambdaHandlerResult, NotifierLambdaHandler };
