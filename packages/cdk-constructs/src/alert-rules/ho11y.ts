import { KUBERNETES_NAMESPACE_LABEL, type AlertSeverity } from './alert-definition.js';
import { InvalidAlertDefinitionError } from '../errors.js';
import { defineAlert, type ResolvedAlertDefinition } from './define-alert.js';

/** A Kubernetes namespace name (an RFC 1123 label). */
const KUBERNETES_NAMESPACE = /^[a-z0-9](?:[-a-z0-9]{0,61}[a-z0-9])?$/;

/** Options of {@link ho11yErrorAlert}. */
interface Ho11yErrorAlertOptions {
  /**
   * HTTP status code counted, as the `http_status_code` label of `ho11y_total` carries it.
   * @default '400'
   */
  readonly statusCode?: string;
  /**
   * Kubernetes namespace ho11y runs in.
   * @default 'ho11y'
   */
  readonly namespace?: string;
  /**
   * The alert fires when more than this many responses with the code are counted in one window.
   * @default 15
   */
  readonly threshold?: number;
  /**
   * Window length in seconds.
   * @default 300
   */
  readonly windowSeconds?: number;
  /** @default 'warning' */
  readonly severity?: AlertSeverity;
  /** @default - no runbook link */
  readonly runbookUrl?: string;
  /** @default - no dashboard link */
  readonly dashboardUrl?: string;
}

/**
 * The blog's ho11y alert: more than 15 responses with HTTP status 400 from ho11y in 5 minutes.
 * The counter is `ho11y_total{http_status_code="400"}` in the `ho11y` namespace, grouped by namespace
 * and status code (CloudWatch dimensions `Namespace` and `HTTPStatusCode`).
 */
function ho11yErrorAlert(options: Ho11yErrorAlertOptions = {}): ResolvedAlertDefinition {
  const statusCode = options.statusCode ?? '400';
  const namespace = options.namespace ?? 'ho11y';
  const threshold = options.threshold ?? 15;
  const windowSeconds = options.windowSeconds ?? 300;
  // Both become CloudWatch dimension values and label matchers: an empty or odd one would watch nothing.
  if (typeof statusCode !== 'string' || !/^[1-5][0-9]{2}$/.test(statusCode)) {
    throw new InvalidAlertDefinitionError(`ho11yErrorAlert: statusCode ${JSON.stringify(statusCode)} is not an HTTP status code; give one such as '400' or '404'`);
  }
  if (typeof namespace !== 'string' || !KUBERNETES_NAMESPACE.test(namespace)) {
    throw new InvalidAlertDefinitionError(
      `ho11yErrorAlert: namespace ${JSON.stringify(namespace)} is not a Kubernetes namespace name; give the namespace ho11y runs in, e.g. 'ho11y'`);
  }
  const name = statusCode === '400' && namespace === 'ho11y' ? '400 errors from ho11y app' : `${statusCode} errors from ho11y app in ${namespace}`;
  return defineAlert({
    name,
    description:
      `ho11y in namespace *${namespace}* answered more than ${threshold} requests with HTTP status *${statusCode}* ` +
      `within ${windowSeconds / 60} minutes.`,
    severity: options.severity ?? 'warning',
    runbookUrl: options.runbookUrl,
    dashboardUrl: options.dashboardUrl,
    signal: {
      metric: 'ho11y_total',
      type: 'counter',
      matchers: { http_status_code: statusCode, [KUBERNETES_NAMESPACE_LABEL]: namespace },
      groupBy: [KUBERNETES_NAMESPACE_LABEL, 'http_status_code'],
    },
    condition: {
      statistic: 'sum',
      windowSeconds,
      comparison: 'greaterThan',
      threshold,
      evaluationPeriods: 1,
      datapointsToAlarm: 1,
      missingData: 'notBreaching',
    },
  });
}

/** The blog's alert exactly: `400 errors from ho11y app`, Sum > 15 over 300 s. */
const ho11yBadRequestAlert: ResolvedAlertDefinition = ho11yErrorAlert();

export { ho11yErrorAlert, ho11yBadRequestAlert };
export type { Ho11yErrorAlertOptions };
