import * as blueprints from '@aws-quickstart/eks-blueprints';
import { App } from 'aws-cdk-lib';
import { KubernetesVersion } from 'aws-cdk-lib/aws-eks';

export const ACCOUNT = '123456789012';
export const REGION = 'us-east-2';

/**
 * The smallest blueprint the CloudWatch collector runs on (its dependency chain is ALB controller ->
 * cert-manager -> ADOT operator -> CloudWatch collector), with pinned versions so synthesis stays
 * offline. No VpcCni/CoreDns/KubeProxy: they add nothing to what these tests check.
 */
export function collectorAddOns(collector: blueprints.addons.CloudWatchAdotAddOnProps = {}): blueprints.ClusterAddOn[] {
  return [
    new blueprints.addons.AwsLoadBalancerControllerAddOn(),
    new blueprints.addons.CertManagerAddOn(),
    new blueprints.addons.AdotCollectorAddOn({ version: 'v0.151.0-eksbuild.1' }),
    new blueprints.addons.CloudWatchAdotAddOn({
      metricsNameSelectors: ['apiserver_request_.*', 'ho11y*'],
      podLabelRegex: 'frontend|downstream(.*)',
      ...collector,
    }),
  ];
}

/** A test app: AZs in context (no lookup), no asset bundling. */
export function testApp(): App {
  return new App({
    context: {
      'aws:cdk:bundling-stacks': [],
      [`availability-zones:account=${ACCOUNT}:region=${REGION}`]: [`${REGION}a`, `${REGION}b`, `${REGION}c`],
    },
  });
}

/** Builds a blueprint stack named `id` with the given add-ons and control-plane log types. */
export function buildBlueprint(
  id: string,
  addOns: blueprints.ClusterAddOn[],
  logTypes: blueprints.ControlPlaneLogType[] = [],
): Promise<blueprints.EksBlueprint> {
  let builder = blueprints.EksBlueprint.builder()
    .account(ACCOUNT)
    .region(REGION)
    .version(KubernetesVersion.V1_35)
    .addOns(...addOns);
  if (logTypes.length > 0) {
    builder = builder.enableControlPlaneLogTypes(...logTypes);
  }
  return builder.buildAsync(testApp(), id);
}
