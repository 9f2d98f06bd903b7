import { describe, expect, it } from 'vitest';
import { CfnParameter } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { ho11yErrorAlert } from '../src/alert-rules/index.js';
import {
  ControlPlaneForbiddenAlarm,
  ControlPlaneQueries,
  Ho11yErrorAlarm,
  InvalidAlertDefinitionError,
  InvalidPropsError,
  LogMetricAlarm,
  matchesFilterPattern,
} from '../src/index.js';
import { newStack } from './helpers.js';
import auditEvent from './fixtures/audit-event-403.json' with { type: 'json' };

const notifierTopic = (stack: ReturnType<typeof newStack>['stack']) => ({ topic: new sns.Topic(stack, 'AlertTopic') });

describe('Class: Ho11yErrorAlarm', () => {
  it("synthesises the blog's metric filter and alarm exactly", () => {
    // Prepare
    const { stack } = newStack();
    const notifier = notifierTopic(stack);

    // Act
    new Ho11yErrorAlarm(stack, 'Ho11y', { clusterName: 'demo-cluster', notifier });

    // Assess
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Logs::MetricFilter', 1);
    template.hasResourceProperties('AWS::Logs::MetricFilter', {
      LogGroupName: '/aws/containerinsights/demo-cluster/prometheus',
      FilterPattern: '{ $.ho11y_total >= 0 }',
      MetricTransformations: [{
        MetricNamespace: 'ho11yMetrics',
        MetricName: 'ho11y_total',
        MetricValue: '$.ho11y_total',
        Unit: 'Count',
        Dimensions: [
          { Key: 'Namespace', Value: "$.['k8s.namespace.name']" },
          { Key: 'HTTPStatusCode', Value: '$.http_status_code' },
          { Key: 'EKS_Cluster', Value: '$.EKS_Cluster' },
        ],
      }],
    });
    const [topicId] = Object.keys(template.findResources('AWS::SNS::Topic'));
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: '400 errors from ho11y app on demo-cluster',
      Namespace: 'ho11yMetrics',
      MetricName: 'ho11y_total',
      Dimensions: [
        { Name: 'EKS_Cluster', Value: 'demo-cluster' }, { Name: 'HTTPStatusCode', Value: '400' }, { Name: 'Namespace', Value: 'ho11y' },
      ],
      Statistic: 'Sum',
      Period: 300,
      EvaluationPeriods: 1,
      DatapointsToAlarm: 1,
      Threshold: 15,
      ComparisonOperator: 'GreaterThanThreshold',
      TreatMissingData: 'notBreaching',
      AlarmActions: [{ Ref: topicId }],
      OKActions: [{ Ref: topicId }],
    });
  });

  it('puts Severity, Cluster, Runbook and Dashboard lines in the AlarmDescription for the notifier', () => {
    const { stack } = newStack();
    new Ho11yErrorAlarm(stack, 'Ho11y', {
      clusterName: 'demo-cluster',
      alert: ho11yErrorAlert({ severity: 'critical', runbookUrl: 'https://runbooks.example.com/ho11y', dashboardUrl: 'https://grafana.example.com/d/ho11y' }),
      notifyOnOk: false,
    });
    const alarm = Object.values(Template.fromStack(stack).findResources('AWS::CloudWatch::Alarm'))[0]!;
    expect(alarm.Properties.AlarmDescription).toBe(
      'ho11y in namespace *ho11y* answered more than 15 requests with HTTP status *400* within 5 minutes.\n\n' +
        'Severity: critical\nCluster: demo-cluster\nRunbook: https://runbooks.example.com/ho11y\nDashboard: https://grafana.example.com/d/ho11y');
    expect(alarm.Properties.AlarmActions).toBeUndefined();
  });

  it('shares one metric filter between alarms on the same metric, so events are not counted twice', () => {
    const { stack } = newStack();
    new Ho11yErrorAlarm(stack, 'BadRequest', { clusterName: 'demo-cluster' });
    new Ho11yErrorAlarm(stack, 'NotFound', { clusterName: 'demo-cluster', alert: ho11yErrorAlert({ statusCode: '404' }) });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Logs::MetricFilter', 1);
    template.resourceCountIs('AWS::CloudWatch::Alarm', 2);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: '404 errors from ho11y app in ho11y on demo-cluster',
      Dimensions: [{ Name: 'EKS_Cluster', Value: 'demo-cluster' }, { Name: 'HTTPStatusCode', Value: '404' }, { Name: 'Namespace', Value: 'ho11y' }],
    });
  });

  it('names the alarm and the series after the cluster, so two clusters of one account never clash', () => {
    // Prepare: two stacks of one account and region, as two `cdk deploy`s would create them
    const names = ['prod', 'staging'].map((clusterName) => {
      const { stack } = newStack(`Alerts-${clusterName}`);
      new Ho11yErrorAlarm(stack, 'Ho11y', { clusterName });
      new ControlPlaneForbiddenAlarm(stack, 'Forbidden', { clusterName });
      return Object.values(Template.fromStack(stack).findResources('AWS::CloudWatch::Alarm')).map((a) => ({
        name: a.Properties.AlarmName as string,
        series: JSON.stringify([a.Properties.Namespace, a.Properties.MetricName, a.Properties.Dimensions]),
      }));
    });
    // Assess
    expect(names[0]!.map((a) => a.name)).toEqual(['400 errors from ho11y app on prod', '403 errors from Cluster API Server on prod']);
    expect(names[1]!.map((a) => a.name)).toEqual(['400 errors from ho11y app on staging', '403 errors from Cluster API Server on staging']);
    const prodSeries = new Set(names[0]!.map((a) => a.series));
    expect(names[1]!.filter((a) => prodSeries.has(a.series))).toEqual([]);
  });

  it('synthesises the same template twice when the cluster name is a token (a blueprint cluster\'s Ref)', () => {
    const synth = () => {
      const { stack } = newStack();
      const clusterName = new CfnParameter(stack, 'Cluster').valueAsString;
      new Ho11yErrorAlarm(stack, 'Ho11y', { clusterName });
      new ControlPlaneForbiddenAlarm(stack, 'Forbidden', { clusterName });
      return Template.fromStack(stack).toJSON();
    };
    const first = synth();
    expect(synth()).toEqual(first);
  });

  it('refuses two alarms with one name in a stack, which CloudFormation would fail on mid-deployment', () => {
    const { stack } = newStack();
    new Ho11yErrorAlarm(stack, 'A', { clusterName: 'demo-cluster' });
    new Ho11yErrorAlarm(stack, 'B', { clusterName: 'demo-cluster', logGroup: logs.LogGroup.fromLogGroupName(stack, 'Other', '/other') });
    expect(() => Template.fromStack(stack)).toThrow(
      /two alarms are named "400 errors from ho11y app on demo-cluster" \(Test\/A\/.* and Test\/B\/.*\).*Give one of them another name/);
  });

  it.each([
    ['', /clusterName "" is not an EKS cluster name/],
    [undefined, /clusterName is missing/],
    ['demo cluster', /clusterName "demo cluster" is not an EKS cluster name; give the name of the cluster as EKS shows it/],
  ])('refuses clusterName %j, which would name log groups that do not exist', (clusterName, message) => {
    const { stack } = newStack();
    expect(() => new Ho11yErrorAlarm(stack, 'H', { clusterName: clusterName as string })).toThrow(message);
    expect(() => new ControlPlaneForbiddenAlarm(stack, 'F', { clusterName: clusterName as string })).toThrow(InvalidPropsError);
    expect(() => new ControlPlaneQueries(stack, 'Q', { clusterName: clusterName as string })).toThrow(InvalidPropsError);
  });

  it.each([
    [{ statusCode: '' }, /^ho11yErrorAlert: statusCode "" is not an HTTP status code/],
    [{ namespace: '' }, /^ho11yErrorAlert: namespace "" is not a Kubernetes namespace name/],
  ])('ho11yErrorAlert(%j) names the option at fault', (options, message) => {
    expect(() => ho11yErrorAlert(options)).toThrow(InvalidAlertDefinitionError);
    expect(() => ho11yErrorAlert(options)).toThrow(message);
  });

  it.each(['', ' ', ':ns', 'x'.repeat(256)])('refuses metricNamespace %j before CloudFormation does', (metricNamespace) => {
    const { stack } = newStack();
    expect(() => new ControlPlaneForbiddenAlarm(stack, 'F', { clusterName: 'prod', metricNamespace }))
      .toThrow(/metricNamespace .* is not a CloudWatch namespace; give 1-255 characters/);
  });
});

describe('Class: ControlPlaneForbiddenAlarm', () => {
  it('counts audit events answered with 403 on the control-plane log group', () => {
    const { stack } = newStack();
    new ControlPlaneForbiddenAlarm(stack, 'Forbidden', { clusterName: 'demo-cluster', notifier: notifierTopic(stack) });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Logs::MetricFilter', {
      LogGroupName: '/aws/eks/demo-cluster/cluster',
      FilterPattern: '{ $.responseStatus.code = 403 }',
      MetricTransformations: [{ MetricNamespace: 'EKS/ControlPlane/demo-cluster', MetricName: 'ForbiddenRequests', MetricValue: '1', Unit: 'Count' }],
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: '403 errors from Cluster API Server on demo-cluster',
      Namespace: 'EKS/ControlPlane/demo-cluster',
      Statistic: 'Sum', Period: 300, Threshold: 3, ComparisonOperator: 'GreaterThanThreshold', TreatMissingData: 'notBreaching',
    });
  });

  it('its filter matches a refused audit event and rejects allowed ones and other control-plane lines', () => {
    const { stack } = newStack();
    new ControlPlaneForbiddenAlarm(stack, 'Forbidden', { clusterName: 'demo-cluster' });
    const filter = Object.values(Template.fromStack(stack).findResources('AWS::Logs::MetricFilter'))[0]!;
    const pattern = filter.Properties.FilterPattern as string;
    expect(matchesFilterPattern(pattern, JSON.stringify(auditEvent))).toBe(true);
    expect(matchesFilterPattern(pattern, { ...auditEvent, responseStatus: { metadata: {}, code: 200 } })).toBe(false);
    expect(matchesFilterPattern(pattern, { ...auditEvent, responseStatus: { code: 401, reason: 'Unauthorized' } })).toBe(false);
    expect(matchesFilterPattern(pattern, { ...auditEvent, stage: 'RequestReceived', responseStatus: undefined })).toBe(false);
    expect(matchesFilterPattern(pattern, 'I1011 10:15:02.119027 10 httplog.go:132] "HTTP" verb="LIST" URI="/api/v1/secrets" resp=403')).toBe(false);
  });
});

describe('Class: LogMetricAlarm', () => {
  const base = ho11yErrorAlert();
  const logGroup = (stack: ReturnType<typeof newStack>['stack']) => logs.LogGroup.fromLogGroupName(stack, 'Logs', '/app');
  const dims = { namespace: { name: 'Namespace', selector: '$.ns' }, http_status_code: { name: 'Code', selector: '$.code' } };

  it.each([
    [{ alert: { ...base, condition: { ...base.condition, windowSeconds: 90 } } }, InvalidAlertDefinitionError, /multiple of 60/],
    [{ dimensions: { namespace: dims.namespace } }, InvalidPropsError, /"http_status_code" is in signal.groupBy but has no entry/],
    [{ dimensions: { ...dims, pod: { name: 'Pod', selector: '$.pod' } } }, InvalidPropsError, /"pod", which is not in signal.groupBy/],
    [{ alert: { ...base, signal: { ...base.signal, matchers: { http_status_code: '400' } } } }, InvalidAlertDefinitionError, /"namespace" is in groupBy but has no matcher/],
  ])('refuses case %#', (override, type, message) => {
    const { stack } = newStack();
    const group = logGroup(stack);
    let attempt = 0;
    const act = () => new LogMetricAlarm(stack, `A${(attempt += 1)}`, {
      alert: base, logGroup: group, filterPattern: '{ $.ho11y_total >= 0 }', metricNamespace: 'X', dimensions: dims, ...override,
    });
    expect(act).toThrow(type);
    expect(act).toThrow(message);
  });

  it('refuses a second, different filter for the same metric and log group', () => {
    const { stack } = newStack();
    const group = logGroup(stack);
    new LogMetricAlarm(stack, 'A', { alert: base, logGroup: group, filterPattern: '{ $.ho11y_total >= 0 }', metricNamespace: 'X', dimensions: dims });
    expect(() => new LogMetricAlarm(stack, 'B', {
      alert: { ...base, name: 'other' }, logGroup: group, filterPattern: '{ $.ho11y_total > 0 }', metricNamespace: 'X', dimensions: dims,
    })).toThrow(/CloudWatch would add both into one metric/);
  });

  it('refuses a filter pattern CloudWatch would reject, and warns about one it cannot check offline', () => {
    const { stack } = newStack();
    const group = logGroup(stack);
    const act = (filterPattern: string, id: string) => () => new LogMetricAlarm(stack, id, {
      alert: base, alarmName: id, logGroup: group, filterPattern, metricNamespace: 'X', dimensions: dims,
    });
    expect(act('{ $.ho11y_total >= 0', 'A')).toThrow(InvalidPropsError);
    expect(act('{ $.ho11y_total >= 0', 'B')).toThrow(/"400 errors from ho11y app": filterPattern is not a CloudWatch Logs filter pattern: .*enclosed in \{ \}/);
    new LogMetricAlarm(stack, 'C', {
      alert: base, logGroup: logs.LogGroup.fromLogGroupName(stack, 'Other', '/other'), filterPattern: '%ERROR [0-9]+%', metricNamespace: 'Y', dimensions: dims,
    });
    Annotations.fromStack(stack).hasWarning('/Test/C', Match.stringLikeRegexp('was not checked: regular expressions'));
  });

  it('refuses a description that would exceed the AlarmDescription limit', () => {
    const { stack } = newStack();
    expect(() => new LogMetricAlarm(stack, 'A', {
      alert: { ...base, description: 'x'.repeat(1010) }, logGroup: logGroup(stack), filterPattern: '', metricNamespace: 'X', dimensions: dims,
    })).toThrow(/CloudWatch allows 1024/);
  });
});
