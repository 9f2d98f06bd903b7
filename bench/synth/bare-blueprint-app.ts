/**
 * The blog's bare blueprint (ho11y/ADOT version), written with EKS Blueprints alone: the baseline of
 * synth.bench.ts. Same add-ons, collector settings and pinned versions as examples/alarms-to-slack,
 * nothing of eks-o11y. Run by the CDK CLI convention: writes the assembly to $CDK_OUTDIR.
 */
import * as blueprints from '@aws-quickstart/eks-blueprints';
import { App } from 'aws-cdk-lib';
import { KubernetesVersion } from 'aws-cdk-lib/aws-eks';

const account = '123456789012';
const region = 'us-east-2';
const app = new App({
  context: { [`availability-zones:account=${account}:region=${region}`]: [`${region}a`, `${region}b`, `${region}c`] },
});
await blueprints.EksBlueprint.builder()
  .account(account)
  .region(region)
  .version(KubernetesVersion.V1_35)
  .addOns(
    new blueprints.addons.AwsLoadBalancerControllerAddOn(),
    new blueprints.addons.VpcCniAddOn({ version: 'v1.21.1-eksbuild.1' }),
    new blueprints.addons.CoreDnsAddOn('v1.13.2-eksbuild.3'),
    new blueprints.addons.KubeProxyAddOn('v1.35.0-eksbuild.2'),
    new blueprints.addons.CertManagerAddOn(),
    new blueprints.addons.AdotCollectorAddOn({ version: 'v0.151.0-eksbuild.1' }),
    new blueprints.addons.CloudWatchAdotAddOn({
      deploymentMode: 'deployment' as blueprints.addons.cloudWatchDeploymentMode,
      metricsNameSelectors: ['apiserver_request_.*', 'container_memory_.*', 'container_threads', 'otelcol_process_.*', 'ho11y*'],
      podLabelRegex: 'frontend|downstream(.*)',
    }),
  )
  .buildAsync(app, 'demo-cluster');
app.synth();
