import { describe, expect, it } from 'vitest';
import { extractDescriptionDirectives } from '../../src/model/description-directives.js';
import { parseAlertPayload } from '../../src/sources/parse-alerts.js';
import { snsMessage } from '../helpers/events.js';

describe('Function: extractDescriptionDirectives', () => {
  it('takes Runbook, Dashboard and Severity lines in any case and position', () => {
    const result = extractDescriptionDirectives('severity: WARNING\nDisk almost full.\n  runbook:  https://r.example/disk  \n\nDashboard: https://d.example/x');
    expect(result).toEqual({
      description: 'Disk almost full.',
      severity: 'warning',
      cluster: undefined,
      links: [
        { kind: 'runbook', url: 'https://r.example/disk' },
        { kind: 'dashboard', url: 'https://d.example/x' },
      ],
    });
  });

  it('leaves lines it cannot use where the reader sees them', () => {
    const result = extractDescriptionDirectives('Severity: apocalyptic\nRunbook: javascript:alert(1)\nRunbook: see the wiki');
    expect(result.severity).toBeUndefined();
    expect(result.links).toEqual([]);
    expect(result.description).toBe('Severity: apocalyptic\nRunbook: javascript:alert(1)\nRunbook: see the wiki');
  });

  it("reads a Cluster line as the alarm's cluster, for metrics without a cluster dimension (control-plane audit logs)", () => {
    const message = {
      ...(snsMessage('cloudwatch-sns', 'ho11y-400-alarm') as Record<string, unknown>),
      AlarmName: '403 errors from Cluster API Server on prod',
      AlarmDescription: 'The API server refused requests.\n\nSeverity: warning\nCluster: prod',
      Trigger: { MetricName: 'ForbiddenRequests', Namespace: 'EKS/ControlPlane/prod', Dimensions: [], Statistic: 'SUM', Period: 300, EvaluationPeriods: 1, ComparisonOperator: 'GreaterThanThreshold', Threshold: 3 },
    };
    const alert = parseAlertPayload(message).alerts[0]!;
    expect(alert.cluster).toBe('prod');
    expect(alert.description).toBe('The API server refused requests.');
  });

  it('returns no description when only directives were there', () => {
    expect(extractDescriptionDirectives('Runbook: https://r.example/x').description).toBeUndefined();
  });
});

describe('Composite alarm reasons', () => {
  it('names the triggering children when the reason does not', () => {
    const message = { ...(snsMessage('cloudwatch-sns', 'composite') as Record<string, unknown>), NewStateReason: 'Alarm rule evaluated to TRUE' };
    const alert = parseAlertPayload(message).alerts[0]!;
    expect(alert.reason).toBe('Alarm rule evaluated to TRUE\nTriggered by 400 errors from ho11y app (ALARM)');
  });
});
