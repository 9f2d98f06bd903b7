import * as blueprints from '@aws-quickstart/eks-blueprints';
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { ControlPlaneLoggingError, InvalidAddOnPropsError, MissingAddOnDependencyError } from '../src/errors.js';
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
    const names = alarms.map((a) => JSON.stringify(a.AlarmName ?? ''));
    expect(names.some((n) => n.includes('400 errors from ho11y app'))).toBe(true);
    expect(names.some((n) => n.includes('403 errors from Cluster API Server'))).toBe(true);
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
});
