import { describe, expect, it } from 'vitest';
import { batchesFromLambdaEvent } from '../../src/lambda/lambda-event.js';
import { parseAlertPayload, parseSnsMessage } from '../../src/sources/parse-alerts.js';
import { loadEvent, snsMessage } from '../helpers/events.js';

const first = (event: unknown) => batchesFromLambdaEvent(event)[0]!.batch.alerts[0]!;

describe('Source: CloudWatch alarm via SNS', () => {
  it('reads the blog test event, mapping the long region name to a console link', () => {
    // Act
    const alert = first(loadEvent('cloudwatch-sns', 'blog-test-event'));
    // Assess
    expect(alert).toMatchObject({
      source: 'cloudwatch',
      name: 'Message from Test event',
      status: 'firing',
      state: 'ALARM',
      previousState: 'OK',
      reason: 'New state from test event.',
      metric: 'ho11yMetrics ho11y_total (Sum)',
      condition: '> 15 for 1 of 1 period of 5 min',
      cluster: 'demo-cluster',
      region: 'us-east-2',
      labels: { HTTPStatusCode: '200', Cluster: 'demo-cluster' },
    });
    // "{{Account ID}}" is a placeholder, not an account
    expect(alert.accountId).toBeUndefined();
    expect(alert.links[0]).toEqual({
      kind: 'console',
      url: 'https://us-east-2.console.aws.amazon.com/cloudwatch/home?region=us-east-2#alarmsV2:alarm/Message%20from%20Test%20event',
    });
  });

  it('turns the Severity, Runbook and Dashboard lines of the description into severity and links', () => {
    const alert = first(loadEvent('cloudwatch-sns', 'ho11y-400-alarm'));
    expect(alert.severity).toBe('critical');
    expect(alert.description).toBe('Alarm from **ho11y app** - Error threshold breached for **HTTP status code 400**');
    expect(alert.links.map((l) => l.kind)).toEqual(['console', 'runbook', 'dashboard']);
    expect(alert.links[1]!.url).toBe('https://runbooks.example.com/ho11y/400-errors');
    expect(alert).toMatchObject({ namespace: 'ho11y', accountId: '123456789012', region: 'us-east-2' });
  });

  it('reads a return to OK as resolved', () => {
    const alert = first(loadEvent('cloudwatch-sns', 'ho11y-400-ok'));
    expect(alert).toMatchObject({ status: 'resolved', state: 'OK', previousState: 'ALARM' });
  });

  it('describes a metric-math alarm by its expression and the metrics it reads', () => {
    const alert = first(loadEvent('cloudwatch-sns', 'metric-math'));
    expect(alert.metric).toBe(
      'Error rate (%) = 100 * errors / requests\nerrors: AWS/ApplicationELB HTTPCode_Target_5XX_Count (Sum)\nrequests: AWS/ApplicationELB RequestCount (Sum)',
    );
    expect(alert.condition).toBe('> 5 for 1 of 1 period of 1 min');
    expect(alert.region).toBe('eu-west-1');
    expect(alert.labels).toEqual({ LoadBalancer: 'app/sample-app/50dc6c495c0c9188' });
  });

  it('describes an anomaly-detection alarm by its band', () => {
    const alert = first(loadEvent('cloudwatch-sns', 'anomaly-detection'));
    expect(alert.metric).toBe('ContainerInsights/Prometheus ho11y_latency_p99 (p99)');
    expect(alert.condition).toBe('outside the band ANOMALY_DETECTION_BAND(m1, 2) for 2 of 3 periods of 5 min');
    expect(alert).toMatchObject({ cluster: 'demo-cluster', namespace: 'ho11y' });
  });

  it('describes a composite alarm by its rule and the children that triggered it', () => {
    const alert = first(loadEvent('cloudwatch-sns', 'composite'));
    expect(alert.metric).toBeUndefined();
    expect(alert.condition).toBe('ALARM("400 errors from ho11y app") AND ALARM("ho11y latency anomaly")');
    // the child is named, not its ARN; no "Triggered by" line repeats it
    expect(alert.reason).toBe('400 errors from ho11y app transitioned to ALARM at Friday 17 February, 2023 23:40:39 UTC');
    expect(alert.severity).toBe('critical');
  });

  it('reports what is missing when a message claims to be an alarm but is not valid', () => {
    expect(() => parseAlertPayload({ AlarmName: 'x' })).toThrow(/Not a valid CloudWatch alarm notification: NewStateValue/);
  });

  it('keeps an invalid alarm message as raw text instead of dropping it', () => {
    const batch = parseSnsMessage(JSON.stringify({ AlarmName: 'broken', NewStateValue: 42 }), { subject: 'ALARM: broken' });
    expect(batch.alerts[0]).toMatchObject({ source: 'text', name: 'ALARM: broken' });
    expect(batch.alerts[0]!.reason).toMatch(/Delivered as raw text.*NewStateValue/);
    expect(batch.alerts[0]!.description).toContain('"AlarmName":"broken"');
  });

  it('accepts the raw alarm message without the SNS envelope', () => {
    const batch = parseAlertPayload(snsMessage('cloudwatch-sns', 'ho11y-400-alarm'));
    expect(batch.alerts[0]!.name).toBe('400 errors from ho11y app');
  });
});

describe('Source: CloudWatch alarm via EventBridge', () => {
  it('reads the single-metric example with region and account from the event', () => {
    const alert = first(loadEvent('cloudwatch-eventbridge', 'single-metric'));
    expect(alert).toMatchObject({
      name: 'ServerCpuTooHigh',
      status: 'firing',
      previousState: 'OK',
      metric: 'AWS/EC2 CPUUtilization (Average)',
      condition: 'threshold 50 over 5 min',
      region: 'us-east-1',
      accountId: '123456789012',
      labels: { InstanceId: 'i-12345678901234567' },
      description: 'Goes into alarm when server CPU utilization is too high!',
    });
  });

  it('reads the event when an EventBridge rule publishes it to the SNS topic', () => {
    const event = loadEvent('cloudwatch-eventbridge', 'single-metric');
    const batch = parseSnsMessage(JSON.stringify(event), { topicArn: 'arn:aws:sns:us-east-1:123456789012:alarms' });
    expect(batch.alerts[0]).toMatchObject({ source: 'cloudwatch', name: 'ServerCpuTooHigh', status: 'firing' });
  });

  it('reads the metric-math example', () => {
    const alert = first(loadEvent('cloudwatch-eventbridge', 'metric-math'));
    expect(alert.metric).toBe('Total Network Traffic = SUM(METRICS())\nm1: AWS/EC2 NetworkIn (Maximum)\nm2: AWS/EC2 NetworkOut (Maximum)');
    expect(alert.previousState).toBe('INSUFFICIENT_DATA');
  });

  it('reads the anomaly-detection example', () => {
    const alert = first(loadEvent('cloudwatch-eventbridge', 'anomaly-detection'));
    expect(alert.metric).toBe('AWS/EC2 CPUUtilization (Average)');
    expect(alert.condition).toBe('outside the band ANOMALY_DETECTION_BAND(m1, 0.8)');
  });

  it('reads the composite example', () => {
    const alert = first(loadEvent('cloudwatch-eventbridge', 'composite'));
    expect(alert.reason).toBe('SuppressionDemo.EventBridge.FirstChild transitioned to ALARM at Friday 22 July, 2022 15:57:45 UTC');
    expect(alert.condition).toBe('ALARM(ServerCpuTooHigh) OR ALARM(TotalNetworkTrafficTooHigh)');
    expect(alert.links[0]!.url).toContain('#alarmsV2:alarm/ServiceAggregatedAlarm');
  });
});
