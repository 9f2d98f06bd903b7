/**
 * The alert model shared by every backend: one plain object per alert, no AWS CDK types.
 *
 * A CloudWatch alarm (`LogMetricAlarm` in the package root), an Amazon Managed Service for Prometheus
 * rule group and a local Prometheus rule file are all rendered FROM the same {@link AlertDefinition},
 * so the alert that pages the on-call engineer is the same whichever pipeline carries the metric.
 *
 * @module
 */

/** How urgent an alert is. Slack messages are coloured and routed by it. */
const AlertSeverity = {
  /** Someone must act now. */
  critical: 'critical',
  /** Needs attention during working hours. */
  warning: 'warning',
  /** For information; nobody is paged. */
  info: 'info',
} as const;
type AlertSeverity = (typeof AlertSeverity)[keyof typeof AlertSeverity];

/** How the samples of one window are reduced to one value. */
const AlertStatistic = {
  sum: 'sum',
  average: 'average',
  maximum: 'maximum',
  minimum: 'minimum',
  sampleCount: 'sampleCount',
} as const;
type AlertStatistic = (typeof AlertStatistic)[keyof typeof AlertStatistic];

/** How the reduced value is compared with the threshold. */
const AlertComparison = {
  greaterThan: 'greaterThan',
  greaterThanOrEqual: 'greaterThanOrEqual',
  lessThan: 'lessThan',
  lessThanOrEqual: 'lessThanOrEqual',
} as const;
type AlertComparison = (typeof AlertComparison)[keyof typeof AlertComparison];

/** What a window without any sample means. */
const MissingDataTreatment = {
  /** No data is good news (error counters: no event means no error). */
  notBreaching: 'notBreaching',
  /** No data is bad news (heartbeats: silence means the sender is down). */
  breaching: 'breaching',
  /** Keep the current state. */
  ignore: 'ignore',
  /** The alert state becomes "insufficient data". */
  missing: 'missing',
} as const;
type MissingDataTreatment = (typeof MissingDataTreatment)[keyof typeof MissingDataTreatment];

/** Whether the metric only goes up (a counter, alert on its increase) or goes up and down (a gauge). */
const SignalType = {
  counter: 'counter',
  gauge: 'gauge',
} as const;
type SignalType = (typeof SignalType)[keyof typeof SignalType];

/**
 * The pseudo-label that stands for "the Kubernetes namespace of the pod that exposed the series".
 * Pipelines name it differently (`k8s.namespace.name` in the EMF events the CloudWatch ADOT collector
 * writes, `namespace` or `kubernetes_namespace` after Prometheus relabelling); each renderer maps it.
 */
const KUBERNETES_NAMESPACE_LABEL = 'namespace';

/** The time series an alert watches, in Prometheus terms (the metric as the application exposes it). */
interface AlertSignal {
  /** Metric name as exposed on `/metrics`, e.g. `ho11y_total`. */
  readonly metric: string;
  /** Counter (alert on the increase within the window) or gauge (alert on the value). */
  readonly type: SignalType;
  /**
   * Exact-match label matchers, e.g. `{ http_status_code: '400', namespace: 'ho11y' }`.
   * Use {@link KUBERNETES_NAMESPACE_LABEL} for the pod's namespace.
   * @default {} - every series of the metric
   */
  readonly matchers?: Readonly<Record<string, string>>;
  /**
   * Labels that identify one alert instance (PromQL `sum by (...)`, CloudWatch dimensions).
   * @default [] - one alert for all series together
   */
  readonly groupBy?: readonly string[];
}

/** When the alert fires. */
interface AlertCondition {
  /** Reduction over one window. For a counter, `sum` of the increase is the number of events. */
  readonly statistic: AlertStatistic;
  /** Length of one evaluation window, in seconds (CloudWatch: the period). */
  readonly windowSeconds: number;
  /** Comparison of the reduced value with {@link AlertCondition.threshold}. */
  readonly comparison: AlertComparison;
  /** The threshold. */
  readonly threshold: number;
  /**
   * Number of most recent windows that are evaluated.
   * @default 1
   */
  readonly evaluationPeriods?: number;
  /**
   * Number of breaching windows among {@link AlertCondition.evaluationPeriods} that fire the alert.
   * @default - equal to evaluationPeriods
   */
  readonly datapointsToAlarm?: number;
  /**
   * What a window without samples means.
   * @default 'notBreaching'
   */
  readonly missingData?: MissingDataTreatment;
}

/** One alert, independent of the pipeline that evaluates it. */
interface AlertDefinition {
  /** Human name, unique in the account; becomes the CloudWatch alarm name and the Prometheus `alert`. */
  readonly name: string;
  /** What is wrong and what it affects, in Slack-flavoured markdown. Shown in the Slack message. */
  readonly description: string;
  /** How urgent it is. */
  readonly severity: AlertSeverity;
  /**
   * Runbook the on-call engineer follows (https). Rendered as a button in Slack.
   * @default - no runbook link
   */
  readonly runbookUrl?: string;
  /**
   * Dashboard that shows the signal (https). Rendered as a button in Slack.
   * @default - no dashboard link
   */
  readonly dashboardUrl?: string;
  /** The series it watches. */
  readonly signal: AlertSignal;
  /** When it fires. */
  readonly condition: AlertCondition;
}

export {
  AlertSeverity,
  AlertStatistic,
  AlertComparison,
  MissingDataTreatment,
  SignalType,
  KUBERNETES_NAMESPACE_LABEL,
};
export type { AlertSignal, AlertCondition, AlertDefinition };
