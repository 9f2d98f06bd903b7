/**
 * The internal alert model. Every source (CloudWatch, Alertmanager, AMP, Grafana, generic JSON) is
 * normalised into {@link Alert}; rendering, routing and delivery never look at the source format.
 */

/** Where an alert came from. */
const AlertSource = {
  /** CloudWatch alarm, through SNS or EventBridge. */
  CLOUDWATCH: 'cloudwatch',
  /** Alertmanager webhook. */
  ALERTMANAGER: 'alertmanager',
  /** Amazon Managed Service for Prometheus alert manager, through SNS. */
  AMAZON_MANAGED_PROMETHEUS: 'amazon-managed-prometheus',
  /** Grafana unified alerting. */
  GRAFANA: 'grafana',
  /** The generic eks-o11y.alert/v1 shape. */
  GENERIC: 'generic',
  /** An SNS message in no known format, kept as text. */
  TEXT: 'text',
} as const;
type AlertSource = (typeof AlertSource)[keyof typeof AlertSource];

/** The normalised state of an alert. */
const AlertStatus = {
  /** The condition holds (CloudWatch ALARM). */
  FIRING: 'firing',
  /** The condition no longer holds (CloudWatch OK). */
  RESOLVED: 'resolved',
  /** Not enough data to evaluate (CloudWatch INSUFFICIENT_DATA). */
  INSUFFICIENT_DATA: 'insufficient_data',
} as const;
type AlertStatus = (typeof AlertStatus)[keyof typeof AlertStatus];

/** Severity, used for colours and routing. */
const Severity = {
  /** Wake someone up: red. */
  CRITICAL: 'critical',
  /** Look at it today: yellow. */
  WARNING: 'warning',
  /** For the record: blue. */
  INFO: 'info',
} as const;
type Severity = (typeof Severity)[keyof typeof Severity];

/** What a link points at; decides the button label and order. */
const LinkKind = {
  /** The alarm in the AWS console. */
  CONSOLE: 'console',
  /** What to do about it. */
  RUNBOOK: 'runbook',
  /** Where to look. */
  DASHBOARD: 'dashboard',
  /** The rule or query that produced it (Prometheus/Grafana generator URL). */
  SOURCE: 'source',
  /** Silence it (Grafana). */
  SILENCE: 'silence',
  /** The Grafana panel. */
  PANEL: 'panel',
} as const;
type LinkKind = (typeof LinkKind)[keyof typeof LinkKind];

/** A link rendered as a button. */
interface AlertLink {
  /** What the link points at. */
  readonly kind: LinkKind;
  /** Absolute http(s) URL. */
  readonly url: string;
}

/** One alert, whatever its source. */
interface Alert {
  /** Where the alert came from (shown in the message footer). */
  readonly source: AlertSource;
  /** Alarm name or `alertname` label. */
  readonly name: string;
  /** Normalised state; decides colour and emoji. */
  readonly status: AlertStatus;
  /** The source's own state word (`ALARM`, `OK`, `firing`), shown to the reader. */
  readonly state: string;
  /** The previous state word, when the source reports a transition (`OK` for OK -> ALARM). */
  readonly previousState?: string;
  /** Severity from the description's `Severity:` line or the `severity` label. */
  readonly severity?: Severity;
  /** One-line summary (Alertmanager `summary` annotation). */
  readonly summary?: string;
  /** Why the state changed (CloudWatch `NewStateReason`). */
  readonly reason?: string;
  /** Longer description in Markdown; converted to Slack mrkdwn when rendered. */
  readonly description?: string;
  /** Metric or expression, ready to display (`ho11yMetrics ho11y_total (Sum)`). */
  readonly metric?: string;
  /**
   * The condition that fires the alert, ready to display: threshold and window of a metric alarm
   * (`> 15 for 1 of 1 periods of 5 min`), the rule of a composite alarm, or a PromQL expression.
   */
  readonly condition?: string;
  /** CloudWatch dimensions, or Prometheus/Grafana labels. */
  readonly labels: Readonly<Record<string, string>>;
  /** EKS cluster, from a `cluster`/`ClusterName`/`EKS_Cluster` label or dimension. */
  readonly cluster?: string;
  /** Kubernetes namespace, from a `namespace`/`Namespace`/`EKS_Namespace` label or dimension. */
  readonly namespace?: string;
  /** Kubernetes pod, from a `pod`/`pod_name`/`PodName` label or dimension: tells apart alerts of one workload. */
  readonly pod?: string;
  /** AWS region code (`us-east-2`). */
  readonly region?: string;
  /** 12-digit AWS account id. */
  readonly accountId?: string;
  /** ISO-8601 time of the state change or of `startsAt`. */
  readonly timestamp?: string;
  /** Console, runbook, dashboard and source links, rendered as buttons. */
  readonly links: readonly AlertLink[];
  /** A stable identity (alarm ARN, Alertmanager fingerprint). */
  readonly fingerprint?: string;
}

/** Alerts that arrived together (one SNS record, one webhook call) and are rendered as one message. */
interface AlertBatch {
  /** The alerts, in the order the source sent them. */
  readonly alerts: readonly Alert[];
  /** Title for a group (`receiver` of Alertmanager, SNS subject). */
  readonly title?: string;
  /** Alerts the sender dropped before they reached us (Alertmanager `truncatedAlerts`). */
  readonly truncatedAlerts?: number;
}

export { AlertSource, AlertStatus, Severity, LinkKind };
export type { Alert, AlertLink, AlertBatch };
