import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { AlertDefinition } from '../alert-rules/alert-definition.js';
import { controlPlaneForbiddenAlert } from '../alert-rules/control-plane.js';
import type { IAlarmNotificationTarget } from '../slack-notifier/slack-notifier.js';
import { controlPlaneLogGroupName } from './adot-emf.js';
import { requireClusterName } from './cluster-name.js';
import { LogMetricAlarm } from './log-metric-alarm.js';

/** Filter pattern of audit-log events the API server answered with 403 Forbidden. */
const CONTROL_PLANE_FORBIDDEN_FILTER_PATTERN = '{ $.responseStatus.code = 403 }';
/**
 * Prefix of the CloudWatch namespace of {@link ControlPlaneForbiddenAlarm}'s metric; the cluster name follows
 * (`EKS/ControlPlane/<cluster>`), because audit events carry no cluster field a dimension could read.
 */
const CONTROL_PLANE_METRIC_NAMESPACE = 'EKS/ControlPlane';

/** Properties of {@link ControlPlaneForbiddenAlarm}. */
interface ControlPlaneForbiddenAlarmProps {
  /** Name of the EKS cluster; needs the `audit` control-plane log type enabled. */
  readonly clusterName: string;
  /** @default - no action */
  readonly notifier?: IAlarmNotificationTarget;
  /**
   * The alert. Build variants with `controlPlaneForbiddenAlert({ threshold: 10 })`.
   * @default controlPlaneForbiddenAlert() - more than 3 refused requests in 5 minutes
   */
  readonly alert?: AlertDefinition;
  /**
   * Name of the alarm, unique in the account and region.
   * @default - `<alert name> on <clusterName>`, e.g. `403 errors from Cluster API Server on demo-cluster`
   */
  readonly alarmName?: string;
  /**
   * CloudWatch namespace of the metric. Keep one per cluster: the metric has no cluster dimension, so two
   * clusters publishing into one namespace would add up into one series.
   * @default `EKS/ControlPlane/<clusterName>`
   */
  readonly metricNamespace?: string;
  /** @default - `/aws/eks/<cluster>/cluster`, imported by name */
  readonly logGroup?: logs.ILogGroup;
  /** @default true */
  readonly notifyOnOk?: boolean;
}

/**
 * Alarm on requests the Kubernetes API server refused with 403: counts the control-plane audit events
 * with `responseStatus.code = 403` in `/aws/eks/<cluster>/cluster` into `EKS/ControlPlane/<cluster>`
 * `ForbiddenRequests`, alarm `403 errors from Cluster API Server on <cluster>`.
 */
class ControlPlaneForbiddenAlarm extends Construct {
  /** The metric filter and alarm. */
  public readonly logMetricAlarm: LogMetricAlarm;

  public constructor(scope: Construct, id: string, props: ControlPlaneForbiddenAlarmProps) {
    super(scope, id);
    const clusterName = requireClusterName(props.clusterName, 'ControlPlaneForbiddenAlarm');
    const alert = props.alert ?? controlPlaneForbiddenAlert();
    this.logMetricAlarm = new LogMetricAlarm(this, 'Resource', {
      alert,
      alarmName: props.alarmName ?? `${alert.name} on ${clusterName}`,
      clusterName,
      logGroup: props.logGroup ?? logs.LogGroup.fromLogGroupName(this, 'LogGroup', controlPlaneLogGroupName(clusterName)),
      filterPattern: CONTROL_PLANE_FORBIDDEN_FILTER_PATTERN,
      metricNamespace: props.metricNamespace ?? `${CONTROL_PLANE_METRIC_NAMESPACE}/${clusterName}`,
      metricName: 'ForbiddenRequests',
      metricValue: '1',
      notifier: props.notifier,
      notifyOnOk: props.notifyOnOk,
    });
  }
}

export { ControlPlaneForbiddenAlarm, CONTROL_PLANE_FORBIDDEN_FILTER_PATTERN, CONTROL_PLANE_METRIC_NAMESPACE };
export type { ControlPlaneForbiddenAlarmProps };
