import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EksBlueprint } from '@aws-quickstart/eks-blueprints';
import { validateKubernetesObjects } from '@eks-o11y/blueprint-addons/testing';
import { App, Aspects } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildAlarmsToSlack } from '../src/alarms-to-slack.js';
import { PINNED_ADDON_VERSIONS } from '../src/blog-blueprint.js';
import { readExampleConfig } from '../src/example-config.js';
import { suppressBlueprintFindings } from './support/nag-suppressions.js';

const here = join(import.meta.dirname, '..');
const cdkJsonContext = (JSON.parse(readFileSync(join(here, 'cdk.json'), 'utf8')) as { context: Record<string, unknown> }).context;

/** The example as `cdk synth` builds it: the cdk.json context, then the app's own code. */
async function synthExample(outdir: string | undefined, nag: boolean): Promise<{ stack: EksBlueprint; app: App }> {
  const app = new App({ context: cdkJsonContext, ...(outdir ? { outdir } : {}) });
  const stack = await buildAlarmsToSlack(app, readExampleConfig(app));
  if (nag) {
    suppressBlueprintFindings(stack, 'demo-cluster');
    Aspects.of(app).add(new AwsSolutionsChecks({ verbose: true }));
  }
  return { stack, app };
}

describe('Example: alarms-to-slack', () => {
  let stack: EksBlueprint;
  let template: Template;
  let assemblyDir: string;

  beforeAll(async () => {
    // Prepare / Act: the one full synth of this file, shared by every assertion
    const built = await synthExample(undefined, true);
    stack = built.stack;
    assemblyDir = built.app.synth().directory;
    template = Template.fromStack(stack);
  });

  it('pins every EKS managed add-on version, so synthesis never asks EKS', () => {
    template.resourceCountIs('AWS::EKS::Addon', 4);
    for (const [name, version] of [
      ['vpc-cni', PINNED_ADDON_VERSIONS.vpcCni],
      ['coredns', PINNED_ADDON_VERSIONS.coreDns],
      ['kube-proxy', PINNED_ADDON_VERSIONS.kubeProxy],
      ['adot', PINNED_ADDON_VERSIONS.adotCollector],
    ]) {
      template.hasResourceProperties('AWS::EKS::Addon', { AddonName: name, AddonVersion: version });
    }
  });

  it("runs the blog's CloudWatch collector: ho11y's metrics, ho11y's pods", () => {
    const collector = JSON.stringify(template.findResources('Custom::AWSCDK-EKS-KubernetesResource'));
    expect(collector).toContain('ho11y*');
    expect(collector).toContain('frontend|downstream(.*)');
    expect(collector).toContain('/aws/containerinsights/${CLUSTER_NAME}/prometheus');
  });

  it('sends every control-plane log type, which the 403 alarm reads', () => {
    template.hasResourceProperties('Custom::AWSCDK-EKS-Cluster', {
      Config: Match.objectLike({
        name: 'demo-cluster',
        logging: { clusterLogging: [{ enabled: true, types: ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'] }] },
      }),
    });
  });

  it('uses the availability zones from cdk.json, not dummy ones', () => {
    const azs = Object.values(template.findResources('AWS::EC2::Subnet')).map(
      (subnet) => (subnet as { Properties: { AvailabilityZone: string } }).Properties.AvailabilityZone,
    );
    expect(new Set(azs)).toEqual(new Set(['us-east-2a', 'us-east-2b', 'us-east-2c']));
  });

  it('deploys ho11y from the configured image', () => {
    expect(JSON.stringify(template.toJSON())).toContain('123456789012.dkr.ecr.us-east-2.amazonaws.com/ho11y:0.1.0');
  });

  it('validates every Kubernetes manifest against the Kubernetes schemas', async () => {
    const report = await validateKubernetesObjects(template.toJSON(), {
      customResources: ['opentelemetry.io/v1alpha1/OpenTelemetryCollector'],
    });
    expect(report.problems).toEqual([]);
    expect(report.validated).toBeGreaterThanOrEqual(18);
    expect(report.customResources).toEqual(['opentelemetry.io/v1alpha1/OpenTelemetryCollector default/otel-collector-cloudwatch']);
  });

  it('has no unsuppressed cdk-nag AwsSolutions finding, and every suppression has a reason', () => {
    const findings = [
      ...Annotations.fromStack(stack).findError('*', Match.stringLikeRegexp('AwsSolutions-.*')),
      ...Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('AwsSolutions-.*')),
    ].map((finding) => `${finding.id}: ${String(finding.entry.data).slice(0, 160)}`);
    expect(findings).toEqual([]);
    const suppressions = Object.values(template.toJSON().Resources as Record<string, { Metadata?: { cdk_nag?: { rules_to_suppress: { reason: string }[] } } }>)
      .flatMap((resource) => resource.Metadata?.cdk_nag?.rules_to_suppress ?? []);
    expect(suppressions.length).toBeGreaterThan(0);
    for (const suppression of suppressions) {
      expect(suppression.reason.length).toBeGreaterThan(20);
    }
  });

  it('writes no Slack webhook URL into any synthesised file', () => {
    const templates = readdirSync(assemblyDir).filter((file) => file.endsWith('.json'));
    expect(templates.length).toBeGreaterThan(2);
    for (const file of templates) {
      expect(readFileSync(join(assemblyDir, file), 'utf8')).not.toMatch(/hooks\.slack\.com|hooks\.slack-gov\.com/);
    }
  });

  it('synthesises the same templates a second time', async () => {
    const again = await synthExample(undefined, false);
    const first = await synthExample(undefined, false);
    const templatesOf = (app: App): Record<string, unknown> =>
      Object.fromEntries(app.synth().stacks.map((s) => [s.templateFile, s.template]));
    expect(templatesOf(again.app)).toEqual(templatesOf(first.app));
  });
});
