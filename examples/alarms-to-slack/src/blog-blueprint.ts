import * as blueprints from '@aws-quickstart/eks-blueprints';
import { KubernetesVersion } from 'aws-cdk-lib/aws-eks';

/**
 * EKS managed add-on versions for Kubernetes 1.35, pinned so that `cdk synth` never calls
 * EKS DescribeAddonVersions (with "auto" every core add-on makes an AWS call at synth time).
 */
export const PINNED_ADDON_VERSIONS = {
  vpcCni: 'v1.21.1-eksbuild.1',
  coreDns: 'v1.13.2-eksbuild.3',
  kubeProxy: 'v1.35.0-eksbuild.2',
  adotCollector: 'v0.151.0-eksbuild.1',
} as const;

/** The metrics the blog's CloudWatch ADOT collector forwards: the defaults plus ho11y's. */
export const BLOG_METRICS_NAME_SELECTORS = [
  'apiserver_request_.*',
  'container_memory_.*',
  'container_threads',
  'otelcol_process_.*',
  'ho11y*',
] as const;

/** ho11y's pods carry `app: frontend|downstream0|downstream1`; the collector scrapes only these. */
export const BLOG_POD_LABEL_REGEX = 'frontend|downstream(.*)';

/**
 * The add-ons of the blog's blueprint (ho11y/ADOT version), with versions pinned.
 *
 * `cloudWatchDeploymentMode` is a `declare const enum` that the package does not export at run
 * time, so the value is written as its string.
 */
export function blogAddOns(): blueprints.ClusterAddOn[] {
  return [
    new blueprints.addons.AwsLoadBalancerControllerAddOn(),
    new blueprints.addons.VpcCniAddOn({ version: PINNED_ADDON_VERSIONS.vpcCni }),
    new blueprints.addons.CoreDnsAddOn(PINNED_ADDON_VERSIONS.coreDns),
    new blueprints.addons.KubeProxyAddOn(PINNED_ADDON_VERSIONS.kubeProxy),
    new blueprints.addons.CertManagerAddOn(),
    new blueprints.addons.AdotCollectorAddOn({ version: PINNED_ADDON_VERSIONS.adotCollector }),
    new blueprints.addons.CloudWatchAdotAddOn({
      deploymentMode: 'deployment' as blueprints.addons.cloudWatchDeploymentMode,
      metricsNameSelectors: [...BLOG_METRICS_NAME_SELECTORS],
      podLabelRegex: BLOG_POD_LABEL_REGEX,
    }),
  ];
}

/** Every EKS control-plane log type (CloudWatch Logs `/aws/eks/<cluster>/cluster`). */
export const CONTROL_PLANE_LOG_TYPES: blueprints.ControlPlaneLogType[] = [
  blueprints.ControlPlaneLogType.API,
  blueprints.ControlPlaneLogType.AUDIT,
  blueprints.ControlPlaneLogType.AUTHENTICATOR,
  blueprints.ControlPlaneLogType.CONTROLLER_MANAGER,
  blueprints.ControlPlaneLogType.SCHEDULER,
];

/** Where the blueprint is deployed. */
export interface BlueprintTarget {
  /** AWS account id. */
  readonly account: string;
  /** AWS region. */
  readonly region: string;
  /** Cluster and stack name (the blog's `CAP_CLUSTER_NAME`). */
  readonly clusterName: string;
}

/**
 * The blog's blueprint builder: its add-ons on Kubernetes 1.35, for an explicit account and region.
 * Callers add their own add-ons and control-plane log types before `buildAsync`.
 */
export function blogBlueprintBuilder(target: BlueprintTarget): blueprints.BlueprintBuilder {
  return blueprints.EksBlueprint.builder()
    .account(target.account)
    .region(target.region)
    .version(KubernetesVersion.V1_35)
    // The blog's later version sends all five control-plane log types; the 403 alarm reads `audit`.
    .enableControlPlaneLogTypes(...CONTROL_PLANE_LOG_TYPES)
    .addOns(...blogAddOns());
}
