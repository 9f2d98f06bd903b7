import type { AlertSeverity } from './alert-definition.js';
import { defineAlert, type ResolvedAlertDefinition } from './define-alert.js';

/** Options of {@link controlPlaneForbiddenAlert}. */
interface ControlPlaneForbiddenAlertOptions {
  /**
   * The alert fires when more than this many requests are refused with 403 in one window.
   * @default 3
   */
  readonly threshold?: number;
  /** @default 300 */
  readonly windowSeconds?: number;
  /** @default 'warning' */
  readonly severity?: AlertSeverity;
  /** @default - no runbook link */
  readonly runbookUrl?: string;
  /** @default - no dashboard link */
  readonly dashboardUrl?: string;
}

/**
 * Requests the Kubernetes API server refused with 403 Forbidden (an identity probing or a broken RBAC
 * binding). In Prometheus terms it is `apiserver_request_total{code="403"}`; the CloudWatch alarm counts
 * the audit-log events of the EKS control plane whose `responseStatus.code` is 403.
 */
function controlPlaneForbiddenAlert(options: ControlPlaneForbiddenAlertOptions = {}): ResolvedAlertDefinition {
  const threshold = options.threshold ?? 3;
  const windowSeconds = options.windowSeconds ?? 300;
  return defineAlert({
    name: '403 errors from Cluster API Server',
    description:
      `The Kubernetes API server refused more than ${threshold} requests with *403 Forbidden* within ` +
      `${windowSeconds / 60} minutes: an unauthorised identity is probing the cluster or an RBAC binding is broken.`,
    severity: options.severity ?? 'warning',
    runbookUrl: options.runbookUrl,
    dashboardUrl: options.dashboardUrl,
    signal: { metric: 'apiserver_request_total', type: 'counter', matchers: { code: '403' }, groupBy: [] },
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

export { controlPlaneForbiddenAlert };
export type { ControlPlaneForbiddenAlertOptions };
