import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { KUBERNETES_NAMESPACE_LABEL, type AlertDefinition } from '../alert-rules/alert-definition.js';
import { defineAlert } from '../alert-rules/define-alert.js';
import { InvalidPropsError } from '../errors.js';
import type { IAlarmNotificationTarget } from '../slack-notifier/slack-notifier.js';
import { ADOT_EMF_CLUSTER_FIELD, ADOT_EMF_NAMESPACE_FIELD, containerInsightsPrometheusLogGroupName, jsonFieldSelector } from './adot-emf.js';
import { requireClusterName } from './cluster-name.js';
import { LogMetricAlarm, type LogMetricDimension } from './log-metric-alarm.js';

/** Properties of {@link ContainerInsightsPrometheusAlarm}. */
interface ContainerInsightsPrometheusAlarmProps {
  /** Name of the EKS cluster; the log group is `/aws/containerinsights/<cluster>/prometheus`. */
  readonly clusterName: string;
  /** The alert; its `signal.metric` must be scraped by the collector (`metricsNameSelectors`). */
  readonly alert: AlertDefinition;
  /** CloudWatch namespace of the metric the filter publishes. */
  readonly metricNamespace: string;
  /**
   * CloudWatch dimension name per groupBy label.
   * @default - the label name itself
   */
  readonly dimensionNames?: Readonly<Record<string, string>>;
  /**
   * The log group.
   * @default - imported by name; the collector creates it on its first write, so deploy after the collector runs
   */
  readonly logGroup?: logs.ILogGroup;
  /**
   * Name of the alarm, unique in the account and region.
   * @default - `<alert name> on <clusterName>`
   */
  readonly alarmName?: string;
  /** @default - no action */
  readonly notifier?: IAlarmNotificationTarget;
  /** @default true */
  readonly notifyOnOk?: boolean;
}

/**
 * An alarm on a Prometheus metric that the CloudWatch ADOT collector (EKS Blueprints `CloudWatchAdotAddOn`)
 * writes as EMF log events: the metric filter `{ $.<metric> >= 0 }` publishes the metric's value with one
 * dimension per groupBy label, read from the event (the pod namespace from `k8s.namespace.name`), plus
 * `EKS_Cluster`, so that clusters of one account and region publish separate series (and the Slack message
 * names the cluster). The alarm is named `<alert name> on <cluster>`.
 */
class ContainerInsightsPrometheusAlarm extends Construct {
  /** The underlying metric filter and alarm. */
  public readonly logMetricAlarm: LogMetricAlarm;

  public constructor(scope: Construct, id: string, props: ContainerInsightsPrometheusAlarmProps) {
    super(scope, id);
    const clusterName = requireClusterName(props.clusterName, 'ContainerInsightsPrometheusAlarm');
    const alert = defineAlert(props.alert);
    if (alert.signal.type !== 'counter' && alert.signal.type !== 'gauge') {
      throw new InvalidPropsError(`ContainerInsightsPrometheusAlarm: unsupported signal type ${String(alert.signal.type)}`);
    }
    const dimensions: Record<string, LogMetricDimension> = {};
    for (const label of alert.signal.groupBy) {
      const field = label === KUBERNETES_NAMESPACE_LABEL ? ADOT_EMF_NAMESPACE_FIELD : label;
      dimensions[label] = { name: props.dimensionNames?.[label] ?? label, selector: jsonFieldSelector(field) };
    }
    const metricSelector = jsonFieldSelector(alert.signal.metric);
    this.logMetricAlarm = new LogMetricAlarm(this, 'Resource', {
      alert,
      logGroup: props.logGroup
        ?? logs.LogGroup.fromLogGroupName(this, 'LogGroup', containerInsightsPrometheusLogGroupName(clusterName)),
      filterPattern: `{ ${metricSelector} >= 0 }`,
      metricValue: metricSelector,
      metricNamespace: props.metricNamespace,
      dimensions,
      // The collector writes the cluster into every event it sends.
      scopeDimensions: [{ name: ADOT_EMF_CLUSTER_FIELD, selector: jsonFieldSelector(ADOT_EMF_CLUSTER_FIELD), value: clusterName }],
      alarmName: props.alarmName ?? `${alert.name} on ${clusterName}`,
      clusterName,
      notifier: props.notifier,
      notifyOnOk: props.notifyOnOk,
    });
  }
}

export { ContainerInsightsPrometheusAlarm };
export type { ContainerInsightsPrometheusAlarmProps };
