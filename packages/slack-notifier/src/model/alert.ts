/**
 * The internal alert model. Every source (CloudWatch, Alertmanager, AMP, Grafana, generic JSON) is
 * normalised into {@link Alert}; rendering, routing and delivery never look at the source format.
 */

/** Where an alert came from. */
const AlertSource = {
  CLOUDWATCH: 'cloudwatch',
  ALERTMANAGER: 'alertmanager',
  AMAZON_MANAGED_PROMETHEUS: 'amazon-managed-prometheus',
  GRAFANA: 'grafana',
  GENERIC: 'generic',
  TEXT: 'text',
} as const;
type AlertSource = (typeof AlertSource)[keyof typeof AlertSource];

/** The normalised state of an alert. */
const AlertStatus = {
  FIRING: 'firing',
  RESOLVED: 'resolved',
  INSUFFICIENT_DATA: 'insufficient_data',
} as const;
type AlertStatus = (typeof AlertStatus)[keyof typeof AlertStatus];

/** Severity, used for colours and routing. */
const Severity = {
  CRITICAL: 'critical',
  WARNING: 'warning',
  INFO: 'info',
} as const;
type Severity = (typeof Severity)[keyof typeof Severity];

/** What a link points at; decides the button label and order. */
const LinkKind = {
  CONSOLE: 'console',
  RUNBOOK: 'runbook',
  DASHBOARD: 'dashboard',
  SOURCE: 'source',
  SILENCE: 'silence',
  PANEL: 'panel',
} as const;
type LinkKind = (typeof LinkKind)[keyof typeof LinkKind];

/** A link rendered as a button. */
interface AlertLink {
  readonly kind: LinkKind;
  readonly url: string;
}

/** One alert, whatever its source. */
interface Alert {
  readonly source: AlertSource;
  /** Alarm name or `alertname` label. */
  readonly name: string;
  readonly status: AlertStatus;
  /** The source's own state word (`ALARM`, `OK`, `firing`), shown to the reader. */
  readonly state: string;
  /** The previous state word, when the source reports a transition (`OK` for OK -> ALARM). */
  readonly previousState?: string;
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
  readonly cluster?: string;
  readonly namespace?: string;
  /** AWS region code (`us-east-2`). */
  readonly region?: string;
  readonly accountId?: string;
  /** ISO-8601 time of the state change or of `startsAt`. */
  readonly timestamp?: string;
  readonly links: readonly AlertLink[];
  /** A stable identity (alarm ARN, Alertmanager fingerprint). */
  readonly fingerprint?: string;
}

/** Alerts that arrived together (one SNS record, one webhook call) and are rendered as one message. */
interface AlertBatch {
  readonly alerts: readonly Alert[];
  /** Title for a group (`receiver` of Alertmanager, SNS subject). */
  readonly title?: string;
  /** Alerts the sender dropped before they reached us (Alertmanager `truncatedAlerts`). */
  readonly truncatedAlerts?: number;
}

export { AlertSource, AlertStatus, Severity, LinkKind };
export type { Alert, AlertLink, AlertBatch };
