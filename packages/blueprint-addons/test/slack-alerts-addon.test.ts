import * as blueprints from '@aws-quickstart/eks-blueprints';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { ControlPlaneLoggingError, InvalidAddOnPropsError, MissingAddOnDependencyError } from '../src/errors.js';
import { Ho11yAddOn } from '../src/ho11y-addon.js';
import { SlackAlertsAddOn } from '../src/slack-alerts-addon.js';
import { buildBlueprint, collectorAddOns } from './support/minimal-blueprint.js';

const AUDIT = [blueprints.ControlPlaneLogType.AUDIT];
const webhook = { secretName: 'eks-o11y/slack-webhook' };

describe('Class: SlackAlertsAddOn', () => {
  let template: Template;

  beforeAll(async () => {
    const stack = await buildBlueprint('alerts', [...collectorAddOns(), new SlackAlertsAddOn({ webhook })], AUDIT);
    template = Template.fromStack(stack);
  });

  it("creates the collector's log group, named from the cluster, before the collector runs", () => {
    const groups = Object.fromEntries(
      Object.entries(template.findResources('AWS::Logs::LogGroup')).filter(([, group]) =>
        /\/aws\/containerinsights\/.*\/prometheus/.test(JSON.stringify(group)),
      ),
    );
    expect(Object.keys(groups)).toHaveLength(1);
    const [groupId] = Object.keys(groups);
    const collector = Object.values(template.findResources('Custom::AWSCDK-EKS-KubernetesResource')).find((r) =>
      JSON.stringify(r).includes('OpenTelemetryCollector'),
    ) as { DependsOn?: string[] };
    expect(collector.DependsOn).toContain(groupId);
  });

  it('creates both alarms and sends them to the notifier topic', () => {
    template.resourceCountIs('AWS::Logs::MetricFilter', 2);
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')).map(
      (a) => (a as { Properties: { AlarmName?: string; AlarmActions?: unknown[] } }).Properties,
    );
    // Named after the cluster (its Ref), so a second cluster in the account gets alarms of its own.
    const clusterRef = Object.keys(template.findResources('Custom::AWSCDK-EKS-Cluster'))[0];
    const names = alarms.map((a) => JSON.stringify(a.AlarmName ?? ''));
    expect(names).toContain(JSON.stringify({ 'Fn::Join': ['', ['400 errors from ho11y app on ', { Ref: clusterRef }]] }));
    expect(names).toContain(JSON.stringify({ 'Fn::Join': ['', ['403 errors from Cluster API Server on ', { Ref: clusterRef }]] }));
    template.resourceCountIs('AWS::SNS::Topic', 1);
  });

  it('needs the CloudWatch collector add-on', async () => {
    await expect(buildBlueprint('no-collector', [new SlackAlertsAddOn({ webhook })], AUDIT)).rejects.toThrow(
      MissingAddOnDependencyError,
    );
  });

  it('fails with the builder call to add when the audit log type is off', async () => {
    await expect(buildBlueprint('no-audit', [...collectorAddOns(), new SlackAlertsAddOn({ webhook })])).rejects.toThrow(
      /add \.enableControlPlaneLogTypes\(blueprints\.ControlPlaneLogType\.AUDIT\)/,
    );
    await expect(buildBlueprint('no-audit2', [...collectorAddOns(), new SlackAlertsAddOn({ webhook })])).rejects.toThrow(
      ControlPlaneLoggingError,
    );
  });

  it("refuses a collector that does not forward ho11y's metric", async () => {
    await expect(
      buildBlueprint('no-ho11y', [...collectorAddOns({ metricsNameSelectors: ['apiserver_.*'] }), new SlackAlertsAddOn({ webhook })], AUDIT),
    ).rejects.toThrow(/do not select ho11y_total/);
  });

  it('needs a webhook', () => {
    expect(() => new SlackAlertsAddOn({} as never)).toThrow(InvalidAddOnPropsError);
  });

  it.each([
    [{ webhook: { secretName: '' } }, /webhook\.secretName is "": give the name of the secret/],
    [{ webhook: { ssmParameterName: ' ' } }, /webhook\.ssmParameterName is " "/],
    [{ webhook: { secretId: 'x' } as never }, /webhook\.secretId is not a webhook source/],
    [{ webhook, ho11yNamespace: '' }, /ho11yNamespace "" is not a Kubernetes namespace name/],
  ])('refuses props that cannot work, when they are written: %j', (props, message) => {
    expect(() => new SlackAlertsAddOn(props)).toThrow(InvalidAddOnPropsError);
    expect(() => new SlackAlertsAddOn(props)).toThrow(message);
  });

  it("refuses to watch a namespace other than the one Ho11yAddOn deploys into", async () => {
    await expect(
      buildBlueprint('ho11y-demo', [
        ...collectorAddOns(),
        new Ho11yAddOn({ image: 'ho11y:0.1.0', namespace: 'demo' }),
        new SlackAlertsAddOn({ webhook }),
      ], AUDIT),
    ).rejects.toThrow(/watches namespace "ho11y", but Ho11yAddOn deploys ho11y into "demo": the alarm would never fire\. Set ho11yNamespace: 'demo'/);
  });

  it('watches the namespace it is given, and imports the log group when told it exists', async () => {
    const stack = await buildBlueprint('ho11y-demo-ok', [
      ...collectorAddOns(),
      new Ho11yAddOn({ image: 'ho11y:0.1.0', namespace: 'demo' }),
      new SlackAlertsAddOn({ webhook, ho11yNamespace: 'demo', createPrometheusLogGroup: false }),
    ], AUDIT);
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { Dimensions: Match.arrayWith([{ Name: 'Namespace', Value: 'demo' }]) });
    const groups = JSON.stringify(template.findResources('AWS::Logs::LogGroup'));
    expect(groups).not.toContain('/prometheus');
    template.hasResourceProperties('AWS::Logs::MetricFilter', { FilterPattern: '{ $.ho11y_total >= 0 }', LogGroupName: Match.anyValue() });
  });
});
