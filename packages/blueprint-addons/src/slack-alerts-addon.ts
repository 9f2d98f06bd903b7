import { addons, type ClusterAddOn, type ClusterInfo } from '@aws-quickstart/eks-blueprints';
import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import { ClusterLoggingTypes } from 'aws-cdk-lib/aws-eks';
import { LogGroup, RetentionDays, type ILogGroup } from 'aws-cdk-lib/aws-logs';
import { ho11yErrorAlert, InvalidAlertDefinitionError, type ResolvedAlertDefinition } from '@eks-o11y/cdk-constructs/alert-rules';
import { ControlPlaneForbiddenAlarm, Ho11yErrorAlarm, SlackNotifier } from '@eks-o11y/cdk-constructs';
import { Construct } from 'constructs';
import { cloudWatchCollectorSettings, collectorForwardsMetric } from './cloudwatch-collector.js';
import { assertControlPlaneLogTypes } from './control-plane-logging.js';
import { InvalidAddOnPropsError } from './errors.js';
import { Ho11yAddOn } from './ho11y-addon.js';
import { requireScheduledAddOn } from './scheduled-addon.js';
import { assertSlackWebhookReference, resolveSlackWebhook, type SlackWebhookReference } from './slack-webhook-reference.js';

/** Options of {@link SlackAlertsAddOn}. */
interface SlackAlertsAddOnProps {
  /** Where the notifier reads the Slack incoming-webhook URL. The URL itself never enters the template. */
  readonly webhook: SlackWebhookReference;
  /**
   * Slack channel shown on the messages (the webhook decides where they go).
   * @default - the webhook's own channel
   */
  readonly channel?: string;
  /**
   * Alarm on ho11y's HTTP 400 responses (the blog's alarm: `ho11y_total` with `http_status_code`
   * 400, Sum > 15 over 300 s) from the Container Insights Prometheus log group.
   * @default true
   */
  readonly ho11yErrorAlarm?: boolean;
  /**
   * Kubernetes namespace ho11y runs in, a dimension of the ho11y error metric.
   * @default 'ho11y'
   */
  readonly ho11yNamespace?: string;
  /**
   * Alarm on HTTP 403 responses in the control plane's audit log (`/aws/eks/<cluster>/cluster`).
   * Needs the `audit` control-plane log type enabled on the blueprint.
   * @default true
   */
  readonly controlPlaneAlarm?: boolean;
  /**
   * Retention of `/aws/containerinsights/<cluster>/prometheus`, which this add-on creates so that
   * the metric filter has a log group to attach to before the collector first writes.
   * @default RetentionDays.ONE_MONTH
   */
  readonly prometheusLogRetention?: RetentionDays;
  /**
   * Create `/aws/containerinsights/<cluster>/prometheus` (retained when the stack is deleted). Set `false`
   * when the group already exists, e.g. when the add-on joins a cluster whose collector has been writing
   * there, or after a destroy that kept it: creating it again fails with "already exists".
   * @default true
   */
  readonly createPrometheusLogGroup?: boolean;
  /**
   * Add-on id, also the construct id of everything it creates.
   * @default 'slack-alerts'
   */
  readonly id?: string;
}

/** Control-plane log types the control-plane alarm reads. */
const CONTROL_PLANE_ALARM_LOG_TYPES: readonly ClusterLoggingTypes[] = [ClusterLoggingTypes.AUDIT];

/**
 * Sends the cluster's alarms to Slack: creates the Slack notifier (`@eks-o11y/cdk-constructs`
 * `SlackNotifier`) and the blog's two alarms for the cluster it is added to, with log group names
 * derived from the cluster name:
 * - ho11y's HTTP 400 errors, from `/aws/containerinsights/<cluster>/prometheus` (written by the
 *   CloudWatch ADOT collector);
 * - HTTP 403 responses in `/aws/eks/<cluster>/cluster` (the control-plane audit log).
 *
 * Needs `CloudWatchAdotAddOn` earlier in the same blueprint, and (for the control-plane alarm)
 * `.enableControlPlaneLogTypes(blueprints.ControlPlaneLogType.AUDIT)` on the builder: an add-on runs
 * after the cluster exists and cannot change its logging, so a missing log type fails synthesis
 * with the builder call to add.
 *
 * @example
 * ```ts
 * blueprints.EksBlueprint.builder()
 *   .enableControlPlaneLogTypes(blueprints.ControlPlaneLogType.AUDIT)
 *   .addOns(...blogAddOns, new SlackAlertsAddOn({ webhook: { secretName: 'eks-o11y/slack-webhook' } }))
 * ```
 */
class SlackAlertsAddOn implements ClusterAddOn {
  /** Control-plane log types the blueprint must enable when `controlPlaneAlarm` is on. */
  public static readonly REQUIRED_CONTROL_PLANE_LOG_TYPES = CONTROL_PLANE_ALARM_LOG_TYPES;

  public readonly id: string;
  // Not an ES `#` field: EKS Blueprints clones add-ons, and clones lose `#` fields.
  private readonly props: SlackAlertsAddOnProps;
  private readonly ho11yAlert: ResolvedAlertDefinition;

  public constructor(props: SlackAlertsAddOnProps) {
    if (!props?.webhook) {
      throw new InvalidAddOnPropsError(
        "SlackAlertsAddOn needs a webhook: for example { webhook: { secretName: 'eks-o11y/slack-webhook' } } " +
          'for a Secrets Manager secret that holds the Slack incoming-webhook URL.',
      );
    }
    assertSlackWebhookReference(props.webhook);
    const ho11yAlert = ho11yAlertIn(props.ho11yNamespace);
    if (props.ho11yErrorAlarm === false && props.controlPlaneAlarm === false) {
      throw new InvalidAddOnPropsError(
        'SlackAlertsAddOn with ho11yErrorAlarm: false and controlPlaneAlarm: false has no alarm to send: turn one on.',
      );
    }
    this.id = props.id ?? 'slack-alerts';
    this.props = { ...props };
    this.ho11yAlert = ho11yAlert;
  }

  public deploy(clusterInfo: ClusterInfo): Promise<Construct> {
    const props = this.props;
    const ho11yErrorAlarm = props.ho11yErrorAlarm ?? true;
    const controlPlaneAlarm = props.controlPlaneAlarm ?? true;

    const collectorReady = requireScheduledAddOn(clusterInfo, addons.CloudWatchAdotAddOn, SlackAlertsAddOn.name);
    if (controlPlaneAlarm) {
      assertControlPlaneLogTypes(clusterInfo, CONTROL_PLANE_ALARM_LOG_TYPES, SlackAlertsAddOn.name);
    }
    if (ho11yErrorAlarm) {
      assertCollectorForwardsHo11y(clusterInfo);
      assertHo11yNamespace(clusterInfo, props.ho11yNamespace);
    }

    const cluster = clusterInfo.cluster;
    const scope = new Construct(Stack.of(cluster), this.id);
    const prometheusLogGroupName = `/aws/containerinsights/${cluster.clusterName}/prometheus`;
    const createdLogGroup = props.createPrometheusLogGroup === false ? undefined : new LogGroup(scope, 'PrometheusLogGroup', {
      logGroupName: prometheusLogGroupName,
      retention: props.prometheusLogRetention ?? RetentionDays.ONE_MONTH,
      // The collector keeps writing here while the stack is deleted; keep the data it wrote.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const prometheusLogGroup: ILogGroup = createdLogGroup ?? LogGroup.fromLogGroupName(scope, 'PrometheusLogGroup', prometheusLogGroupName);
    const notifier = new SlackNotifier(scope, 'Notifier', {
      webhook: resolveSlackWebhook(scope, props.webhook),
      ...(props.channel ? { channel: props.channel } : {}),
    });
    if (ho11yErrorAlarm) {
      new Ho11yErrorAlarm(scope, 'Ho11yErrors', {
        clusterName: cluster.clusterName,
        notifier,
        logGroup: prometheusLogGroup,
        alert: this.ho11yAlert,
      });
    }
    if (controlPlaneAlarm) {
      new ControlPlaneForbiddenAlarm(scope, 'ControlPlaneForbidden', { clusterName: cluster.clusterName, notifier });
    }

    // The collector creates the log group itself if it starts first; create ours before it runs.
    return collectorReady.then((collector) => {
      if (createdLogGroup) collector.node.addDependency(createdLogGroup);
      return scope;
    });
  }
}

function assertCollectorForwardsHo11y(clusterInfo: ClusterInfo): void {
  const collector = cloudWatchCollectorSettings(clusterInfo);
  if (collector && !collectorForwardsMetric(collector, 'ho11y_total')) {
    throw new InvalidAddOnPropsError(
      `The CloudWatchAdotAddOn's metricsNameSelectors (${collector.metricsNameSelectors.join(', ')}) do not select ` +
        `ho11y_total, so the ho11y error alarm would never fire: add 'ho11y*' to metricsNameSelectors, ` +
        'or set ho11yErrorAlarm: false.',
    );
  }
}

/** The ho11y alarm's alert for `namespace`; a name the alert refuses is reported as this add-on's prop. */
function ho11yAlertIn(namespace: string | undefined): ResolvedAlertDefinition {
  try {
    return ho11yErrorAlert({ namespace: namespace ?? 'ho11y' });
  } catch (error) {
    if (!(error instanceof InvalidAlertDefinitionError)) throw error;
    throw new InvalidAddOnPropsError(
      `SlackAlertsAddOn: ho11yNamespace ${JSON.stringify(namespace)} is not a Kubernetes namespace name; ` +
        "give the namespace ho11y runs in (Ho11yAddOn's namespace, 'ho11y' by default), or leave it out.",
      { cause: error },
    );
  }
}

/** The ho11y alarm watches one namespace: the one the blueprint's Ho11yAddOn deploys into. */
function assertHo11yNamespace(clusterInfo: ClusterInfo, ho11yNamespace: string | undefined): void {
  const watched = ho11yNamespace ?? 'ho11y';
  const deployed = (clusterInfo.getResourceContext().blueprintProps.addOns ?? [])
    .filter((addOn): addOn is Ho11yAddOn => addOn instanceof Ho11yAddOn)
    .map((addOn) => addOn.namespace);
  if (deployed.length > 0 && !deployed.includes(watched)) {
    throw new InvalidAddOnPropsError(
      `SlackAlertsAddOn's ho11y alarm watches namespace "${watched}", but Ho11yAddOn deploys ho11y into ` +
        `${deployed.map((n) => `"${n}"`).join(', ')}: the alarm would never fire. ` +
        `Set ho11yNamespace: '${deployed[0]}' on SlackAlertsAddOn.`,
    );
  }
}

export { SlackAlertsAddOn };
export type { SlackAlertsAddOnProps };
