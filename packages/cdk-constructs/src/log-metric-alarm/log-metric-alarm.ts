import { Annotations, Duration, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { createHash } from 'node:crypto';
import type { AlertDefinition, AlertComparison, AlertStatistic, MissingDataTreatment } from '../alert-rules/alert-definition.js';
import { defineAlert, type ResolvedAlertDefinition } from '../alert-rules/define-alert.js';
import { FilterPatternError, InvalidAlertDefinitionError, InvalidPropsError } from '../errors.js';
import { CompiledFilterPattern } from '../filter-pattern/filter-pattern.js';
import type { IAlarmNotificationTarget } from '../slack-notifier/slack-notifier.js';
import { renderAlarmDescription } from './alarm-description.js';
import { requireUniqueAlarmNames } from './unique-alarm-names.js';

/** How one label of the alert becomes a CloudWatch dimension of the filtered metric. */
interface LogMetricDimension {
  /** CloudWatch dimension name, e.g. `HTTPStatusCode`. */
  readonly name: string;
  /** Where the value is in the log event: `$.http_status_code` (JSON) or `$status` (space-delimited). */
  readonly selector: string;
}

/**
 * A dimension that is not a label of the alert but scopes its metric, such as the cluster: the filter
 * reads it from the event, and the alarm watches the one value given.
 */
interface LogMetricScopeDimension extends LogMetricDimension {
  /** The value the alarm watches, e.g. the cluster name. */
  readonly value: string;
}

/** Properties of {@link LogMetricAlarm}. */
interface LogMetricAlarmProps {
  /** What to alert on: name, description, severity, links, signal and condition. */
  readonly alert: AlertDefinition;
  /** The log group whose events are counted. */
  readonly logGroup: logs.ILogGroup;
  /** Which events count, in CloudWatch Logs filter-pattern syntax (check it with `matchesFilterPattern`). */
  readonly filterPattern: string;
  /** CloudWatch namespace of the metric. */
  readonly metricNamespace: string;
  /**
   * CloudWatch metric name.
   * @default - the alert's `signal.metric`
   */
  readonly metricName?: string;
  /**
   * What one matching event adds: `1` (count events) or a selector such as `$.ho11y_total`.
   * @default '1'
   */
  readonly metricValue?: string;
  /**
   * Label (from `alert.signal.groupBy`) -> dimension. Every groupBy label needs one, and the alarm watches
   * the series whose dimension values are the alert's matchers for those labels.
   * @default {} - no dimensions
   */
  readonly dimensions?: Readonly<Record<string, LogMetricDimension>>;
  /**
   * Dimensions that are not labels of the alert, such as `EKS_Cluster`, so that the same metric from two
   * clusters of one account and region stays two series. CloudWatch allows three dimensions per metric
   * filter, these included.
   * @default [] - none
   */
  readonly scopeDimensions?: readonly LogMetricScopeDimension[];
  /**
   * Name of the alarm; unique in the account and region (synthesis refuses two alarms of one stack with one name).
   * @default - the alert's name
   */
  readonly alarmName?: string;
  /**
   * The EKS cluster the alarm watches, written as a `Cluster:` line of the alarm description: the Slack notifier
   * reads it as the alert's cluster (for routes' `match.cluster` and the message), which a metric without a
   * cluster dimension cannot tell it.
   * @default - no `Cluster:` line
   */
  readonly clusterName?: string;
  /**
   * Unit of the published metric.
   * @default cloudwatch.Unit.COUNT
   */
  readonly unit?: cloudwatch.Unit;
  /**
   * Where the alarm is sent (a {@link SlackNotifier}).
   * @default - no action; add one with `alarm.addAlarmAction(...)`
   */
  readonly notifier?: IAlarmNotificationTarget;
  /**
   * Also notify when the alarm returns to OK, so the channel sees the recovery.
   * @default true
   */
  readonly notifyOnOk?: boolean;
}

/** CloudWatch's limit on the dimensions of one metric filter. */
const MAX_FILTER_DIMENSIONS = 3;

const STATISTIC: Record<AlertStatistic, string> = {
  sum: cloudwatch.Stats.SUM,
  average: cloudwatch.Stats.AVERAGE,
  maximum: cloudwatch.Stats.MAXIMUM,
  minimum: cloudwatch.Stats.MINIMUM,
  sampleCount: cloudwatch.Stats.SAMPLE_COUNT,
};
const COMPARISON: Record<AlertComparison, cloudwatch.ComparisonOperator> = {
  greaterThan: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
  greaterThanOrEqual: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
  lessThan: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
  lessThanOrEqual: cloudwatch.ComparisonOperator.LESS_THAN_OR_EQUAL_TO_THRESHOLD,
};
const MISSING_DATA: Record<MissingDataTreatment, cloudwatch.TreatMissingData> = {
  notBreaching: cloudwatch.TreatMissingData.NOT_BREACHING,
  breaching: cloudwatch.TreatMissingData.BREACHING,
  ignore: cloudwatch.TreatMissingData.IGNORE,
  missing: cloudwatch.TreatMissingData.MISSING,
};

/**
 * A CloudWatch Logs metric filter and the alarm on its metric, both derived from one {@link AlertDefinition}.
 *
 * Alarms that count the same metric from the same log group share one metric filter (created once per
 * stack), so two alarms on `ho11y_total` (say a warning and a critical threshold) never count an event twice.
 *
 * @example
 * ```ts
 * new LogMetricAlarm(this, 'Forbidden', {
 *   alert: controlPlaneForbiddenAlert(),
 *   logGroup: logs.LogGroup.fromLogGroupName(this, 'ControlPlane', '/aws/eks/demo/cluster'),
 *   filterPattern: '{ $.responseStatus.code = 403 }',
 *   metricNamespace: 'EKS/ControlPlane',
 *   notifier,
 * });
 * ```
 */
class LogMetricAlarm extends Construct {
  /** The alert after validation, with defaults applied. */
  public readonly alert: ResolvedAlertDefinition;
  /** The metric filter (shared with other alarms on the same metric and log group). */
  public readonly metricFilter: logs.MetricFilter;
  /** The metric the alarm watches (with the alert's dimension values). */
  public readonly metric: cloudwatch.Metric;
  /** The alarm. */
  public readonly alarm: cloudwatch.Alarm;

  public constructor(scope: Construct, id: string, props: LogMetricAlarmProps) {
    super(scope, id);
    const alert = defineAlert(props.alert);
    this.alert = alert;
    const { condition, signal } = alert;
    if (condition.windowSeconds % 60 !== 0) {
      throw new InvalidAlertDefinitionError(
        `condition.windowSeconds is ${condition.windowSeconds}; metrics from metric filters have one-minute resolution, ` +
          'so the CloudWatch period must be a multiple of 60 seconds', alert.name);
    }
    checkFilterPattern(this, alert.name, props.filterPattern);
    const metricName = props.metricName ?? signal.metric;
    const dimensions = props.dimensions ?? {};
    for (const label of Object.keys(dimensions)) {
      if (!signal.groupBy.includes(label)) {
        throw new InvalidPropsError(
          `LogMetricAlarm "${alert.name}": dimension for label "${label}", which is not in signal.groupBy (${signal.groupBy.join(', ') || 'empty'}).`);
      }
    }
    const dimensionsMap: Record<string, string> = {};
    for (const label of signal.groupBy) {
      const dimension = dimensions[label];
      if (dimension === undefined) {
        throw new InvalidPropsError(
          `LogMetricAlarm "${alert.name}": label "${label}" is in signal.groupBy but has no entry in dimensions; ` +
            `say where it is in the log event, e.g. { ${label}: { name: '${label}', selector: '$.${label}' } }.`);
      }
      const value = signal.matchers[label];
      if (value === undefined) {
        throw new InvalidAlertDefinitionError(
          `label "${label}" is in groupBy but has no matcher; a CloudWatch alarm watches one series, so give it a value in signal.matchers`,
          alert.name);
      }
      dimensionsMap[dimension.name] = value;
    }
    // CloudWatch takes 1-255 characters not starting with ':'; surrounding spaces are refused too (easy to paste).
    const namespace = props.metricNamespace;
    if (!Token.isUnresolved(namespace) && (namespace.length === 0 || namespace.length > 255 || namespace.startsWith(':') || namespace.trim() !== namespace)) {
      throw new InvalidPropsError(
        `LogMetricAlarm "${alert.name}": metricNamespace ${JSON.stringify(props.metricNamespace)} is not a CloudWatch namespace; ` +
          "give 1-255 characters without leading or trailing spaces, e.g. 'ho11yMetrics', or leave it out for the default.");
    }
    const scopeDimensions = props.scopeDimensions ?? [];
    for (const dimension of scopeDimensions) {
      if (!Token.isUnresolved(dimension.value) && dimension.value.trim() === '') {
        throw new InvalidPropsError(`LogMetricAlarm "${alert.name}": scope dimension ${dimension.name} has an empty value; CloudWatch refuses empty dimension values.`);
      }
      dimensionsMap[dimension.name] = dimension.value;
    }
    const filterDimensions: Record<string, string> = Object.fromEntries([
      ...signal.groupBy.map((label) => [dimensions[label]!.name, dimensions[label]!.selector]),
      ...scopeDimensions.map((dimension) => [dimension.name, dimension.selector]),
    ]);
    if (Object.keys(filterDimensions).length > MAX_FILTER_DIMENSIONS) {
      throw new InvalidPropsError(
        `LogMetricAlarm "${alert.name}": ${Object.keys(filterDimensions).length} dimensions (${Object.keys(filterDimensions).join(', ')}); ` +
          `a CloudWatch metric filter takes at most ${MAX_FILTER_DIMENSIONS}. Drop a label from signal.groupBy.`);
    }
    for (const [name, value] of Object.entries(dimensionsMap)) {
      if (!Token.isUnresolved(value) && value === '') {
        throw new InvalidAlertDefinitionError(`the matcher of dimension ${name} is empty; give the value the alarm should watch`, alert.name);
      }
    }

    this.metricFilter = sharedMetricFilter(this, props.logGroup, {
      logGroup: props.logGroup,
      filterPattern: logs.FilterPattern.literal(props.filterPattern),
      metricNamespace: props.metricNamespace,
      metricName,
      metricValue: props.metricValue ?? '1',
      unit: props.unit ?? cloudwatch.Unit.COUNT,
      ...(Object.keys(filterDimensions).length === 0 ? {} : { dimensions: filterDimensions }),
    });

    this.metric = new cloudwatch.Metric({
      namespace: props.metricNamespace,
      metricName,
      dimensionsMap,
      statistic: STATISTIC[condition.statistic],
      period: Duration.seconds(condition.windowSeconds),
    });
    const alarmName = props.alarmName ?? alert.name;
    if (!Token.isUnresolved(alarmName) && (alarmName.trim() === '' || alarmName.length > 255)) {
      throw new InvalidPropsError(`LogMetricAlarm "${alert.name}": alarmName must be 1-255 characters, got ${alarmName.length}.`);
    }
    requireUniqueAlarmNames(this);
    this.alarm = new cloudwatch.Alarm(this, 'Alarm', {
      alarmName,
      alarmDescription: renderAlarmDescription(alert, props.clusterName),
      metric: this.metric,
      threshold: condition.threshold,
      comparisonOperator: COMPARISON[condition.comparison],
      evaluationPeriods: condition.evaluationPeriods,
      datapointsToAlarm: condition.datapointsToAlarm,
      treatMissingData: MISSING_DATA[condition.missingData],
    });
    if (props.notifier !== undefined) {
      const action = new cloudwatchActions.SnsAction(props.notifier.topic);
      this.alarm.addAlarmAction(action);
      if (props.notifyOnOk ?? true) this.alarm.addOkAction(action);
    }
  }
}

/**
 * Refuses a filter pattern that CloudFormation would reject at deploy time, parsed by the package's own
 * matcher. Syntax the matcher does not evaluate (regular expressions, `$.a.*`) is valid in CloudWatch, so
 * it only earns a warning that the pattern was not checked.
 */
function checkFilterPattern(scope: Construct, alertName: string, pattern: string): void {
  if (Token.isUnresolved(pattern)) return;
  try {
    new CompiledFilterPattern(pattern);
  } catch (error) {
    if (!(error instanceof FilterPatternError)) throw error;
    if (/not supported/.test(error.message)) {
      Annotations.of(scope).addWarningV2('@eks-o11y/cdk-constructs:filter-pattern-unchecked',
        `The filter pattern of "${alertName}" was not checked: ${error.message}.`);
      return;
    }
    throw new InvalidPropsError(
      `LogMetricAlarm "${alertName}": filterPattern is not a CloudWatch Logs filter pattern: ${error.message}. ` +
        'Check it with matchesFilterPattern(pattern, sampleEvent) from @eks-o11y/cdk-constructs/filter-pattern.', { cause: error });
  }
}

/**
 * One metric filter per (log group, namespace, metric) in a stack. A second alarm on the same metric
 * reuses the first filter; a different pattern or dimensions for the same metric is an error, because
 * CloudWatch would add both filters' values into one series.
 */
function sharedMetricFilter(scope: Construct, logGroup: logs.ILogGroup, props: logs.MetricFilterProps): logs.MetricFilter {
  const stack = Stack.of(scope);
  const logGroupKey = Token.isUnresolved(logGroup.logGroupName) ? logGroup.node.addr : logGroup.logGroupName;
  // Resolved, not as written: a token's text (a cluster's Ref in the namespace) changes from one synth to the next.
  const key = createHash('sha256')
    .update(JSON.stringify([logGroupKey, stack.resolve(props.metricNamespace), stack.resolve(props.metricName)]))
    .digest('hex')
    .slice(0, 12);
  const id = `MetricFilter${key}`;
  const signature = JSON.stringify([props.filterPattern.logPatternString, props.metricValue, props.dimensions ?? {}, props.unit]);
  const existing = stack.node.tryFindChild(id);
  if (existing instanceof SharedMetricFilter) {
    if (existing.signature !== signature) {
      throw new InvalidPropsError(
        `Two alarms count ${props.metricNamespace}/${props.metricName} from the same log group with different filters. ` +
          'CloudWatch would add both into one metric; use one filter pattern, metric value and dimension set per metric.');
    }
    return existing.filter;
  }
  return new SharedMetricFilter(stack, id, props, signature).filter;
}

class SharedMetricFilter extends Construct {
  public readonly filter: logs.MetricFilter;

  public constructor(scope: Construct, id: string, props: logs.MetricFilterProps, public readonly signature: string) {
    super(scope, id);
    this.filter = new logs.MetricFilter(this, 'Resource', props);
  }
}

export { LogMetricAlarm };
export type { LogMetricAlarmProps, LogMetricDimension, LogMetricScopeDimension };
