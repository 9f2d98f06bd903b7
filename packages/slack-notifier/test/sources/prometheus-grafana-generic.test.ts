import { describe, expect, it } from 'vitest';
import { batchesFromLambdaEvent } from '../../src/lambda/lambda-event.js';
import { parseAlertPayload } from '../../src/sources/parse-alerts.js';
import { loadEvent } from '../helpers/events.js';

describe('Source: Alertmanager webhook v4', () => {
  it('reads every alert with labels, annotations and links', () => {
    const batch = parseAlertPayload(loadEvent('alertmanager', 'webhook-v4-firing'));
    expect(batch.title).toBe('slack-notifier (alertname=Ho11yHigh400Rate)');
    expect(batch.alerts).toHaveLength(2);
    expect(batch.alerts[0]).toMatchObject({
      source: 'alertmanager',
      name: 'Ho11yHigh400Rate',
      status: 'firing',
      severity: 'critical',
      cluster: 'demo-cluster',
      namespace: 'ho11y',
      summary: 'ho11y frontend answers 400 to more than 15 requests in 5 minutes',
      timestamp: '2023-02-17T23:35:00.000Z',
      fingerprint: 'a3f6b5c0e1d2f4a7',
    });
    expect(batch.alerts[0]!.links.map((l) => l.kind)).toEqual(['runbook', 'dashboard', 'source']);
    // the common runbook annotation reaches the alert that lacks its own
    expect(batch.alerts[1]!.links[0]).toEqual({ kind: 'runbook', url: 'https://runbooks.example.com/ho11y/400-errors' });
  });

  it('reads resolved alerts with their end time', () => {
    const batch = parseAlertPayload(loadEvent('alertmanager', 'webhook-v4-resolved'));
    expect(batch.alerts[0]).toMatchObject({ status: 'resolved', state: 'resolved', previousState: 'firing', timestamp: '2023-02-17T23:55:00.000Z' });
  });

  it('never names an alert with an empty string', () => {
    const batch = parseAlertPayload({ title: '', alerts: [{ status: 'firing', labels: { alertname: '' } }] });
    expect(batch.alerts[0]!.name).toBe('Alert');
  });

  it('says what is wrong with an alerts payload that does not validate', () => {
    expect(() => parseAlertPayload({ alerts: [] })).toThrow(/alerts: Too small/);
  });
});

describe('Source: Amazon Managed Prometheus via SNS', () => {
  it('reads the JSON template as Amazon Managed Prometheus alerts, skipping the relative generator URL', () => {
    const alert = batchesFromLambdaEvent(loadEvent('amp-sns', 'json-template'))[0]!.batch.alerts[0]!;
    expect(alert).toMatchObject({ source: 'amazon-managed-prometheus', name: 'Ho11yHigh400Rate', severity: 'warning', namespace: 'ho11y' });
    expect(alert.links).toEqual([{ kind: 'runbook', url: 'https://runbooks.example.com/ho11y/400-errors' }]);
  });

  it('keeps the default plain-text message, with its state from the subject', () => {
    const batch = batchesFromLambdaEvent(loadEvent('amp-sns', 'default-text'))[0]!.batch;
    expect(batch.alerts[0]).toMatchObject({
      source: 'text',
      status: 'firing',
      name: 'Ho11yHigh400Rate (demo-cluster ho11y warning)',
      summary: 'ho11y frontend answers 400s',
    });
    expect(batch.alerts[0]!.description).toContain(' - alertname = Ho11yHigh400Rate');
  });
});

describe('Source: Grafana', () => {
  it('reads the unified alerting webhook with values, silence and runbook links', () => {
    const batch = parseAlertPayload(loadEvent('grafana', 'webhook'));
    // the [FIRING:2] marker is dropped: the header counts the alerts itself
    expect(batch.title).toBe('(blue)');
    expect(batch.alerts[0]).toMatchObject({ source: 'grafana', name: 'High memory usage', metric: 'B = 44.2394, C = 1' });
    expect(batch.alerts[0]!.links.map((l) => l.kind)).toEqual(['runbook', 'source', 'silence']);
  });

  it('reads the SNS contact point default message as the same alert as the webhook', () => {
    const batch = batchesFromLambdaEvent(loadEvent('grafana', 'sns-default-message'))[0]!.batch;
    expect(batch.title).toBe('High memory usage (blue us-1)');
    expect(batch.alerts[0]).toMatchObject({ source: 'grafana', name: 'High memory usage', status: 'firing', metric: 'B = 44.2394, C = 1' });
    expect(batch.alerts[0]!.links.map((l) => l.kind)).toEqual(['runbook', 'source', 'silence']);
  });
});

describe('Source: generic eks-o11y.alert/v1', () => {
  it('reads the documented shape', () => {
    const batch = parseAlertPayload(loadEvent('generic', 'pod-crashloop'));
    expect(batch.title).toBe('Pod failures in demo-cluster');
    expect(batch.alerts[0]).toMatchObject({
      source: 'generic',
      severity: 'critical',
      cluster: 'demo-cluster',
      namespace: 'ho11y',
      reason: 'Last state: Terminated (OOMKilled), exit code 137',
      links: [{ kind: 'runbook', url: 'https://runbooks.example.com/k8s/oomkilled' }],
    });
  });

  it('rejects a non-http runbook URL with the field named', () => {
    expect(() =>
      parseAlertPayload({ version: 'eks-o11y.alert/v1', alerts: [{ name: 'x', status: 'firing', runbookUrl: 'javascript:alert(1)' }] }),
    ).toThrow(/alerts\.0\.runbookUrl/);
  });

  it('rejects a generic payload without a version instead of posting it as a nameless Alertmanager alert', () => {
    const alerts = [{ name: 'CrashLoopBackOff ho11y/frontend', status: 'firing', severity: 'critical', namespace: 'ho11y', reason: 'OOMKilled' }];
    expect(() => parseAlertPayload({ alerts })).toThrow(/The generic alert payload has no "version": add "version": "eks-o11y\.alert\/v1"/);
    expect(() => parseAlertPayload({ version: 'eks-o11y.alert/v2', alerts })).toThrow(
      /Unknown generic alert version "eks-o11y\.alert\/v2": the accepted version is "eks-o11y\.alert\/v1"/,
    );
  });

  it('still reads Alertmanager payloads with and without a version (Amazon Managed Prometheus sends none)', () => {
    const { version: _v, ...unversioned } = loadEvent('alertmanager', 'webhook-v4-firing') as Record<string, unknown>;
    expect(parseAlertPayload(unversioned).alerts[0]).toMatchObject({ source: 'alertmanager', name: 'Ho11yHigh400Rate' });
    expect(parseAlertPayload(loadEvent('grafana', 'webhook')).alerts[0]).toMatchObject({ source: 'grafana', name: 'High memory usage' });
  });

  it('rejects an unknown payload with the formats it understands', () => {
    expect(() => parseAlertPayload({ hello: 'world' })).toThrow(/Unrecognised alert payload: expected a CloudWatch alarm/);
    expect(() => parseAlertPayload([1])).toThrow(/Expected a JSON object, got an array/);
  });
});
