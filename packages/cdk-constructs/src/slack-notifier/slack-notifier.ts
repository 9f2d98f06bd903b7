import { Annotations, Duration, Names, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { AlertSeverity } from '../alert-rules/alert-definition.js';
import { InvalidPropsError } from '../errors.js';
import { notifierCode } from './notifier-asset.js';
import { routeDocument, validateRouting } from './slack-routing.js';
import type { SlackRoute } from './slack-route.js';
import type { SlackWebhook, SlackWebhookSource } from './slack-webhook.js';

/** Anything that can receive alarm notifications: a {@link SlackNotifier}, or your own topic wrapper. */
interface IAlarmNotificationTarget {
  /** The SNS topic alarms publish to. */
  readonly topic: sns.ITopic;
}

/** Log level of the notifier function (Powertools Logger). */
const NotifierLogLevel = { DEBUG: 'DEBUG', INFO: 'INFO', WARN: 'WARN', ERROR: 'ERROR' } as const;
type NotifierLogLevel = (typeof NotifierLogLevel)[keyof typeof NotifierLogLevel];

/** Properties of {@link SlackNotifier}. */
interface SlackNotifierProps {
  /**
   * The default channel's webhook: alerts that match no route go there.
   * @default - none; then `routes` must contain a catch-all route (one without `match`)
   */
  readonly webhook?: SlackWebhook;
  /**
   * Channel override for the default webhook (`SLACK_CHANNEL`).
   * @default - the webhook's own channel
   */
  readonly channel?: string;
  /**
   * Mention added to firing alerts of the default webhook (`SLACK_MENTION`): `@here`, `@channel`,
   * `<!here>`, `<!channel>`, a user `<@U…>` or a user group `<!subteam^S…>`.
   * @default - no mention
   */
  readonly mention?: string;
  /**
   * Routes to other channels, tried in order, first match wins.
   * @default []
   */
  readonly routes?: readonly SlackRoute[];
  /**
   * Physical name of the function. It is also the KMS encryption context of `SlackWebhook.fromKmsCiphertext`
   * webhooks, so encrypt the URL with this exact name. 1-64 letters, digits, `-` or `_`.
   * @default - derived from the stack name and construct path; stable across deployments, see `functionName`
   */
  readonly functionName?: string;
  /**
   * Lambda runtime of the function: Node.js 22 or later.
   * @default - the newest Node.js runtime the installed aws-cdk-lib knows, from nodejs24.x on (nodejs26.x with an
   * aws-cdk-lib that has it): cdk-nag's AwsSolutions-L1 asks for the newest one
   */
  readonly runtime?: lambda.Runtime;
  /**
   * Memory of the function, in MiB: a whole number from 128 to 10240.
   * @default 256
   */
  readonly memorySize?: number;
  /**
   * Timeout of one invocation (KMS decrypt on a cold start plus one Slack call per alarm).
   * @default Duration.seconds(15)
   */
  readonly timeout?: Duration;
  /**
   * Retention of the function's log group.
   * @default logs.RetentionDays.ONE_MONTH
   */
  readonly logRetention?: logs.RetentionDays;
  /**
   * What happens to the function's log group (`/aws/lambda/<functionName>`) when the notifier is removed.
   * `RETAIN` keeps the delivery logs, but then a redeploy with the same function name fails until you
   * delete the group (`aws logs delete-log-group --log-group-name /aws/lambda/<functionName>`).
   * @default RemovalPolicy.DESTROY - the group has a fixed name, and a retained one blocks the next deployment
   */
  readonly logRemovalPolicy?: RemovalPolicy;
  /**
   * Log level of the function.
   * @default 'INFO'
   */
  readonly logLevel?: NotifierLogLevel;
  /**
   * Where the alarms on the notifier itself (function errors, dead-letter queue not empty) are sent.
   * Give an independent path (an e-mail topic, a pager) when Slack delivery must never fail unseen.
   * @default - the notifier's own topic: partial failures (one broken route, Slack throttling) still reach Slack
   */
  readonly failureAlarmTopic?: sns.ITopic;
  /**
   * The function code.
   * @default - the handler bundled in `@eks-o11y/slack-notifier` (`LAMBDA_ASSET_DIR`)
   */
  readonly code?: lambda.Code;
}

const FUNCTION_NAME = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * Sends CloudWatch alarms and EventBridge events to Slack.
 *
 * - an SNS topic encrypted with a customer-managed KMS key (rotation on), TLS-only, that CloudWatch alarms
 *   and EventBridge rules of this account may publish to;
 * - the notifier Lambda from `@eks-o11y/slack-notifier` (nodejs24.x, arm64), subscribed to the topic, with its
 *   own role that can write its logs, read its webhooks, and nothing else;
 * - an encrypted SQS dead-letter queue for invocations that failed all retries, a log group with retention,
 *   and alarms on function errors and on the dead-letter queue, so the notifier never fails silently.
 *
 * @example
 * ```ts
 * const notifier = new SlackNotifier(this, 'Slack', {
 *   webhook: SlackWebhook.fromSecret(secretsmanager.Secret.fromSecretNameV2(this, 'Hook', 'slack/alerts')),
 * });
 * alarm.addAlarmAction(new SnsAction(notifier.topic));
 * ```
 */
class SlackNotifier extends Construct implements IAlarmNotificationTarget {
  /** The topic alarms publish to. */
  public readonly topic: sns.Topic;
  /** The customer-managed key that encrypts the topic. */
  public readonly key: kms.Key;
  /** The notifier function. */
  public readonly function: lambda.Function;
  /** Physical name of the function (the KMS encryption context of ciphertext webhooks). */
  public readonly functionName: string;
  /** Invocations that failed every retry land here. */
  public readonly deadLetterQueue: sqs.Queue;
  /** The function's log group. */
  public readonly logGroup: logs.LogGroup;
  /** Fires when the function reports errors. */
  public readonly errorsAlarm: cloudwatch.Alarm;
  /** Fires when a notification landed in the dead-letter queue. */
  public readonly deadLetterQueueAlarm: cloudwatch.Alarm;

  public constructor(scope: Construct, id: string, props: SlackNotifierProps = {}) {
    super(scope, id);
    const routes = props.routes ?? [];
    const unusedDefault = validateRouting(props, routes);
    if (unusedDefault) {
      Annotations.of(this).addWarningV2('@eks-o11y/cdk-constructs:default-webhook-unused',
        `The route "${unusedDefault}" takes every alert, so the default webhook never receives one: remove \`webhook\` or give that route a \`match\`.`);
    }
    validateFunctionProps(props);
    this.functionName = props.functionName ?? Names.uniqueResourceName(this, { maxLength: 64, separator: '-' });
    if (!Token.isUnresolved(this.functionName) && !FUNCTION_NAME.test(this.functionName)) {
      throw new InvalidPropsError(
        `SlackNotifier: functionName "${this.functionName}" must be 1-64 letters, digits, "-" or "_".`);
    }
    const stack = Stack.of(this);

    this.key = new kms.Key(this, 'Key', {
      description: `Encrypts the alert topic of ${this.node.path}`,
      enableKeyRotation: true,
    });
    this.topic = new sns.Topic(this, 'Topic', {
      displayName: 'Alerts to Slack',
      masterKey: this.key,
      enforceSSL: true,
    });
    // Alarms and rules publish through SNS, which uses the key on their behalf.
    const publishers = [new iam.ServicePrincipal('cloudwatch.amazonaws.com'), new iam.ServicePrincipal('events.amazonaws.com')];
    this.key.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'AllowAlarmsAndRulesToUseTheTopicKey',
      principals: publishers,
      actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      resources: ['*'],
    }));
    this.topic.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'AllowAlarmsAndRulesOfThisAccountToPublish',
      principals: publishers,
      actions: ['sns:Publish'],
      resources: [this.topic.topicArn],
      conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
    }));

    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    this.logGroup = new logs.LogGroup(this, 'LogGroup', {
      logGroupName: `/aws/lambda/${this.functionName}`,
      retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
      removalPolicy: props.logRemovalPolicy ?? RemovalPolicy.DESTROY,
    });
    // An explicit role: no AWS-managed policy, no wildcard action; each grant names its resource.
    const role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of the Slack notifier ${this.functionName}`,
    });
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      resources: [this.logGroup.logGroupArn],
    }));

    const bindOptions = { role, functionName: this.functionName };
    const environment: Record<string, string> = {
      POWERTOOLS_SERVICE_NAME: 'slack-notifier',
      POWERTOOLS_LOG_LEVEL: props.logLevel ?? NotifierLogLevel.INFO,
    };
    if (props.webhook !== undefined) Object.assign(environment, webhookEnvironment(props.webhook.bind(this, bindOptions)));
    if (props.channel !== undefined) environment.SLACK_CHANNEL = props.channel;
    if (props.mention !== undefined) environment.SLACK_MENTION = props.mention;
    if (routes.length > 0) {
      environment.SLACK_ROUTES = stack.toJsonString(routes.map((route) => routeDocument(route, route.webhook.bind(this, bindOptions))));
    }

    const { code, handler } = props.code === undefined ? notifierCode() : { code: props.code, handler: 'index.handler' };
    this.function = new lambda.Function(this, 'Function', {
      functionName: this.functionName,
      description: 'Posts CloudWatch alarms and EventBridge events to Slack (@eks-o11y/slack-notifier)',
      runtime: notifierRuntime(props.runtime),
      architecture: lambda.Architecture.ARM_64,
      code,
      handler,
      memorySize: props.memorySize ?? 256,
      timeout: props.timeout ?? Duration.seconds(15),
      role,
      logGroup: this.logGroup,
      deadLetterQueue: this.deadLetterQueue,
      retryAttempts: 2,
      environment,
    });
    this.topic.addSubscription(new subscriptions.LambdaSubscription(this.function));

    const failureAction = new cloudwatchActions.SnsAction(props.failureAlarmTopic ?? this.topic);
    this.errorsAlarm = new cloudwatch.Alarm(this, 'ErrorsAlarm', {
      alarmDescription:
        `The Slack notifier ${this.functionName} failed to deliver alerts: read its log group ${this.logGroup.logGroupName}.\n` +
        `Severity: ${AlertSeverity.critical}`,
      metric: this.function.metricErrors({ period: Duration.minutes(5), statistic: cloudwatch.Stats.SUM }),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    this.deadLetterQueueAlarm = new cloudwatch.Alarm(this, 'DeadLetterQueueAlarm', {
      alarmDescription:
        `Alerts were lost on the way to Slack: they are in the dead-letter queue of ${this.functionName}. ` +
        'Read the messages, fix the cause (webhook revoked? Slack down?), then redrive them.\n' +
        `Severity: ${AlertSeverity.critical}`,
      metric: this.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
        period: Duration.minutes(5),
        statistic: cloudwatch.Stats.MAXIMUM,
      }),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    for (const alarm of [this.errorsAlarm, this.deadLetterQueueAlarm]) alarm.addAlarmAction(failureAction);
  }
}

/** The contract's environment variable for each kind of webhook source. */
function webhookEnvironment(source: SlackWebhookSource): Record<string, string> {
  if (source.kmsCiphertext !== undefined) return { SLACK_WEBHOOK_KMS_CIPHERTEXT: source.kmsCiphertext };
  if (source.secretId !== undefined) return { SLACK_WEBHOOK_SECRET_ID: source.secretId };
  if (source.ssmParameter !== undefined) return { SLACK_WEBHOOK_SSM_PARAMETER: source.ssmParameter };
  throw new InvalidPropsError('SlackWebhook.bind returned no source');
}

/**
 * The given runtime, checked, or the newest Node.js runtime this aws-cdk-lib knows from nodejs24.x on. The bundle is
 * built for Node.js 24 and runs on later releases (the package supports Node.js 22 and later).
 */
function notifierRuntime(runtime: lambda.Runtime | undefined): lambda.Runtime {
  if (runtime === undefined) {
    const known = lambda.Runtime as unknown as Record<string, lambda.Runtime | undefined>;
    return known.NODEJS_26_X ?? lambda.Runtime.NODEJS_24_X;
  }
  const major = /^nodejs(\d+)\./.exec(runtime.name)?.[1];
  if (runtime.family !== lambda.RuntimeFamily.NODEJS || major === undefined || Number(major) < 22) {
    throw new InvalidPropsError(
      `SlackNotifier: runtime ${runtime.name} cannot run the notifier; give a Node.js runtime from nodejs22.x on, ` +
        'such as lambda.Runtime.NODEJS_24_X, or leave it out for the newest one.');
  }
  return runtime;
}

const LOG_LEVELS: readonly string[] = Object.values(NotifierLogLevel);

/** Function settings Lambda would refuse at deploy time, or the handler at run time. */
function validateFunctionProps(props: SlackNotifierProps): void {
  const memory = props.memorySize;
  if (memory !== undefined && !Token.isUnresolved(memory) && (!Number.isInteger(memory) || memory < 128 || memory > 10240)) {
    throw new InvalidPropsError(`SlackNotifier: memorySize ${memory} is outside what Lambda allows; give a whole number of MiB from 128 to 10240 (256 is plenty).`);
  }
  if (props.logLevel !== undefined && !LOG_LEVELS.includes(props.logLevel)) {
    throw new InvalidPropsError(`SlackNotifier: logLevel "${String(props.logLevel)}" is not a log level; use ${LOG_LEVELS.join(', ')}.`);
  }
}

export { SlackNotifier, NotifierLogLevel };
export type { SlackNotifierProps, IAlarmNotificationTarget };
