import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { AlertDefinition } from '../alert-rules/alert-definition.js';
import { controlPlaneForbiddenAlert } from '../alert-rules/control-plane.js';
import type { IAlarmNotificationTarget } from '../slack-notifier/slack-notifier.js';
import { controlPlaneLogGroupName } from './adot-emf.js';
import { LogMetricAlarm } from './log-metric-alarm.js';

/** Filter pattern of audit-log events the API server answered with 403 Forbidden. */
const CONTROL_PLANE_FORBIDDEN_FILTER_PATTERN = '{ $.responseStatus.code = 403 }';
/** CloudWatch namespace of {@link ControlPlaneForbiddenAlarm}'s metric. */
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
  /** @default 'EKS/ControlPlane' */
  readonly metricNamespace?: string;
  /** @default - `/aws/eks/<cluster>/cluster`, imported by name */
  readonly logGroup?: logs.ILogGroup;
  /** @default true */
  readonly notifyOnOk?: boolean;
}

/**
 * Alarm on requests the Kubernetes API server refused with 403: counts the control-plane audit events
 * with `responseStatus.code = 403` in `/aws/eks/<cluster>/cluster`.
 */
class ControlPlaneForbiddenAlarm extends Construct {
  /** The metric filter and alarm. */
  public readonly logMetricAlarm: LogMetricAlarm;

  public constructor(scope: Construct, id: string, props: ControlPlaneForbiddenAlarmProps) {
    super(scope, id);
    this.logMetricAlarm = new LogMetricAlarm(this, 'Resource', {
      alert: props.alert ?? controlPlaneForbiddenAlert(),
      logGroup: props.logGroup ?? logs.LogGroup.fromLogGroupName(this, 'LogGroup', controlPlaneLogGroupName(props.clusterName)),
      filterPattern: CONTROL_PLANE_FORBIDDEN_FILTER_PATTERN,
      metricNamespace: props.metricNamespace ?? CONTROL_PLANE_METRIC_NAMESPACE,
      metricName: 'ForbiddenRequests',
      metricValue: '1',
      notifier: props.notifier,
      notifyOnOk: props.notifyOnOk,
    });
  }
}

export { ControlPlaneForbiddenAlarm, CONTROL_PLANE_FORBIDDEN_FILTER_PATTERN, CONTROL_PLANE_METRIC_NAMESPACE };
export type { ControlPlaneForbiddenAlarmProps };
