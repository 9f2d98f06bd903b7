/**
 * Synthesis accepts a routing configuration exactly when the notifier Lambda can deliver with it: the
 * same configurations go through `new SlackNotifier(...)` and through the handler's own configuration
 * loader and router (`loadNotifierConfig`, `routeAlerts` of `@eks-o11y/slack-notifier`), fed with the
 * environment the synthesised function gets.
 */
import { describe, expect, it } from 'vitest';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { AlertSource, AlertStatus, loadNotifierConfig, parseAlertPayload, routeAlerts, type Alert } from '@eks-o11y/slack-notifier';
import { ControlPlaneForbiddenAlarm, InvalidPropsError, SlackNotifier, SlackWebhook, type SlackNotifierProps, type SlackRoute } from '../src/index.js';
import { newStack } from './helpers.js';

const hook = (name = '/slack/hook') => SlackWebhook.fromSsmParameter(name);

/** An alert no specific route takes: it must still go somewhere. */
const unmatched: Alert = { source: AlertSource.CLOUDWATCH, status: AlertStatus.FIRING, state: 'ALARM', name: 'zz unmatched', labels: {}, links: [] };

/** The function's environment after synthesis, or the error synthesis stopped with. */
function synthesise(props: SlackNotifierProps): Record<string, string> | Error {
  const { stack } = newStack();
  try {
    new SlackNotifier(stack, 'Slack', props);
  } catch (error) {
    return error as Error;
  }
  const fn = Object.values(Template.fromStack(stack).findResources('AWS::Lambda::Function'))[0]!;
  return (fn.Properties as { Environment: { Variables: Record<string, string> } }).Environment.Variables;
}

/** What the handler makes of the same routes, written as JSON by hand (no CDK involved). */
function runtimeAccepts(routes: readonly unknown[], defaultWebhook: boolean): boolean {
  try {
    const config = loadNotifierConfig({
      ...(defaultWebhook && { SLACK_WEBHOOK_SSM_PARAMETER: '/slack/hook' }),
      SLACK_ROUTES: JSON.stringify(routes.map((route) => ({ ...(route as object), webhook: { ssmParameter: '/slack/r' } }))),
    });
    routeAlerts([unmatched], config);
    return true;
  } catch {
    return false;
  }
}

const CASES: [string, readonly Omit<SlackRoute, 'webhook'>[], boolean][] = [
  ['empty channel', [{ name: 'a', match: { severity: ['critical'] }, channel: '' }], true],
  ['empty namespace list', [{ name: 'a', match: { namespace: [] } }], true],
  ['empty severity list', [{ name: 'a', match: { severity: [] } }], true],
  ['empty namespace name', [{ name: 'a', match: { namespace: [''] } }], true],
  ['empty cluster list', [{ name: 'a', match: { cluster: [] } }], true],
  ['empty alertName', [{ name: 'a', match: { alertName: '' } }], true],
  ['alertName not a regular expression', [{ name: 'a', match: { alertName: '([' } }], true],
  ['unknown severity', [{ name: 'a', match: { severity: ['page' as never] } }], true],
  ['unknown match field', [{ name: 'a', match: { namespaces: ['x'] } as never }], true],
  ['bad mention', [{ name: 'a', match: { severity: ['critical'] }, mention: 'here' }], true],
  ['empty name', [{ name: '', match: { severity: ['critical'] } }], true],
  ['valid route, default webhook', [{ name: 'a', match: { namespace: ['ho11y'], cluster: ['prod'] }, mention: '<!subteam^S0123ABC>' }], true],
  ['`match: {}` is a catch-all, no default webhook', [{ name: 'all', match: {} }], false],
  ['no match is a catch-all, no default webhook', [{ name: 'x', match: { severity: ['critical'] } }, { name: 'all' }], false],
  ['no catch-all, no default webhook', [{ name: 'x', match: { severity: ['critical'] } }], false],
];

describe('Function: validateRouting (through SlackNotifier)', () => {
  it.each(CASES)('agrees with the handler: %s', (_name, routes, withDefault) => {
    // Act
    const synthesised = synthesise({
      ...(withDefault && { webhook: hook() }),
      routes: routes.map((route) => ({ ...route, webhook: hook('/slack/r') })),
    });
    const runtime = runtimeAccepts(routes, withDefault);

    // Assess: refused at synth exactly when the handler would fail, with a message naming the route
    if (synthesised instanceof Error) {
      expect(synthesised).toBeInstanceOf(InvalidPropsError);
      expect(runtime).toBe(false);
    } else {
      expect(runtime).toBe(true);
      // ...and what synthesis accepted, the handler loads from the synthesised environment itself
      expect(() => routeAlerts([unmatched], loadNotifierConfig(synthesised))).not.toThrow();
    }
  });

  it('says which route and field is wrong, and what the handler would do', () => {
    const error = synthesise({ webhook: hook(), routes: [{ name: 'ho11y-team', match: { namespace: [] }, webhook: hook() }] });
    expect(String(error)).toMatch(/route "ho11y-team" \(routes\[0\]\) match\.namespace: .*>=1.*refuse SLACK_ROUTES and fail on every alert/);
    const channel = synthesise({ webhook: hook(), routes: [{ name: 'p', match: { severity: ['critical'] }, channel: '', webhook: hook() }] });
    expect(String(channel)).toMatch(/route "p" \(routes\[0\]\) channel: .*\(got ""\)/);
  });

  it('refuses routes after a catch-all, which could never receive an alert', () => {
    const error = synthesise({
      routes: [{ name: 'all', match: {}, webhook: hook() }, { name: 'pager', match: { severity: ['critical'] }, webhook: hook() }],
    });
    expect(error).toBeInstanceOf(InvalidPropsError);
    expect(String(error)).toMatch(/route "all" has no match conditions.*\("pager"\) never receive one\. Move "all" to the end/);
  });

  it('warns when a catch-all route leaves the default webhook unused', () => {
    const { stack } = newStack();
    new SlackNotifier(stack, 'Slack', { webhook: hook(), routes: [{ name: 'all', webhook: hook() }] });
    Annotations.fromStack(stack).hasWarning('/Test/Slack', Match.stringLikeRegexp('"all" takes every alert'));
  });

  it('refuses two routes with one name: the handler would merge them into the first route', () => {
    const error = synthesise({ webhook: hook(), routes: [{ name: 'a', webhook: hook(), match: { namespace: ['x'] } }, { name: 'a', webhook: hook() }] });
    expect(String(error)).toMatch(/routes\[0\] and routes\[1\] are both named "a"/);
  });
});

describe('Routing by cluster, end to end', () => {
  it("routes a control-plane alarm by its cluster, which only the alarm description's Cluster line carries", () => {
    const { stack } = newStack();
    new ControlPlaneForbiddenAlarm(stack, 'Forbidden', { clusterName: 'prod' });
    const alarm = Object.values(Template.fromStack(stack).findResources('AWS::CloudWatch::Alarm'))[0]!.Properties as Record<string, unknown>;
    expect(alarm.Dimensions).toBeUndefined();
    // The SNS message CloudWatch publishes when that alarm fires.
    const message = {
      AlarmName: alarm.AlarmName,
      AlarmDescription: alarm.AlarmDescription,
      AWSAccountId: '123456789012',
      NewStateValue: 'ALARM',
      NewStateReason: 'Threshold Crossed',
      StateChangeTime: '2026-12-07T00:00:00.000+0000',
      Region: 'US East (Ohio)',
      AlarmArn: 'arn:aws:cloudwatch:us-east-2:123456789012:alarm:forbidden',
      OldStateValue: 'OK',
      Trigger: {
        MetricName: alarm.MetricName,
        Namespace: alarm.Namespace,
        StatisticType: 'Statistic',
        Statistic: 'SUM',
        Dimensions: [],
        Period: 300,
        EvaluationPeriods: 1,
        ComparisonOperator: 'GreaterThanThreshold',
        Threshold: 3,
      },
    };
    const [alert] = parseAlertPayload(message).alerts;
    expect(alert).toMatchObject({ name: '403 errors from Cluster API Server on prod', cluster: 'prod' });
    const config = loadNotifierConfig({
      SLACK_WEBHOOK_SSM_PARAMETER: '/slack/hook',
      SLACK_ROUTES: JSON.stringify([{ name: 'prod-oncall', match: { cluster: ['prod'] }, webhook: { ssmParameter: '/slack/prod' } }]),
    });
    expect(routeAlerts([alert!], config).map((group) => group.routeName)).toEqual(['prod-oncall']);
  });
});
