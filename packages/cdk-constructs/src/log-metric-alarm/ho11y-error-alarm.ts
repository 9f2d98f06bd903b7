import type * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { AlertDefinition } from '../alert-rules/alert-definition.js';
import { ho11yBadRequestAlert } from '../alert-rules/ho11y.js';
import type { IAlarmNotificationTarget } from '../slack-notifier/slack-notifier.js';
import { ContainerInsightsPrometheusAlarm } from './container-insights-prometheus-alarm.js';
import type { LogMetricAlarm } from './log-metric-alarm.js';

/** CloudWatch namespace of the blog's ho11y metric. */
const HO11Y_METRIC_NAMESPACE = 'ho11yMetrics';

/** Properties of {@link Ho11yErrorAlarm}. */
interface Ho11yErrorAlarmProps {
  /** Name of the EKS cluster running ho11y and the CloudWatch ADOT collector. */
  readonly clusterName: string;
  /** Where the alarm is sent. @default - no action */
  readonly notifier?: IAlarmNotificationTarget;
  /**
   * The alert. Build variants with `ho11yErrorAlert({ statusCode: '404', threshold: 5 })`.
   * @default ho11yBadRequestAlert - `400 errors from ho11y app`, Sum > 15 over 300 s
   */
  readonly alert?: AlertDefinition;
  /**
   * Name of the alarm, unique in the account and region.
   * @default - `<alert name> on <clusterName>`, e.g. `400 errors from ho11y app on demo-cluster`
   */
  readonly alarmName?: string;
  /** @default 'ho11yMetrics' */
  readonly metricNamespace?: string;
  /** @default - `/aws/containerinsights/<cluster>/prometheus`, imported by name */
  readonly logGroup?: logs.ILogGroup;
  /** @default true */
  readonly notifyOnOk?: boolean;
}

/**
 * The blog's ho11y alarm: metric filter `ho11y_total` by `Namespace` and `HTTPStatusCode` (and
 * `EKS_Cluster`, so clusters of one account stay apart) on `/aws/containerinsights/<cluster>/prometheus`,
 * alarm `400 errors from ho11y app on <cluster>` when more than 15 responses with status 400 are counted
 * in 5 minutes.
 */
class Ho11yErrorAlarm extends Construct {
  /** The metric filter and alarm. */
  public readonly logMetricAlarm: LogMetricAlarm;

  public constructor(scope: Construct, id: string, props: Ho11yErrorAlarmProps) {
    super(scope, id);
    this.logMetricAlarm = new ContainerInsightsPrometheusAlarm(this, 'Resource', {
      clusterName: props.clusterName,
      alert: props.alert ?? ho11yBadRequestAlert,
      metricNamespace: props.metricNamespace ?? HO11Y_METRIC_NAMESPACE,
      dimensionNames: { namespace: 'Namespace', http_status_code: 'HTTPStatusCode' },
      logGroup: props.logGroup,
      alarmName: props.alarmName,
      notifier: props.notifier,
      notifyOnOk: props.notifyOnOk,
    }).logMetricAlarm;
  }
}

export { Ho11yErrorAlarm, HO11Y_METRIC_NAMESPACE };
export type { Ho11yErrorAlarmProps };
