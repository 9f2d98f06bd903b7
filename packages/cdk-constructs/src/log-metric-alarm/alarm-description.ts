import type { AlertDefinition } from '../alert-rules/alert-definition.js';
import { InvalidAlertDefinitionError } from '../errors.js';

/** CloudWatch's limit on AlarmDescription. */
const MAX_ALARM_DESCRIPTION = 1024;

/**
 * The AlarmDescription of an alert: its markdown description, then the `Severity:`, `Runbook:` and
 * `Dashboard:` lines the Slack notifier turns into a colour and buttons (and removes from the text), and with a
 * cluster, the `Cluster:` line it reads as the alert's cluster (routes' `match.cluster`, the message's scope).
 */
function renderAlarmDescription(alert: AlertDefinition, clusterName?: string): string {
  const lines = [alert.description.trim(), '', `Severity: ${alert.severity}`];
  if (clusterName !== undefined) lines.push(`Cluster: ${clusterName}`);
  if (alert.runbookUrl !== undefined) lines.push(`Runbook: ${alert.runbookUrl}`);
  if (alert.dashboardUrl !== undefined) lines.push(`Dashboard: ${alert.dashboardUrl}`);
  const description = lines.join('\n');
  if (description.length > MAX_ALARM_DESCRIPTION) {
    throw new InvalidAlertDefinitionError(
      `the alarm description is ${description.length} characters with its Severity/Cluster/Runbook/Dashboard lines; ` +
        `CloudWatch allows ${MAX_ALARM_DESCRIPTION}. Shorten the description and link the details from the runbook.`,
      alert.name);
  }
  return description;
}

export { renderAlarmDescription };
